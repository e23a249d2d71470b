#!/usr/bin/env bash
# The full fault suite against the real local system (DynamoDB Local behind a cuttable proxy, every service
# its own process, visitors on real sockets). Prints one row per scenario; exits 1 unless every row is exact.
#   ./fault-suite.sh           full scale (about 5 minutes)
#   ./fault-suite.sh --short   the scale the test suite runs
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl system-tests -am
exec java -cp "system-tests/target/classes:$(cat system-tests/target/runtime-classpath.txt)" dev.livecounter.faults.FaultSuite "$@"
