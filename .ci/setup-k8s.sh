#!/usr/bin/env bash
# Source it (. .ci/setup-k8s.sh; .ci/run does): a real Kubernetes control plane for the helm module's
# *OnApiServerIT tests, the envtest way: etcd, kube-apiserver and kube-controller-manager in the folder
# KUBEBUILDER_ASSETS names (default /tmp/kubebuilder-assets). etcd comes from Debian; the two Kubernetes
# binaries (v1.32.6) from ../shared/k8s/ next to the checkout (LIVECOUNTER_K8S_BINARIES overrides that folder).
# Fails loudly when any of them cannot be had: CI must run those tests, not skip them.

if ! command -v etcd >/dev/null 2>&1 || ! command -v xz >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server xz-utils >/dev/null \
    || { echo "setup-k8s: apt-get install etcd-server xz-utils failed" >&2; return 1 2>/dev/null || exit 1; }
fi
# kubectl (kustomize built in) applies the k8s/ overlays; Debian's is 1.20, too old for these kustomizations
if ! command -v kubectl >/dev/null 2>&1; then
  echo "setup-k8s: kubectl (1.27 or later) is not on the PATH" >&2
  return 1 2>/dev/null || exit 1
fi

k8s_binaries="${LIVECOUNTER_K8S_BINARIES:-$(pwd)/../shared/k8s}"
# a clone made somewhere else on a machine of this workplace still finds them where the workplace keeps them
[ -d "$k8s_binaries" ] || [ -n "${LIVECOUNTER_K8S_BINARIES:-}" ] || [ ! -d /work/shared/k8s ] || k8s_binaries=/work/shared/k8s
export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-/tmp/kubebuilder-assets}"
mkdir -p "$KUBEBUILDER_ASSETS"
for b in kube-apiserver kube-controller-manager; do
  [ -x "$KUBEBUILDER_ASSETS/$b" ] && continue
  if [ ! -f "$k8s_binaries/$b.xz" ]; then
    echo "setup-k8s: no $k8s_binaries/$b.xz (set LIVECOUNTER_K8S_BINARIES to the folder holding it)" >&2
    return 1 2>/dev/null || exit 1
  fi
  # the digests ../shared/k8s/README.md gives for the unpacked binaries
  case "$b" in
    kube-apiserver) sum=da89aaa6d76e59d71f91a737c78c5f5bf1450b26370354b46306e28807034141 ;;
    kube-controller-manager) sum=b832504c866e46dc47f3f6a3162db4c5d6166c42a8a85dd8c67f778bda824ef1 ;;
  esac
  if ! xz -dc "$k8s_binaries/$b.xz" > "$KUBEBUILDER_ASSETS/$b.part" \
      || ! echo "$sum  $KUBEBUILDER_ASSETS/$b.part" | sha256sum --check --quiet; then
    echo "setup-k8s: unpacking $k8s_binaries/$b.xz failed or gave another binary" >&2
    return 1 2>/dev/null || exit 1
  fi
  chmod +x "$KUBEBUILDER_ASSETS/$b.part"
  mv "$KUBEBUILDER_ASSETS/$b.part" "$KUBEBUILDER_ASSETS/$b"
done
ln -sf "$(command -v etcd)" "$KUBEBUILDER_ASSETS/etcd"
echo "setup-k8s: $("$KUBEBUILDER_ASSETS/kube-apiserver" --version) and etcd in $KUBEBUILDER_ASSETS"

# Here the API server tests must run, not skip for want of binaries.
export LIVECOUNTER_REQUIRE_APISERVER=true
