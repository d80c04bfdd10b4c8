package org.ipam.incluster.model;

/**
 * The JSON paths of the pools' printer columns. fabric8's CRD generator writes the columns sorted
 * by JSON path (case-insensitively), not in declaration order; upstream shows Addresses, Total,
 * Free, Used. A path in bracket notation ({@code ['free']}) means the same field and sorts after
 * every dotted path ({@code [} is after {@code .}), so the dotted and bracketed spellings below put
 * the columns in upstream's order. PoolCrdTest pins the order of the generated CRDs.
 */
public final class PrinterColumnPaths {
  /** Sorts first among the v1alpha1 columns (Subnet before Addresses). */
  public static final String SUBNET = ".spec.subnet";

  /** v1alpha2 IP pools: first of all; v1alpha1: after {@link #SUBNET}. */
  public static final String ADDRESSES = ".spec.addresses";

  public static final String ADDRESSES_AFTER_SUBNET = ".spec['addresses']";
  public static final String PREFIXES = ".spec.prefixes";
  public static final String TOTAL = ".status.ipAddresses.total";
  public static final String FREE = ".status.ipAddresses['free']";
  public static final String USED = ".status.ipAddresses['used']";

  private PrinterColumnPaths() {}
}
