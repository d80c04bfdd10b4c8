package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.net.IpRange;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;

/**
 * An in-cluster pool (any of the four v1alpha2 kinds) as the controller serves it, for code outside
 * the adapter that must agree with the controller ({@code ipam-controller plan}): the allocator's
 * spec as the reconcilers translate it ({@link InClusterPoolSpec}), and what a claim asks of the
 * pool, answered by the engine binding's own {@link InClusterPoolBinding#request}, so that a plan
 * and the controller cannot disagree.
 */
public final class InClusterPoolTranslation {
  private final InClusterPoolSpec spec;
  private final InClusterPoolBinding binding;

  private InClusterPoolTranslation(CustomResource<?, PoolStatus> pool, InClusterPoolSpec spec) {
    this.spec = spec;
    // Only the binding's reading of a claim is used, which needs the pool and its spec alone; the
    // collaborators that talk to the API server are never reached, so there are none.
    this.binding =
        new InClusterPoolBinding(
            null,
            pool,
            InClusterRecords.poolKey(
                pool.getKind(), pool.getMetadata().getNamespace(), pool.getMetadata().getName()),
            spec,
            null,
            null,
            claim -> false,
            null);
  }

  /**
   * The pool as its reconciler translates it: {@link InClusterPoolSpec#of} for the IP pools, {@link
   * InClusterPoolSpec#ofPrefixPool} for the prefix pools.
   */
  public static InClusterPoolTranslation of(CustomResource<?, PoolStatus> pool) {
    Object spec = pool.getSpec();
    if (InClusterApi.isPrefixPool(pool.getKind())) {
      return new InClusterPoolTranslation(
          pool, InClusterPoolSpec.ofPrefixPool(pool, (InClusterPrefixPoolSpec) spec));
    }
    return new InClusterPoolTranslation(
        pool, InClusterPoolSpec.of(pool, (InClusterIPPoolSpec) spec));
  }

  /** The allocator's spec: upstream's allocatable set, lowest first; empty when it cannot serve. */
  public PoolSpec spec() {
    return spec.allocator();
  }

  /** What is wrong with a pool that cannot serve (field and value named); null when it can. */
  public String problem() {
    return spec.problem();
  }

  /** A prefix pool's allocation length; null for an IP pool, and for one that cannot serve. */
  public Integer childPrefixLength() {
    return spec.childPrefixLength();
  }

  public boolean handsOutPrefixes() {
    return spec.handsOutPrefixes();
  }

  /** What the claim asks of the pool, as the engine asks it. */
  public AllocationRequest request(IPAddressClaim claim) {
    return binding.request(claim);
  }

  /**
   * The pool's counts as its status gives them: an IP pool's are the allocator's; a prefix pool
   * counts child prefixes ({@code InClusterPoolSpec.childCounts}, the one the status uses).
   *
   * @param addresses the allocator's counts
   * @param held what the pool holds
   */
  public PoolCounts counts(PoolCounts addresses, List<IpRange> held) {
    return spec.handsOutPrefixes() ? spec.childCounts(held) : addresses;
  }
}
