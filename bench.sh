#!/usr/bin/env bash
# Benchmarks, run on demand (never part of the test suite): ./bench.sh <scenario> [--key=value ...]
#   latency     change -> last page: pages on 2 replicas, presses on replica 2      [--sockets=1000 --rate=5 --seconds=60 --poll=200ms]
#   sockets     sockets one replica holds, heap and RSS per socket                    [--sockets=19000 --step=sockets/6 --counters=50]
#   fanout      frames/s to 10,000 sockets vs Node ws, ws-fast and Socket.IO servers  [--sockets=10000 --rates=5,20,50 --seconds=10 --coalesce=10ms --servers=broadcaster-nio,broadcaster,ws,ws-fast,socketio (also broadcaster-io_uring)]
#   storm       connect storm: connects/s accepted and counted, none lost, beside the database ceiling [--sockets=3000 --in-flight=1000 --rate=0 --warmup=3000 --visitors=true --ceiling=true]
#               --db-profile=aws: the storm and its ceiling twice on one stack, loopback then each DynamoDB call as slow as on AWS
#               in one region (per operation, local-stack DynamoDbLatencyProfile), side by side [--db-profile=none]
#   coalescing  1,000 presses/s on one counter: frames per page per second, final value [--sockets=1000 --rate=1000 --seconds=20]
#   tables      streamed tables: change -> subscriber latency, frames/s, CPU per change and per frame, one replica
#               [--runs=10/10/0@10,10000/10/0@10,1000/1000/0.01@100,10000/1000/0.01@100,10000/1/1@10 (subscribers/filters/match@changes/s) --seconds=20 --warmup=3 --idle=8 --subscribe-rate=500]
#   coldstart   launch of a fresh stack to page, first count, cross-replica update, outside change [--runs=3 --limit=300]
#   all         every scenario above but tables and coldstart, with its defaults, one after another (about 30 minutes)
# Every scenario starts its own local stack (then waits --settle=30 s for KCL's first start); --coalesce and --poll set
# the broadcasters' intervals; sockets that must all be registered open at --connect-rate=200/s (inside DynamoDB Local's pace here);
# --service-replicas=2 runs two connection-services and two counter-services (the chart's default; the bench's is one).
# Results: a table on stdout, and <scenario>.csv/.md/.png in bench/target/results (--out=DIR to change).
set -euo pipefail
# testcontainers' reaper image cannot be pulled here; the stack removes its own containers
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
# the engine is local (DockerProbe): its published ports are on this machine, no gateway lookup
export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}
cd "$(dirname "$0")"
name="${1:-}"
case "$name" in
  latency|sockets|fanout|storm|coalescing|tables|coldstart|all) shift ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
# package, never install: the shared ~/.m2 would mix branches' snapshots; -am builds the services the stack starts
./mvnw -B -q -DskipTests package -pl bench -am
if [[ "$name" == fanout || "$name" == all ]] && command -v npm >/dev/null; then
  # the Node baseline servers' packages, into the git-ignored node_modules beside them
  (cd bench/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
exec java -Djava.awt.headless=true -Xmx2g -XX:+UseParallelGC \
  -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" \
  dev.livecounter.bench.Bench "$name" "$@"
