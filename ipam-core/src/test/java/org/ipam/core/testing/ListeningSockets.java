package org.ipam.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: the socket inodes among
 * {@code /proc/<pid>/fd}, matched against the LISTEN rows of {@code /proc/net/tcp} and {@code
 * tcp6}. No tool (ss, lsof) needed, and the answer is per process, not per machine.
 */
public final class ListeningSockets {
  /** One listening socket: the local address (as the kernel holds it) and port. */
  public record Listener(long pid, String command, InetAddress address, int port) {
    @Override
    public String toString() {
      return command + "[" + pid + "] " + address.getHostAddress() + ":" + port;
    }
  }

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** Every listening TCP socket of the given processes. */
  public static List<Listener> of(List<ProcessHandle> processes) {
    List<Listener> listeners = new ArrayList<>();
    for (ProcessHandle process : processes) {
      Set<String> inodes = socketInodes(process.pid());
      String command =
          process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
      for (String table : List.of("tcp", "tcp6")) {
        for (String row : lines(Path.of("/proc", Long.toString(process.pid()), "net", table))) {
          String[] fields = row.trim().split("\\s+");
          if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
            String[] local = fields[1].split(":");
            listeners.add(
                new Listener(
                    process.pid(), command, address(local[0]), Integer.parseInt(local[1], 16)));
          }
        }
      }
    }
    return listeners;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (NoSuchFileException closedMeanwhile) {
          // a descriptor closed while we listed: it listens on nothing
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the descriptors of process " + pid, e);
    }
    return inodes;
  }

  private static List<String> lines(Path table) {
    try {
      List<String> rows = Files.readAllLines(table);
      return rows.subList(1, rows.size());
    } catch (NoSuchFileException noIpv6) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * /proc/net/tcp writes an address as 32-bit words in host byte order (little-endian on x86 and
   * arm64): 0100007F is 127.0.0.1.
   */
  static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }
}
