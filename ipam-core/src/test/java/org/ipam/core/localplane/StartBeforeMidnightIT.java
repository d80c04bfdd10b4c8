package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.ipam.core.testing.LocalControlPlane;
import org.junit.jupiter.api.Test;

/**
 * A control plane started a minute before local midnight comes up. kube-api-test reads its deadline
 * from {@link LocalTime#now()}, that is from the default time zone, so the test moves the zone to
 * make "now" about 23:59 wherever the clock stands: CI failed at 23:59:52 once this way (both
 * {@code --local} and a test's control plane).
 */
class StartBeforeMidnightIT {

  @Test
  void aControlPlaneStartedAMinuteBeforeMidnightComesUp() {
    TimeZone original = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zoneWhereItIsNow(LocalTime.of(23, 59))));
    try {
      assertThat(
              LoopbackApiServer.deadlineWrapsMidnight(
                  LocalTime.now(), LoopbackApiServer.STARTUP_TIMEOUT))
          .as("the zone puts now just before midnight")
          .isTrue();
      try (LocalControlPlane plane = new LocalControlPlane().start();
          KubernetesClient client = plane.newClient()) {
        assertThat(client.namespaces().withName("default").get()).isNotNull();
      }
    } finally {
      TimeZone.setDefault(original);
    }
  }

  /** A whole-minute offset from UTC under which the wall clock reads about {@code target} now. */
  private static ZoneOffset zoneWhereItIsNow(LocalTime target) {
    long utcSecond = LocalTime.now(ZoneOffset.UTC).toSecondOfDay();
    long day = Duration.ofDays(1).toSeconds();
    long offsetSeconds = Math.floorMod(target.toSecondOfDay() - utcSecond, day);
    if (offsetSeconds > day / 2) {
      offsetSeconds -= day;
    }
    long offsetMinutes = Math.round(offsetSeconds / 60.0);
    return ZoneOffset.ofTotalSeconds((int) (offsetMinutes * 60));
  }
}
