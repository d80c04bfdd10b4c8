package org.ipam.harvester.webhook;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;

/**
 * The validating webhook of the IPPools of one group ({@link PoolRules}), on create, update and
 * delete. An update that leaves the spec as it is (a label, our finalizer) is admitted: the rules
 * judge specs, and a pool stored before a rule existed must not stop the controller from writing
 * its metadata. A pool being deleted is not judged, as upstream.
 */
public final class IPPoolValidator<P extends HarvesterIPPool> implements AdmissionValidator<P> {
  private final Class<P> type;
  private final String group;
  private final PoolLookup pools;

  public IPPoolValidator(Class<P> type, String group, PoolLookup pools) {
    this.type = type;
    this.group = group;
    this.pools = pools;
  }

  @Override
  public Class<P> type() {
    return type;
  }

  @Override
  public Target target() {
    return new Target(group, HarvesterApi.V1BETA1, "ippools", HarvesterApi.IP_POOL);
  }

  @Override
  public List<String> validate(P pool, P stored) {
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return List.of();
    }
    if (stored != null
        && Objects.equals(
            Serialization.asJson(pool.getSpec()), Serialization.asJson(stored.getSpec()))) {
      return List.of();
    }
    List<HarvesterIPPool> others;
    try {
      others = pools.all();
    } catch (RuntimeException e) {
      return List.of(pool.describe() + ": " + e.getMessage() + ": try again");
    }
    return PoolRules.check(pool, stored, others);
  }

  @Override
  public List<String> validateDelete(P stored) {
    return PoolRules.checkDelete(stored);
  }

  @Override
  public List<String> operations() {
    return List.of("CREATE", "UPDATE", "DELETE");
  }
}
