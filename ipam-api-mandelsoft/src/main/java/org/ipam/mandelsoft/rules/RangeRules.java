package org.ipam.mandelsoft.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ipam.core.net.AddressEntry;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.MandelsoftApi;

/**
 * The rules an IPAMRange must follow, as pure functions: a validating webhook answers with them,
 * and the controller, with webhooks off, writes the same lines into the range's status (state
 * Invalid). Each line names the object, the field and the value ({@link FieldProblems}).
 */
public final class RangeRules {
  private RangeRules() {}

  /** A range checked: its shape when it is valid, else its problems. */
  public record Checked(RangeShape shape, List<String> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /** The range's own rules (no previous version to compare with). */
  public static Checked check(IPAMRange range) {
    FieldProblems problems = new FieldProblems(range);
    IPAMRangeSpec spec = range.getSpec();
    if (spec == null) {
      problems.add("spec", "is missing");
      return new Checked(null, problems.lines());
    }
    List<IpRange> ranges = new ArrayList<>();
    IpFamily family = null;
    String familyEntry = null;
    if (spec.getRanges() == null || spec.getRanges().isEmpty()) {
      problems.add("spec.ranges", "is empty: give at least one CIDR, a-b range or IP");
    } else {
      for (int i = 0; i < spec.getRanges().size(); i++) {
        String text = spec.getRanges().get(i);
        String field = "spec.ranges[" + i + "]";
        Parsed<AddressEntry> entry = IpParser.parseEntry(text);
        if (entry instanceof Parsed.Invalid<AddressEntry> invalid) {
          problems.add(field, text, invalid.reason() + ": use a CIDR, an a-b range or an IP");
          continue;
        }
        // A CIDR's host bits are masked, as upstream does.
        IpRange parsed = entry.orElseThrow().range();
        if (family == null) {
          family = parsed.family();
          familyEntry = "spec.ranges[" + i + "] \"" + text + "\"";
        } else if (parsed.family() != family) {
          problems.add(
              field,
              text,
              "is "
                  + parsed.family()
                  + " but "
                  + familyEntry
                  + " is "
                  + family
                  + ": a range holds one family");
          continue;
        }
        ranges.add(parsed);
      }
    }
    String mode = spec.getMode();
    if (mode != null
        && !mode.isEmpty()
        && !MandelsoftApi.MODE_FIRST_MATCH.equals(mode)
        && !MandelsoftApi.MODE_ROUND_ROBIN.equals(mode)) {
      problems.add("spec.mode", mode, "is not a mode: use FirstMatch or RoundRobin");
    }
    int chunk = spec.getChunkSize() == null ? 0 : spec.getChunkSize();
    if (chunk < 0) {
      problems.add("spec.chunkSize", chunk, "is negative: give a prefix length, or 0 for none");
    }
    if (!problems.lines().isEmpty() || family == null) {
      return new Checked(null, problems.lines());
    }
    List<IpRange> intervals = RangeShape.merge(ranges);
    int widest = RangeShape.widestPrefix(family, intervals);
    if (chunk > family.bits()) {
      problems.add(
          "spec.chunkSize",
          chunk,
          "is too large: an " + family + " prefix length is at most " + family.bits());
    } else if (chunk > 0 && chunk < widest) {
      problems.add(
          "spec.chunkSize",
          chunk,
          "is shorter than the widest block the ranges hold (/"
              + widest
              + "): no request of that size could be served");
    }
    if (!problems.lines().isEmpty()) {
      return new Checked(null, problems.lines());
    }
    return new Checked(
        new RangeShape(
            family, intervals, widest, chunk, MandelsoftApi.MODE_ROUND_ROBIN.equals(mode)),
        List.of());
  }

  /**
   * What a webhook answers for a create ({@code old} null) or an update: the range's own rules, and
   * on update that ranges only grow (every address of the old ranges is still managed) while
   * chunkSize and mode stay as they were.
   */
  public static List<String> validate(IPAMRange range, IPAMRange old) {
    Checked now = check(range);
    List<String> lines = new ArrayList<>(now.problems());
    if (old == null || !now.valid()) {
      return lines;
    }
    Checked before = check(old);
    if (!before.valid()) {
      return lines; // an invalid stored range may be fixed in any way
    }
    FieldProblems problems = new FieldProblems(range);
    IPAMRangeSpec spec = range.getSpec();
    IPAMRangeSpec oldSpec = old.getSpec();
    for (IpRange held : before.shape().intervals()) {
      if (now.shape().intervals().stream().noneMatch(i -> i.contains(held))) {
        problems.add(
            "spec.ranges",
            String.join(",", spec.getRanges()),
            "no longer covers "
                + held
                + ": ranges may grow, not shrink (allocations could lie in what is removed)");
      }
    }
    if (!Objects.equals(zeroIfNull(spec.getChunkSize()), zeroIfNull(oldSpec.getChunkSize()))) {
      problems.add(
          "spec.chunkSize",
          spec.getChunkSize(),
          "cannot be modified (was "
              + (oldSpec.getChunkSize() == null ? "unset" : oldSpec.getChunkSize())
              + ")");
    }
    if (!Objects.equals(modeOf(spec.getMode()), modeOf(oldSpec.getMode()))) {
      problems.add(
          "spec.mode",
          spec.getMode(),
          "cannot be modified (was "
              + (oldSpec.getMode() == null ? "unset" : oldSpec.getMode())
              + ")");
    }
    lines.addAll(problems.lines());
    return lines;
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }

  private static String modeOf(String mode) {
    return mode == null || mode.isEmpty() ? MandelsoftApi.MODE_FIRST_MATCH : mode;
  }
}
