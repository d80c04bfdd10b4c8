package org.ipam.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kubectl as a user runs it: the binary the hack script built beside kube-apiserver, else the one
 * on the PATH, with a kubeconfig file.
 */
final class Kubectl {
  record Result(int exitCode, String output) {}

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** Runs kubectl; fails the test when it fails. */
  String run(String... args) {
    Result result = attempt(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    return result.output();
  }

  /** Runs kubectl and returns its exit code and output, whatever they are. */
  Result attempt(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits up to 30 s until {@code kubectl get <args>} prints something that contains text. */
  void awaitGet(String text, String... args) {
    List<String> get = new ArrayList<>();
    get.add("get");
    get.addAll(List.of(args));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(run(get.toArray(new String[0])))
                    .contains(text));
  }

  private static String binary() {
    String version = System.getProperty("ipam.kube.version", "");
    Path built =
        Path.of(
            System.getProperty("user.home"),
            ".kubeapitest",
            "k8s",
            version + "-linux-amd64",
            "kubectl");
    return !version.isBlank() && Files.isExecutable(built) ? built.toString() : "kubectl";
  }
}
