package org.ipam.core.alloc;

/** Where an aligned block goes. */
public enum BlockPlacement {
  /** The lowest aligned free block, segment by segment. */
  LOWEST_ALIGNED,
  /**
   * Inside the smallest maximal free aligned block that can hold it, lowest address on ties
   * (kubipam's best fit): big free blocks stay whole for big requests.
   */
  BEST_FIT
}
