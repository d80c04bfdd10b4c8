package org.ipam.controller.plan;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.net.Ip;
import org.ipam.core.plan.ClaimPlan;
import org.ipam.core.plan.Finding;
import org.ipam.core.plan.PlanReport;
import org.ipam.core.plan.PoolPlan;

/**
 * Plan's output, for a person and a CI log alike: plain lines, no colour, each finding on one line
 * that starts with ERROR or WARNING and where it was read, and a last line that starts with {@code
 * PLAN OK} or {@code PLAN FAILED}.
 */
final class PlanPrinter {
  private final PrintWriter out;

  PlanPrinter(PrintWriter out) {
    this.out = out;
  }

  void print(PlanReport report, Collection<String> planned, List<String> unplanned) {
    out.println(
        "plan: "
            + report.objectsRead()
            + " object"
            + (report.objectsRead() == 1 ? "" : "s")
            + " read; dialects planned: "
            + (planned.isEmpty() ? "none" : String.join(", ", planned))
            + (unplanned.isEmpty()
                ? ""
                : " (not yet plannable: " + String.join(", ", unplanned) + ")"));
    for (PoolPlan pool : report.pools()) {
      out.println();
      printPool(pool);
    }
    if (!report.skipped().isEmpty()) {
      out.println();
      out.println("skipped, no enabled dialect reads them:");
      report.skipped().forEach(line -> out.println("  " + line));
    }
    if (!report.findings().isEmpty()) {
      out.println();
      report.warnings().forEach(finding -> out.println("WARNING " + located(finding)));
      report.errors().forEach(finding -> out.println("ERROR   " + located(finding)));
    }
    out.println();
    out.println(summary(report));
  }

  /** {@code <source>: <message>}, the source once when the message starts with it (a file). */
  private static String located(Finding finding) {
    return finding.message().startsWith(finding.source())
        ? finding.message()
        : finding.source() + ": " + finding.message();
  }

  private void printPool(PoolPlan pool) {
    PoolCounts counts = pool.counts();
    out.println(
        pool.pool()
            + ": "
            + pool.unit().of(counts.total())
            + ", "
            + counts.used()
            + " used, "
            + counts.free()
            + " free ("
            + pool.percentUsed()
            + " % used)"
            + (counts.outOfRange().signum() > 0
                ? ", " + counts.outOfRange() + " held out of range"
                : "")
            + "  ["
            + pool.source()
            + "]");
    for (ClaimPlan claim : pool.claims()) {
      out.println(
          "  "
              + claim.claim()
              + " -> "
              + (claim.served()
                  ? address(claim.allocation()) + " (" + claim.note() + ")"
                  : "NOT SERVED: " + claim.note())
              + "  ["
              + claim.source()
              + "]");
    }
    if (pool.claims().isEmpty()) {
      out.println("  no claims");
    }
  }

  /** {@code 192.168.10.20/24 gateway 192.168.10.1 dns 192.168.10.2}, as the address object says. */
  private static String address(Allocation allocation) {
    StringBuilder text = new StringBuilder(allocation.address().toString());
    var segment = allocation.segment();
    if (segment != null && segment.prefixLength() != null && segment.prefixLength() != 0) {
      text.append('/').append(segment.prefixLength());
    }
    if (segment != null && segment.gateway() != null) {
      text.append(" gateway ").append(segment.gateway());
    }
    if (segment != null && !segment.dnsServers().isEmpty()) {
      text.append(" dns ")
          .append(segment.dnsServers().stream().map(Ip::toString).collect(Collectors.joining(",")));
    }
    return text.toString();
  }

  private static String summary(PlanReport report) {
    long claims = report.pools().stream().mapToLong(p -> p.claims().size()).sum();
    int unserved = report.unserved().size();
    String counts =
        (claims - unserved)
            + " of "
            + claims
            + " claim"
            + (claims == 1 ? "" : "s")
            + " served from "
            + report.pools().size()
            + " pool"
            + (report.pools().size() == 1 ? "" : "s")
            + "; "
            + plural(report.errors().size(), "error")
            + ", "
            + plural(report.warnings().size(), "warning")
            + ", "
            + report.skipped().size()
            + " skipped";
    return (report.ok() ? "PLAN OK: " : "PLAN FAILED: ") + counts;
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
