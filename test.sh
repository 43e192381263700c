#!/usr/bin/env bash
# Runs every test of yawl-metrics-agent: unit tests, forked-JVM instrumentation tests against a
# real etcd, promtool/amtool checks and the live Prometheus tests, then the benchmarks in smoke mode.
# Installs what is missing when it can (Debian packages, as root). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
# PostgreSQL's server programs are not on PATH (Debian keeps them per major version).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
command -v prometheus-node-exporter >/dev/null 2>&1 || need+=(prometheus-node-exporter)
command -v kubectl >/dev/null 2>&1 || need+=(kubectl)
command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/share/tomcat10/bin/catalina.sh ] || need+=(tomcat10)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: WARNING: missing ${need[*]} and cannot install them (not root or no apt-get); tests that need them will be skipped loudly (or fail under CI=true)" >&2
  fi
fi

. scripts/java25.sh test.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+UseSerialGC -XX:TieredStopAtLevel=1"

mvn -B -ntp verify "$@"

# Benchmarks in smoke mode: they must keep compiling and running (figures are not judged here).
bench/run.sh --smoke --no-build

# The main job must keep working: a short demo run whose endpoint must serve every metric family.
./demo.sh --agents=1000 --duration=20 --port=0 --scenario=etcd-outage --check
# The headline finding, live: one that it cannot serve must raise both alerts (the rules as shipped).
./demo.sh --duration=60 --port=0 --scenario=saturation --check \
  --expect-alerts=HeartbeatRenewalLate,HeartbeatExecutorFallingBehind
