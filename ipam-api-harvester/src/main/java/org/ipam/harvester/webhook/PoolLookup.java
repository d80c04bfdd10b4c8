package org.ipam.harvester.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.NetworkingIPPool;

/**
 * The other pools a pool is checked against, read live: pools of both groups share one name space
 * and one address space. Live, not from a cache: two pools created one after the other must see
 * each other, and every replica serves webhooks while only the leader runs informers. The read has
 * a deadline well inside the API server's webhook timeout (10 s).
 */
public interface PoolLookup {
  /** Every pool of both groups; throws when they cannot be read in time. */
  List<HarvesterIPPool> all();

  static PoolLookup live(KubernetesClient client) {
    return () -> {
      try {
        return CompletableFuture.supplyAsync(
                () -> {
                  List<HarvesterIPPool> pools = new ArrayList<>();
                  pools.addAll(client.resources(IPPool.class).list().getItems());
                  pools.addAll(client.resources(NetworkingIPPool.class).list().getItems());
                  return pools;
                })
            .get(6, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the other IPPools cannot be read now (" + e + ")", e);
      }
    };
  }
}
