package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.junit.jupiter.api.Test;

/**
 * Which claims the Metal3 claim finalizer webhooks give the finalizer at their create: an IPClaim
 * and a Cluster API claim of a pool this process serves, in the pool's namespace; a Cluster API
 * claim only when the pool reconciler watches Cluster API claims. Bad input tried: a poolRef of
 * another group or kind, with no name, a poolRef that is a string, a spec that is a number, no
 * metadata; none gets the finalizer, and none throws.
 */
class Metal3FinalizerWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PoolKey> SERVED = Set.of(Metal3Records.poolKey("ns", "pool"));

  private final Metal3DialectModule module = new Metal3DialectModule();

  private ClaimFinalizerWebhook capiWebhook() {
    List<ClaimFinalizerWebhook> webhooks =
        module.finalizerWebhooks(SERVED::contains, WatchFilter.NONE);
    assertThat(webhooks).extracting(ClaimFinalizerWebhook::name).hasSize(2);
    return webhooks.get(1);
  }

  @Test
  void theCapiClaimsWebhookIsThisDialectsOwnAndPutsUpstreamsFinalizer() {
    assertThat(capiWebhook().name())
        .isEqualTo("finalize.metal3.ipaddressclaims.ipam.cluster.x-k8s.io");
    assertThat(capiWebhook().path())
        .isEqualTo("/mutate-metal3-ipam-cluster-x-k8s-io-v1beta2-ipaddressclaim");
    assertThat(capiWebhook().finalizer()).isEqualTo("ipam.metal3.io/ipaddressclaim");
  }

  @Test
  void nothingWhileThePoolReconcilerDoesNotWatchCapiClaims() throws Exception {
    assertThat(gets("ns", claim("ipam.metal3.io", "IPPool", "pool"))).isFalse();
    module.watchCapiClaims(false);
    assertThat(gets("ns", claim("ipam.metal3.io", "IPPool", "pool"))).isFalse();
  }

  @Test
  void aClaimOfAServedMetal3PoolInItsNamespaceGetsIt() throws Exception {
    module.watchCapiClaims(true);

    assertThat(gets("ns", claim("ipam.metal3.io", "IPPool", "pool"))).isTrue();
    assertThat(gets("other", claim("ipam.metal3.io", "IPPool", "pool")))
        .as("a pool serves claims of its own namespace")
        .isFalse();
    assertThat(gets("ns", claim("ipam.metal3.io", "IPPool", "unserved"))).isFalse();
    assertThat(gets("ns", claim("ipam.cluster.x-k8s.io", "InClusterIPPool", "pool")))
        .as("an in-cluster pool of the same name")
        .isFalse();
  }

  @Test
  void badInputGetsNothingAndThrowsNothing() throws Exception {
    module.watchCapiClaims(true);

    assertThat(gets("ns", "{\"metadata\":{\"name\":\"c\"},\"spec\":7}")).isFalse();
    assertThat(gets("ns", "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":\"pool\"}}"))
        .isFalse();
    assertThat(
            gets(
                "ns",
                "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":{\"apiGroup\":"
                    + "\"ipam.metal3.io\",\"kind\":\"IPPool\"}}}"))
        .as("no pool name")
        .isFalse();
    assertThat(gets("ns", "{\"spec\":{}}")).as("no metadata").isFalse();
  }

  private boolean gets(String namespace, String claim) throws Exception {
    return capiWebhook().serves().test(namespace, JSON.readTree(claim));
  }

  private static String claim(String group, String kind, String pool) {
    return ("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":{\"apiGroup\":\"%s\","
            + "\"kind\":\"%s\",\"name\":\"%s\"}}}")
        .formatted(group, kind, pool);
  }
}
