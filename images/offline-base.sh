#!/usr/bin/env bash
# Builds, without any registry, the base image the offline images are put on: Debian bookworm (minbase)
# with OpenJDK 17's headless JRE, from the Debian mirror apt already uses. Needs root (debootstrap
# chroots) and about 2 minutes; the image is tagged with a hash of its recipe, so a second run finds it
# and does nothing. Prints the image name on stdout (everything else goes to stderr).
#
# This base serves the tests on machines that cannot pull; the images published for production keep
# the pinned JRE base from a registry (image.base in the root pom).
set -euo pipefail

SUITE=bookworm
PACKAGES=openjdk-17-jre-headless
# the mirror apt uses here, so the base comes from where the machine's own packages come from
MIRROR=${LIVECOUNTER_DEBIAN_MIRROR:-$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n1 | awk '{print $2}' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# what makes the image smaller without changing what runs: docs, man pages, locales, apt's lists and cache
trim() {
  rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/usr/share/locale/* \
    "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/log/* "$1"/tmp/*
}

# the recipe, not the mirror: the same recipe from another mirror is the same image
RECIPE="$SUITE minbase $PACKAGES $(declare -f trim)"
TAG=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-12)
IMAGE="live-counter-base-jre17:$TAG"

if ! docker info >/dev/null 2>&1; then
  echo "offline-base.sh: no Docker engine answers (start dockerd, or run .ci/setup-docker.sh as root)" >&2
  exit 1
fi
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "offline-base.sh: debootstrap needs root to build $IMAGE (run it with sudo once)" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "offline-base.sh: debootstrap is not installed" >&2; exit 1; }

ROOT=$(mktemp -d /var/tmp/live-counter-base.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
started=$(date +%s)
echo "offline-base.sh: debootstrap $SUITE + $PACKAGES from $MIRROR (about 2 minutes)" >&2
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" >&2
trim "$ROOT"
tar -C "$ROOT" -c . | docker import \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --message "debootstrap --variant=minbase --include=$PACKAGES $SUITE" - "$IMAGE" >&2
echo "offline-base.sh: $IMAGE built in $(( $(date +%s) - started )) s" >&2
echo "$IMAGE"
