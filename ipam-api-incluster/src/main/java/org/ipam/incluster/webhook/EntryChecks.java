package org.ipam.incluster.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;

/**
 * Checks a list field of address strings entry by entry: each must parse, and all must be of one
 * family (the family given, or the first valid entry's). Each problem names the entry by index.
 */
final class EntryChecks {
  /** A valid entry: where it is, what was written, what it means. */
  record Entry<T>(int index, String text, T value, IpRange range) {}

  /** The valid entries and their family (null when none is valid). */
  record Checked<T>(List<Entry<T>> entries, IpFamily family, boolean allValid) {}

  private EntryChecks() {}

  /**
   * @param expected the family the entries must have, or null to take the first valid entry's
   * @param expectedOf what has the expected family, for messages ({@code the addresses})
   */
  static <T> Checked<T> check(
      FieldProblems problems,
      String field,
      List<String> texts,
      Function<String, Parsed<T>> parser,
      Function<T, IpRange> range,
      IpFamily expected,
      String expectedOf) {
    List<Entry<T>> entries = new ArrayList<>();
    boolean allValid = true;
    IpFamily family = expected;
    String familyOf = expectedOf;
    if (texts == null) {
      return new Checked<>(entries, expected, true);
    }
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String entryField = field + "[" + i + "]";
      Parsed<T> parsed = parser.apply(text);
      if (parsed instanceof Parsed.Invalid<T> invalid) {
        problems.add(entryField, text, entryProblem(invalid.reason()));
        allValid = false;
        continue;
      }
      T value = parsed.orElseThrow();
      IpRange entryRange = range.apply(value);
      if (family == null) {
        family = entryRange.family();
        familyOf = entryField + " \"" + text + "\"";
      } else if (entryRange.family() != family) {
        problems.add(
            entryField,
            text,
            "is "
                + entryRange.family()
                + " but "
                + familyOf
                + (familyOf.startsWith("the ") ? " are " : " is ")
                + family
                + ": one pool holds one IP family");
        allValid = false;
        continue;
      }
      entries.add(new Entry<>(i, text, value, entryRange));
    }
    return new Checked<>(entries, family, allValid);
  }

  /** Upstream's words for an entry that is not even an address, the parser's for the others. */
  static String entryProblem(String reason) {
    return "is not an IP address".equals(reason) ? "is not a valid IP, range, nor CIDR" : reason;
  }

  /** {@code a, b, c and 4 more}: at most ten items of a long list. */
  static String some(List<String> items) {
    int shown = Math.min(items.size(), 10);
    String text = String.join(", ", items.subList(0, shown));
    return items.size() > shown ? text + " and " + (items.size() - shown) + " more" : text;
  }
}
