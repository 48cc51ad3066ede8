#!/usr/bin/env bash
# est4j performance bench: builds the project, runs the WAR on a Tomcat 11 of its own (bench/target/tomcat,
# data in bench/target/est-home, both made anew each run), measures, prints a markdown table and writes it
# to bench/target/results-<timestamp>.md. Run from anywhere: bash bench/run.sh
#
# Loopback only (https://localhost:28443; ports 28080 http, 28443 https, 28005 shutdown, 28081 proxy).
# Tomcat is stopped on exit (trap), by its own PID file. Needs wrk, curl, openssl, java 17, mvn.
#
# Scenarios (each: an unmeasured warm-up of BENCH_WARMUP s, then BENCH_SECONDS s measured):
#   1. JMH raw crypto (server stopped): raw + enrollPath, accp and bouncycastle, P-256 CA / P-256 CSR, 2 threads
#   2. native provider container-wide (ACCP on Tomcat's class path + java.security.properties):
#      enroll P-256 keep-alive | enroll P-256 new TLS connection per request (Connection: close) |
#      /simplereenroll with a TLS client certificate (Java driver ReenrollLoad) | /cacerts GET |
#      enroll RSA-2048 CSR (P-256 CA) | enroll P-256 CSR against the RSA-3072 CA (label rsa3072)
#   2b. native TLS as well: Tomcat on JDK 25 (BENCH_JDK25) with its OpenSSL connector (FFM, server-openssl.xml) and
#      ACCP container-wide: enroll P-256 keep-alive | enroll with a new TLS connection per request | /cacerts
#   3. pure Java: Tomcat without ACCP, crypto.provider = bouncycastle: enroll P-256 keep-alive
#   4. BENCH_PRIOR prior issuances loaded into CA "default" (server stopped), native again: enroll P-256 keep-alive,
#      with the ratio to the figure of scenario 2 (empty store)
# For each: requests/s (2xx), p50/p99 latency, errors (socket errors + non-2xx), server CPU ms per 2xx request
# (utime+stime of Tomcat's JVM from /proc, which also counts GC/JIT; the load generator shares the 2 cores).
#
# Environment:
#   BENCH_SECONDS      measured seconds per scenario (default 30, at most 60)
#   BENCH_WARMUP       unmeasured warm-up seconds before each scenario (default 5)
#   BENCH_START_WARMUP unmeasured enroll P-256 load after each Tomcat start, for the JIT (default 60 seconds: C2 needs about that long)
#   BENCH_CONNECTIONS  concurrent connections of wrk / ReenrollLoad (default 16)
#   BENCH_PRIOR        prior issuances for scenario 4 (default 1000000)
#   BENCH_SKIP_PRIOR=1 skip scenario 4
#   BENCH_SKIP_JMH=1   skip scenario 1
#   BENCH_JMH_SECONDS  JMH iteration time (default 5; 3 warm-up + 3 measured iterations, 1 fork)
#   BENCH_SKIP_BUILD=1 use the artifacts already built (no mvn install)
#   BENCH_WAIT_IDLE    before each measurement, wait up to this many seconds for other processes to go quiet
#                      (under 0.25 cores busy; default 0 = do not wait). Rows measured while other processes used
#                      more than 0.25 cores are marked "figure disturbed" either way.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
TARGET="$BENCH/target"
SECONDS_MEASURED=${BENCH_SECONDS:-30}
if (( SECONDS_MEASURED > 60 )); then SECONDS_MEASURED=60; fi
if (( SECONDS_MEASURED < 1 )); then SECONDS_MEASURED=1; fi
WARMUP=${BENCH_WARMUP:-5}
START_WARMUP=${BENCH_START_WARMUP:-60}
CONNS=${BENCH_CONNECTIONS:-16}
PRIOR=${BENCH_PRIOR:-1000000}
JMH_SECONDS=${BENCH_JMH_SECONDS:-5}
STAMP=$(date -u +%Y%m%d-%H%M%S)
RESULTS="$TARGET/results-$STAMP.md"
CATALINA="$TARGET/tomcat"
EST_HOME_DIR="$TARGET/est-home"
WORK="$TARGET/work"
PIDFILE="$TARGET/tomcat.pid"
HTTPS=28443
URL="https://localhost:$HTTPS/.well-known/est"
CLK_TCK=$(getconf CLK_TCK)
JAVA=${JAVA:-java}
BENCH_CP="$TARGET/est-bench-0.1.0-SNAPSHOT.jar:$TARGET/lib/*"
# server.xml's ${...}: in JAVA_OPTS, because catalina.sh stop passes JAVA_OPTS but not CATALINA_OPTS
EST_PROPS="-Dest.home=$EST_HOME_DIR -Dest.http.port=28080 -Dest.https.port=$HTTPS -Dest.shutdown.port=28005 -Dest.proxy.port=28081"

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in wrk curl openssl "$JAVA" mvn; do
  command -v "$tool" >/dev/null || die "$tool is missing (wrk: apt-get install -y wrk)"
done

# ---------------------------------------------------------------- Tomcat control (only our own PID)
tomcat_pid() { [[ -s "$PIDFILE" ]] && cat "$PIDFILE" || true; }

LOG_FROM=0
LOG_STATS=()
stop_tomcat() {
  local pid; pid=$(tomcat_pid)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    log "stopping Tomcat (pid $pid)"
    CATALINA_HOME="$CATALINA" CATALINA_BASE="$CATALINA" CATALINA_PID="$PIDFILE" JAVA_HOME="${TOMCAT_JAVA_HOME:-}" \
      JAVA_OPTS="$EST_PROPS" "$CATALINA/bin/catalina.sh" stop 20 -force >/dev/null 2>&1 || true
    # catalina.sh -force kills by the PID file; make sure our process is gone
    if kill -0 "$pid" 2>/dev/null && grep -qa "$CATALINA" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    log_stats "$pid" || true
  fi
  rm -f "$PIDFILE"
}
log_stats() { # what this start wrote to catalina.out: lines, WARNING/SEVERE lines, the most frequent message kind
  local out="$CATALINA/logs/catalina.out" n w top
  [[ -f "$out" ]] || return 0
  tail -n +"$((LOG_FROM + 1))" "$out" > "$WORK/catalina-start-$START_COUNT.out" || true
  n=$(wc -l < "$WORK/catalina-start-$START_COUNT.out")
  w=$(grep -a -c ' WARNING \| SEVERE ' "$WORK/catalina-start-$START_COUNT.out" || true)
  top=$(awk '{ $1 = ""; $2 = ""; print }' "$WORK/catalina-start-$START_COUNT.out" | cut -c1-110 | sed 's/[0-9]\+/N/g' \
    | sort | uniq -c | sort -rn | awk 'NR == 1 { sub(/^ */, ""); gsub(/\|/, "\\|"); print }' || true)
  LOG_STATS+=("start $START_COUNT (pid $1): $n lines in catalina.out, $w WARNING/SEVERE; most frequent: ${top:-none}")
}
trap 'set +e; stop_tomcat' EXIT

# $1 = native|java|openssl. Writes setenv.sh, server.xml and the crypto.provider key, starts Tomcat, waits for /cacerts.
#   native:  JDK 17 (JAVA), JSSE connector (server.xml), ACCP container-wide
#   java:    JDK 17, JSSE connector, no ACCP, crypto.provider = bouncycastle
#   openssl: JDK 25 (JDK25), Tomcat's OpenSSL connector through FFM (server-openssl.xml), ACCP container-wide
START_COUNT=0
PROVIDER_LINES=()
start_tomcat() {
  local mode=$1
  TOMCAT_JAVA_HOME=$JAVA_HOME_DIR
  cp "$ROOT/est-war/src/main/tomcat/server.xml" "$CATALINA/conf/server.xml"
  if [[ "$mode" == native ]]; then
    cat > "$CATALINA/bin/setenv.sh" <<EOF
CLASSPATH="$ACCP_JAR"
CATALINA_OPTS="\$CATALINA_OPTS -Djava.security.properties=$TARGET/java.security.accp"
EOF
  elif [[ "$mode" == openssl ]]; then
    TOMCAT_JAVA_HOME=$JDK25
    cp "$ROOT/est-war/src/main/tomcat/server-openssl.xml" "$CATALINA/conf/server.xml"
    cat > "$CATALINA/bin/setenv.sh" <<EOF
CLASSPATH="$ACCP_JAR"
CATALINA_OPTS="\$CATALINA_OPTS --enable-native-access=ALL-UNNAMED -Djava.security.properties=$TARGET/java.security.accp25"
EOF
  else
    rm -f "$CATALINA/bin/setenv.sh"
  fi
  if [[ "$HAS_CRYPTO_PROVIDER_KEY" == 1 ]]; then
    sed -i '/^crypto\.provider[[:space:]]*=/d' "$EST_HOME_DIR/est4j.properties"
    if [[ "$mode" != java ]]; then
      echo "crypto.provider = auto" >> "$EST_HOME_DIR/est4j.properties"
    else
      echo "crypto.provider = bouncycastle" >> "$EST_HOME_DIR/est4j.properties"
    fi
  fi
  START_COUNT=$((START_COUNT + 1))
  local out_lines=0
  [[ -f "$CATALINA/logs/catalina.out" ]] && out_lines=$(wc -l < "$CATALINA/logs/catalina.out")
  LOG_FROM=$out_lines
  log "starting Tomcat ($mode)"
  CATALINA_HOME="$CATALINA" CATALINA_BASE="$CATALINA" CATALINA_PID="$PIDFILE" EST_HOME="$EST_HOME_DIR" \
    JAVA_HOME="$TOMCAT_JAVA_HOME" JAVA_OPTS="$EST_PROPS" CATALINA_OPTS="-Xms1g -Xmx1g" "$CATALINA/bin/catalina.sh" start >/dev/null
  local i
  for i in $(seq 1 120); do
    if [[ "$(curl -sk -o /dev/null -w '%{http_code}' "$URL/cacerts" || true)" == 200 ]]; then break; fi
    if ! kill -0 "$(tomcat_pid)" 2>/dev/null; then die "Tomcat died at start; see $CATALINA/logs"; fi
    sleep 1
  done
  [[ "$(curl -sk -o /dev/null -w '%{http_code}' "$URL/cacerts" || true)" == 200 ]] || die "est4j did not answer on $URL/cacerts; see $CATALINA/logs"
  local pid; pid=$(tomcat_pid)
  local line
  line=$(tail -n +"$((out_lines + 1))" "$CATALINA/logs/catalina.out" | grep -m1 -a 'crypto provider:' || true)
  [[ -n "$line" ]] || line="(no 'crypto provider:' line in catalina.out: this server version does not log it)"
  local accp_loaded=no
  grep -q -i 'amazonCorretto' "/proc/$pid/maps" 2>/dev/null && accp_loaded=yes
  PROVIDER_LINES+=("start $START_COUNT ($mode, pid $pid, ACCP native library mapped in Tomcat: $accp_loaded): $line")
  log "Tomcat up (pid $pid); ACCP native library mapped: $accp_loaded; $line"
  if [[ "$mode" != java && "$accp_loaded" != yes ]]; then
    # ACCP loads its library when the provider is first used (TLS handshake): one more request, then look again
    curl -sk -o /dev/null "$URL/cacerts" || true
    grep -q -i 'amazonCorretto' "/proc/$pid/maps" 2>/dev/null && accp_loaded=yes
    log "after a TLS handshake, ACCP native library mapped: $accp_loaded"
    PROVIDER_LINES[-1]="start $START_COUNT ($mode, pid $pid, ACCP native library mapped in Tomcat after a handshake: $accp_loaded): $line"
  fi
  if (( START_WARMUP > 0 )); then
    log "warming the new JVM up: ${START_WARMUP}s of enroll P-256 keep-alive (not measured)"
    BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" wrk -t2 -c"$CONNS" -d"${START_WARMUP}s" --timeout 30s -s "$BENCH/enroll.lua" \
      "$URL/simpleenroll" >/dev/null 2>&1 || true
  fi
}

cpu_ticks() { # utime + stime of Tomcat's JVM, in clock ticks
  local pid; pid=$(tomcat_pid)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat"
}
busy_ticks() { # busy clock ticks of the whole machine (all cores), from /proc/stat
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
now() { date +%s.%N; }
# idle check: how busy is the machine without our load (another engineer's Tomcat, a build...)
machine_busy_cores() { # $1 = seconds to sample
  local b0 t0 b1 t1; b0=$(busy_ticks); t0=$(now); sleep "$1"; b1=$(busy_ticks); t1=$(now)
  awk -v a="$b0" -v b="$b1" -v s="$t0" -v e="$t1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t / (e - s) }'
}

wait_idle() { # up to BENCH_WAIT_IDLE seconds, while Tomcat (ours) is idle
  local limit=${BENCH_WAIT_IDLE:-0} waited=0 busy
  (( limit > 0 )) || return 0
  while (( waited < limit )); do
    busy=$(machine_busy_cores 2); waited=$((waited + 2))
    if awk -v o="$busy" 'BEGIN { exit !(o < 0.25) }'; then return 0; fi
    (( waited % 20 == 0 )) && log "waiting for other processes to go quiet ($busy cores busy, ${waited}s of ${limit}s)"
  done
  log "other processes still busy after ${limit}s; measuring anyway"
}

# ---------------------------------------------------------------- result collection
ROWS=()
WARNINGS=()
declare -A RATE
# add_row NAME RATE P50 P99 ERRORS CPU_MS TOMCAT_CORES LOADGEN_CORES OTHER_CORES NOTE
add_row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 | $9 | ${10} |"); RATE[$1]=$2; }
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<< " $2" | sed 's#/s$##'; }

# measure NAME NOTE KIND COMMAND... : an unmeasured warm-up run (COMMAND with SECS=warm-up), then the measured
# run with Tomcat's CPU, the load generator's CPU (bash `times` of the subshell) and the machine's busy time.
# COMMAND may use the placeholder @SECS@ for its duration. KIND = wrk | java (which result line to parse).
measure() {
  local name=$1 note=$2 kind=$3; shift 3
  local cmd=("$@") warm=() run=() a
  for a in "${cmd[@]}"; do warm+=("${a//@SECS@/$WARMUP}"); run+=("${a//@SECS@/$SECONDS_MEASURED}"); done
  log "scenario: $name (warm-up ${WARMUP}s, then ${SECONDS_MEASURED}s)"
  wait_idle
  "${warm[@]}" >/dev/null 2>&1 || true
  local c0 c1 b0 b1 t0 t1 out line
  c0=$(cpu_ticks); b0=$(busy_ticks); t0=$(now)
  out=$( "${run[@]}" 2>&1 || true; echo "times:"; times )
  c1=$(cpu_ticks); b1=$(busy_ticks); t1=$(now)
  if [[ "$kind" == wrk ]]; then line=$(grep -a '^wrk_result' <<< "$out" || true); else line=$(grep -a '^requests=' <<< "$out" || true); fi
  if [[ -z "$line" ]]; then
    log "$kind printed no result:"; echo "$out" | tail -20 >&2
    add_row "$name" - - - - - - - - "load generator failed"; return
  fi
  log "$line"
  echo "$name: $line" >> "$WORK/raw-results.txt"
  # children's user and system time: the last line printed by `times`, e.g. "0m1.230s 0m0.450s"
  local lg; lg=$(sed -n '/^times:/{n;n;p}' <<< "$out" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] } print s }')
  local requests errors ok rate
  requests=$(field requests "$line")
  if [[ "$kind" == wrk ]]; then ok=$((requests - $(field non2xx "$line"))); rate=$(field ok_rate "$line"); errors=$(field errors "$line")
  else errors=$(field errors "$line"); ok=$((requests - errors)); rate=$(field rate "$line"); fi
  local stats
  stats=$(awk -v c0="$c0" -v c1="$c1" -v b0="$b0" -v b1="$b1" -v s="$t0" -v e="$t1" -v t="$CLK_TCK" -v n="$ok" -v lg="${lg:-0}" 'BEGIN {
      d = e - s; tc = (c1 - c0) / t; busy = (b1 - b0) / t
      printf "%s %.2f %.2f %.2f", (n > 0 ? sprintf("%.2f", tc * 1000 / n) : "-"), tc / d, lg / d, (busy - tc - lg) / d }')
  local cpu tomcat loadgen other; read -r cpu tomcat loadgen other <<< "$stats"
  local extra=""
  [[ "$(field statuses "$line")" == "200:$requests" ]] || extra="; statuses $(field statuses "$line")"
  if [[ "$*" == *BENCH_CLOSE=1* ]]; then extra="$extra; Connection: close on $(field closes "$line")/$requests responses"; fi
  if awk -v o="$other" 'BEGIN { exit !(o > 0.25) }'; then
    extra="$extra; **other processes busy ($other cores): figure disturbed**"
    WARNINGS+=("$name: other processes used $other cores during the measurement")
  fi
  add_row "$name" "$rate" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$errors" "$cpu" "$tomcat" "$loadgen" "$other" "$note$extra"
}

run_wrk() { # NAME NOTE PATH ENV...
  local name=$1 note=$2 path=$3; shift 3
  measure "$name" "$note" wrk env "$@" wrk -t2 -c"$CONNS" -d@SECS@s --timeout 30s --latency -s "$BENCH/enroll.lua" "https://localhost:$HTTPS$path"
}
run_reenroll() { # NAME NOTE
  measure "$1" "$2" java "$JAVA" -cp "$BENCH_CP" org.est4j.bench.ReenrollLoad "$URL/simplereenroll" \
    "$WORK/reenroll-cert.pem,$WORK/reenroll-key.pem" "$WORK/trust.pem" "$WORK/reenroll.b64" "$CONNS" @SECS@
}

# ---------------------------------------------------------------- build and prepare
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building (mvn -q -DskipTests install)"
  (cd "$ROOT" && mvn -q -DskipTests install) >&2
fi
# the servlet-container WAR (finalName est4j.war; est4j-ee.war is the one for full EE servers)
WAR=""
for w in "$ROOT/est-war/target/est4j.war" "$ROOT/est-war/target/est-war-0.1.0-SNAPSHOT.war"; do
  [[ -f "$w" ]] && { WAR=$w; break; }
done
[[ -n "$WAR" ]] || die "no WAR in est-war/target (build first)"
[[ -f "$TARGET/est-bench-0.1.0-SNAPSHOT.jar" ]] || die "no bench jar (build first)"
ACCP_JAR=$(ls "$TARGET"/lib/AmazonCorrettoCryptoProvider-*-linux-x86_64.jar | sed -n 1p)

# make sure no Tomcat of ours is left from an interrupted run
if [[ -s "$PIDFILE" ]]; then stop_tomcat; fi
if curl -sk -o /dev/null --max-time 2 "https://localhost:$HTTPS/" 2>/dev/null; then
  die "something already listens on port $HTTPS (not started by this script's PID file)"
fi

rm -rf "$CATALINA" "$EST_HOME_DIR" "$WORK"
mkdir -p "$WORK" "$TARGET/dl"
TOMCAT_VERSION=$(cd "$ROOT" && sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' pom.xml | sed -n 1p)
ZIP="$TARGET/dl/tomcat-$TOMCAT_VERSION.zip"
if [[ ! -f "$ZIP" ]]; then
  log "fetching Tomcat $TOMCAT_VERSION zip"
  (cd "$ROOT" && mvn -q -N dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:zip" -DoutputDirectory="$TARGET/dl")
fi
(cd "$WORK" && unzip -q "$ZIP" && mv "apache-tomcat-$TOMCAT_VERSION" "$CATALINA")
chmod +x "$CATALINA"/bin/*.sh
rm -rf "$CATALINA"/webapps/*
cp "$ROOT/est-war/src/main/tomcat/server.xml" "$CATALINA/conf/server.xml"
cp "$WAR" "$CATALINA/webapps/ROOT.war"

# java.security override: ACCP first, then the JDK's own providers renumbered
JAVA_HOME_DIR=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}
{
  echo "security.provider.1=com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider"
  grep -E '^security\.provider\.[0-9]+=' "$JAVA_HOME_DIR/conf/security/java.security" \
    | sort -t. -k3 -n | sed 's/^security\.provider\.[0-9]*=//' | awk '{ printf "security.provider.%d=%s\n", NR + 1, $0 }'
} > "$TARGET/java.security.accp"
# the same for the JDK 25 that runs Tomcat's OpenSSL connector (FFM needs JDK 22+)
JDK25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ -x "$JDK25/bin/java" ]]; then
  {
    echo "security.provider.1=com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider"
    grep -E '^security\.provider\.[0-9]+=' "$JDK25/conf/security/java.security" \
      | sort -t. -k3 -n | sed 's/^security\.provider\.[0-9]*=//' | awk '{ printf "security.provider.%d=%s\n", NR + 1, $0 }'
  } > "$TARGET/java.security.accp25"
else
  log "WARNING: no JDK 25 at $JDK25 (BENCH_JDK25): the OpenSSL-connector scenarios are skipped"
  WARNINGS+=("no JDK 25 at $JDK25: OpenSSL-connector scenarios skipped")
fi
TOMCAT_JAVA_HOME=$JAVA_HOME_DIR

# est4j.properties: does this server know crypto.provider yet?
HAS_CRYPTO_PROVIDER_KEY=0
grep -rq 'crypto\.provider' "$ROOT/est-war/src/main" && HAS_CRYPTO_PROVIDER_KEY=1

log "preparing EST_HOME in $EST_HOME_DIR"
(cd "$ROOT" && EST_HOME="$EST_HOME_DIR" mvn -q -DskipTests -P init package -pl est-war >/dev/null)
cat >> "$EST_HOME_DIR/est4j.properties" <<EOF

# --- bench/run.sh
ca.rsa3072.key-algorithm = RSA-3072
label.rsa3072.ca = rsa3072
EOF

# request bodies
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/p256-key.pem" -subj /CN=bench-1 -outform DER 2>/dev/null | base64 -w0 > "$WORK/p256.b64"
openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/rsa2048-key.pem" -subj /CN=bench-rsa -outform DER 2>/dev/null | base64 -w0 > "$WORK/rsa2048.b64"
AUTH="Basic $(tr -d '\n' < "$EST_HOME_DIR/initial-credentials" | base64 -w0)"
cat "$EST_HOME_DIR/ca.pem" "$EST_HOME_DIR/tls-server.pem" > "$WORK/trust.pem"

IDLE_BUSY=$(machine_busy_cores 3)
log "machine busy without our load: $IDLE_BUSY cores"
if awk -v o="$IDLE_BUSY" 'BEGIN { exit !(o > 0.25) }'; then
  log "WARNING: other processes keep $IDLE_BUSY cores busy: figures will be disturbed"
  WARNINGS+=("before the run, other processes kept $IDLE_BUSY cores busy")
  ps -eo pid,pcpu,etime,args --sort=-pcpu | sed -n 1,5p | cut -c1-160 >&2
fi

# ---------------------------------------------------------------- 1. JMH
JMH_LINES=""
if [[ "${BENCH_SKIP_JMH:-0}" != 1 ]]; then
  log "JMH raw crypto (accp, bouncycastle; P-256/P-256; 2 threads; ${JMH_SECONDS}s iterations)"
  jb0=$(busy_ticks); jt0=$(now)
  JMH_LINES=$("$JAVA" -cp "$BENCH_CP" org.est4j.bench.RawCryptoMain --providers accp,bouncycastle --ca EC-P256 --csr EC-P256 \
    --benchmarks raw,enrollPath --threads 2 --forks 1 --warmup 3 --iterations 3 --seconds "$JMH_SECONDS" 2>&1 \
    | tee "$WORK/jmh.log" | grep -a '^jmh ' || true; echo "times:"; times)
  jb1=$(busy_ticks); jt1=$(now)
  jlg=$(sed -n '/^times:/{n;n;p}' <<< "$JMH_LINES" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] } print s }')
  JMH_LINES=$(grep -a '^jmh ' <<< "$JMH_LINES" || true)
  JMH_OTHER=$(awk -v a="$jb0" -v b="$jb1" -v s="$jt0" -v e="$jt1" -v t="$CLK_TCK" -v lg="${jlg:-0}" 'BEGIN { printf "%.2f", ((b - a) / t - lg) / (e - s) }')
  echo "$JMH_LINES" >&2
  log "other processes during JMH: $JMH_OTHER cores"
  if awk -v o="$JMH_OTHER" 'BEGIN { exit !(o > 0.25) }'; then WARNINGS+=("JMH: other processes used $JMH_OTHER cores during the measurement"); fi
fi
jmh_rate() { # benchmark provider
  sed -n "s/^jmh benchmark=$1 provider=$2 .* ops_s=\([0-9.]*\).*/\1/p" <<< "$JMH_LINES" | sed -n 1p
}

# ---------------------------------------------------------------- 2. native, container-wide ACCP
start_tomcat native
# one enrollment by curl: proves the setup, and gives the certificate for /simplereenroll
code=$(curl -sk -o "$WORK/enroll.p7" -w '%{http_code}' -H "Authorization: $AUTH" -H 'Content-Type: application/pkcs10' \
  --data-binary @"$WORK/p256.b64" "$URL/simpleenroll")
[[ "$code" == 200 ]] || die "first /simpleenroll answered $code: $(head -c 300 "$WORK/enroll.p7")"
base64 -d < "$WORK/enroll.p7" | openssl pkcs7 -inform DER -print_certs -out "$WORK/reenroll-cert.pem"
cp "$WORK/p256-key.pem" "$WORK/reenroll-key.pem"
openssl req -new -key "$WORK/reenroll-key.pem" -subj /CN=bench-1 -outform DER 2>/dev/null | base64 -w0 > "$WORK/reenroll.b64"
code=$(curl -sk -o "$WORK/reenroll.p7" -w '%{http_code}' --cert "$WORK/reenroll-cert.pem" --key "$WORK/reenroll-key.pem" \
  -H 'Content-Type: application/pkcs10' --data-binary @"$WORK/reenroll.b64" "$URL/simplereenroll")
[[ "$code" == 200 ]] || log "WARNING: first /simplereenroll answered $code: $(head -c 300 "$WORK/reenroll.p7")"

EP=/.well-known/est/simpleenroll
run_wrk "enroll P-256, keep-alive, native" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
run_wrk "enroll P-256, new TLS connection per request, native" "HTTP Basic, Connection: close" $EP \
  BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" BENCH_CLOSE=1
run_reenroll "reenroll P-256, TLS client cert, keep-alive, native" "ReenrollLoad (Java)"
run_wrk "cacerts GET, keep-alive, native" "no auth" /.well-known/est/cacerts BENCH_METHOD=GET
run_wrk "enroll RSA-2048 CSR, P-256 CA, keep-alive, native" "HTTP Basic" $EP BENCH_BODY="$WORK/rsa2048.b64" BENCH_AUTH="$AUTH"
run_wrk "enroll P-256 CSR, RSA-3072 CA, keep-alive, native" "HTTP Basic, label rsa3072" /.well-known/est/rsa3072/simpleenroll BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
stop_tomcat

# ---------------------------------------------------------------- 2b. native TLS too: OpenSSL connector (JDK 25), ACCP
if [[ -x "$JDK25/bin/java" ]]; then
  start_tomcat openssl
  run_wrk "enroll P-256, keep-alive, native + OpenSSL connector (JDK 25)" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  run_wrk "enroll P-256, new TLS connection per request, native + OpenSSL connector (JDK 25)" "HTTP Basic, Connection: close" $EP \
    BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" BENCH_CLOSE=1
  run_wrk "cacerts GET, keep-alive, native + OpenSSL connector (JDK 25)" "no auth" /.well-known/est/cacerts BENCH_METHOD=GET
  stop_tomcat
fi

# ---------------------------------------------------------------- 3. pure Java
start_tomcat java
run_wrk "enroll P-256, keep-alive, pure Java (BouncyCastle)" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
stop_tomcat

# ---------------------------------------------------------------- 4. prior issuances
PRIOR_NOTE=""
if [[ "${BENCH_SKIP_PRIOR:-0}" != 1 ]]; then
  log "loading $PRIOR prior issuances into CA default"
  "$JAVA" -Xmx2g -cp "$BENCH_CP" org.est4j.bench.PriorIssuances "$EST_HOME_DIR" default "$PRIOR" 2>&1 | tee "$WORK/prior.log" >&2
  PRIOR_NOTE=$(grep -a 'prior issuances done' "$WORK/prior.log" || true)
  start_tomcat native
  run_wrk "enroll P-256, keep-alive, native, after $PRIOR prior issuances" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  stop_tomcat
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && a != "-" && b != "-" && b + 0 > 0) printf "%.4f", a / b; else print "-" }'; }
{
  echo "# est4j bench $STAMP"
  echo
  echo "$(uname -srm), $(nproc) cores, $("$JAVA" -version 2>&1 | sed -n 1p), git $(cd "$ROOT" && git rev-parse --short HEAD)"
  echo "BENCH_SECONDS=$SECONDS_MEASURED BENCH_WARMUP=$WARMUP BENCH_CONNECTIONS=$CONNS BENCH_PRIOR=$PRIOR; load generator on the same 2 cores; loopback"
  echo
  echo "Idle check before the run: $IDLE_BUSY cores busy without our load."
  echo
  echo "| scenario | req/s (2xx) | p50 ms | p99 ms | errors | server CPU ms/req | Tomcat cores | load gen cores | other cores | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  if [[ -n "$JMH_LINES" ]]; then
    echo "## JMH raw crypto (P-256 CA, P-256 CSR, 2 threads, ops/s)"
    echo
    echo "| benchmark | provider | ops/s | ± (99.9%) |"
    echo "|---|---|---:|---:|"
    sed -n 's/^jmh benchmark=\([^ ]*\) provider=\([^ ]*\) .* ops_s=\([0-9.]*\) error=\([0-9.NaN]*\).*/| \1 | \2 | \3 | \4 |/p' <<< "$JMH_LINES"
    echo
    echo "Other processes during JMH: ${JMH_OTHER:-?} cores (JMH itself uses both cores)."
    echo
    n="enroll P-256, keep-alive, native"; j="enroll P-256, keep-alive, pure Java (BouncyCastle)"
    echo "- enrollment / raw, native (ACCP): ${RATE[$n]:-} / $(jmh_rate raw accp) = $(ratio "${RATE[$n]:-}" "$(jmh_rate raw accp)")"
    echo "- enrollment / raw, pure Java (BouncyCastle): ${RATE[$j]:-} / $(jmh_rate raw bouncycastle) = $(ratio "${RATE[$j]:-}" "$(jmh_rate raw bouncycastle)")"
  fi
  if [[ "${BENCH_SKIP_PRIOR:-0}" != 1 ]]; then
    p="enroll P-256, keep-alive, native, after $PRIOR prior issuances"; n="enroll P-256, keep-alive, native"
    echo "- after $PRIOR prior issuances / empty store: ${RATE[$p]:-} / ${RATE[$n]:-} = $(ratio "${RATE[$p]:-}" "${RATE[$n]:-}") ($PRIOR_NOTE)"
  fi
  echo
  if (( ${#WARNINGS[@]} > 0 )); then
    echo "## Warnings"
    echo
    for w in "${WARNINGS[@]}"; do echo "- $w"; done
    echo
  fi
  echo "## crypto provider lines (catalina.out)"
  echo
  for l in "${PROVIDER_LINES[@]}"; do echo "- $l"; done
  echo
  echo "## catalina.out per Tomcat start"
  echo
  for l in "${LOG_STATS[@]}"; do echo "- $l"; done
  echo
  if [[ "$HAS_CRYPTO_PROVIDER_KEY" != 1 ]]; then
    echo "Note: this server has no crypto.provider key yet: it was not written; the WAR signs with its own provider choice in every run."
  fi
} > "$RESULTS"
cp "$WORK/raw-results.txt" "$TARGET/raw-results-$STAMP.txt" 2>/dev/null || true
echo
cat "$RESULTS"
log "written $RESULTS"
