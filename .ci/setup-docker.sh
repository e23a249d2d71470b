#!/usr/bin/env bash
# CI: a Docker engine and the project's images, for the container system test (ImagesIT) and the
# tests' DynamoDB Local in a container. Installs Debian's docker.io and debootstrap when missing, starts
# dockerd when no engine answers (it stays up as a system daemon), then builds the images offline
# (images/build-local.sh: the base is cached by its recipe, so a warm engine only rebuilds the images).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

missing=()
# the machine may carry a docker client alone: the engine (dockerd) is what Debian's docker.io brings
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  mkdir -p /var/log
  setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "setup-docker.sh: dockerd did not answer; see /var/log/dockerd.log" >&2; exit 1; }
fi

images/build-local.sh
echo "setup-docker.sh: engine and images ready in $(( $(date +%s) - started )) s" >&2
