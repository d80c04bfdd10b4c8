package org.ipam.harvester.model;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * An IPPool of either group: the two kinds have the same spec and status and are served alike
 * ({@link IPPool} in Harvester's code's group, {@link NetworkingIPPool} in its documentation's).
 * Cluster-scoped. Pool names are shared by both groups: a LoadBalancer names its pool by name only.
 */
public abstract class HarvesterIPPool extends CustomResource<IPPoolSpec, IPPoolStatus> {
  @Override
  @Required
  public IPPoolSpec getSpec() {
    return super.getSpec();
  }

  /** The pool's API group, for messages and for telling the two kinds apart. */
  public String group() {
    return getApiVersion().substring(0, getApiVersion().indexOf('/'));
  }

  /** {@code IPPool <name>} with the group, as messages name a pool. */
  public String describe() {
    return "IPPool " + getMetadata().getName() + " (" + group() + ")";
  }
}
