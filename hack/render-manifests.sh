#!/usr/bin/env bash
# Copies the generated CRDs into config/crd and renders dist/ipam-components.yaml from config/default, with the
# kubectl that hack/kube-bins/build.sh builds (its embedded kustomize). Run after a build that changed a CRD or
# anything under config/; ManifestsIT fails while dist/ or config/crd are out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's:.*<kube.version>\(.*\)</kube.version>.*:\1:p' pom.xml | head -1)"
kubectl="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${version}-linux-amd64/kubectl"
[[ -x "$kubectl" ]] || kubectl=kubectl
cp ipam-api-metal3/target/classes/META-INF/fabric8/*.yml config/crd/bases/
cp ipam-api-incluster/target/classes/META-INF/fabric8/*.yml config/crd/incluster/
cp ipam-core/target/classes/META-INF/fabric8/*.yml config/crd/capi/
cp ipam-api-mandelsoft/target/classes/META-INF/fabric8/*.yml config/crd/mandelsoft/
cp ipam-api-harvester/target/classes/META-INF/fabric8/*.yml config/crd/harvester/
"$kubectl" kustomize config/default > dist/ipam-components.yaml
echo "rendered dist/ipam-components.yaml with $("$kubectl" version --client -o yaml | sed -n 's/.*gitVersion: //p' | head -1)"
