package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.NetworkingIPPool;

/** The pools of both groups as a live list shows them (one LIST per group). */
final class PoolListing {
  private PoolListing() {}

  /**
   * Every pool of both groups. A group whose CRD is not installed (404) has none; any other failure
   * is thrown: routing claims without their pools would move them.
   */
  static List<HarvesterIPPool> all(KubernetesClient client) {
    List<HarvesterIPPool> pools = new ArrayList<>();
    for (Class<? extends HarvesterIPPool> kind : List.of(IPPool.class, NetworkingIPPool.class)) {
      try {
        pools.addAll(client.resources(kind).list().getItems());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    return pools;
  }
}
