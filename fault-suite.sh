#!/usr/bin/env bash
# The full fault suite against the real local system (DynamoDB Local behind a cuttable proxy, every service
# its own process, visitors on real sockets). Prints one row per scenario; exits 1 unless every row is exact.
#   ./fault-suite.sh           full scale (about 5 minutes)
#   ./fault-suite.sh --short   the scale the test suite runs
set -euo pipefail
# testcontainers' reaper image cannot be pulled here; the stack removes its own containers
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
# the engine is local (DockerProbe): its published ports are on this machine, no gateway lookup
export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl bench -am
exec java -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" dev.livecounter.faults.FaultSuite "$@"
