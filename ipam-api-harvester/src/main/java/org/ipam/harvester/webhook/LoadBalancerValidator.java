package org.ipam.harvester.webhook;

import java.util.List;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;

/** The validating webhook of LoadBalancers ({@link LoadBalancerRules}). */
public final class LoadBalancerValidator implements AdmissionValidator<LoadBalancer> {
  @Override
  public Class<LoadBalancer> type() {
    return LoadBalancer.class;
  }

  @Override
  public Target target() {
    return new Target(
        HarvesterApi.LOADBALANCER_GROUP,
        HarvesterApi.V1BETA1,
        "loadbalancers",
        HarvesterApi.LOAD_BALANCER);
  }

  @Override
  public List<String> validate(LoadBalancer lb, LoadBalancer stored) {
    return LoadBalancerRules.checkUpdate(lb, stored);
  }
}
