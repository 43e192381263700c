#!/usr/bin/env bash
# The main job: a YAWL-shaped fleet with yawl-metrics-agent attached, metrics moving, and (when
# installed) a real etcd and Prometheus evaluating the shipped rules. Flags: ./demo.sh --help
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh demo
if [ ! -f agent/target/yawl-metrics-agent.jar ] || [ ! -f demo/target/yawl-fleet-demo.jar ] \
   || [ -n "$(find agent/src demo/src engine-fixtures/src/main -newer demo/target/yawl-fleet-demo.jar -type f 2>/dev/null | head -1)" ]; then
  echo "demo: building the agent and the simulator (mvn package, tests skipped)..."
  mvn -B -q -ntp -DskipTests package >/tmp/yawl-demo-build.log 2>&1 || { echo "demo: build failed, see /tmp/yawl-demo-build.log" >&2; exit 1; }
fi
exec "$JAVA_HOME/bin/java" -jar demo/target/yawl-fleet-demo.jar "$@"
