package org.ipam.core.capi;

/** The name patterns the Cluster API IPAM types validate with, as CRD schema patterns. */
final class CapiPatterns {
  static final String DNS1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String KIND = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

  private CapiPatterns() {}
}
