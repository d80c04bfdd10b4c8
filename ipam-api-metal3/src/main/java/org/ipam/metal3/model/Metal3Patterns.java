package org.ipam.metal3.model;

/**
 * The patterns the CRD schema checks before any webhook runs: the upstream CRDs' {@code
 * IPAddressStr} and {@code IPSubnetStr} (IPv4 without leading zeros, IPv6 in its textual forms
 * without embedded IPv4 or zone), and ours for {@code namePrefix}. Annotations need compile-time
 * constants, hence strings here; the controller compiles the same strings for its own checks.
 */
public final class Metal3Patterns {
  private static final String V4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String V4 = "(" + V4_OCTET + "\\.){3}" + V4_OCTET;
  private static final String H = "[0-9a-fA-F]{1,4}";
  private static final String V6 =
      "(("
          + H
          + ":){7}"
          + H
          + "|("
          + H
          + ":){1,7}:|("
          + H
          + ":){1,6}:"
          + H
          + "|("
          + H
          + ":){1,5}(:"
          + H
          + "){1,2}|("
          + H
          + ":){1,4}(:"
          + H
          + "){1,3}|("
          + H
          + ":){1,3}(:"
          + H
          + "){1,4}|("
          + H
          + ":){1,2}(:"
          + H
          + "){1,5}|"
          + H
          + ":(:"
          + H
          + "){1,6}|:((:"
          + H
          + "){1,7}|:))";

  static final String ADDRESS = "^(" + V4 + "|" + V6 + ")$";
  static final String SUBNET =
      "^(" + V4 + "/(3[0-2]|[12]?[0-9])|" + V6 + "/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$";

  /**
   * The start of an object name: a DNS-1123 subdomain whose last label may end in '-', since the
   * address follows it ({@code abc-} gives {@code abc--10-0-0-1}, upstream's own example).
   */
  public static final String NAME_PREFIX =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z0-9][-a-z0-9]*$";

  private Metal3Patterns() {}
}
