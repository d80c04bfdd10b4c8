package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;
import org.ipam.core.capi.IPAddressClaim;

/**
 * The Clusters the in-cluster reconcilers see, for the claim finalizer webhook: a claim the pause
 * contract holds back must not get the finalizer at its create, because upstream adds none to a
 * paused claim and such a claim, deleted before its Cluster is unpaused (or created, when it does
 * not exist yet), goes at once there; here it would wait. Unknown until a reconciler has prepared
 * its event sources (which is before any pass, so before the webhook's other rule can hold): the
 * webhook then adds nothing.
 */
final class ClusterView {
  private volatile Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> clusters;

  /**
   * What a reconciler watches: the Clusters of its cache, or none where Cluster API is not
   * installed (a Cluster link then pauses nothing). All reconcilers watch the same Clusters; the
   * first one to tell is kept.
   */
  void known(Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> watched) {
    if (clusters == null) {
      clusters = watched;
    }
  }

  /** Whether a claim may get the finalizer now: the Clusters are known and none pauses it. */
  boolean admitsFinalizer(IPAddressClaim claim) {
    Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> known = clusters;
    return known != null && !ClaimsOfClusters.paused(claim, known);
  }
}
