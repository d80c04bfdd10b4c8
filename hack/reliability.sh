#!/usr/bin/env bash
# The reliability campaign of docs/reliability.md at its full sizes (ipam-e2e ReliabilityCampaignIT, Maven profile
# `reliability`): for every kind of claim of every dialect, 2,000 claims created and 500 deleted on one pool while the
# controller is killed with kill -9 every 3-8 s, or the kube-apiserver is killed and started again 20 s later (etcd
# kept), or etcd is killed and started again; then every promise is checked. Each run appends a row to
# ipam-e2e/target/reliability/results.csv and prints a RELIABILITY line. `mvn -B verify` runs the short form.
# Then clusterctl move at campaign sizes: Metal3MoveIT (2,000 claims) and InClusterMoveIT (667 claims on each of 3 pools).
#
#   hack/reliability.sh                          every dialect, every scenario (about 8 minutes per dialect and scenario)
#   hack/reliability.sh -Dipam.e2e.reliability.dialects=metal3,kubipam-mixed -Dipam.e2e.reliability.scenarios=kill9
#                                                 some of them (names: docs/reliability.md); any -D of the profile
#                                                 (claims, deletes, apiserver-outage-seconds, etcd-outage-seconds)
#   hack/reliability.sh table [RESULTS.csv]      the results as a Markdown table (docs/reliability.md)
# Builds the controller first when its jar is missing (REBUILD=1: always). Needs the local control plane binaries
# (hack/kube-bins/build.sh, which the first build runs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == table ]]; then
  # Columns by name, so that rows of older runs (fewer columns) still print what they have.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; n = split("dialect scenario claims deletes controller_kills apiserver_outages etcd_restarts leader_kills recreations faults_while_working held_twice lost unserved orphans status_mismatch stuck crashes settled total_s settle_s drain_s", names, " ");
             line = "|"; rule = "|"; for (j = 1; j <= n; j++) { line = line " " names[j] " |"; rule = rule "---|" } print line; print rule; next }
           { line = "|"; for (j = 1; j <= n; j++) { v = (names[j] in col) ? $(col[names[j]]) : ""; line = line " " v " |" } print line }' \
    "${2:-ipam-e2e/target/reliability/results.csv}"
  exit 0
fi
if [[ ! -f ipam-controller/target/ipam-controller.jar || -n "${REBUILD:-}" ]]; then
  mvn -B -q install -DskipTests -DskipITs
fi
mvn -B verify -pl ipam-e2e -Preliability "$@"
