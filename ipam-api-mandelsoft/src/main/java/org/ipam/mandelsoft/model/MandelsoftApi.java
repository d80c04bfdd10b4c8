package org.ipam.mandelsoft.model;

/**
 * The names of the kubipam API that manifests and users rely on, spelled as upstream spells them
 * (reference/mandelsoft.md 1.1-1.5): group, version, kinds, finalizer, states and modes.
 */
public final class MandelsoftApi {
  public static final String GROUP = "ipam.mandelsoft.org";
  public static final String VERSION = "v1alpha1";
  public static final String RANGE_KIND = "IPAMRange";
  public static final String REQUEST_KIND = "IPAMRequest";

  /**
   * On ranges and requests alike: {@code FinalizerDomain("mandelsoft.org")} + controller "ipam".
   */
  public static final String FINALIZER = "mandelsoft.org/ipam";

  public static final String MODE_FIRST_MATCH = "FirstMatch";
  public static final String MODE_ROUND_ROBIN = "RoundRobin";

  public static final String STATE_READY = "Ready";
  public static final String STATE_INVALID = "Invalid";
  public static final String STATE_BUSY = "Busy";
  public static final String STATE_DELETING = "Deleting";

  /** The range's message while it waits for its requests (upstream's text). */
  public static final String DELETING_MESSAGE = "waiting for pending requests to be deleted";

  private MandelsoftApi() {}
}
