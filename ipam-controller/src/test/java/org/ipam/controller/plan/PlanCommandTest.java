package org.ipam.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ipam.controller.IpamController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code ipam-controller plan} as a CI pipeline runs it: the exit status and the lines it prints.
 * Each fixture under {@code src/test/resources/plan/} says what plan must print in its {@code #
 * expect:} comment lines; those under {@code invalid/} must fail (exit 1), those under {@code
 * valid/} pass (exit 0).
 */
class PlanCommandTest {
  private static final Path FIXTURES = Path.of("src/test/resources/plan");
  private static final Path SAMPLES = Path.of("../config/samples");
  private static final Path SEEDS = Path.of("../ipam-api-metal3/src/test/resources/seeds/metal3");
  private static final Path INCLUSTER_SEEDS =
      Path.of("../ipam-api-incluster/src/test/resources/seeds/incluster");

  record Outcome(int exit, String output) {}

  static Outcome plan(String... args) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    CommandLine command = new CommandLine(new IpamController()).setOut(out).setErr(out);
    String[] all = Stream.concat(Stream.of("plan"), Stream.of(args)).toArray(String[]::new);
    int exit = command.execute(all);
    out.flush();
    return new Outcome(exit, text.toString());
  }

  static Stream<Path> invalid() {
    return fixtures("invalid");
  }

  static Stream<Path> valid() {
    return fixtures("valid");
  }

  private static Stream<Path> fixtures(String kind) {
    try (Stream<Path> files = Files.list(FIXTURES.resolve(kind))) {
      return files.sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's {@code # expect: <text>} lines: what the output must contain. */
  private static List<String> expected(Path fixture) throws IOException {
    return Files.readAllLines(fixture).stream()
        .filter(line -> line.startsWith("# expect: "))
        .map(line -> line.substring("# expect: ".length()))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void anInvalidFileFailsNamingObjectFieldAndValue(Path fixture) throws IOException {
    Outcome outcome = plan("-f", fixture.toString());
    List<String> expected = expected(fixture);
    assertThat(expected).as("the fixture says what plan must print").isNotEmpty();
    assertThat(outcome.exit()).as(outcome.output()).isEqualTo(1);
    assertThat(outcome.output()).contains(expected).contains("PLAN FAILED");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void aValidFilePassesWithTheAddressesPrinted(Path fixture) throws IOException {
    Outcome outcome = plan("-f", fixture.toString());
    assertThat(outcome.exit()).as(outcome.output()).isZero();
    assertThat(outcome.output())
        .contains(expected(fixture))
        .contains("PLAN OK")
        .doesNotContain("ERROR");
  }

  @Test
  void theInvalidFixturesAreAtLeastTwenty() {
    assertThat(invalid().count()).isGreaterThanOrEqualTo(20);
  }

  /** Every sample directory is what a user applies in one go: plan passes and shows the answers. */
  @Test
  void everySamplePlansWithItsDocumentedAddresses() throws IOException {
    List<Path> dialects;
    try (Stream<Path> dirs = Files.list(SAMPLES)) {
      dialects = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dialects).isNotEmpty();
    for (Path dialect : dialects) {
      Outcome outcome = plan("-f", dialect.toString());
      assertThat(outcome.exit()).as(outcome.output()).isZero();
      assertThat(outcome.output())
          .doesNotContain("skipped, no enabled dialect")
          .contains("PLAN OK");
    }
    Outcome metal3 = plan("-f", SAMPLES.resolve("metal3").toString());
    assertThat(metal3.output())
        .contains(
            "IPPool default/sample-pool: 41 addresses, 2 used, 39 free",
            "IPClaim default/sample-claim -> 192.168.10.20/24 gateway 192.168.10.1 dns 192.168.10.2"
                + " (IPAddress sample-192-168-10-20, pre-allocated)",
            "IPAddressClaim default/sample-capi-claim -> 192.168.10.10/24 gateway 192.168.10.1");
    Outcome incluster = plan("-f", SAMPLES.resolve("incluster").toString());
    assertThat(incluster.output())
        .contains(
            "InClusterIPPool default/sample-ippool: 26 addresses, 1 used, 25 free",
            "IPAddressClaim default/sample-incluster-claim -> 10.0.0.10/24 gateway 10.0.0.1",
            "InClusterPrefixPool default/sample-prefixpool: 255 /64 prefixes, 1 used, 254 free",
            "IPAddressClaim default/sample-prefix-claim -> fd00:0:0:101::/64 gateway"
                + " fd00:0:0:100::1");
  }

  /** Each sample file on its own: a pool plans alone; a claim needs its pool, and says so. */
  @Test
  void everySampleFileIsReadAndAClaimWithoutItsPoolSaysWhichPool() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SAMPLES)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      Outcome outcome = plan("-f", file.toString());
      assertThat(outcome.output()).as(file.toString()).contains("plan: 1 object read");
      if (outcome.exit() != 0) {
        assertThat(outcome.output())
            .containsPattern(
                "names no (IPPool|InClusterIPPool|InClusterPrefixPool) of namespace"
                    + " default in the files");
      }
    }
  }

  /**
   * The seed documents' Metal3 examples: the IPPool of each plans; the IPClaim of the overview is
   * refused for its placeholder annotation, as the webhook refuses it.
   */
  @Test
  void theSeedExamplesPlanAsTheWebhookJudgesThem() {
    Outcome pool = plan("-f", SEEDS.resolve("000-0-IPPool.yaml").toString());
    assertThat(pool.exit()).as(pool.output()).isZero();
    assertThat(pool.output()).contains("IPPool default/pool-1: 12 addresses, 0 used, 12 free");

    Outcome overview = plan("-f", SEEDS.toString());
    assertThat(overview.exit()).as(overview.output()).isEqualTo(1);
    assertThat(overview.output())
        .contains(
            "IPClaim default/test1-controlplane-template-0-pool1: metadata.annotations.ipAddress"
                + " \"<optional-annotation-for-specific-ip-request>\"",
            "IPPool default/pool1:");
  }

  /**
   * The seed document's InClusterIPPool with four claims: 10.0.0.10 first, then 10.0.0.24 onwards,
   * each with the pool's prefix and gateway, in an IPAddress named after its claim.
   */
  @Test
  void theInClusterSeedPoolServesItsLowestFreeAddressFirst() {
    Outcome outcome =
        plan(
            "-f",
            INCLUSTER_SEEDS.toString(),
            "-f",
            FIXTURES.resolve("incluster/seed-claims.yaml").toString());
    assertThat(outcome.exit()).as(outcome.output()).isZero();
    assertThat(outcome.output())
        .contains(
            "InClusterIPPool default/inclusterippool-sample: 26 addresses, 4 used, 22 free",
            "IPAddressClaim default/node-0 -> 10.0.0.10/24 gateway 10.0.0.1 (IPAddress node-0)",
            "IPAddressClaim default/node-1 -> 10.0.0.24/24 gateway 10.0.0.1 (IPAddress node-1)",
            "IPAddressClaim default/node-2 -> 10.0.0.25/24 gateway 10.0.0.1 (IPAddress node-2)",
            "IPAddressClaim default/node-3 -> 10.0.0.26/24 gateway 10.0.0.1 (IPAddress node-3)",
            "PLAN OK");
  }

  @Test
  void theInClusterInvalidFixturesAreAtLeastTen() {
    assertThat(invalid().filter(f -> f.getFileName().toString().startsWith("incluster-")).count())
        .isGreaterThanOrEqualTo(10);
  }

  /**
   * Each Cluster API claim goes to the dialect whose pool it names: with the in-cluster dialect
   * left out, its pool and claim are skipped and the Metal3 claim is still served.
   */
  @Test
  void aClaimIsPlannedByTheDialectOfItsPool() {
    String fixture = FIXTURES.resolve("valid/incluster-and-metal3.yaml").toString();
    Outcome metal3Only = plan("--adapters", "metal3", "-f", fixture);
    assertThat(metal3Only.exit()).as(metal3Only.output()).isZero();
    assertThat(metal3Only.output())
        .contains(
            "IPAddressClaim default/metal3-node -> 10.60.0.10/24",
            "ipam.cluster.x-k8s.io/v1alpha2 InClusterIPPool default/nodes (",
            "ipam.cluster.x-k8s.io/v1beta2 IPAddressClaim default/incluster-node (")
        .doesNotContain("incluster-node ->");
    Outcome inClusterOnly = plan("--adapters", "incluster", "-f", fixture);
    assertThat(inClusterOnly.output())
        .contains(
            "IPAddressClaim default/incluster-node -> 10.70.0.10/24",
            "ipam.cluster.x-k8s.io/v1beta2 IPAddressClaim default/metal3-node (")
        .doesNotContain("metal3-node ->");
  }

  @Test
  void aMissingFileFails() {
    Outcome outcome = plan("-f", "no-such-file.yaml");
    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.output()).contains("ERROR   no-such-file.yaml: no such file");
  }

  @Test
  void anUnknownDialectIsAUsageError() {
    Outcome outcome = plan("--adapters", "nope", "-f", SAMPLES.toString());
    assertThat(outcome.exit()).isEqualTo(2);
    assertThat(outcome.output()).contains("unknown adapter \"nope\"");
  }
}
