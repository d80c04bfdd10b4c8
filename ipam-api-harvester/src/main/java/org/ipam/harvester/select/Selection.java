package org.ipam.harvester.select;

/** The pool a LoadBalancer is served by, or why none. */
public sealed interface Selection {
  /**
   * @param pool the pool's name
   * @param why how it was chosen ({@link Why})
   */
  record Chosen(String pool, Why why) implements Selection {}

  /** No pool: the message says why, for the LoadBalancer's Ready condition. */
  record NoPool(String message) implements Selection {}

  /** The LoadBalancer takes no address from a pool ({@code spec.ipam: dhcp}). */
  record NotPooled() implements Selection {}

  enum Why {
    /** {@code spec.ipPool} names it. */
    NAMED,
    /** The LoadBalancer holds an address of it and it still admits the LoadBalancer. */
    STICKY,
    /** The highest-priority pool whose selector matches. */
    MATCHED,
    /** Matched once empty project and guest-cluster fields count as wildcards. */
    MATCHED_LOOSELY,
    /** The global pool: nothing else matched. */
    GLOBAL
  }
}
