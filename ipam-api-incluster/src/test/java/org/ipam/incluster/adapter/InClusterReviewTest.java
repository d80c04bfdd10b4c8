package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.LedgerCommits;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.Test;

/** Review findings that need no API server. */
class InClusterReviewTest {

  /**
   * Upstream copies only the claim's cluster-name LABEL to the IPAddress; spec.clusterName is not
   * turned into a label (reference 1.7 and 7.8). No compat row lists the difference.
   */
  @Test
  void specClusterNameIsNotTurnedIntoALabelAsUpstream() throws Exception {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("c").build());
    IPAddressClaimSpec spec =
        new IPAddressClaimSpec(
            new PoolReference(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_IP_POOL, "p"));
    spec.setClusterName("workload-1");
    claim.setSpec(spec);
    Method labels =
        InClusterPoolBinding.class.getDeclaredMethod("clusterLabels", IPAddressClaim.class);
    labels.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, String> result = (Map<String, String>) labels.invoke(null, claim);
    assertThat(result).doesNotContainKey(InClusterApi.CLUSTER_NAME_LABEL);
  }

  /**
   * Upstream forces the pool owner reference to controller: false (SetOwnerReference then
   * Controller = ptr.To(false)); here controller is left unset, so the stored reference differs.
   */
  @Test
  void thePoolOwnerReferenceSaysControllerFalseAsUpstream() throws Exception {
    InClusterIPPool pool = new InClusterIPPool();
    pool.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("p").withUid("pool-uid").build());
    InClusterPoolBinding binding =
        new InClusterPoolBinding(
            null, pool, null, null, null, null, claim -> false, Clock.systemUTC());
    Method poolOwner = InClusterPoolBinding.class.getDeclaredMethod("poolOwner");
    poolOwner.setAccessible(true);
    OwnerReference owner = (OwnerReference) poolOwner.invoke(binding);
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(owner.getController()).isEqualTo(Boolean.FALSE);
  }

  /**
   * LedgerCommits.MAX_ENTRIES (10,000) is said to stay "well under etcd's 1.5 MiB object limit" at
   * about 120 bytes an entry. With ordinary Cluster API claim names (CAPV names a claim after its
   * machine, device and pool index: ~45 characters) and a modest namespace, an entry is ~160 bytes
   * and a full ledger alone is over the limit: the write fails with etcd's "request is too large"
   * (a commit in doubt, retried for ever) long before the documented message.
   */
  @Test
  void aFullLedgerWithOrdinaryClaimNamesFitsInEtcdsObjectLimit() {
    List<AllocationRecord> records = new ArrayList<>();
    for (int i = 0; i < LedgerCommits.MAX_ENTRIES; i++) {
      records.add(
          new AllocationRecord(
              "10.20." + (i / 250) + "." + (i % 250 + 1),
              "cluster-prod-eu1",
              String.format("prod-eu1-cluster-7-md-0-5d8f7c9b4d-x%05d-0-0", i),
              UUID.randomUUID().toString()));
    }
    PoolStatus status = new PoolStatus();
    status.setAllocations(records);
    InClusterIPPool pool = new InClusterIPPool();
    pool.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("cluster-prod-eu1")
            .withName("nodes")
            .withUid(UUID.randomUUID().toString())
            .build());
    pool.setStatus(status);
    int bytes = Serialization.asJson(pool).length();
    System.out.printf(
        "ledger of %d entries: %d bytes (%.1f per entry)%n",
        records.size(), bytes, bytes / (double) records.size());
    assertThat(bytes).isLessThan(1_572_864); // etcd's default --max-request-bytes
  }
}
