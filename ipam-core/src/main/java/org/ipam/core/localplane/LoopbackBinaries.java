package org.ipam.core.localplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The binaries directory kube-api-test runs the control plane from, arranged so that etcd listens
 * on 127.0.0.1 only.
 *
 * <p>kube-api-test 7.5.2 hard-codes etcd's URLs in {@code EtcdProcess.startEtcd}: {@code
 * --listen-client-urls http://0.0.0.0:<port>} (every interface, no authentication) and peer URLs on
 * {@code localhost}; its configuration has API server flags only, nothing for etcd. So the control
 * plane runs from {@code <kube-api-test dir>/loopback}, a mirror of {@code <kube-api-test
 * dir>/k8s}: kube-apiserver and kubectl are links to the real binaries, and etcd is a script that
 * rewrites those URLs to 127.0.0.1 and then execs the real etcd (the same process, so kube-api-test
 * still stops it). The mirror also gets kube-api-test's certificates of its own.
 */
final class LoopbackBinaries {
  static final String ETCD = "etcd";
  private static final List<String> LINKED = List.of("kube-apiserver", "kubectl");

  private LoopbackBinaries() {}

  /** kube-api-test's own directory: {@code KUBE_API_TEST_DIR}, else {@code ~/.kubeapitest}. */
  static Path kubeApiTestDir() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /**
   * Mirrors every installed version under {@code base/k8s} into {@code base/loopback/k8s} and
   * returns {@code base/loopback}, the directory to hand kube-api-test. Safe to run from several
   * processes at once: every file is written beside its place and moved there in one step.
   */
  static Path prepare(Path base) {
    Path mirror = base.resolve("loopback");
    try (Stream<Path> versions = Files.list(base.resolve("k8s"))) {
      for (Path version : versions.filter(v -> Files.isExecutable(v.resolve(ETCD))).toList()) {
        Path target = Files.createDirectories(mirror.resolve("k8s").resolve(version.getFileName()));
        for (String binary : LINKED) {
          Path temporary = target.resolve("." + binary + "." + ProcessHandle.current().pid());
          Files.deleteIfExists(temporary);
          Files.createSymbolicLink(temporary, version.resolve(binary).toAbsolutePath());
          moveInPlace(temporary, target.resolve(binary));
        }
        Path temporary = target.resolve("." + ETCD + "." + ProcessHandle.current().pid());
        Files.writeString(temporary, etcdScript(version.resolve(ETCD).toAbsolutePath()));
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        moveInPlace(temporary, target.resolve(ETCD));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the loopback binaries directory " + mirror + " from " + base, e);
    }
    return mirror;
  }

  /**
   * A POSIX shell script that rebuilds its argument list with every {@code http://0.0.0.0:} and
   * {@code http://localhost:} (also after {@code default=}, in --initial-cluster) turned into
   * {@code http://127.0.0.1:}, then replaces itself with the real etcd.
   */
  static String etcdScript(Path realEtcd) {
    return """
        #!/bin/sh
        # Written by org.ipam.core.localplane.LoopbackBinaries: kube-api-test 7.5.2 starts etcd
        # listening on 0.0.0.0; bind its client and peer URLs to the loopback address instead.
        for arg do
          shift
          case "$arg" in
            http://0.0.0.0:*) arg="http://127.0.0.1:${arg#http://0.0.0.0:}" ;;
            http://localhost:*) arg="http://127.0.0.1:${arg#http://localhost:}" ;;
            default=http://localhost:*) arg="default=http://127.0.0.1:${arg#default=http://localhost:}" ;;
          esac
          set -- "$@" "$arg"
        done
        exec '%s' "$@"
        """
        .formatted(realEtcd.toString().replace("'", "'\\''"));
  }

  private static void moveInPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
