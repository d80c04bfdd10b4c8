package org.ipam.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The faults of one run of the reliability campaign, and the controller they are done to: kill -9
 * of the controller (started again at once), kill -9 of the API server (started again after an
 * outage, etcd kept), kill -9 of etcd (started again on its data). Counts what it did, and when the
 * last fault was over.
 */
final class CampaignFaults implements AutoCloseable {
  /** A kill -9 comes 3 to 8 s after the controller is ready. */
  static final Duration KILL_AFTER_MIN = Duration.ofSeconds(3);

  static final Duration KILL_AFTER_MAX = Duration.ofSeconds(8);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final String name;
  private final List<String> flags;
  private final RestartablePlane plane;
  private final Duration apiServerOutage;
  private final Duration etcdOutage;
  private ControllerProcess controller;
  private int starts;
  private int controllerKills;
  private int apiServerOutages;
  private int etcdRestarts;
  private long lastFaultOverNanos = System.nanoTime();

  /**
   * @param plane the plane whose API server and etcd may be killed; null when the suite drives a
   *     cluster it cannot kill (kind), where only the controller is
   */
  CampaignFaults(
      String name,
      List<String> flags,
      RestartablePlane plane,
      Duration apiServerOutage,
      Duration etcdOutage) {
    this.name = name;
    this.flags = flags;
    this.plane = plane;
    this.apiServerOutage = apiServerOutage;
    this.etcdOutage = etcdOutage;
  }

  /** Starts the controller and waits until it is ready. */
  void startController() {
    starts++;
    controller = ControllerProcess.start(name + "-" + starts, flags);
    controller.awaitReady(READY_TIMEOUT);
  }

  /** Waits 3 to 8 s, kills the controller with kill -9 and starts it again. */
  void killController() {
    long millis =
        ThreadLocalRandom.current()
            .nextLong(KILL_AFTER_MIN.toMillis(), KILL_AFTER_MAX.toMillis() + 1);
    ControllerProcess.sleep(Duration.ofMillis(millis));
    controller.kill9();
    controllerKills++;
    // The dead process's log stays on disk; ControllerLogsOnFailure shows the live one.
    ControllerProcess.STARTED.remove(controller);
    startController();
    lastFaultOverNanos = System.nanoTime();
  }

  /** Kills the controller every 3 to 8 s until {@code stop} holds (at least once). */
  void killControllerUntil(BooleanSupplier stop) {
    do {
      killController();
    } while (!stop.getAsBoolean());
  }

  /** kill -9 of the API server, the outage, and the API server started again. */
  void apiServerOutage() {
    requirePlane();
    plane.killApiServer();
    apiServerOutages++;
    ControllerProcess.sleep(apiServerOutage);
    plane.startApiServer();
    lastFaultOverNanos = System.nanoTime();
  }

  /** kill -9 of etcd, its outage, and etcd started again on its data. */
  void etcdRestart() {
    requirePlane();
    plane.restartEtcd(etcdOutage);
    etcdRestarts++;
    lastFaultOverNanos = System.nanoTime();
  }

  private void requirePlane() {
    if (plane == null) {
      throw new IllegalStateException("this cluster's API server and etcd cannot be killed");
    }
  }

  ControllerProcess controller() {
    return controller;
  }

  int controllerKills() {
    return controllerKills;
  }

  int apiServerOutages() {
    return apiServerOutages;
  }

  int etcdRestarts() {
    return etcdRestarts;
  }

  long lastFaultOverNanos() {
    return lastFaultOverNanos;
  }

  @Override
  public void close() {
    if (controller != null) {
      controller.close();
    }
  }
}
