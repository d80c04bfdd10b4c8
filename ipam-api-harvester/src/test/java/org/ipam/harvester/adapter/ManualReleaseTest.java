package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.harvester.adapter.ManualRelease.Outcome;
import org.ipam.harvester.adapter.ManualRelease.Request;
import org.ipam.harvester.model.IPPool;
import org.junit.jupiter.api.Test;

/**
 * Upstream's {@code manuallyReleaseIP} annotation (reference 3.4), IPv6 included. Bad input tried:
 * no colon, no holder, a holder of one or four parts, an empty namespace, an address that does not
 * parse, a kind other than Service; an address nobody holds, one held by another, a holder that
 * still exists.
 */
class ManualReleaseTest {
  private static IPPool pool(String status) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata: {name: p}\n"
            + "spec: {ranges: [{subnet: 10.0.0.0/24}]}\nstatus: "
            + status,
        IPPool.class);
  }

  @Test
  void theAddressAndItsHolderParseForBothFamilies() {
    assertThat(ManualRelease.parse("10.0.0.5: default/lb"))
        .contains(new Request(Ip.parse("10.0.0.5"), "default/lb"));
    assertThat(ManualRelease.parse("fd00::5: default/lb"))
        .contains(new Request(Ip.parse("fd00::5"), "default/lb"));
    assertThat(ManualRelease.parse("[fd00::5]:default/lb"))
        .contains(new Request(Ip.parse("fd00::5"), "default/lb"));
    assertThat(ManualRelease.parse("fd00:0:0::5 : Service/web/front"))
        .contains(new Request(Ip.parse("fd00::5"), "Service/web/front"));
  }

  @Test
  void valuesOfAnotherShapeDoNotParse() {
    for (String bad :
        List.of(
            "10.0.0.5 default/lb",
            "10.0.0.5:",
            "10.0.0.5: lb",
            "10.0.0.5: a/b/c/d",
            "10.0.0.5: /lb",
            "10.0.0.500: default/lb",
            "10.0.0.5: Pod/default/lb",
            ": default/lb")) {
      assertThat(ManualRelease.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void anAddressLeftInAllocatedWhoseHolderIsGoneIsReleased() {
    IPPool pool = pool("{total: 253, available: 252, allocated: {10.0.0.9: default/old}}");
    Outcome outcome = ManualRelease.decide(pool, "10.0.0.9: default/old", holder -> false);
    assertThat(outcome).isInstanceOf(Outcome.Release.class);
    assertThat(((Outcome.Release) outcome).key()).isEqualTo("10.0.0.9");
    assertThat(outcome.message()).endsWith("released 10.0.0.9 of default/old");
  }

  @Test
  void anIpv6AddressIsMatchedWhateverItsSpelling() {
    IPPool pool = pool("{total: 9, available: 8, allocated: {'fd00:0:0:0::9': default/old}}");
    Outcome outcome = ManualRelease.decide(pool, "fd00::9: default/old", holder -> false);
    assertThat(outcome).isInstanceOf(Outcome.Release.class);
    assertThat(((Outcome.Release) outcome).key()).isEqualTo("fd00:0:0:0::9");
  }

  @Test
  void everyOtherCaseOnlyRemovesTheAnnotationSayingWhy() {
    IPPool pool =
        pool(
            "{total: 253, available: 251, allocated: {10.0.0.9: default/old, 10.0.0.2: default/ours},"
                + " allocations: [{ip: 10.0.0.2, namespace: default, name: ours, uid: u1}]}");
    assertThat(ManualRelease.decide(pool, "10.0.0.9 default/old", h -> false))
        .isEqualTo(
            new Outcome.Ignore(
                "IPPool p (loadbalancer.harvesterhci.io): metadata.annotations"
                    + "[loadbalancer.harvesterhci.io/manuallyReleaseIP] \"10.0.0.9 default/old\""
                    + " is not \"<ip>: <namespace>/<name>\" (or \"<ip>: Service/<namespace>/<name>\")",
                true));
    assertThat(ManualRelease.decide(pool, "10.0.0.7: default/old", h -> false).message())
        .endsWith("status.allocated does not give 10.0.0.7 to default/old (nobody holds it)");
    assertThat(ManualRelease.decide(pool, "10.0.0.9: default/other", h -> false).message())
        .endsWith("status.allocated does not give 10.0.0.9 to default/other (it is default/old's)");
    assertThat(ManualRelease.decide(pool, "10.0.0.9: default/old", h -> true).message())
        .endsWith("default/old still exists: delete it to release 10.0.0.9");
    Outcome ours = ManualRelease.decide(pool, "10.0.0.2: default/ours", h -> false);
    assertThat(ours).isInstanceOf(Outcome.Ignore.class);
    assertThat(((Outcome.Ignore) ours).warning()).isFalse();
    assertThat(ours.message()).contains("is in the controller's ledger");
  }

  @Test
  void aPoolWithoutStatusHoldsNothingToRelease() {
    IPPool pool =
        Serialization.unmarshal(
            "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata: {name: p}\n"
                + "spec: {ranges: [{subnet: 10.0.0.0/24}]}\n",
            IPPool.class);
    assertThat(ManualRelease.decide(pool, "10.0.0.9: default/old", h -> false).message())
        .endsWith("(nobody holds it)");
  }
}
