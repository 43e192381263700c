#!/usr/bin/env bash
# Regenerates bench/RESULTS.md: per-call overhead (JMH), startup, scrape cost, fleet scale and memory of
# yawl-metrics-agent, with the OpenTelemetry javaagent and jmx_exporter as the alternatives.
#
#   bench/run.sh                 full run (~30-40 min on 2 cores), writes bench/RESULTS.md
#   bench/run.sh --smoke         tiny sizes, few short iterations (< 3 min), writes
#                                bench/target/results/RESULTS-smoke.md; used by CI
#   options: --no-build (reuse the jars of a previous `mvn verify`), --out FILE,
#            --note "TEXT" (a line printed under the title, e.g. why figures are provisional),
#            --rounds N (overrides the rounds of the overhead, startup and memory steps)
# Exits non-zero when a benchmark fails to run or finds a correctness problem (agent did not record
# a measured call, series count depends on fleet size, no renewals or no JFR samples in the fleet
# window); never because numbers are slow.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SMOKE=false; BUILD=true; OUT=""; NOTE=""; ROUNDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=true ;;
    --no-build) BUILD=false ;;
    --out) OUT="$2"; shift ;;
    --note) NOTE="$2"; shift ;;
    --rounds) ROUNDS=(--rounds "$2"); shift ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

. scripts/java25.sh bench/run.sh
JAVA="$JAVA_HOME/bin/java"

if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench/run.sh: installing the 'time' package (/usr/bin/time -v measures wall, CPU and peak RSS)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    echo "bench/run.sh: /usr/bin/time missing (Debian package 'time') and cannot install it" >&2; exit 1
  fi
fi

for tool in openssl:openssl htpasswd:apache2-utils; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "bench/run.sh: installing '${tool#*:}' (the TLS scrape step makes its key with openssl and its bcrypt hash with htpasswd)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
    else
      echo "bench/run.sh: ${tool%%:*} missing (Debian package '${tool#*:}') and cannot install it" >&2; exit 1
    fi
  fi
done

if $BUILD; then
  mvn -B -q -ntp package -DskipTests -pl bench -am
fi
AGENT_JAR="$ROOT/agent/target/yawl-metrics-agent.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
for f in "$AGENT_JAR" "$BENCH_JAR"; do
  [ -f "$f" ] || { echo "bench/run.sh: $f not built (run without --no-build, or mvn verify first)" >&2; exit 1; }
done

RES="$ROOT/bench/target/results"
rm -rf "$RES"; mkdir -p "$RES"
PROPS=(-Dbench.agent.jar="$AGENT_JAR")
if $SMOKE; then
  MODE=(--smoke); STEP_TIMEOUT=300
  # JMH refuses to run while another JMH run holds /tmp/jmh.lock (a full run's figures would be
  # spoiled); a smoke run's numbers mean nothing, so it may run beside one.
  PROPS+=(-Djmh.ignoreLock=true)
  OUT=${OUT:-$RES/RESULTS-smoke.md}
else
  MODE=(); STEP_TIMEOUT=7200
  OUT=${OUT:-$ROOT/bench/RESULTS.md}
  # The alternatives, from Maven Central, into target/ (never committed).
  AGENTS="$ROOT/bench/target/agents"; mkdir -p "$AGENTS"
  mvn -B -q -ntp dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:2.21.0 -DoutputDirectory="$AGENTS" -Dmdep.stripVersion=true
  mvn -B -q -ntp dependency:copy -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 -DoutputDirectory="$AGENTS" -Dmdep.stripVersion=true
  PROPS+=(-Dbench.otel.jar="$AGENTS/opentelemetry-javaagent.jar" -Dbench.jmx.jar="$AGENTS/jmx_prometheus_javaagent.jar"
          -Dbench.jmx.config="$ROOT/bench/jmx-exporter.yaml")
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
COMMANDS=()
step() { # step NAME MAIN-CLASS args...
  local name=$1 main=$2; shift 2
  local cmd=("$JAVA" --sun-misc-unsafe-memory-access=allow "${PROPS[@]}" -cp "$BENCH_JAR" "dev.yawlmetrics.bench.$main" "${MODE[@]}" --out "$RES/$name.md" "$@")
  COMMANDS+=("$(echo "java -cp bench/target/benchmarks.jar dev.yawlmetrics.bench.$main ${MODE[*]} $*" | tr -s ' ' | sed 's/ $//')")
  echo "=== bench: $name ($(date -u +%H:%M:%S))"
  if ! timeout "$STEP_TIMEOUT" "${cmd[@]}" > "$RES/$name.log" 2>&1; then
    tail -60 "$RES/$name.log" >&2
    echo "bench/run.sh: step '$name' FAILED (full log: $RES/$name.log)" >&2
    exit 1
  fi
  tail -"${TAIL:-3}" "$RES/$name.log"
}

step overhead Overhead "${ROUNDS[@]}"
step startup Startup "${ROUNDS[@]}"
step scrape ScrapeCost
step scrape-tls ScrapeTls
TAIL=4 step fleet FleetScale
step memory Memory "${ROUNDS[@]}"
step late-attach lateattach.LateAttach "${ROUNDS[@]}"

{
  echo "# yawl-metrics-agent benchmarks"
  echo
  [ -n "$NOTE" ] && { echo "> $NOTE"; echo; }
  $SMOKE && { echo "> SMOKE RUN: tiny sizes and very short iterations, only proves the harness runs. Not figures."; echo; }
  echo "Generated by \`bench/run.sh$($SMOKE && echo " --smoke" || true)\` from $STARTED to $(date -u +%Y-%m-%dT%H:%M:%SZ), commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores visible"
  echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); kernel $(uname -r)"
  echo "- JDK: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "- load average (1/5/15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Commands"
  echo
  echo "Each step, from the repository root, Java 25, with \`-Dbench.agent.jar=agent/target/yawl-metrics-agent.jar\`$($SMOKE || echo ' and `-Dbench.otel.jar=... -Dbench.jmx.jar=... -Dbench.jmx.config=bench/jmx-exporter.yaml`'):"
  echo
  for c in "${COMMANDS[@]}"; do echo "- \`$c\`"; done
  echo
  for s in overhead startup scrape scrape-tls fleet memory late-attach; do cat "$RES/$s.md"; done
} > "$OUT"
echo "bench/run.sh: wrote $OUT"
