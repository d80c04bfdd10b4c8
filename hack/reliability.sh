#!/usr/bin/env bash
# The reliability campaign of docs/reliability.md at its full sizes (ipam-e2e ReliabilityCampaignIT, Maven profile
# `reliability`): for every kind of claim of every dialect, 2,000 claims created and 500 deleted on one pool while the
# controller is killed with kill -9 every 3-8 s, or the kube-apiserver is killed and started again 20 s later (etcd
# kept), or etcd is killed and started again; then every promise is checked. Each run appends a row to
# ipam-e2e/target/reliability/results.csv and prints a RELIABILITY line. `mvn -B verify` runs the short form.
#
#   hack/reliability.sh                          every dialect, every scenario (about 8 minutes per dialect and scenario)
#   hack/reliability.sh -Dipam.e2e.reliability.dialects=metal3,kubipam-mixed -Dipam.e2e.reliability.scenarios=kill9
#                                                 some of them (names: docs/reliability.md); any -D of the profile
#                                                 (claims, deletes, apiserver-outage-seconds, etcd-outage-seconds)
# Builds the controller first when its jar is missing (REBUILD=1: always). Needs the local control plane binaries
# (hack/kube-bins/build.sh, which the first build runs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f ipam-controller/target/ipam-controller.jar || -n "${REBUILD:-}" ]]; then
  mvn -B -q install -DskipTests -DskipITs
fi
mvn -B verify -pl ipam-e2e -Preliability "$@"
