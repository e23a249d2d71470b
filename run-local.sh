#!/usr/bin/env bash
# Runs the whole system locally: DynamoDB Local, the three services, the page at http://localhost:8080.
# Ctrl-C stops everything. Extra arguments go to the launcher (e.g. --broadcasters 2).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl local-stack,connection-service,counter-service,broadcaster-service -am
exec java -cp "local-stack/target/classes:$(cat local-stack/target/runtime-classpath.txt)" \
  dev.livecounter.local.LocalStack "$@"
