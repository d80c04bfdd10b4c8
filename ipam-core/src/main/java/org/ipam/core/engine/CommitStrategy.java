package org.ipam.core.engine;

/**
 * The exclusive commit points the engine offers; a dialect picks one, and every kind of claim that
 * draws from one pool commits through the same one.
 */
public enum CommitStrategy {
  /**
   * The create of an object whose name is derived from the pool and the address (or fixed-size
   * block), always of the same resource whatever kind of claim it serves: a second writer of the
   * same address meets AlreadyExists. One write per claim; as Kubernetes' own Service IP allocator
   * names IPAddress objects after the address.
   */
  NAMED_RESERVATION
}
