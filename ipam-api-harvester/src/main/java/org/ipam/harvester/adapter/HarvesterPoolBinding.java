package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.LedgerBinding;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolView;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterCondition;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.pool.PoolRanges;

/**
 * One Harvester pool during one pass, for both kinds of claim ({@link HarvesterClaim}). The commit
 * point is the pool's ledger ({@link PoolLedger}): upstream keeps its allocations in the pool
 * object, and so do we, one guarded write per pass, LoadBalancers and Services alike. After the
 * commit the claim shows its address (a LoadBalancer's {@code status.allocatedAddress}, a Service's
 * ingress). A claim holds no object of its own: its address lives in the ledger and in its status,
 * so releasing deletes nothing but the ledger entry (which puts the address in the pool's history).
 */
final class HarvesterPoolBinding implements LedgerBinding<HarvesterClaim> {
  private final KubernetesClient client;
  private final HarvesterIPPool pool;
  private final PoolKey key;
  private final PoolRanges ranges;
  private final PoolSpec spec;
  private final LedgerFeed ledgers;
  private final ClaimRoutes routes;
  private final ClaimWriters writers;
  private final Clock clock;

  /**
   * @param spec the ranges' allocator spec with this pass's history preferences
   */
  HarvesterPoolBinding(
      KubernetesClient client,
      HarvesterIPPool pool,
      PoolRanges ranges,
      PoolSpec spec,
      LedgerFeed ledgers,
      ClaimRoutes routes,
      ClaimWriters writers) {
    this.client = client;
    this.pool = pool;
    this.key = HarvesterRecords.poolKey(pool.getMetadata().getName());
    this.ranges = ranges;
    this.spec = spec;
    this.ledgers = ledgers;
    this.routes = routes;
    this.writers = writers;
    this.clock = writers.clock();
  }

  // ---------------------------------------------------------------- reads (under the pool's lock)

  @Override
  public PoolKey pool() {
    return key;
  }

  @Override
  public PoolSpec spec() {
    return spec;
  }

  @Override
  public LedgerStore ledger() {
    return new PoolLedger(
        client,
        pool,
        ranges.total(),
        read -> ledgers.deliver(key, read.resourceVersion(), read.entries(), clock.instant()));
  }

  @Override
  public boolean watchesClaimKind(String kind) {
    return HarvesterRecords.CLAIM_KINDS.contains(kind);
  }

  @Override
  public AllocationRequest request(HarvesterClaim claim) {
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new AllocationRequest.Unservable(pool.describe() + " is being deleted");
    }
    return claim.request();
  }

  /** Round robin goes on after {@code status.lastAllocated} when the allocator is built anew. */
  @Override
  public Optional<Ip> roundRobinCursor() {
    return Optional.ofNullable(PoolRanges.lastAllocated(pool));
  }

  @Override
  public boolean showsAllocation(HarvesterClaim claim, Allocation allocation, List<Holding> held) {
    return claim.shows(pool.getMetadata().getName(), allocation);
  }

  // ---------------------------------------------------------------- reports

  @Override
  public void reportAllocated(HarvesterClaim claim, Allocation allocation, List<Holding> held) {
    claim.reportAllocated(writers, addressOf(allocation), pool.describe());
  }

  /** Upstream's {@code allocatedAddress}: the range's subnet mask and gateway. */
  private AllocatedAddress addressOf(Allocation allocation) {
    Segment segment = allocation.segment();
    String mask = null;
    String gateway = null;
    if (segment != null && segment.subnet() != null) {
      mask = maskOf(segment.subnet());
      gateway = segment.gateway() == null ? null : segment.gateway().toString();
    }
    return new AllocatedAddress(
        pool.getMetadata().getName(), allocation.address().toString(), mask, gateway);
  }

  /**
   * The subnet mask as an address: {@code 255.255.255.0} for a /24, {@code ffff:ffff::} for a /32.
   */
  static String maskOf(Cidr subnet) {
    int bits = subnet.family().bits();
    BigInteger ones = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger host =
        BigInteger.ONE.shiftLeft(bits - subnet.prefixLength()).subtract(BigInteger.ONE);
    return Ip.of(subnet.family(), ones.xor(host)).toString();
  }

  @Override
  public void reportFailed(HarvesterClaim claim, AllocationFailure failure) {
    String message;
    if (!ranges.usable()) {
      message = ranges.problem();
    } else if (failure instanceof AllocationFailure.Exhausted) {
      message = pool.describe() + " has no free address (" + ranges.total() + " in its ranges)";
    } else if (failure instanceof AllocationFailure.InvalidRequest) {
      message = failure.message(); // names the claim and its field already
    } else if (!claim.askedAddress().isEmpty()) {
      // The address the claim asked for: name the claim's field, then why the pool refuses it.
      message =
          claim.askedAddress()
              + " cannot be had from "
              + pool.describe()
              + ": "
              + failure.message();
    } else {
      message = pool.describe() + ": " + failure.message();
    }
    claim.reportFailed(writers, message);
  }

  // ---------------------------------------------------------------- adoption and release

  /** Never asked: the addresses upstream left in {@code allocated} name no claim to adopt them. */
  @Override
  public CommitOutcome adopt(HarvesterClaim claim, Holding handMade) {
    return new CommitOutcome.Conflict();
  }

  /** A claim's address lives in the ledger and in its own status: no object to delete. */
  @Override
  public boolean releaseObjects(HarvesterClaim claim, List<Holding> held) {
    return true;
  }

  @Override
  public void letGo(HarvesterClaim claim) {
    claim.letGo(writers);
  }

  /**
   * Gone from this pool: no claim of that kind and uid, or one that is now routed to another pool
   * ({@code spec.ipPool} changed, the pool no longer admits it, a Service no longer of our class
   * that let go).
   */
  @Override
  public boolean claimIsGone(Holding entry) {
    String namespace =
        HarvesterRecords.entriesOf(pool).stream()
            .filter(e -> e.claimUid().equals(entry.claimUid()))
            .map(LedgerEntry::claimNamespace)
            .findFirst()
            .orElse(null);
    if (namespace == null) {
      return false; // not in the cached ledger yet: asked again later
    }
    HasMetadata live = HarvesterClaim.live(client, entry.claimKind(), namespace, entry.claimName());
    if (live == null || !entry.claimUid().equals(live.getMetadata().getUid())) {
      return true;
    }
    Optional<String> route = routes.routeOf(entry.claimUid());
    if (route.map(key.name()::equals).orElse(false)) {
      return false;
    }
    // It left this pool and still exists: the address goes only once the claim no longer shows
    // it, or two claims could show one address (this pool hands it out again at once).
    return stopsShowing(live, entry.addresses().first().toString(), route.orElse(null));
  }

  /**
   * Whether the live claim shows nothing of this entry's address now: true if it shows another
   * address (or none), or once its address is taken away with a write guarded by the
   * resourceVersion read (false on a 409: another pool's write came first, asked again later).
   */
  private boolean stopsShowing(HasMetadata live, String ip, String movedTo) {
    String why =
        ip
            + " of "
            + pool.describe()
            + " is released: "
            + (movedTo == null
                ? "no pool serves this claim now"
                : "it is served by IPPool " + movedTo + " now");
    if (live instanceof LoadBalancer lb) {
      AllocatedAddress shown = lb.getStatus() == null ? null : lb.getStatus().getAllocatedAddress();
      if (shown == null || !ip.equals(shown.getIp())) {
        return true;
      }
      return writers.loadBalancers().clearAddress(lb, why, clock.instant());
    }
    Service service = (Service) live;
    if (!ServiceWrites.ingressIps(service).contains(ip)) {
      return true;
    }
    return writers.services().clearIngress(service, why);
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    return false;
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    return false;
  }

  // ---------------------------------------------------------------- the pool's status

  @Override
  public void reportPool(PoolView view) {
    long used =
        view.counts()
            .used()
            .add(view.counts().outOfRange())
            .min(BigInteger.valueOf(Long.MAX_VALUE))
            .longValue();
    // A pool being deleted waits for what it holds (upstream dropped its allocator at once): the
    // user is told why it stays.
    boolean waits = pool.getMetadata().getDeletionTimestamp() != null && used > 0;
    boolean ready = ranges.usable() && !waits;
    String message =
        !ranges.usable()
            ? ranges.problem()
            : waits
                ? pool.describe()
                    + " is being deleted: it waits until the "
                    + used
                    + " address(es) it holds are released (status.allocated names their holders)"
                : "";
    List<HarvesterCondition> conditions =
        poolConditions(ready, waits && ranges.usable() ? "Deleting" : "InvalidSpec", message);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("total", ranges.total());
    status.put("available", Math.max(0, ranges.total() - used));
    status.put("conditions", conditions);
    boolean same =
        pool.getStatus() != null
            && pool.getStatus().getTotal() == ranges.total()
            && pool.getStatus().getAvailable() == Math.max(0, ranges.total() - used)
            && readyIs(ready, message);
    if (!same) {
      ObjectWrites.patchStatus(client, pool, status);
    }
  }

  private boolean readyIs(boolean ready, String message) {
    return pool.getStatus().getConditions() != null
        && pool.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    HarvesterApi.READY_CONDITION.equals(c.getType())
                        && (ready ? "True" : "False").equals(c.getStatus())
                        && message.equals(c.getMessage() == null ? "" : c.getMessage()));
  }

  /** Ready as upstream writes it (True, empty message), or False naming what is wrong. */
  private List<HarvesterCondition> poolConditions(boolean ready, String reason, String message) {
    List<HarvesterCondition> conditions = new ArrayList<>();
    String now = Conditions.timestamp(clock.instant());
    HarvesterCondition condition =
        new HarvesterCondition(
            HarvesterApi.READY_CONDITION,
            ready ? "True" : "False",
            ready ? null : reason,
            message,
            now);
    if (pool.getStatus() != null && pool.getStatus().getConditions() != null) {
      for (HarvesterCondition c : pool.getStatus().getConditions()) {
        if (!HarvesterApi.READY_CONDITION.equals(c.getType())) {
          conditions.add(c);
        } else if (condition.getStatus().equals(c.getStatus())) {
          condition.setLastTransitionTime(c.getLastTransitionTime());
        }
      }
    }
    conditions.add(condition);
    return conditions;
  }
}
