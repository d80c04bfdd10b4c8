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
 * plane runs from {@code <kube-api-test dir>/loopback-plane}, a mirror of {@code <kube-api-test
 * dir>/k8s}: kubectl is a link to the real binary, and etcd is a script that rewrites those URLs to
 * 127.0.0.1 and then execs the real etcd (the same process, so kube-api-test still stops it). The
 * mirror also gets kube-api-test's certificates of its own.
 *
 * <p>kube-api-test also fixes the Services' ClusterIP range at {@code 10.0.0.0/24} (254 addresses),
 * after the flags it is given, so that a flag of ours cannot override it: kube-apiserver too is a
 * script, which turns that range into {@link LoopbackApiServer#SERVICE_CIDR} and execs the real
 * one. (The mirror's name changed with it: a mirror of plain links, as older builds make it, lives
 * beside it and does not replace this one's script.)
 */
final class LoopbackBinaries {
  static final String ETCD = "etcd";
  static final String API_SERVER = "kube-apiserver";
  private static final List<String> LINKED = List.of("kubectl");

  private LoopbackBinaries() {}

  /** kube-api-test's own directory: {@code KUBE_API_TEST_DIR}, else {@code ~/.kubeapitest}. */
  static Path kubeApiTestDir() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /**
   * Mirrors every installed version under {@code base/k8s} into {@code base/loopback-plane/k8s} and
   * returns {@code base/loopback-plane}, the directory to hand kube-api-test. Safe to run from
   * several processes at once: every file is written beside its place and moved there in one step.
   */
  static Path prepare(Path base) {
    Path mirror = base.resolve("loopback-plane");
    try (Stream<Path> versions = Files.list(base.resolve("k8s"))) {
      for (Path version : versions.filter(v -> Files.isExecutable(v.resolve(ETCD))).toList()) {
        Path target = Files.createDirectories(mirror.resolve("k8s").resolve(version.getFileName()));
        for (String binary : LINKED) {
          Path temporary = target.resolve("." + binary + "." + ProcessHandle.current().pid());
          Files.deleteIfExists(temporary);
          Files.createSymbolicLink(temporary, version.resolve(binary).toAbsolutePath());
          moveInPlace(temporary, target.resolve(binary));
        }
        writeScript(target, ETCD, etcdScript(version.resolve(ETCD).toAbsolutePath()));
        writeScript(
            target,
            API_SERVER,
            apiServerScript(
                version.resolve(API_SERVER).toAbsolutePath(), LoopbackApiServer.SERVICE_CIDR));
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

  private static void writeScript(Path directory, String name, String script) throws IOException {
    Path temporary = directory.resolve("." + name + "." + ProcessHandle.current().pid());
    Files.writeString(temporary, script);
    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
    moveInPlace(temporary, directory.resolve(name));
  }

  /**
   * A POSIX shell script that replaces the value of {@code --service-cluster-ip-range} (given as
   * two arguments, as kube-api-test does, or as one) with {@code serviceCidr}, then replaces itself
   * with the real kube-apiserver.
   */
  static String apiServerScript(Path realApiServer, String serviceCidr) {
    return """
        #!/bin/sh
        # Written by org.ipam.core.localplane.LoopbackBinaries: kube-api-test 7.5.2 gives Services
        # 10.0.0.0/24 (254 ClusterIPs), after our flags; widen the range.
        range=
        for arg do
          shift
          if [ "$range" = next ]; then arg='%2$s'; range=; fi
          case "$arg" in
            --service-cluster-ip-range) range=next ;;
            --service-cluster-ip-range=*) arg='--service-cluster-ip-range=%2$s' ;;
          esac
          set -- "$@" "$arg"
        done
        exec '%1$s' "$@"
        """
        .formatted(realApiServer.toString().replace("'", "'\\''"), serviceCidr);
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
