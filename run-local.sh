#!/usr/bin/env bash
# Runs the whole system locally: DynamoDB Local, the three services, the page at http://localhost:8080.
# Two of each service, as the chart runs them (--replicas 1 for one of each; --broadcasters N for N broadcasters).
# Ctrl-C stops everything.
set -euo pipefail
# testcontainers' reaper image cannot be pulled here; the stack removes its own containers
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
# the engine is local (DockerProbe): its published ports are on this machine, no gateway lookup
export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl local-stack,connection-service,counter-service,broadcaster-service -am
exec java -cp "local-stack/target/classes:$(cat local-stack/target/runtime-classpath.txt)" \
  dev.livecounter.local.LocalStack "$@"
