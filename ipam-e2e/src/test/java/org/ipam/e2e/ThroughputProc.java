package org.ipam.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process as Linux's {@code /proc} shows it: CPU time ({@code utime + stime} of {@code
 * /proc/PID/stat}), peak resident set ({@code VmHWM} of {@code /proc/PID/status}), and CPU time per
 * thread ({@code /proc/PID/task/TID/stat}, named by {@code comm}, which the JVM sets to the
 * thread's name cut to 15 characters).
 */
final class ThroughputProc {
  private static final double TICKS_PER_SECOND = ticksPerSecond();

  private ThroughputProc() {}

  /** User plus system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid), "stat")) / TICKS_PER_SECOND;
  }

  /** Peak resident set size (VmHWM) in MiB. */
  static double peakRssMiB(long pid) {
    return statusKiB(pid, "VmHWM:") / 1024.0;
  }

  /** Current resident set size (VmRSS) in MiB. */
  static double rssMiB(long pid) {
    return statusKiB(pid, "VmRSS:") / 1024.0;
  }

  private static long statusKiB(long pid, String field) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return -1;
  }

  /** A thread's CPU: its id, its name (comm), its CPU ticks. */
  record ThreadCpu(long tid, String name, long ticks) {}

  /** Every live thread of the process with its CPU ticks so far. */
  static Map<Long, ThreadCpu> threads(long pid) {
    Map<Long, ThreadCpu> threads = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
      for (Path dir : dirs) {
        try {
          long tid = Long.parseLong(dir.getFileName().toString());
          String name = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).trim();
          threads.put(tid, new ThreadCpu(tid, name, ticks(dir.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return threads;
  }

  /**
   * CPU seconds per thread group between two looks, largest first. A group is a thread name without
   * its numbers ("C2 CompilerThre", "GC Thread", "vert.x-eventloo"); an example of the full name
   * follows in brackets. Threads that ended in between are not seen; the caller compares the sum
   * with the process's CPU.
   */
  static List<Map.Entry<String, Double>> cpuByThreadGroup(
      Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after) {
    Map<String, Double> groups = new HashMap<>();
    Map<String, String> examples = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    after.forEach(
        (tid, thread) -> {
          ThreadCpu earlier = before.get(tid);
          long ticks = thread.ticks() - (earlier == null ? 0 : earlier.ticks());
          if (ticks > 0) {
            String group = group(thread.name());
            groups.merge(group, ticks / TICKS_PER_SECOND, Double::sum);
            examples.putIfAbsent(group, thread.name());
            threads.merge(group, 1, Integer::sum);
          }
        });
    List<Map.Entry<String, Double>> sorted = new ArrayList<>();
    groups.forEach(
        (group, seconds) ->
            sorted.add(
                Map.entry(
                    group
                        + " ("
                        + threads.get(group)
                        + (threads.get(group) == 1 ? " thread" : " threads")
                        + (group.equals(examples.get(group)) ? "" : ", " + examples.get(group))
                        + ")",
                    seconds)));
    sorted.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    return sorted;
  }

  static String group(String threadName) {
    String group =
        threadName
            .replaceAll("(?<=[-#])[0-9]+", "")
            .replaceAll("[0-9]+$", "")
            .replaceAll("[-#_ ]+$", "");
    return group.isEmpty() ? threadName : group;
  }

  private static long ticks(Path stat) {
    try {
      String text = Files.readString(stat, StandardCharsets.UTF_8);
      // The name (field 2) is in parentheses and may hold spaces: count fields after its end.
      String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
      // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  private static double ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      getconf.waitFor();
      return Double.parseDouble(out.trim());
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
