# Sourced by demo.sh, test.sh and bench/run.sh: picks a Java 25+ JDK (JAVA_HOME when it is one, else
# the usual install locations, else `java` on PATH), exports JAVA_HOME, says which one it uses, and
# stops with what to install when there is none. Usage: . scripts/java25.sh "<script name>"
_who="${1:-yawl-metrics-agent}"
_major() { "$1/bin/java" -version 2>&1 | sed -n -E '1s/.*version "([0-9]+)[^"]*".*/\1/p'; }
_ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(_major "$1")" -ge 25 ] 2>/dev/null; }
_pick=""
_tried=()
for _j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 \
          /usr/lib/jvm/java-25-openjdk /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-arm64 \
          "$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
  [ -n "$_j" ] || continue
  _tried+=("$_j")
  if _ok "$_j"; then _pick="$_j"; break; fi
done
if [ -z "$_pick" ]; then
  echo "$_who: no Java 25 JDK found (looked at: ${_tried[*]:-nothing}; JAVA_HOME=${JAVA_HOME:-unset})." >&2
  echo "$_who: install one and/or set JAVA_HOME to it (README, \"Java 25\"):" >&2
  echo "$_who:   Debian/Ubuntu: apt-get install temurin-25-jdk   (after adding Adoptium's apt repository, https://adoptium.net/installation/linux/)" >&2
  echo "$_who:   elsewhere:     sdk install java 25-tem   (SDKMAN), or a JDK 25 archive from https://adoptium.net" >&2
  echo "$_who: the agent jar alone builds on Java 17: mvn -B -pl build-tools,agent package -DskipTests" >&2
  exit 2
fi
export JAVA_HOME="$_pick"
echo "$_who: using Java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/\1/') from $JAVA_HOME"
unset _who _major _ok _pick _tried _j
