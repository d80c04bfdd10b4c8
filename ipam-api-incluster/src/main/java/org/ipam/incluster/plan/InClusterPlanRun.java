package org.ipam.incluster.plan;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.plan.ClaimPlan;
import org.ipam.core.plan.DialectPlan;
import org.ipam.core.plan.PlanObject;
import org.ipam.core.plan.PlanReading;
import org.ipam.core.plan.PoolPlan;
import org.ipam.core.plan.PoolPlanning;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.adapter.InClusterPoolTranslation;
import org.ipam.incluster.adapter.InClusterRecords;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.ipam.incluster.webhook.CapiAddressValidator;
import org.ipam.incluster.webhook.CapiClaimValidator;

/**
 * One plan of the in-cluster objects: pools read and judged ({@link PoolReader}), claims and
 * IPAddresses judged by the Cluster API webhooks as this dialect serves them, then each admitted
 * pool served through {@link PoolPlanning}: its IPAddresses in the files hold their addresses, and
 * its claims get what the engine would give them (lowest free address, or lowest free aligned child
 * prefix), each in an IPAddress named after the claim.
 */
final class InClusterPlanRun {
  private final PlanReading reading = new PlanReading();
  private final PoolReader poolReader = new PoolReader(reading);
  private final Map<PoolId, CustomResource<?, PoolStatus>> pools = new LinkedHashMap<>();
  private final Map<PoolId, String> refusedPools = new HashMap<>();

  /** The claims by {@code <namespace>/<name>}, for the IPAddress webhook's look-up too. */
  private final Map<String, IPAddressClaim> claims = new LinkedHashMap<>();

  private final List<IPAddress> addresses = new ArrayList<>();

  DialectPlan plan(List<PlanObject> objects) {
    List<PlanObject> addressObjects = new ArrayList<>();
    for (PlanObject object : objects) {
      if (InClusterApi.POOL_KINDS.contains(object.kind())) {
        poolReader.read(object).ifPresent(this::addPool);
      } else if (object.kind().equals("IPAddressClaim")) {
        readClaim(object);
      } else {
        addressObjects.add(object);
      }
    }
    // IPAddresses last: their webhook checks each against its claim, wherever the claim is.
    addressObjects.forEach(this::readAddress);
    List<PoolPlan> planned = new ArrayList<>();
    pools.forEach((id, pool) -> planned.add(planPool(id, pool)));
    claimsWithoutPool();
    addressesWithoutPool();
    return new DialectPlan(planned, reading.findings());
  }

  // ---------------------------------------------------------------- reading

  private void addPool(PoolReader.ReadPool read) {
    if (reading.definedTwice(read.id(), read.pool())) {
      return;
    }
    if (read.admitted()) {
      pools.put(read.id(), read.pool());
    } else {
      refusedPools.put(read.id(), reading.source(read.pool()).source());
    }
  }

  private void readClaim(PlanObject object) {
    reading
        .validated(object, IPAddressClaim.class, new CapiClaimValidator())
        .filter(claim -> !reading.definedTwice(FieldProblems.describe(claim), claim))
        .ifPresent(claim -> claims.put(key(claim), reading.withUid(claim)));
  }

  private void readAddress(PlanObject object) {
    reading
        .validated(
            object,
            IPAddress.class,
            new CapiAddressValidator(
                (namespace, name) -> Optional.ofNullable(claims.get(namespace + "/" + name))))
        .filter(address -> readable(object, address))
        .filter(address -> !reading.definedTwice(FieldProblems.describe(address), address))
        .ifPresent(addresses::add);
  }

  /** The webhook judges an address that is there; the CRD schema requires that it is. */
  private boolean readable(PlanObject object, IPAddress address) {
    if (InClusterRecords.holding(address).isPresent()) {
      return true;
    }
    FieldProblems problems = new FieldProblems(address);
    problems.add("spec.address", object.field("spec.address"), "is required");
    problems.lines().forEach(line -> reading.error(object, line));
    return false;
  }

  private static String key(IPAddressClaim claim) {
    return claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName();
  }

  private static Optional<PoolId> poolOf(IPAddressClaim claim) {
    return PoolId.named(
        claim.getSpec() == null ? null : claim.getSpec().getPoolRef(),
        claim.getMetadata().getNamespace());
  }

  private static Optional<PoolId> poolOf(IPAddress address) {
    return PoolId.named(
        address.getSpec() == null ? null : address.getSpec().getPoolRef(),
        address.getMetadata().getNamespace());
  }

  // ---------------------------------------------------------------- one pool

  private PoolPlan planPool(PoolId id, CustomResource<?, PoolStatus> pool) {
    InClusterPoolTranslation translation = InClusterPoolTranslation.of(pool);
    List<PoolPlanning.Held> held = new ArrayList<>();
    for (IPAddress address : addresses) {
      if (poolOf(address).filter(id::equals).isPresent()) {
        held.add(new PoolPlanning.Held(address, InClusterRecords.holding(address).orElseThrow()));
      }
    }
    List<PoolPlanning.Claim> own = new ArrayList<>();
    for (IPAddressClaim claim : claims.values()) {
      if (poolOf(claim).filter(id::equals).isPresent()) {
        own.add(
            new PoolPlanning.Claim(
                claim, InClusterRecords.facts(claim), translation.request(claim)));
      }
    }
    PoolPlanning planning = new PoolPlanning(reading, translation.spec());
    String described = FieldProblems.describe(pool);
    List<ClaimPlan> planned = planning.serve(held, own, new Notes(described, translation));
    PoolCounts counts =
        translation.counts(
            planning.counts(), planning.allocations().stream().map(Allocation::addresses).toList());
    return new PoolPlan(described, reading.source(pool).source(), counts, unitOf(pool), planned);
  }

  /** A prefix pool counts its child prefixes, as its status does. */
  private static PoolPlan.Unit unitOf(CustomResource<?, PoolStatus> pool) {
    return pool.getSpec() instanceof InClusterPrefixPoolSpec prefixes
        ? PoolPlan.Unit.prefixes(prefixes.effectiveAllocationPrefixLength())
        : PoolPlan.Unit.ADDRESSES;
  }

  /** What a claim of the pool gets, in the words the claim's Ready condition would use. */
  private record Notes(String pool, InClusterPoolTranslation translation)
      implements PoolPlanning.Notes {
    /** The IPAddress is named after its claim, in the claim's namespace (as upstream). */
    @Override
    public String newObject(PoolPlanning.Claim claim, Allocation allocation) {
      return "IPAddress " + claim.object().getMetadata().getName();
    }

    @Override
    public String notServed(PoolPlanning.Claim claim, AllocationFailure failure) {
      if (translation.problem() != null) {
        return pool + " has no address to hand out: " + translation.problem();
      }
      if (failure instanceof AllocationFailure.Exhausted) {
        return pool
            + (translation.handsOutPrefixes()
                ? " has no free /" + translation.childPrefixLength() + " prefix"
                : " has no free address");
      }
      return failure.message();
    }
  }

  // ---------------------------------------------------------------- what no pool takes

  private void claimsWithoutPool() {
    for (IPAddressClaim claim : claims.values()) {
      PoolId id = poolOf(claim).orElseThrow();
      if (!pools.containsKey(id)) {
        reading.claimWaits(
            claim, "spec.poolRef.name", id.kind(), id.namespace(), id.name(), refusedPools.get(id));
      }
    }
  }

  private void addressesWithoutPool() {
    for (IPAddress address : addresses) {
      PoolId id = poolOf(address).orElseThrow();
      if (!pools.containsKey(id)) {
        reading.addressWithoutPool(address, "spec.poolRef.name", id.kind(), id.name());
      }
    }
  }
}
