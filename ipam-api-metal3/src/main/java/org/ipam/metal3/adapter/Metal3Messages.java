package org.ipam.metal3.adapter;

import org.ipam.core.alloc.AllocationFailure;

/**
 * The texts upstream writes to {@code IPClaim.status.errorMessage} and the Cluster API Ready
 * condition (reference/metal3.md, section 2.4), so that tooling matching on them keeps working.
 * Where upstream has no case (a pre-allocated address someone else holds: upstream loops), the text
 * says what happened. Upstream's text comes first, so that a match on its start keeps working, and
 * the address, and who holds it or why it cannot be had, follow it.
 */
final class Metal3Messages {
  private static final String NOT_AVAILABLE = "Requested IP not available";

  private Metal3Messages() {}

  /**
   * @param pool "IPPool ns/name", for messages that say where an address is not
   */
  static String of(AllocationFailure failure, boolean preAllocated, String pool) {
    if (failure instanceof AllocationFailure.Exhausted) {
      return "Exhausted IP Pools";
    }
    if (failure instanceof AllocationFailure.AddressTaken taken) {
      return preAllocated
          ? "Pre-allocated IP " + taken.address() + " is held by " + taken.holder()
          : NOT_AVAILABLE + ": " + taken.address() + " is held by " + taken.holder();
    }
    if (failure instanceof AllocationFailure.OutsideSegments outside) {
      // Upstream says "Exhausted IP Pools" for a requested address outside every entry, even with
      // free addresses left, and "Pre-allocated IP out of bounds" without the address.
      return preAllocated
          ? "Pre-allocated IP out of bounds: "
              + outside.address()
              + " is outside every entry of "
              + pool
          : "Requested IP " + outside.address() + " is outside every entry of " + pool;
    }
    if (failure instanceof AllocationFailure.PreAllocatedToOther other) {
      return NOT_AVAILABLE
          + ": "
          + other.address()
          + " is pre-allocated to claim \""
          + other.reservedFor()
          + "\" by "
          + pool;
    }
    if (failure instanceof AllocationFailure.Reserved reserved) {
      return NOT_AVAILABLE + ": " + reserved.address() + " is reserved in " + pool;
    }
    if (failure instanceof AllocationFailure.DiffersFromPreAllocation differs) {
      return "PreAllocation and requested ip address are conflicting: the ipAddress annotation"
          + " asks for "
          + differs.requested()
          + ", "
          + pool
          + " pre-allocates "
          + differs.preAllocated();
    }
    if (failure instanceof AllocationFailure.InvalidRequest invalid) {
      return invalid.reason();
    }
    return failure.message();
  }
}
