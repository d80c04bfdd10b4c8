package org.ipam.core.capi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.core.testing.LocalControlPlane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the tests talk to a real kube-apiserver and etcd, not a mock: each behaviour below is one
 * the fabric8 mock server gets wrong (reference/java-ecosystem.md, section 3). Bad inputs tried: a
 * stale resourceVersion on the main resource and on the status subresource, a kind that breaks the
 * schema pattern, a missing required field, and a change to an immutable spec (CEL).
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiServerIsRealIT {
  private static final String NAMESPACE = "default";

  @BeforeAll
  static void installGeneratedCrd(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, "META-INF/fabric8/ipaddressclaims.ipam.cluster.x-k8s.io-v1.yml");
  }

  @Test
  void aStaleUpdateIsRejectedWithConflict(KubernetesClient client) {
    IPAddressClaim created =
        claims(client).resource(claim("stale-update", "InClusterIPPool")).create();
    IPAddressClaim stale = claims(client).withName("stale-update").get();

    created.getMetadata().setLabels(Map.of("round", "one"));
    claims(client).resource(created).update();

    stale.getMetadata().setLabels(Map.of("round", "two"));
    assertThatThrownBy(() -> claims(client).resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void anObjectThatBreaksTheSchemaIsRejected(KubernetesClient client) {
    assertThatThrownBy(() -> claims(client).resource(claim("bad-kind", "1-not-a-kind")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec.poolRef.kind").contains("1-not-a-kind");
            });

    IPAddressClaim missingName = claim("missing-pool-name", "InClusterIPPool");
    missingName.getSpec().getPoolRef().setName(null);
    assertThatThrownBy(() -> claims(client).resource(missingName).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec.poolRef.name").contains("Required value");
            });
  }

  @Test
  void aCelRuleKeepsTheSpecImmutable(KubernetesClient client) {
    IPAddressClaim created =
        claims(client).resource(claim("immutable", "InClusterIPPool")).create();
    created.getSpec().getPoolRef().setName("another-pool");

    assertThatThrownBy(() -> claims(client).resource(created).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec is immutable");
            });
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresource(KubernetesClient client) {
    IPAddressClaim created =
        claims(client).resource(claim("status-write", "InClusterIPPool")).create();

    IPAddressClaim withStatus = claims(client).withName("status-write").get();
    withStatus.setStatus(readyStatus("addr-1"));
    IPAddressClaim afterStatusWrite = claims(client).resource(withStatus).updateStatus();
    assertThat(afterStatusWrite.getStatus().getAddressRef().getName()).isEqualTo("addr-1");

    // A write of the main resource ignores the status it carries.
    IPAddressClaim mainWrite = claims(client).withName("status-write").get();
    mainWrite.getStatus().getAddressRef().setName("ignored");
    mainWrite.getMetadata().setLabels(Map.of("touched", "yes"));
    claims(client).resource(mainWrite).update();
    assertThat(claims(client).withName("status-write").get().getStatus().getAddressRef().getName())
        .isEqualTo("addr-1");

    // And the status subresource checks resourceVersion too (the mock server does not).
    created.setStatus(readyStatus("addr-stale"));
    assertThatThrownBy(() -> claims(client).resource(created).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void serverSideApplyWorks(KubernetesClient client) {
    IPAddressClaim applied =
        claims(client)
            .resource(claim("applied", "InClusterIPPool"))
            .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY));
    assertThat(applied.getMetadata().getManagedFields()).isNotEmpty();
  }

  private static NonNamespaceOperation<
          IPAddressClaim, KubernetesResourceList<IPAddressClaim>, Resource<IPAddressClaim>>
      claims(KubernetesClient client) {
    return client.resources(IPAddressClaim.class).inNamespace(NAMESPACE);
  }

  private static IPAddressClaim claim(String name, String poolKind) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    claim.setSpec(
        new IPAddressClaimSpec(new PoolReference("ipam.cluster.x-k8s.io", poolKind, "pool-a")));
    return claim;
  }

  private static IPAddressClaimStatus readyStatus(String addressName) {
    IPAddressClaimStatus status = new IPAddressClaimStatus();
    status.setAddressRef(new LocalReference(addressName));
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("Allocated")
                .withLastTransitionTime("2026-11-21T00:00:00Z")
                .build()));
    return status;
  }
}
