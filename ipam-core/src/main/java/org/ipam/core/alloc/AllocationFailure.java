package org.ipam.core.alloc;

import org.ipam.core.net.Ip;

/**
 * Why a request got no address. Callers branch on the type; {@link #message()} is text for a user.
 */
public sealed interface AllocationFailure extends AllocationResult {
  String message();

  @Override
  default boolean succeeded() {
    return false;
  }

  /** No free address, or no free aligned block of the size, in any segment. */
  record Exhausted() implements AllocationFailure {
    @Override
    public String message() {
      return "no free address left in the pool";
    }
  }

  record AddressTaken(Ip address, String holder) implements AllocationFailure {
    @Override
    public String message() {
      return address + " is already allocated to " + holder;
    }
  }

  record OutsideSegments(Ip address) implements AllocationFailure {
    @Override
    public String message() {
      return address + " is outside every range of the pool";
    }
  }

  record Reserved(Ip address) implements AllocationFailure {
    @Override
    public String message() {
      return address + " is reserved (network, broadcast, gateway or excluded address)";
    }
  }

  record PreAllocatedToOther(Ip address, String reservedFor) implements AllocationFailure {
    @Override
    public String message() {
      return address + " is pre-allocated to " + reservedFor;
    }
  }

  /** The owner asked for one address but the pool pre-allocates another one to it. */
  record DiffersFromPreAllocation(Ip requested, Ip preAllocated) implements AllocationFailure {
    @Override
    public String message() {
      return "requested " + requested + " but " + preAllocated + " is pre-allocated to this owner";
    }
  }

  /** The owner already holds something else; an owner holds one allocation at a time. */
  record OwnerHoldsAnother(Allocation held) implements AllocationFailure {
    @Override
    public String message() {
      return held.owner() + " already holds " + held.addresses();
    }
  }

  /**
   * The request itself cannot be served by this pool: wrong family, prefix out of range, misaligned
   * block.
   */
  record InvalidRequest(String reason) implements AllocationFailure {
    @Override
    public String message() {
      return reason;
    }
  }
}
