package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kube-apiserver script of the mirror: the Service range widened, every other flag as is. */
class LoopbackBinariesTest {
  @Test
  void theApiServerScriptWidensTheServiceRangeInEitherSpelling(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path echo = executable(dir.resolve("real apiserver"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Path script =
        executable(
            dir.resolve("kube-apiserver"),
            LoopbackBinaries.apiServerScript(echo, LoopbackApiServer.SERVICE_CIDR));
    assertThat(
            run(
                script,
                "--bind-address=127.0.0.1",
                "--service-cluster-ip-range",
                "10.0.0.0/24",
                "--allow-privileged",
                "--service-cluster-ip-range=10.0.0.0/24",
                "a b"))
        .containsExactly(
            "--bind-address=127.0.0.1",
            "--service-cluster-ip-range",
            "10.0.0.0/16",
            "--allow-privileged",
            "--service-cluster-ip-range=10.0.0.0/16",
            "a b");
  }

  private static Path executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static List<String> run(Path script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output.lines().toList();
  }
}
