package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bad input tried: null, an empty string, a date without time, a time zone name. */
class TimestampsTest {
  @Test
  void anApiServerTimestampParsesAndAnythingElseReadsAsTheFallback() {
    assertThat(Timestamps.parseOr("2026-11-28T10:00:00Z", Instant.EPOCH))
        .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    for (String bad : new String[] {null, "", "2026-11-28", "2026-11-28T10:00:00 UTC"}) {
      assertThat(Timestamps.parseOr(bad, Instant.MAX)).as("%s", bad).isEqualTo(Instant.MAX);
    }
  }
}
