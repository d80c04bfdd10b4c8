package org.ipam.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The faults of one run of the reliability campaign, and the controllers they are done to: kill -9
 * of the controller (started again at once), kill -9 of the API server (started again after an
 * outage, etcd kept), kill -9 of etcd (started again on its data), kill -9 of the leader of two
 * (the other takes over); and bad input, created once ({@link #badInput}), which is no fault: the
 * controller must take it in its stride. Counts what it did.
 *
 * <p>The controllers run as {@link Controllers} says: one without leader election (a restart does
 * not wait out a dead process's Lease), two without it (split brain), or two on one Lease.
 */
final class CampaignFaults implements AutoCloseable {
  /** A kill -9 comes 3 to 8 s after the controller is ready. */
  static final Duration KILL_AFTER_MIN = Duration.ofSeconds(3);

  static final Duration KILL_AFTER_MAX = Duration.ofSeconds(8);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /** How many controller processes run, and whether they elect a leader. */
  enum Controllers {
    ONE,
    TWO_WITHOUT_LEADER_ELECTION,
    TWO_ON_ONE_LEASE
  }

  private final String name;
  private final List<String> flags;
  private final Controllers controllers;
  private final RestartablePlane plane;
  private final Duration apiServerOutage;
  private final Duration etcdOutage;
  private final int recreations;

  // Written by the thread that injects the faults, read once it is joined.
  private final List<ControllerProcess> running = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile BooleanSupplier working = () -> false;
  private int starts;
  private int controllerKills;
  private int leaderKills;
  private int apiServerOutages;
  private int etcdRestarts;
  private int recreated;
  private int faultsWhileWorking;
  private Supplier<CampaignBadInput.Outcome> badInputMaker = () -> CampaignBadInput.Outcome.NONE;
  private CampaignBadInput.Outcome badInput = CampaignBadInput.Outcome.NONE;
  private long badInputStartedNanos;

  /**
   * @param flags the controller's flags, without those of leader election
   * @param leaseNamespace where the Lease of {@link Controllers#TWO_ON_ONE_LEASE} is
   * @param plane the plane whose API server and etcd may be killed; null when the suite drives a
   *     cluster it cannot kill (kind), where only the controller is
   */
  CampaignFaults(
      String name,
      List<String> flags,
      Controllers controllers,
      String leaseNamespace,
      RestartablePlane plane,
      Duration apiServerOutage,
      Duration etcdOutage,
      int recreations) {
    this.name = name;
    List<String> all = new java.util.ArrayList<>(flags);
    if (controllers == Controllers.TWO_ON_ONE_LEASE) {
      all.addAll(
          List.of(
              "--leader-election-namespace=" + leaseNamespace,
              "--leader-election-id=" + name,
              "--leader-election-lease-duration=15s",
              "--leader-election-retry-period=2s"));
    } else {
      all.add("--no-leader-elect");
    }
    this.flags = List.copyOf(all);
    this.controllers = controllers;
    this.plane = plane;
    this.apiServerOutage = apiServerOutage;
    this.etcdOutage = etcdOutage;
    this.recreations = recreations;
  }

  /** Starts the controllers and waits until each is ready. */
  void startControllers() {
    startController();
    if (controllers != Controllers.ONE) {
      startController();
    }
  }

  private ControllerProcess startController() {
    starts++;
    ControllerProcess started = ControllerProcess.start(name + "-" + starts, flags);
    started.awaitReady(READY_TIMEOUT);
    running.add(started);
    return started;
  }

  /** Tells whether claims are still being created or deleted (for {@link #faultsWhileWorking}). */
  void workingWhile(BooleanSupplier working) {
    this.working = working;
  }

  private void faultStarts() {
    if (working.getAsBoolean()) {
      faultsWhileWorking++;
    }
  }

  /** Waits 3 to 8 s, kills a controller with kill -9 and starts it again. */
  void killController() {
    ControllerProcess.sleep(Duration.ofMillis(killAfterMillis()));
    faultStarts();
    replace(running.get(ThreadLocalRandom.current().nextInt(running.size())));
    controllerKills++;
  }

  /** Kills a controller every 3 to 8 s until {@code stop} holds (at least once). */
  void killControllerUntil(BooleanSupplier stop) {
    do {
      killController();
    } while (!stop.getAsBoolean());
  }

  /**
   * kill -9 of the process that leads (its log says so), a new standby started; returns once
   * another process leads. The dead leader cannot release its Lease: the takeover waits for it to
   * expire.
   */
  void killLeader() {
    ControllerProcess leader = awaitLeader(null);
    faultStarts();
    replace(leader);
    awaitLeader(leader);
    leaderKills++;
  }

  private ControllerProcess awaitLeader(ControllerProcess not) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ControllerProcess process : running) {
        if (process != not && !process.logLines("leading as ").isEmpty()) {
          return process;
        }
      }
      ControllerProcess.sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("no controller leads within " + READY_TIMEOUT);
  }

  private void replace(ControllerProcess victim) {
    noteCrash(victim);
    victim.kill9();
    running.remove(victim);
    // The dead process's log stays on disk; ControllerLogsOnFailure shows the live ones.
    ControllerProcess.STARTED.remove(victim);
    startController();
  }

  /** A process found dead before its kill: a crash, not a fault injected. */
  private void noteCrash(ControllerProcess process) {
    if (!process.isAlive()) {
      crashes.add(process.name() + " exited by itself:\n" + process.logTail());
    }
  }

  /** Controllers that exited without being killed, with their last log lines. */
  List<String> crashes() {
    running.forEach(this::noteCrash);
    return List.copyOf(crashes);
  }

  /** Faults that began while claims were still being created or deleted. */
  int faultsWhileWorking() {
    return faultsWhileWorking;
  }

  private static long killAfterMillis() {
    return ThreadLocalRandom.current()
        .nextLong(KILL_AFTER_MIN.toMillis(), KILL_AFTER_MAX.toMillis() + 1);
  }

  /** kill -9 of the API server, the outage, and the API server started again. */
  void apiServerOutage() {
    requirePlane();
    faultStarts();
    plane.killApiServer();
    apiServerOutages++;
    ControllerProcess.sleep(apiServerOutage);
    plane.startApiServer();
  }

  /** kill -9 of etcd, its outage, and etcd started again on its data. */
  void etcdRestart() {
    requirePlane();
    faultStarts();
    plane.restartEtcd(etcdOutage);
    etcdRestarts++;
  }

  private void requirePlane() {
    if (plane == null) {
      throw new IllegalStateException("this cluster's API server and etcd cannot be killed");
    }
  }

  /** Allocations each running controller logged, e.g. "a=154 b=246": who decided in split brain. */
  String allocationsByController() {
    return String.join(
        " ", running.stream().map(p -> p.name() + "=" + p.allocationsLogged()).toList());
  }

  /** How many incarnations {@link CampaignScenario#RECREATE} makes of its one claim name. */
  int recreations() {
    return recreations;
  }

  void recreated(int incarnations) {
    recreated = incarnations;
  }

  int recreated() {
    return recreated;
  }

  int leaderKills() {
    return leaderKills;
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

  /** How the bad input of the run is made: created, and the API server's answers sorted. */
  void badInputFrom(Supplier<CampaignBadInput.Outcome> maker) {
    this.badInputMaker = maker;
  }

  /**
   * Creates the run's bad input ({@link CampaignScenario#BADINPUT}). Not a fault: nothing is
   * killed, so it is not counted in {@link #faultsWhileWorking}.
   */
  void badInput() {
    badInputStartedNanos = System.nanoTime();
    badInput = badInputMaker.get();
  }

  /**
   * Marks when bad input would have come, and brings none: the baseline the bad input runs' serve
   * times, before and after, are compared with ({@link CampaignScenario#BASELINE}).
   */
  void noBadInput() {
    badInputStartedNanos = System.nanoTime();
  }

  /**
   * What the API server answered to the bad input; {@link CampaignBadInput.Outcome#NONE} if none.
   */
  CampaignBadInput.Outcome badInputOutcome() {
    return badInput;
  }

  /**
   * When the bad input began, or would have ({@link #noBadInput}), as {@link System#nanoTime}; 0
   * when neither.
   */
  long badInputStartedNanos() {
    return badInputStartedNanos;
  }

  @Override
  public void close() {
    running.forEach(ControllerProcess::close);
  }
}
