#!/usr/bin/env bash
# The throughput harness of issue 12 (ipam-e2e/src/test/java/org/ipam/e2e/ThroughputHarness.java): on a fresh local
# kube-apiserver, the packaged controller as its own process, one pool, N claims created at once by CONCURRENCY
# workers; time until every claim is served, API writes per claim, controller CPU and peak RSS, a single claim's
# latency on the idle controller, and the API server's raw write limit in the same run. Prints one THROUGHPUT line and
# appends it to target/throughput/results.csv. docs/performance.md, section "Throughput harness", explains the figures.
#
#   hack/throughput.sh DIALECT N [CONCURRENCY]     one run; DIALECT: metal3, metal3-capi, incluster, harvester, kubipam;
#                                                   CONCURRENCY default 8
#   hack/throughput.sh --jfr DIALECT N [CONC.]     the same with the controller profiled by JFR over the burst (the row
#                                                   is marked profiled=true and left out of the plot)
#   hack/throughput.sh --webhooks DIALECT N [C.]   the same with the dialect's webhooks registered (validating, and the
#                                                   claim finalizers), as a deployment has them (row: webhooks=true)
#   hack/throughput.sh plot [RESULTS.csv [OUT.png]] draws docs/performance-throughput.png from target/throughput/results.csv
#   hack/throughput.sh profile FILE.jfr [TOP]       the hot frames of a recording
#
# Environment: THROUGHPUT_LABEL=text (a label column, e.g. before/after; the plot draws one series per dialect and
# label), THROUGHPUT_REBUILD=1 (rebuild the controller jar even when it exists), THROUGHPUT_OUT=dir (instead of
# target/throughput, e.g. for experiments), THROUGHPUT_JAR=file (run that controller jar, not a copy of the one built),
# THROUGHPUT_CONTROLLER_JVM_OPTIONS="-X..." (JVM options for the controller, an experiment: by default it runs with
# the options it ships with, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx160m; "none" for none).
# Builds offline (mvn -o) what is missing. Before a run it waits until no other test JVM (surefire, failsafe) runs:
# on a shared machine the figures are only worth something when nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
OUT="${THROUGHPUT_OUT:-$ROOT/target/throughput}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage

MVN=(mvn -B -q -o)
KUBE_VERSION="$(sed -n 's:.*<kube.version>\(.*\)</kube.version>.*:\1:p' pom.xml | head -n 1)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then COMMIT="$COMMIT-dirty"; fi

build() {
  if [[ ! -f ipam-controller/target/ipam-controller.jar || -n "${THROUGHPUT_REBUILD:-}" ]]; then
    echo "throughput: building the controller (mvn install -DskipTests -DskipITs)" >&2
    "${MVN[@]}" install -DskipTests -DskipITs
  fi
  "${MVN[@]}" -pl ipam-e2e test-compile -Dspotless.check.skip=true
}

# The run starts a copy of the jar: a build in another shell rewrites ipam-controller/target/ipam-controller.jar in
# place, and a JVM whose jar changes under it fails to load classes. THROUGHPUT_JAR=file runs that jar instead (a
# kept copy, e.g. of the code before a change: THROUGHPUT_JAR=before.jar THROUGHPUT_LABEL=before).
JAR="$OUT/ipam-controller.jar"
snapshot_jar() {
  mkdir -p "$OUT"
  if [[ -n "${THROUGHPUT_JAR:-}" ]]; then JAR="$(realpath "$THROUGHPUT_JAR")"; return; fi
  local tries=0
  until cp ipam-controller/target/ipam-controller.jar "$OUT/.ipam-controller.jar.tmp" \
      && unzip -tqq "$OUT/.ipam-controller.jar.tmp" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [[ $tries -lt 30 ]] || { echo "throughput: ipam-controller.jar stays unreadable" >&2; exit 1; }
    echo "throughput: ipam-controller.jar is being rewritten; waiting" >&2
    sleep 10
  done
  mv "$OUT/.ipam-controller.jar.tmp" "$OUT/ipam-controller.jar"
}

run_main() {
  local main="$1"; shift
  "${MVN[@]}" -pl ipam-e2e exec:java -Dspotless.check.skip=true \
    -Dexec.classpathScope=test -Dexec.mainClass="org.ipam.e2e.$main" -Dexec.args="$*" \
    -Djava.awt.headless=true \
    -Dipam.e2e.root="$ROOT" \
    -Dipam.e2e.jar="$JAR" \
    -Dipam.e2e.logs="$OUT/logs" \
    -Dipam.kube.version="$KUBE_VERSION" \
    -Dthroughput.out="$OUT" \
    -Dthroughput.commit="$COMMIT" \
    -Dthroughput.label="${THROUGHPUT_LABEL:-}" \
    -Dthroughput.controllerJvmOptions="${THROUGHPUT_CONTROLLER_JVM_OPTIONS:-}"
}

case "$1" in
  -h|--help) usage ;;
  plot) shift; build; run_main ThroughputPlot "$@" ;;
  profile) shift; [[ $# -ge 1 ]] || usage; build; run_main ThroughputProfile "$@" ;;
  *)
    jfr=()
    while [[ "${1:-}" == --jfr || "${1:-}" == --webhooks ]]; do jfr+=("$1"); shift; done
    [[ $# -ge 2 && $# -le 3 ]] || usage
    build
    K8S_VERSION="$KUBE_VERSION" bash hack/kube-bins/build.sh >/dev/null
    while pgrep -f 'surefire|failsafe' >/dev/null; do
      echo "throughput: waiting until no other test JVM runs (surefire/failsafe)..." >&2
      sleep 10
    done
    snapshot_jar
    run_main ThroughputHarness "${jfr[@]}" "$@"
    ;;
esac
