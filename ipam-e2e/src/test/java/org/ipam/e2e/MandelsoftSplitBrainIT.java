package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.engine.Crds;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.mandelsoft.adapter.MandelsoftDialectModule;
import org.ipam.mandelsoft.model.AllocationRecord;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Split brain on the kubipam dialect: two controller processes with leader election off, one
 * IPAMRange ({@code 10.60.0.0/16}), and N IPAMRequests of mixed sizes ({@code /24}, {@code /26},
 * {@code /28}, {@code /32} in turn) created at once by 8 workers. Blocks of several sizes overlap
 * without being equal, so no object name can lock them: only the range's ledger ({@code
 * status.allocations}, one resourceVersion-guarded write per pass) keeps the two writers apart.
 * Once every request is served: each block aligned, of the size asked and inside the range; no two
 * blocks overlapping, checked by address arithmetic (sorted by first address, each starts after
 * every earlier one ends); and the ledger equal to what the requests show (uid and block).
 *
 * <p>N is {@value #DEFAULT_REQUESTS} in {@code mvn verify}, or {@code
 * -Dipam.e2e.mandelsoft.splitbrain.requests=N} (at most 1,900: the sizes of 1,900 fill 95% of the
 * /16).
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class MandelsoftSplitBrainIT {
  static final int DEFAULT_REQUESTS = 400;
  static final int REQUESTS =
      Integer.getInteger("ipam.e2e.mandelsoft.splitbrain.requests", DEFAULT_REQUESTS);
  private static final int[] SIZES = {24, 26, 28, 32};
  private static final int WORKERS = 8;
  private static final String RANGE = "mixed";
  private static final String CIDR = "10.60.0.0/16";
  private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(300).plusMillis(300L * REQUESTS);

  @Test
  void twoControllersWithoutLeaderElectionNeverHandOutOverlappingBlocks(
      TargetCluster.Cluster cluster) throws Exception {
    String namespace = "e2e-ms-split-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = cluster.newClient()) {
      MandelsoftDialectModule dialect = new MandelsoftDialectModule();
      Crds.install(client, MandelsoftDialectModule.class.getClassLoader(), dialect.crdResources());
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      client.resource(range(namespace)).create();
      List<String> flags =
          List.of(
              "--kubeconfig=" + cluster.kubeconfig(),
              "--adapters=mandelsoft",
              "--namespaces=" + namespace,
              "--no-leader-elect",
              "--webhook-port=0");
      try (ControllerProcess first = ControllerProcess.start("mandelsoft-split-a", flags);
          ControllerProcess second = ControllerProcess.start("mandelsoft-split-b", flags)) {
        first.awaitReady(Duration.ofMinutes(3));
        second.awaitReady(Duration.ofMinutes(3));

        long start = System.nanoTime();
        createRequestsAtOnce(client, namespace);
        long createdMillis = Metal3SplitBrainIT.millisSince(start);
        boolean allServed =
            Awaits.quietly(
                SERVE_TIMEOUT,
                () -> requests(client, namespace).stream().filter(this::ready).count() == REQUESTS);
        long servedMillis = Metal3SplitBrainIT.millisSince(start);
        // The ledger settles after the last request is served (its last write, its last event).
        Awaits.quietly(
            Duration.ofSeconds(60),
            () -> ledger(client, namespace).equals(shown(client, namespace)));

        Audit audit = audit(requests(client, namespace));
        Map<String, String> ledger = ledger(client, namespace);
        boolean ledgerMatches = ledger.equals(shown(client, namespace));
        System.out.printf(
            Locale.ROOT,
            "E2E mandelsoft split-brain: %d requests (/24 /26 /28 /32) created by %d workers in %d"
                + " ms; %s in %.1f s; blocks %d, overlaps=%d, not aligned, of another size or"
                + " outside %d; ledger entries %d (equal to the requests' blocks: %s); allocations"
                + " decided %s %d, %s %d%n",
            REQUESTS,
            WORKERS,
            createdMillis,
            allServed ? "every request served" : "NOT every request served",
            servedMillis / 1000.0,
            audit.blocks(),
            audit.overlaps().size(),
            audit.malformed().size(),
            ledger.size(),
            ledgerMatches,
            first.name(),
            first.allocationsLogged(),
            second.name(),
            second.allocationsLogged());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(allServed).as("every request served within %s", SERVE_TIMEOUT).isTrue();
        soft.assertThat(audit.overlaps()).as("blocks that overlap an earlier block").isEmpty();
        soft.assertThat(audit.malformed())
            .as("blocks not aligned, of another size, outside")
            .isEmpty();
        soft.assertThat(audit.blocks()).as("blocks").isEqualTo(REQUESTS);
        soft.assertThat(ledgerMatches)
            .as("status.allocations equals the requests' blocks")
            .isTrue();
        soft.assertThat(first.isAlive()).as(first.name() + " alive").isTrue();
        soft.assertThat(second.isAlive()).as(second.name() + " alive").isTrue();
        soft.assertAll();
      }
    }
  }

  /** What the served requests show: blocks, overlapping pairs, and blocks that break the ask. */
  private record Audit(int blocks, List<String> overlaps, List<String> malformed) {}

  private record Block(String request, BigInteger first, BigInteger last, String cidr) {}

  private Audit audit(List<IPAMRequest> requests) {
    Cidr range = IpParser.parseCidr(CIDR).orElseThrow();
    List<Block> blocks = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (IPAMRequest request : requests) {
      if (!ready(request)) {
        continue;
      }
      String name = request.getMetadata().getName();
      String text = request.getStatus().getCidr();
      if (!(IpParser.parseCidr(text) instanceof Parsed.Valid<Cidr> valid)) {
        malformed.add(name + " " + text + " is no CIDR");
        continue;
      }
      Cidr cidr = valid.value();
      if (cidr.hasHostBits()
          || cidr.prefixLength() != request.getSpec().getSize()
          || !range.range().contains(cidr.range())) {
        malformed.add(name + " " + text + " for size " + request.getSpec().getSize());
      }
      blocks.add(
          new Block(
              name, cidr.range().first().toBigInteger(), cidr.range().last().toBigInteger(), text));
    }
    // Sorted by first address, a block overlaps an earlier one exactly when it starts at or
    // before the furthest end seen so far.
    blocks.sort(Comparator.comparing(Block::first));
    List<String> overlaps = new ArrayList<>();
    Block furthest = null;
    for (Block block : blocks) {
      if (furthest != null && block.first().compareTo(furthest.last()) <= 0) {
        overlaps.add(
            block.request()
                + " "
                + block.cidr()
                + " overlaps "
                + furthest.request()
                + " "
                + furthest.cidr());
      }
      if (furthest == null || block.last().compareTo(furthest.last()) > 0) {
        furthest = block;
      }
    }
    return new Audit(blocks.size(), overlaps, malformed);
  }

  private boolean ready(IPAMRequest request) {
    return request.getStatus() != null
        && "Ready".equals(request.getStatus().getState())
        && request.getStatus().getCidr() != null;
  }

  private static List<IPAMRequest> requests(KubernetesClient client, String namespace) {
    return client.resources(IPAMRequest.class).inNamespace(namespace).list().getItems();
  }

  /** The range's ledger: request uid to block. */
  private static Map<String, String> ledger(KubernetesClient client, String namespace) {
    IPAMRange range =
        client.resources(IPAMRange.class).inNamespace(namespace).withName(RANGE).get();
    Map<String, String> ledger = new HashMap<>();
    if (range.getStatus() != null && range.getStatus().getAllocations() != null) {
      for (AllocationRecord record : range.getStatus().getAllocations()) {
        ledger.put(record.getUid(), record.getCidr());
      }
    }
    return ledger;
  }

  /** What the Ready requests show: uid to block. */
  private Map<String, String> shown(KubernetesClient client, String namespace) {
    Map<String, String> shown = new HashMap<>();
    for (IPAMRequest request : requests(client, namespace)) {
      if (ready(request)) {
        shown.put(request.getMetadata().getUid(), request.getStatus().getCidr());
      }
    }
    return shown;
  }

  private static IPAMRange range(String namespace) {
    IPAMRange range = new IPAMRange();
    range.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(RANGE).build());
    IPAMRangeSpec spec = new IPAMRangeSpec();
    spec.setRanges(List.of(CIDR));
    spec.setChunkSize(24);
    range.setSpec(spec);
    return range;
  }

  private static IPAMRequest request(String namespace, String name, int size) {
    IPAMRequest request = new IPAMRequest();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    IPAMRequestSpec spec = new IPAMRequestSpec();
    spec.setIpam(new ObjectReference(RANGE, null));
    spec.setSize(size);
    request.setSpec(spec);
    return request;
  }

  private static void createRequestsAtOnce(KubernetesClient client, String namespace)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        IPAMRequest request = request(namespace, "req-%05d".formatted(i), SIZES[i % SIZES.length]);
        created.add(
            workers.submit(
                () -> {
                  try {
                    client.resource(request).create();
                  } catch (KubernetesClientException e) {
                    // A retried create whose first answer was lost: our names are unique.
                    if (e.getCode() != 409) {
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> future : created) {
        future.get(10, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdownNow();
    }
  }
}
