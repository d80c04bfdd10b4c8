package org.ipam.metal3.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Ip;
import org.ipam.core.plan.ClaimPlan;
import org.ipam.core.plan.DialectPlan;
import org.ipam.core.plan.DialectPlanner;
import org.ipam.core.plan.Finding;
import org.ipam.core.plan.PlanObject;
import org.ipam.core.plan.PoolPlan;
import org.ipam.core.plan.PoolSimulation;
import org.ipam.core.webhook.AdmissionValidator;
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
 * and its valid claims are served through {@link Metal3PoolBinding#request}.
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
    private final List<Finding> findings = new ArrayList<>();
    private final Map<PoolKey, IPPool> pools = new LinkedHashMap<>();
    private final Map<PoolKey, String> refusedPools = new HashMap<>();
    private final List<HasMetadata> claims = new ArrayList<>();
    private final List<HasMetadata> addresses = new ArrayList<>();
    // By identity: a claim's uid is filled in after it is read, which would change its hash.
    private final Map<HasMetadata, PlanObject> sourceOf = new java.util.IdentityHashMap<>();

    DialectPlan plan(List<PlanObject> objects) {
      for (PlanObject object : objects) {
        read(object);
      }
      List<PoolPlan> planned = new ArrayList<>();
      pools.forEach((key, pool) -> planned.add(planPool(key, pool)));
      claimsWithoutPool();
      addressesWithoutPool();
      return new DialectPlan(planned, findings);
    }

    private void read(PlanObject object) {
      boolean metal3 = IPPool.GROUP.equals(object.group());
      String kind = object.kind();
      if (metal3 && kind.equals("IPPool")) {
        readPool(object);
      } else if (metal3 && kind.equals("IPClaim")) {
        validated(object, IPClaim.class, new IPClaimValidator()).ifPresent(this::addClaim);
      } else if (metal3 && kind.equals("IPAddress")) {
        validated(object, IPAddress.class, new IPAddressValidator()).ifPresent(addresses::add);
      } else if (kind.equals("IPAddressClaim")) {
        // No Metal3 webhook judges a Cluster API claim: its ipAddress annotation is read as the
        // controller reads it (Metal3PoolBinding.request), and a bad one is that claim's answer.
        model(object, org.ipam.core.capi.IPAddressClaim.class).ifPresent(this::addClaim);
      } else {
        model(object, org.ipam.core.capi.IPAddress.class)
            .filter(a -> capiAddressReadable(object, a))
            .ifPresent(addresses::add);
      }
    }

    private void readPool(PlanObject object) {
      Optional<IPPool> read = model(object, IPPool.class);
      if (read.isEmpty()) {
        return;
      }
      IPPool pool = read.get();
      AdmissionValidator.Verdict verdict = new IPPoolValidator().review(pool, null);
      verdict.refusals().forEach(line -> findings.add(Finding.error(object.source(), line)));
      verdict.warnings().forEach(line -> findings.add(Finding.warning(object.source(), line)));
      PoolKey key = Metal3Records.poolKey(object.namespace(), object.name());
      if (!twice(key, object)) {
        if (verdict.refusals().isEmpty()) {
          pools.put(key, pool);
        } else {
          refusedPools.put(key, object.source());
        }
      }
    }

    /** A pool defined twice: the second apply would overwrite the first. */
    private boolean twice(PoolKey key, PlanObject object) {
      IPPool first = pools.get(key);
      String earlier = first != null ? sourceOf.get(first).source() : refusedPools.get(key);
      if (earlier == null) {
        return false;
      }
      findings.add(
          Finding.error(
              object.source(),
              object.describe() + ": defined twice, also at " + earlier + " (the later one wins)"));
      return true;
    }

    private void addClaim(HasMetadata claim) {
      if (claim.getMetadata().getUid() == null || claim.getMetadata().getUid().isEmpty()) {
        // The engine knows claims by uid; one from a file gets its place in the files as its uid.
        claim.getMetadata().setUid("plan:" + sourceOf.get(claim).source());
      }
      claims.add(claim);
    }

    private <T extends HasMetadata> Optional<T> validated(
        PlanObject object, Class<T> type, AdmissionValidator<T> validator) {
      Optional<T> read = model(object, type);
      if (read.isEmpty()) {
        return read;
      }
      List<String> refusals = validator.validate(read.get(), null);
      refusals.forEach(line -> findings.add(Finding.error(object.source(), line)));
      return refusals.isEmpty() ? read : Optional.empty();
    }

    private <T extends HasMetadata> Optional<T> model(PlanObject object, Class<T> type) {
      PlanObject.Read<T> read = object.read(type);
      if (read.problem() != null) {
        findings.add(Finding.error(object.source(), read.problem()));
        return Optional.empty();
      }
      sourceOf.put(read.value(), object);
      return Optional.of(read.value());
    }

    private boolean capiAddressReadable(PlanObject object, org.ipam.core.capi.IPAddress address) {
      FieldProblems problems = new FieldProblems(address);
      String text = address.getSpec() == null ? null : address.getSpec().getAddress();
      if (text == null || text.isEmpty()) {
        problems.add("spec.address", "", "cannot be empty");
      } else {
        problems.address("spec.address", text);
      }
      problems.lines().forEach(line -> findings.add(Finding.error(object.source(), line)));
      return problems.isEmpty();
    }

    // ------------------------------------------------------------ one pool

    private PoolPlan planPool(PoolKey key, IPPool pool) {
      // Seed 0: a random pool's addresses cannot be predicted; plan shows one possible draw.
      Metal3PoolTranslation translation = Metal3PoolTranslation.of(pool, 0L);
      PoolSimulation simulation = new PoolSimulation(translation.spec());
      List<HasMetadata> own = claims.stream().filter(c -> inPool(c, key)).toList();
      Set<String> uids = new HashSet<>();
      own.forEach(c -> uids.add(c.getMetadata().getUid()));
      Map<String, PlanObject> objectSources = new HashMap<>();
      List<Holding> holdings = new ArrayList<>();
      for (HasMetadata address : addresses) {
        if (inPool(address, key)) {
          Holding holding = Metal3Records.holding(address).orElseThrow();
          holdings.add(holding);
          objectSources.put(holding.object().toString(), sourceOf.get(address));
        }
      }
      for (PoolSimulation.Refused refused : simulation.hold(holdings, uids)) {
        PlanObject object = objectSources.get(refused.holding().object().toString());
        findings.add(
            Finding.error(
                object.source(),
                object.describe()
                    + ": spec.address \""
                    + object.field("spec.address")
                    + "\" cannot be held: "
                    + refused.reason()));
      }
      List<PoolSimulation.Request> requests = new ArrayList<>();
      Map<String, HasMetadata> claimOfUid = new HashMap<>();
      for (HasMetadata claim : own) {
        claimOfUid.put(claim.getMetadata().getUid(), claim);
        requests.add(
            new PoolSimulation.Request(
                facts(claim), Metal3PoolBinding.request(pool, translation, Metal3Claim.of(claim))));
      }
      List<ClaimPlan> planned = new ArrayList<>();
      for (PoolSimulation.Decision decision : simulation.serve(requests)) {
        HasMetadata claim = claimOfUid.get(decision.facts().uid());
        planned.add(claimPlan(pool, translation, claim, decision));
      }
      return new PoolPlan(
          "IPPool " + key.namespace() + "/" + key.name(),
          sourceOf.get(pool).source(),
          simulation.counts(),
          planned);
    }

    private ClaimPlan claimPlan(
        IPPool pool,
        Metal3PoolTranslation translation,
        HasMetadata claim,
        PoolSimulation.Decision decision) {
      String source = sourceOf.get(claim).source();
      String describe = decision.facts().describe();
      if (decision.result() instanceof AllocationFailure failure) {
        return new ClaimPlan(describe, source, null, failure.message());
      }
      Allocation allocation = (Allocation) decision.result();
      String kind = claim instanceof IPClaim ? "IPAddress" : "IPAddress (Cluster API)";
      String note;
      if (decision.object() != null) {
        note =
            (decision.object().claimUid() == null ? "adopts " : "keeps ")
                + decision.object().object().kind().replaceFirst("\\..*", "")
                + " "
                + decision.object().object().name()
                + " from the files";
      } else {
        note = kind + " " + AddressNames.of(pool.getSpec().getNamePrefix(), allocation.address());
        Ip pre = translation.spec().preAllocations().get(decision.facts().reservationKey());
        if (allocation.address().equals(pre)) {
          note += ", pre-allocated";
        }
      }
      return new ClaimPlan(describe, source, allocation, note);
    }

    /** The engine's facts, with no creation time for a claim the files give none. */
    private ClaimFacts facts(HasMetadata claim) {
      ClaimFacts facts = Metal3Records.facts(claim);
      return claim.getMetadata().getCreationTimestamp() == null
          ? new ClaimFacts(facts.id(), facts.reservationKey(), null, facts.deleting())
          : facts;
    }

    private static boolean inPool(HasMetadata object, PoolKey key) {
      return Metal3Records.poolOf(object).filter(key::equals).isPresent();
    }

    // ------------------------------------------------------------ what no pool takes

    private void claimsWithoutPool() {
      for (HasMetadata claim : claims) {
        Optional<PoolKey> key = Metal3Records.poolOf(claim);
        if (key.isPresent() && pools.containsKey(key.get())) {
          continue;
        }
        PlanObject object = sourceOf.get(claim);
        String field = claim instanceof IPClaim ? "spec.pool.name" : "spec.poolRef.name";
        String name = key.map(PoolKey::name).orElse("");
        String refused = key.map(refusedPools::get).orElse(null);
        findings.add(
            Finding.error(
                object.source(),
                object.describe()
                    + ": "
                    + field
                    + " \""
                    + name
                    + "\" "
                    + (refused != null
                        ? "names IPPool "
                            + object.namespace()
                            + "/"
                            + name
                            + ", refused ("
                            + refused
                            + ")"
                        : "names no IPPool of namespace " + object.namespace() + " in the files")
                    + ": the claim would wait"));
      }
    }

    private void addressesWithoutPool() {
      for (HasMetadata address : addresses) {
        Optional<PoolKey> key = Metal3Records.poolOf(address);
        if (key.isEmpty() || !pools.containsKey(key.get())) {
          PlanObject object = sourceOf.get(address);
          String field = address instanceof IPAddress ? "spec.pool.name" : "spec.poolRef.name";
          findings.add(
              Finding.warning(
                  object.source(),
                  object.describe()
                      + ": "
                      + field
                      + " \""
                      + key.map(PoolKey::name).orElse("")
                      + "\" names no valid IPPool in the files: its address is left out of the plan"));
        }
      }
    }
  }
}
