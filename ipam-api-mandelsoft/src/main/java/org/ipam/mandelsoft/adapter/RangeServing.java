package org.ipam.mandelsoft.adapter;

import java.util.List;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.net.IpFamily;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.rules.RangeRules;
import org.ipam.mandelsoft.rules.RangeShape;

/**
 * One generation of a range, checked once: its shape and the allocator's spec when it is valid; its
 * problems and a spec with no segments otherwise (nothing new is handed out, nothing held is lost:
 * docs/engine.md). A spec change takes effect at the next pass (upstream ignored it until a
 * restart: reference/mandelsoft.md 1.6).
 */
record RangeServing(RangeRules.Checked checked, PoolSpec allocator) {

  static RangeServing of(IPAMRange range) {
    RangeRules.Checked checked = RangeRules.check(range);
    if (!checked.valid()) {
      IpFamily family =
          RangeLedger.entriesOf(range).stream()
              .map(LedgerEntry::addresses)
              .map(a -> a.family())
              .findFirst()
              .orElse(IpFamily.IPV4);
      return new RangeServing(checked, PoolSpec.of(family, List.of()));
    }
    RangeShape shape = checked.shape();
    return new RangeServing(
        checked, PoolSpec.of(shape.family(), shape.intervals().stream().map(Segment::of).toList()));
  }

  boolean valid() {
    return checked.valid();
  }

  RangeShape shape() {
    return checked.shape();
  }

  /** The range's problems, one message. */
  String problem() {
    return String.join("; ", checked.problems());
  }
}
