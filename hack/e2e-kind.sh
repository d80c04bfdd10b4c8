#!/usr/bin/env bash
# Runs the e2e suite (ipam-e2e) against a kind cluster instead of the suite's own local control plane.
# Needs Docker and kind. The controller processes run on this machine against the cluster's API server, as
# `java -jar ipam-controller.jar --kubeconfig ...` would; LocalModeIT still tests --local on its own plane.
#   KIND_CLUSTER=name  reuse or create this cluster (default ipam-e2e); KEEP_CLUSTER=1 keeps a created one.
set -euo pipefail
cd "$(dirname "$0")/.."
cluster="${KIND_CLUSTER:-ipam-e2e}"
created=""
if ! kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --wait 120s
  created=1
fi
kubeconfig="$(mktemp)"
cleanup() {
  rm -f "$kubeconfig"
  if [[ -n "$created" && -z "${KEEP_CLUSTER:-}" ]]; then kind delete cluster --name "$cluster"; fi
}
trap cleanup EXIT
kind get kubeconfig --name "$cluster" > "$kubeconfig"
mvn -B -q -DskipTests install
mvn -B verify -pl ipam-e2e -Dipam.e2e.kubeconfig="$kubeconfig"
