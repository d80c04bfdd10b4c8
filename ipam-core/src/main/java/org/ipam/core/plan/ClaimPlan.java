package org.ipam.core.plan;

import org.ipam.core.alloc.Allocation;

/**
 * What one claim would get.
 *
 * @param claim {@code <Kind> <namespace>/<name>}
 * @param source where it was read
 * @param allocation the address it would get; null when it would not be served
 * @param note for a served claim, where the answer goes and how it was chosen (the address object
 *     named, pre-allocated, kept); for one not served, why not
 */
public record ClaimPlan(String claim, String source, Allocation allocation, String note) {
  public boolean served() {
    return allocation != null;
  }
}
