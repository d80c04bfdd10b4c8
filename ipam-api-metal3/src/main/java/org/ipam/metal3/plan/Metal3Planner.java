package org.ipam.metal3.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Ip;
import org.ipam.core.plan.ClaimPlan;
import org.ipam.core.plan.DialectPlan;
import org.ipam.core.plan.DialectPlanner;
import org.ipam.core.plan.PlanObject;
import org.ipam.core.plan.PlanReading;
import org.ipam.core.plan.PoolPlan;
import org.ipam.core.plan.PoolPlanning;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.adapter.AddressNames;
import org.ipam.metal3.adapter.Metal3Claim;
import org.ipam.metal3.adapter.Metal3PoolBinding;
import org.ipam.metal3.adapter.Metal3PoolTranslation;
import org.ipam.metal3.adapter.Metal3Records;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.webhook.IPAddressValidator;
import org.ipam.metal3.webhook.IPClaimValidator;
import org.ipam.metal3.webhook.IPPoolValidator;

/**
 * The Metal3 part of {@code ipam-controller plan}: IPPools, IPClaims and IPAddresses, and the
 * Cluster API IPAddressClaims and IPAddresses whose poolRef is a Metal3 IPPool. Each object is
 * judged by its webhook's class, as on CREATE (an object the webhook refuses is never stored, so it
 * takes no part in the allocation); each valid pool is translated as the controller translates it
 * and its valid claims are served through {@link Metal3PoolBinding#request} ({@link PoolPlanning}).
 */
public final class Metal3Planner implements DialectPlanner {
  private static final String CAPI_GROUP = org.ipam.core.capi.IPAddressClaim.GROUP;

  @Override
  public boolean reads(PlanObject object) {
    if (IPPool.GROUP.equals(object.group())) {
      return Set.of("IPPool", "IPClaim", "IPAddress").contains(object.kind());
    }
    return CAPI_GROUP.equals(object.group())
        && Set.of("IPAddressClaim", "IPAddress").contains(object.kind())
        && IPPool.GROUP.equals(object.field("spec.poolRef.apiGroup"))
        && "IPPool".equals(object.field("spec.poolRef.kind"));
  }

  @Override
  public DialectPlan plan(List<PlanObject> objects) {
    return new Run().plan(objects);
  }

  /** One plan's objects, sorted by what they are. */
  private static final class Run {
    private final PlanReading reading = new PlanReading();
    private final Map<PoolKey, IPPool> pools = new LinkedHashMap<>();
    private final Map<PoolKey, String> refusedPools = new HashMap<>();
    private final List<HasMetadata> claims = new ArrayList<>();
    private final List<HasMetadata> addresses = new ArrayList<>();

    DialectPlan plan(List<PlanObject> objects) {
      for (PlanObject object : objects) {
        read(object);
      }
      List<PoolPlan> planned = new ArrayList<>();
      pools.forEach((key, pool) -> planned.add(planPool(key, pool)));
      claimsWithoutPool();
      addressesWithoutPool();
      return new DialectPlan(planned, reading.findings());
    }

    private void read(PlanObject object) {
      boolean metal3 = IPPool.GROUP.equals(object.group());
      String kind = object.kind();
      if (metal3 && kind.equals("IPPool")) {
        readPool(object);
      } else if (metal3 && kind.equals("IPClaim")) {
        reading
            .validated(object, IPClaim.class, new IPClaimValidator())
            .ifPresent(claim -> claims.add(reading.withUid(claim)));
      } else if (metal3 && kind.equals("IPAddress")) {
        reading
            .validated(object, IPAddress.class, new IPAddressValidator())
            .ifPresent(addresses::add);
      } else if (kind.equals("IPAddressClaim")) {
        // No Metal3 webhook judges a Cluster API claim: its ipAddress annotation is read as the
        // controller reads it (Metal3PoolBinding.request), and a bad one is that claim's answer.
        reading
            .model(object, org.ipam.core.capi.IPAddressClaim.class)
            .ifPresent(claim -> claims.add(reading.withUid(claim)));
      } else {
        reading
            .model(object, org.ipam.core.capi.IPAddress.class)
            .filter(a -> capiAddressReadable(object, a))
            .ifPresent(addresses::add);
      }
    }

    private void readPool(PlanObject object) {
      Optional<IPPool> read = reading.model(object, IPPool.class);
      if (read.isEmpty()) {
        return;
      }
      IPPool pool = read.get();
      boolean admitted = reading.admitted(pool, new IPPoolValidator());
      PoolKey key = Metal3Records.poolKey(object.namespace(), object.name());
      if (reading.definedTwice(key, pool)) {
        return;
      }
      if (admitted) {
        pools.put(key, pool);
      } else {
        refusedPools.put(key, object.source());
      }
    }

    private boolean capiAddressReadable(PlanObject object, org.ipam.core.capi.IPAddress address) {
      FieldProblems problems = new FieldProblems(address);
      String text = address.getSpec() == null ? null : address.getSpec().getAddress();
      if (text == null || text.isEmpty()) {
        problems.add("spec.address", "", "cannot be empty");
      } else {
        problems.address("spec.address", text);
      }
      problems.lines().forEach(line -> reading.error(object, line));
      return problems.isEmpty();
    }

    // ------------------------------------------------------------ one pool

    private PoolPlan planPool(PoolKey key, IPPool pool) {
      // Seed 0: a random pool's addresses cannot be predicted; plan shows one possible draw.
      Metal3PoolTranslation translation = Metal3PoolTranslation.of(pool, 0L);
      List<PoolPlanning.Held> held = new ArrayList<>();
      for (HasMetadata address : addresses) {
        if (inPool(address, key)) {
          held.add(new PoolPlanning.Held(address, Metal3Records.holding(address).orElseThrow()));
        }
      }
      List<PoolPlanning.Claim> own = new ArrayList<>();
      for (HasMetadata claim : claims) {
        if (inPool(claim, key)) {
          own.add(
              new PoolPlanning.Claim(
                  claim,
                  Metal3Records.facts(claim),
                  Metal3PoolBinding.request(pool, translation, Metal3Claim.of(claim))));
        }
      }
      PoolPlanning planning = new PoolPlanning(reading, translation.spec());
      List<ClaimPlan> planned =
          planning.serve(
              held, own, (claim, allocation) -> newObject(pool, translation, claim, allocation));
      return new PoolPlan(
          "IPPool " + key.namespace() + "/" + key.name(),
          reading.source(pool).source(),
          planning.counts(),
          planned);
    }

    /** The IPAddress a claim would get, named as the binding names it; pre-allocated or not. */
    private static String newObject(
        IPPool pool,
        Metal3PoolTranslation translation,
        PoolPlanning.Claim claim,
        Allocation allocation) {
      String kind = claim.object() instanceof IPClaim ? "IPAddress" : "IPAddress (Cluster API)";
      String note =
          kind + " " + AddressNames.of(pool.getSpec().getNamePrefix(), allocation.address());
      Ip pre = translation.spec().preAllocations().get(claim.facts().reservationKey());
      return allocation.address().equals(pre) ? note + ", pre-allocated" : note;
    }

    private static boolean inPool(HasMetadata object, PoolKey key) {
      return Metal3Records.poolOf(object).filter(key::equals).isPresent();
    }

    // ------------------------------------------------------------ what no pool takes

    private void claimsWithoutPool() {
      for (HasMetadata claim : claims) {
        Optional<PoolKey> key = Metal3Records.poolOf(claim);
        if (key.isEmpty() || !pools.containsKey(key.get())) {
          reading.claimWaits(
              claim,
              claim instanceof IPClaim ? "spec.pool.name" : "spec.poolRef.name",
              "IPPool",
              claim.getMetadata().getNamespace(),
              key.map(PoolKey::name).orElse(""),
              key.map(refusedPools::get).orElse(null));
        }
      }
    }

    private void addressesWithoutPool() {
      for (HasMetadata address : addresses) {
        Optional<PoolKey> key = Metal3Records.poolOf(address);
        if (key.isEmpty() || !pools.containsKey(key.get())) {
          reading.addressWithoutPool(
              address,
              address instanceof IPAddress ? "spec.pool.name" : "spec.poolRef.name",
              "IPPool",
              key.map(PoolKey::name).orElse(""));
        }
      }
    }
  }
}
