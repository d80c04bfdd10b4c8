package org.ipam.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A summary of a JFR recording's CPU samples ({@code jdk.ExecutionSample}: Java threads running
 * Java code; the JIT compiler and GC threads are not sampled, the harness reports their CPU from
 * /proc). Five tables: the top frames (the method on CPU), the top frames' packages, components (a
 * sample goes to the first library found walking down from the top frame, skipping JDK frames,
 * except that TLS and crypto frames of the JDK count as "TLS"), threads, and the methods of
 * fabric8, the Java Operator SDK and this project inclusive (each sample counts once for every such
 * method on its stack; JFR keeps 64 frames).
 *
 * <p>{@code hack/throughput.sh profile FILE.jfr} prints it for a recording.
 */
public final class ThroughputProfile {
  private ThroughputProfile() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ThroughputProfile FILE.jfr [TOP]");
      System.exit(2);
    }
    summarise(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15, System.out);
  }

  static void summarise(Path recording, int top, PrintStream out) throws IOException {
    Map<String, Integer> methods = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    Map<String, Integer> components = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        RecordedFrame frame = stack.getFrames().get(0);
        String type = frame.getMethod().getType().getName();
        methods.merge(type + "." + frame.getMethod().getName(), 1, Integer::sum);
        packages.merge(packageOf(type), 1, Integer::sum);
        components.merge(component(stack), 1, Integer::sum);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RecordedFrame f : stack.getFrames()) {
          String t = f.getMethod().getType().getName();
          if (f.isJavaFrame() && isApplication(t) && seen.add(t + "." + f.getMethod().getName())) {
            inclusive.merge(t + "." + f.getMethod().getName(), 1, Integer::sum);
          }
        }
        RecordedThread thread = event.getThread("sampledThread");
        String name = thread == null ? "?" : thread.getJavaName();
        threads.merge(ThroughputProc.group(name == null ? "?" : name), 1, Integer::sum);
      }
    }
    out.printf(
        Locale.ROOT, "PROFILE %s: %d CPU samples (jdk.ExecutionSample)%n", recording, samples);
    table(out, "top frames (method on CPU)", methods, samples, top);
    table(out, "top frames by package", packages, samples, top);
    table(
        out,
        "by component (first non-JDK frame from the top; JDK TLS/crypto as TLS)",
        components,
        samples,
        top);
    table(out, "by thread", threads, samples, top);
    table(
        out,
        "inclusive, methods of fabric8, the Java Operator SDK and this project (samples with the"
            + " method anywhere on the stack)",
        inclusive,
        samples,
        2 * top);
  }

  private static void table(
      PrintStream out, String title, Map<String, Integer> counts, int samples, int top) {
    out.printf("PROFILE %s:%n", title);
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
    for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      out.printf(
          Locale.ROOT,
          "  %5.1f %%  %6d  %s%n",
          100.0 * e.getValue() / Math.max(1, samples),
          e.getValue(),
          e.getKey());
    }
  }

  static String packageOf(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? "(default)" : type.substring(0, dot);
  }

  static String component(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      if (!frame.isJavaFrame()) {
        continue;
      }
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("sun.security.")
          || type.startsWith("com.sun.crypto.")
          || type.startsWith("javax.crypto.")
          || type.startsWith("javax.net.ssl.")) {
        return "TLS (JDK)";
      }
      if (isJdk(type)) {
        continue;
      }
      return library(type);
    }
    return "JDK only";
  }

  /** Above the transport: the Kubernetes client, the operator framework, this project. */
  private static boolean isApplication(String type) {
    return type.startsWith("io.fabric8.")
        || type.startsWith("io.javaoperatorsdk.")
        || type.startsWith("org.ipam.");
  }

  private static boolean isJdk(String type) {
    return type.startsWith("java.")
        || type.startsWith("javax.")
        || type.startsWith("jdk.")
        || type.startsWith("sun.")
        || type.startsWith("com.sun.");
  }

  private static String library(String type) {
    String[][] known = {
      {"io.netty.", "netty"},
      {"io.vertx.", "vert.x"},
      {"com.fasterxml.jackson.", "Jackson"},
      {"io.fabric8.kubernetes.client.", "fabric8 client"},
      {"io.fabric8.kubernetes.api.", "fabric8 model"},
      {"io.fabric8.", "fabric8 other"},
      {"io.javaoperatorsdk.", "Java Operator SDK"},
      {"org.ipam.", "ipam (this project)"},
      {"ch.qos.logback.", "logging"},
      {"org.slf4j.", "logging"},
      {"io.micrometer.", "micrometer"},
      {"com.google.inject.", "Guice"},
      {"com.google.common.", "Guava"},
      {"inet.ipaddr.", "IPAddress library"},
      {"org.bouncycastle.", "Bouncy Castle"},
      {"picocli.", "picocli"},
    };
    for (String[] k : known) {
      if (type.startsWith(k[0])) {
        return k[1];
      }
    }
    String[] parts = type.split("\\.");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : type;
  }
}
