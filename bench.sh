#!/usr/bin/env bash
# Benchmarks, run on demand (never part of the test suite): bench.sh <name> [args]
#   latency [presses] [poll interval] [pages]   press on replica 2 -> pages on replica 1, p50/p90/p99
set -euo pipefail
cd "$(dirname "$0")"
name="${1:-}"; shift || true
case "$name" in
  latency) main=dev.livecounter.bench.PressLatencyBenchmark ;;
  *) echo "usage: bench.sh latency [args]" >&2; exit 2 ;;
esac
./mvnw -B -q -DskipTests package -pl system-tests -am
exec java -cp "system-tests/target/classes:$(cat system-tests/target/runtime-classpath.txt)" "$main" "$@"
