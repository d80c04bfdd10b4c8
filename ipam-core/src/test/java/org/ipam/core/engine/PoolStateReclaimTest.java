package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/**
 * Two writers: this one decided claim y gets .2 while the other had already recorded y at .1. The
 * live ledger read of this writer's commit shows y@.1 while the decision still holds y's slot, so
 * the entry lands in a slot of its own; the commit then loses to y's own entry. Before the fix the
 * rollback left y with no allocation, and y decided again, lost again, and looped (a split-brain
 * run ended with one claim starved by such loops). Now the rollback hands y its own entry.
 */
class PoolStateReclaimTest {
  private static final PoolKey POOL = new PoolKey("test", "ns", "pool");
  private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

  @Test
  void aRolledBackDecisionGivesTheClaimItsOwnEntryRecordedElsewhere() {
    PoolState<String> state = new PoolState<>(POOL);
    state.follow(AllocationEngineTest.v4("10.0.0.1", "10.0.0.9"));
    ClaimFacts y =
        new ClaimFacts(new ClaimId("IPAddressClaim", "ns", "y", "uid-y"), null, NOW, false);
    state.claimSeen("y", y);

    // This writer's decision (its view did not show the other writer's entry yet).
    state.allocator().allocateSpecific("probe", Ip.parse("10.0.0.1")); // .1 looks taken here
    AllocationResult decided = state.allocator().allocate("uid-y");
    state.allocator().release("probe");
    Allocation allocation = (Allocation) decided;
    assertThat(allocation.address()).isEqualTo(Ip.parse("10.0.0.2"));
    state.hold(y, allocation, NOW);

    // The live read of the commit shows the other writer's entry for y at .1.
    IpRange recorded = IpRange.single(Ip.parse("10.0.0.1"));
    state.holdingSeen(
        new LedgerEntry(recorded, "IPAddressClaim", "ns", "y", "uid-y").asHolding(POOL, NOW));
    assertThat(state.allocationOf("uid-y").orElseThrow().address())
        .as("the pending decision still holds y's slot")
        .isEqualTo(Ip.parse("10.0.0.2"));

    // The commit lost to y's own entry: rolled back.
    state.rollBack("uid-y");

    assertThat(state.allocationOf("uid-y"))
        .as("y holds what the ledger records for it")
        .hasValueSatisfying(held -> assertThat(held.addresses()).isEqualTo(recorded));
    assertThat(state.allocator().isAllocated(Ip.parse("10.0.0.2"))).as(".2 is free").isFalse();
  }
}
