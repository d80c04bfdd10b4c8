package org.ipam.core.engine;

import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;

/** What a claim asks of its pool, translated by the dialect from its own fields. */
public sealed interface AllocationRequest {

  /** Decides against the pool's allocator; pure memory, no I/O. */
  AllocationResult decide(PoolAllocator allocator, String owner);

  /** Any address the pool's policy picks (its pre-allocation first, if it has one). */
  record AnyAddress() implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner) {
      return allocator.allocate(owner);
    }
  }

  /** Exactly this address (Metal3's ipAddress annotation). */
  record SpecificAddress(Ip address) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner) {
      return allocator.allocateSpecific(owner, address);
    }
  }

  /** An aligned block of this prefix length (kubipam chunks). */
  record Block(int prefixLength, BlockPlacement placement) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner) {
      return allocator.allocateBlock(owner, prefixLength, placement);
    }
  }

  /** Exactly this block. */
  record SpecificBlock(Cidr block) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner) {
      return allocator.allocateSpecificBlock(owner, block);
    }
  }

  /** A request the dialect could not read (a malformed annotation); answered with its message. */
  record Unreadable(String message) implements AllocationRequest {
    @Override
    public AllocationResult decide(PoolAllocator allocator, String owner) {
      return new AllocationFailure.InvalidRequest(message);
    }
  }
}
