package org.ipam.harvester.webhook;

import java.util.ArrayList;
import java.util.List;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;

/**
 * What makes a LoadBalancer update unacceptable for its address (reference 4.4): {@code spec.ipam}
 * may not switch between a pool and DHCP (the address would leak, harvester#6684), nor {@code
 * spec.workloadType} between {@code cluster} and a VM. An absent {@code ipam} is {@code pool}, an
 * absent {@code workloadType} is {@code vm}, as upstream.
 */
public final class LoadBalancerRules {
  private LoadBalancerRules() {}

  public static List<String> checkUpdate(LoadBalancer lb, LoadBalancer stored) {
    List<String> problems = new ArrayList<>();
    if (stored == null || lb.getMetadata().getDeletionTimestamp() != null) {
      return problems;
    }
    String was = ipam(stored);
    String is = ipam(lb);
    if (HarvesterApi.IPAM_DHCP.equals(was) != HarvesterApi.IPAM_DHCP.equals(is)) {
      problems.add(
          describe(lb)
              + ": spec.ipam \""
              + is
              + "\" cannot replace \""
              + was
              + "\": create a new LoadBalancer instead");
    }
    String before = workload(stored);
    String after = workload(lb);
    if (HarvesterApi.WORKLOAD_CLUSTER.equals(before)
        != HarvesterApi.WORKLOAD_CLUSTER.equals(after)) {
      problems.add(
          describe(lb)
              + ": spec.workloadType \""
              + after
              + "\" cannot replace \""
              + before
              + "\": create a new LoadBalancer instead");
    }
    return problems;
  }

  private static String describe(LoadBalancer lb) {
    return "LoadBalancer " + lb.getMetadata().getNamespace() + "/" + lb.getMetadata().getName();
  }

  private static String ipam(LoadBalancer lb) {
    String ipam = lb.getSpec() == null ? null : lb.getSpec().getIpam();
    return ipam == null || ipam.isEmpty() ? HarvesterApi.IPAM_POOL : ipam;
  }

  private static String workload(LoadBalancer lb) {
    String type = lb.getSpec() == null ? null : lb.getSpec().getWorkloadType();
    return type == null || type.isEmpty() ? "vm" : type;
  }
}
