package org.ipam.core.engine;

import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;

/** What a claim asks of its pool, translated by the dialect from its own fields. */
public sealed interface AllocationRequest {

  /**
   * Decides against the pool's allocator; pure memory, no I/O. {@code owner} is the claim's uid,
   * {@code reservedFor} the key its pre-allocation is known by (see {@link ClaimFacts}).
   */
  AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor);

  /** Any address the pool's policy picks (its pre-allocation first, if it has one). */
  record AnyAddress() implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor) {
      return allocator.allocate(owner, reservedFor);
    }
  }

  /** Exactly this address (Metal3's ipAddress annotation). */
  record SpecificAddress(Ip address) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor) {
      return allocator.allocateSpecific(owner, reservedFor, address);
    }
  }

  /** An aligned block of this prefix length (kubipam chunks). */
  record Block(int prefixLength, BlockPlacement placement) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor) {
      return allocator.allocateBlock(owner, prefixLength, placement);
    }
  }

  /** Exactly this block. */
  record SpecificBlock(Cidr block) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor) {
      return allocator.allocateSpecificBlock(owner, block);
    }
  }

  /**
   * A request that cannot be served as it stands (a malformed annotation, a pool being deleted);
   * answered with its message.
   */
  record Unservable(String message) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner, String reservedFor) {
      return new AllocationFailure.InvalidRequest(message);
    }
  }
}
