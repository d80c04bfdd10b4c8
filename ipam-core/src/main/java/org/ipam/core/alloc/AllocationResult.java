package org.ipam.core.alloc;

/**
 * The answer to an allocation request: an {@link Allocation}, or an {@link AllocationFailure} that
 * says why not.
 */
public sealed interface AllocationResult permits Allocation, AllocationFailure {
  boolean succeeded();
}
