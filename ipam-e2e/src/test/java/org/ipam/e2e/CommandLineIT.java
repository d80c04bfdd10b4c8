package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged controller's first screen: {@code --help} starts with the usage line, and logging
 * (text or {@code --log-format json}) prints none of logback's own status lines.
 */
class CommandLineIT {

  @Test
  void helpStartsWithTheUsageLine() throws Exception {
    Run help = run(List.of("--help"));
    assertThat(help.exitCode()).isZero();
    assertThat(help.output().lines().findFirst().orElse("")).startsWith("Usage: ipam-controller");
    assertThat(help.output()).contains("--local", "--log-format").doesNotContain("logback");
  }

  /**
   * A controller that cannot start (no kubeconfig file) logs its one warning as JSON, and stops.
   */
  @Test
  void jsonLogsCarryNoLogbackStatus(@TempDir Path dir) throws Exception {
    Run json =
        run(
            List.of(
                "--log-format",
                "json",
                "--kubeconfig=" + dir.resolve("missing"),
                "--webhook-cert-dir=" + dir,
                "--health-port=" + ControllerProcess.freePort(),
                "--metrics-port=" + ControllerProcess.freePort()));
    List<String> logLines = json.output().lines().filter(line -> line.startsWith("{")).toList();
    assertThat(logLines)
        .as("JSON log lines in:\n%s", json.output())
        .anySatisfy(line -> assertThat(line).contains("\"level\":\"WARN\"", "validating webhooks"));
    assertThat(json.output()).doesNotContain("ch.qos.logback");
  }

  private record Run(int exitCode, String output) {}

  private static Run run(List<String> flags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ControllerProcess.javaExecutable());
    command.add("-jar");
    command.add(E2eSettings.controllerJar().toString());
    command.addAll(flags);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    return new Run(process.exitValue(), output);
  }
}
