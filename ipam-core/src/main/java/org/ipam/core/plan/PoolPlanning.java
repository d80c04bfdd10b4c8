package org.ipam.core.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.Holding;
import org.ipam.core.webhook.FieldProblems;

/**
 * One valid pool's part of a plan, the same for every dialect: the pool's address objects in the
 * files hold their addresses ({@link PoolSimulation#hold}; one that cannot is an error naming its
 * {@code spec.address}), its claims are served ({@link PoolSimulation#serve}), and each answer
 * becomes a {@link ClaimPlan}. What the dialect's engine binding decides comes in: the allocator's
 * spec, each claim's facts and request, and the name of the address object a claim would get.
 */
public final class PoolPlanning {
  private final PlanReading reading;
  private final PoolSimulation simulation;

  /** A claim of the pool: its object, the engine's facts of it, and what it asks. */
  public record Claim(HasMetadata object, ClaimFacts facts, AllocationRequest request) {}

  /** An address object of the pool, as the engine holds it. */
  public record Held(HasMetadata object, Holding holding) {}

  /** The dialect's words for what a claim gets. */
  public interface Notes {
    /** The address object a claim served anew would get: {@code IPAddress pool-10-0-0-10}. */
    String newObject(Claim claim, Allocation allocation);

    /** Why a claim would not be served: by default the allocator's words. */
    default String notServed(Claim claim, AllocationFailure failure) {
      return failure.message();
    }
  }

  public PoolPlanning(PlanReading reading, PoolSpec spec) {
    this.reading = reading;
    this.simulation = new PoolSimulation(spec);
  }

  /** Places the address objects, then serves the claims; answers in serving order. */
  public List<ClaimPlan> serve(List<Held> held, List<Claim> claims, Notes notes) {
    Set<String> uids = new HashSet<>();
    Map<String, Claim> claimOfUid = new HashMap<>();
    List<PoolSimulation.Request> requests = new ArrayList<>();
    for (Claim claim : claims) {
      uids.add(claim.facts().uid());
      claimOfUid.put(claim.facts().uid(), claim);
      requests.add(new PoolSimulation.Request(inFileOrder(claim), claim.request()));
    }
    hold(held, uids);
    List<ClaimPlan> planned = new ArrayList<>();
    for (PoolSimulation.Decision decision : simulation.serve(requests)) {
      planned.add(claimPlan(claimOfUid.get(decision.facts().uid()), decision, notes));
    }
    return planned;
  }

  public PoolCounts counts() {
    return simulation.counts();
  }

  /** What the pool holds once served, for a dialect that counts in units of its own. */
  public List<Allocation> allocations() {
    return simulation.allocations();
  }

  private void hold(List<Held> held, Set<String> claimUids) {
    Map<Object, HasMetadata> objectOf = new HashMap<>();
    List<Holding> holdings = new ArrayList<>();
    for (Held one : held) {
      holdings.add(one.holding());
      objectOf.put(one.holding().object(), one.object());
    }
    for (PoolSimulation.Refused refused : simulation.hold(holdings, claimUids)) {
      HasMetadata object = objectOf.get(refused.holding().object());
      PlanObject source = reading.source(object);
      reading.error(
          source,
          FieldProblems.describe(object)
              + ": spec.address \""
              + source.field("spec.address")
              + "\" cannot be held: "
              + refused.reason());
    }
  }

  /**
   * The engine's facts, but no creation time for a claim the files give none: such claims are
   * served after the others, in the files' order ({@link PoolSimulation#serve}).
   */
  private static ClaimFacts inFileOrder(Claim claim) {
    ClaimFacts facts = claim.facts();
    return claim.object().getMetadata().getCreationTimestamp() == null
        ? new ClaimFacts(facts.id(), facts.reservationKey(), null, facts.deleting())
        : facts;
  }

  private ClaimPlan claimPlan(Claim claim, PoolSimulation.Decision decision, Notes notes) {
    String source = reading.source(claim.object()).source();
    String describe = decision.facts().describe();
    if (decision.result() instanceof AllocationFailure failure) {
      return new ClaimPlan(describe, source, null, notes.notServed(claim, failure));
    }
    Allocation allocation = (Allocation) decision.result();
    Holding object = decision.object();
    String note =
        object == null
            ? notes.newObject(claim, allocation)
            : (object.claimUid() == null ? "adopts " : "keeps ")
                // The object's kind without its group: IPAddress.ipam.metal3.io -> IPAddress.
                + object.object().kind().replaceFirst("\\..*", "")
                + " "
                + object.object().name()
                + " from the files";
    return new ClaimPlan(describe, source, allocation, note);
  }
}
