package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Metal3 validating webhooks as a user meets them: the controller in local mode registers them
 * with its API server, and kubectl apply of a bad object is refused with a message that names the
 * field and the value. Where the CRD schema already refuses a value (address patterns), the
 * apiserver answers before the webhook, also naming field and value; both count.
 *
 * <p>Bad inputs tried, 29 refused: malformed gateway, DNS server, pre-allocation, start, end,
 * subnet, entry gateway and a leading-zero address; an empty entry; end before start; a range
 * mixing IPv4 and IPv6; entries of two families; IPv4 prefixes 40 and 33; a negative prefix; a
 * namePrefix that cannot begin an object name; a random pool with a start-only entry; duplicate
 * pre-allocations; a pre-allocation outside every entry and one of the other family; updates of
 * namePrefix, allocationStrategy, and of pools leaving an address in use behind; claims without a
 * pool name, with a bad ipAddress annotation, moved to another pool; IPAddress objects with a bad
 * address, without a claim name, and with a changed address. Admitted with a warning, as upstream
 * admits them: a start outside its subnet, a pool with no entry, an end-only entry.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class Metal3WebhookIT {
  private Kubectl kubectl;
  private Path dir;

  @Test
  void refusesBadObjectsNamingFieldAndValue(@TempDir Path dir) {
    this.dir = dir;
    Path kubeconfig = dir.resolve("local.kubeconfig");
    ControllerProcess controller =
        ControllerProcess.start(
            "webhooks-local",
            List.of(
                "--local",
                "--local-kubeconfig=" + kubeconfig,
                "--webhook-port=" + ControllerProcess.freePort()));
    controller.awaitReady(Duration.ofMinutes(20));
    kubectl = new Kubectl(kubeconfig);
    // The apiserver picks the webhook configuration up shortly after it is written.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        apply(
                                pool(
                                    "probe",
                                    "  pools:\n    - start: 10.0.0.9\n      end: 10.0.0.1\n"))
                            .output())
                    .contains("denied the request"));

    SoftAssertions soft = new SoftAssertions();
    refused(
        soft, pool("gw", "  gateway: 192.168.0.300\n" + range()), "spec.gateway", "192.168.0.300");
    refused(soft, pool("dns", "  dnsServers: [8.8.8]\n" + range()), "spec.dnsServers[0]", "8.8.8");
    refused(
        soft,
        pool("pre-text", range() + "  preAllocations:\n    a: not-an-ip\n"),
        "spec.preAllocations",
        "not-an-ip");
    refused(
        soft,
        pool("pre-dup", range() + "  preAllocations:\n    a: 10.0.0.5\n    b: 10.0.0.5\n"),
        "spec.preAllocations.b",
        "10.0.0.5",
        "already pre-allocated to claim \"a\"");
    refused(
        soft,
        pool("empty-entry", "  pools:\n    - prefix: 24\n"),
        "spec.pools[0]",
        "at least one of");
    refused(soft, pool("start", "  pools:\n    - start: 10.0.0.x\n"), "start", "10.0.0.x");
    refused(
        soft,
        pool("end", "  pools:\n    - start: 10.0.0.1\n      end: 10.0.0.256\n"),
        "end",
        "10.0.0.256");
    refused(soft, pool("subnet", "  pools:\n    - subnet: 10.0.0.0/33\n"), "subnet", "10.0.0.0/33");
    refused(
        soft,
        pool("backwards", "  pools:\n    - start: 10.0.0.20\n      end: 10.0.0.10\n"),
        "spec.pools[0].end",
        "10.0.0.10",
        "before start");
    refused(
        soft,
        pool("mixed", "  pools:\n    - start: 10.0.0.1\n      end: 2001:db8::1\n"),
        "spec.pools[0]",
        "mixes IPv4 and IPv6");
    refused(
        soft,
        pool("families", range() + "    - start: 2001:db8::1\n      end: 2001:db8::9\n"),
        "spec.pools[1]",
        "is IPv6 but the pool's first entry is IPv4");
    refused(
        soft, pool("prefix", "  prefix: 40\n" + range()), "spec.prefix", "40", "longer than 32");
    refused(
        soft,
        pool(
            "entry-prefix",
            "  pools:\n    - start: 10.0.0.1\n      end: 10.0.0.9\n      prefix: 33\n"),
        "spec.pools[0].prefix",
        "33");
    refused(
        soft,
        pool("pre-out", range() + "  preAllocations:\n    a: 10.9.9.9\n"),
        "spec.preAllocations.a",
        "10.9.9.9",
        "out of bounds");
    refused(
        soft,
        pool("pre-family", range() + "  preAllocations:\n    a: 2001:db8::5\n"),
        "spec.preAllocations.a",
        "2001:db8::5");
    refused(
        soft,
        pool(
            "entry-gw",
            "  pools:\n    - start: 10.0.0.1\n      end: 10.0.0.9\n      gateway: 10.0.0.999\n"),
        "gateway",
        "10.0.0.999");
    refused(soft, pool("octal", "  pools:\n    - start: 010.0.0.1\n"), "start", "010.0.0.1");
    refused(soft, pool("negative", "  prefix: -1\n" + range()), "spec.prefix", "-1", "is negative");
    refused(
        soft,
        pool("badprefix", range()).replace("namePrefix: badprefix", "namePrefix: Bad_Prefix"),
        "spec.namePrefix",
        "Bad_Prefix");
    refused(
        soft,
        pool("random-open", "  allocationStrategy: random\n  pools:\n    - start: 10.0.0.5\n"),
        "spec.pools[0]",
        "cannot be used with allocationStrategy \"random\"");

    // Admitted as upstream admits them, with a warning that kubectl prints.
    warned(
        soft,
        pool("outside", "  pools:\n    - start: 10.1.0.5\n      subnet: 10.0.0.0/24\n"),
        "spec.pools[0].start",
        "10.1.0.5",
        "outside subnet");
    warned(soft, pool("no-entry", ""), "spec.pools has no entry");
    warned(soft, pool("end-only", "  pools:\n    - end: 10.0.0.9\n"), "has only an end");

    // Updates.
    applied(soft, pool("upd", range()));
    refused(
        soft,
        pool("upd", range()).replace("namePrefix: upd", "namePrefix: other"),
        "spec.namePrefix",
        "other",
        "cannot be modified");
    refused(
        soft,
        pool("upd", "  allocationStrategy: random\n" + range()),
        "spec.allocationStrategy",
        "random",
        "cannot be modified");
    applied(
        soft,
        pool("upd", range())
            .replace("namespace: default", "namespace: default\n  labels: {team: a}"));
    applied(soft, pool("inuse", "  pools:\n    - start: 10.30.0.1\n      end: 10.30.0.9\n"));
    applied(soft, claim("inuse-claim", "inuse", ""));
    kubectl.awaitGet(
        "10.30.0.1", "ippools.ipam.metal3.io", "inuse", "-o", "jsonpath={.status.indexes}");
    refused(
        soft,
        pool("inuse", "  pools:\n    - start: 10.31.0.1\n      end: 10.31.0.9\n"),
        "spec.pools",
        "10.30.0.1",
        "in use by claim \"inuse-claim\"");

    // Claims.
    refused(soft, claim("no-pool", "", ""), "spec.pool.name", "cannot be empty");
    refused(
        soft,
        claim("bad-annotation", "inuse", "192.168.0.999"),
        "metadata.annotations.ipAddress",
        "192.168.0.999");
    refused(
        soft,
        claim("inuse-claim", "elsewhere", ""),
        "spec.pool",
        "elsewhere",
        "cannot be modified");

    // IPAddress objects.
    refused(soft, address("addr-text", "abc", "c1"), "spec.address", "abc");
    refused(soft, address("addr-claim", "10.0.0.1", ""), "spec.claim.name", "cannot be empty");
    applied(soft, address("addr-v6", "2001:db8::1", "c1"));
    applied(soft, address("addr-v6", "2001:DB8:0::1", "c1"));
    refused(
        soft,
        address("addr-v6", "2001:db8::2", "c1"),
        "spec.address",
        "2001:db8::2",
        "cannot be modified");

    // A seed pool passes unchanged.
    applied(soft, Seeds.read("001-0-IPPool.yaml"));
    soft.assertAll();
  }

  private static String range() {
    return "  pools:\n    - start: 10.0.0.1\n      end: 10.0.0.9\n";
  }

  private static String pool(String name, String spec) {
    return """
        apiVersion: ipam.metal3.io/v1alpha1
        kind: IPPool
        metadata:
          name: %s
          namespace: default
        spec:
          namePrefix: %s
        %s"""
        .formatted(name, name, spec);
  }

  private static String claim(String name, String pool, String wanted) {
    String annotations =
        wanted.isEmpty() ? "" : "  annotations:\n    ipAddress: \"" + wanted + "\"\n";
    return """
        apiVersion: ipam.metal3.io/v1alpha1
        kind: IPClaim
        metadata:
          name: %s
          namespace: default
        %sspec:
          pool:
            name: "%s"
        """
        .formatted(name, annotations, pool);
  }

  private static String address(String name, String ip, String claim) {
    return """
        apiVersion: ipam.metal3.io/v1alpha1
        kind: IPAddress
        metadata:
          name: %s
          namespace: default
        spec:
          address: "%s"
          pool:
            name: pool-x
          claim:
            name: "%s"
        """
        .formatted(name, ip, claim);
  }

  private Kubectl.Result apply(String yaml) {
    Path file = dir.resolve("object-" + System.nanoTime() + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kubectl.attempt("apply", "-f", file.toString());
  }

  private void refused(SoftAssertions soft, String yaml, String... fragments) {
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("refused:\n%s", yaml).isNotZero();
    soft.assertThat(result.output()).as("message for:\n%s", yaml).contains(fragments);
  }

  private void warned(SoftAssertions soft, String yaml, String... fragments) {
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
    soft.assertThat(result.output())
        .as("warning for:\n%s", yaml)
        .contains("Warning:")
        .contains(fragments);
  }

  private void applied(SoftAssertions soft, String yaml) {
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
  }
}
