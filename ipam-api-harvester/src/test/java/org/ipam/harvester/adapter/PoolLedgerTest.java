package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.ipam.harvester.model.IPPoolStatus;
import org.junit.jupiter.api.Test;

/** Upstream's pool fields follow each ledger write as upstream's store writes them (ref. 3.3). */
class PoolLedgerTest {
  private static LedgerEntry entry(String ip, String name, String uid) {
    return new LedgerEntry(IpRange.single(Ip.parse(ip)), "LoadBalancer", "default", name, uid);
  }

  @Test
  void aReserveForgetsTheHistoryOfItsAddressAndMovesLastAllocated() {
    IPPoolStatus status = new IPPoolStatus();
    status.setAllocatedHistory(Map.of("10.0.0.2", "default/old"));
    PoolLedger.apply(status, List.of(), List.of(entry("10.0.0.2", "a", "u1")), 10);
    assertThat(status.getAllocated()).containsExactly(Map.entry("10.0.0.2", "default/a"));
    assertThat(status.getAllocatedHistory()).isEmpty();
    assertThat(status.getLastAllocated()).isEqualTo("10.0.0.2");
    assertThat(status.getAvailable()).isEqualTo(9);
    assertThat(status.getAllocations()).hasSize(1);
    assertThat(status.getAllocations().get(0).getUid()).isEqualTo("u1");
  }

  @Test
  void aReleaseRemembersTheHolderAndKeepsLastAllocated() {
    IPPoolStatus status = new IPPoolStatus();
    LedgerEntry a = entry("10.0.0.2", "a", "u1");
    LedgerEntry b = entry("10.0.0.3", "b", "u2");
    PoolLedger.apply(status, List.of(), List.of(a, b), 10);
    PoolLedger.apply(status, List.of(a, b), List.of(b), 10);
    assertThat(status.getAllocated()).containsExactly(Map.entry("10.0.0.3", "default/b"));
    assertThat(status.getAllocatedHistory()).containsExactly(Map.entry("10.0.0.2", "default/a"));
    assertThat(status.getLastAllocated()).isEqualTo("10.0.0.3");
    assertThat(status.getAvailable()).isEqualTo(9);
  }

  @Test
  void addressesAnotherControllerLeftInAllocatedAreKept() {
    IPPoolStatus status = new IPPoolStatus();
    status.setAllocated(Map.of("10.0.0.9", "default/upstream"));
    PoolLedger.apply(status, List.of(), List.of(entry("10.0.0.2", "a", "u1")), 10);
    assertThat(status.getAllocated())
        .containsEntry("10.0.0.9", "default/upstream")
        .containsEntry("10.0.0.2", "default/a");
    assertThat(status.getAvailable()).isEqualTo(8);
  }
}
