#!/usr/bin/env bash
# Builds the images the container system test runs (ImagesIT) into the local Docker engine, with no
# registry at all: the offline base (offline-base.sh, cached by its recipe), then Jib puts the three
# services and DynamoDB Local (from its Maven artifact) on it with jib:dockerBuild. The names are the
# ones the chart renders with its dev values (localhost:5001/live-counter-<service>:<appVersion>) plus
# localhost:5001/live-counter-dynamodb-local:<version>.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
BASE=$(images/offline-base.sh)
base_done=$(date +%s)
TAG=$(sed -nE 's/^appVersion: *"?([^"]+)"?.*/\1/p' helm/live-counter/Chart.yaml)

./mvnw -B -q -Plocal-images -DskipTests \
  -pl connection-service,counter-service,broadcaster-service,images/dynamodb-local -am \
  package jib:dockerBuild -Dimage.base="docker://$BASE" -Dimage.tag="$TAG" -Djib.console=plain

echo "build-local.sh: base $BASE in $(( base_done - started )) s, images in $(( $(date +%s) - base_done )) s" >&2
docker image ls --filter reference='localhost:5001/live-counter-*' --filter reference="$BASE" >&2
