#!/usr/bin/env bash
# est4j performance bench: builds the project, runs the WAR on a Tomcat 11 of its own (bench/target/tomcat,
# data in bench/target/est-home, both made anew each run), measures, prints a markdown table and writes it
# to bench/target/results-<timestamp>.md. Run from anywhere: bash bench/run.sh
#
# Loopback only (https://localhost:28443; ports 28080 http, 28443 https, 28005 shutdown, 28081 proxy; PostgreSQL 28432).
# Tomcat and the bench's PostgreSQL are stopped on exit (trap), by their own PID file and data directory.
# Needs wrk, curl, openssl, java 17, mvn; PostgreSQL 15 (initdb, pg_ctl, psql) for scenario 5.
#
# Scenarios (each: an unmeasured warm-up of BENCH_WARMUP s, a pause until Tomcat is idle, then BENCH_SECONDS s measured):
#   1. JMH raw crypto (server stopped): raw + enrollPath, accp and bouncycastle, P-256 CA / P-256 CSR, 2 threads
#   2. native provider container-wide (ACCP on Tomcat's class path + java.security.properties), JSSE connector, the
#      connector rows: enroll P-256 keep-alive at 16 and 4 connections | enroll with a new TLS connection per request
#      (Connection: close), session resumed and full handshake (wrk-tls.so) | /cacerts GET at 16 and 4 connections;
#      then /simplereenroll with a TLS client certificate (wrk-tls.so) | enroll RSA-2048 CSR (P-256 CA) |
#      enroll P-256 CSR against the RSA-3072 CA (label rsa3072)
#   2b. native TLS as well: Tomcat on JDK 25 (BENCH_JDK25) with its OpenSSL connector (FFM, server-openssl.xml) and
#      ACCP container-wide: the connector rows
#   2c. Conscrypt's TLS (BoringSSL) as the JSSE connector's SSLContext, JDK 17, ACCP: the connector rows
#   2d. experiment: JSSE (as 2) with jdk.tls.namedGroups=secp256r1,secp384r1,secp521r1: the two new-connection rows
#   2e. experiment: JSSE (as 2) with BouncyCastle's provider before SunEC, so that its XDH makes the x25519 key
#      shares: the two new-connection rows and keep-alive
#   3. pure Java: Tomcat without ACCP, crypto.provider = bouncycastle: enroll P-256 keep-alive
#   4. BENCH_PRIOR prior issuances loaded into CA "default" (server stopped), native again: enroll P-256 keep-alive,
#      with the ratio to the figure of scenario 2 (empty store)
#   5. PostgreSQL store (store = jdbc): a throw-away PostgreSQL 15 cluster in bench/target/pg (initdb as nobody when
#      run as root; fsync and synchronous_commit on: every issuance is committed durably before it is returned;
#      shared_buffers 512MB, max_wal_size 4GB), Tomcat's DBCP2 DataSource jdbc/est4j in conf/context.xml (pool of
#      2 x BENCH_CONNECTIONS), the driver in Tomcat's lib/; native as in 2: enroll P-256 keep-alive on the empty
#      store (Flyway makes the schema at Tomcat's start), then BENCH_PRIOR prior issuances inserted into
#      issued_certificate for CA "default" (bench/pg-prior.sql, Tomcat running, then VACUUM ANALYZE + CHECKPOINT),
#      and again with the same JVM. Ratios: to the file store (scenarios 2 and 4), and after BENCH_PRIOR / empty.
# For each: requests/s (2xx), p50/p99 latency, errors (socket errors + non-2xx), server CPU ms per 2xx request
# (utime+stime of Tomcat's JVM from /proc, which also counts GC/JIT; in scenario 5 plus PostgreSQL's: the postmaster,
# its live children and the children it has reaped, shown separately as well; the load generator shares the 2 cores).
#
# Environment:
#   BENCH_SECONDS      measured seconds per scenario (default 30, at most 60)
#   BENCH_WARMUP       unmeasured warm-up seconds before each scenario (default 10: the handshake paths are still being compiled after 5)
#   BENCH_START_WARMUP unmeasured enroll P-256 load after each Tomcat start, for the JIT (default 60 seconds: C2 needs about that long)
#   BENCH_SETTLE       after each warm-up, wait up to this many seconds for Tomcat to go idle (its JIT compiler threads
#                      to finish what the warm-up left them), so the measurement does not pay for it (default 60; 0 = off)
#   BENCH_CONNECTIONS  concurrent connections of wrk / ReenrollLoad (default 16)
#   BENCH_PRIOR        prior issuances for scenarios 4 and 5 (default 1000000)
#   BENCH_SKIP_PRIOR=1 skip scenario 4
#   BENCH_SKIP_PG=1    skip scenario 5 (PostgreSQL store)
#   BENCH_SKIP_JMH=1   skip scenario 1
#   BENCH_ONLY         run only these scenarios, comma-separated: jmh (1), native (2), openssl (2b), conscrypt (2c), java (3),
#                      prior (4), pg (5); e.g. BENCH_ONLY=native,pg (default: all; BENCH_SKIP_* still apply); the
#                      experiments p256 (2d) and bcxdh (2e) run only when listed
#   BENCH_PG_BIN       PostgreSQL's programs (default /usr/lib/postgresql/15/bin)
#   BENCH_PG_PORT      PostgreSQL's loopback port (default 28432)
#   BENCH_PG_POOL_ATTRS more attributes for the DataSource's <Resource>, to try a pool setting (e.g. testOnBorrow="false")
#   BENCH_JMH_SECONDS  JMH iteration time (default 5; 3 warm-up + 3 measured iterations, 1 fork)
#   BENCH_SKIP_BUILD=1 use the artifacts already built (no mvn package)
#   BENCH_PROFILE=1    profile Tomcat's JVM during each measured run with async-profiler (native frames too; loaded with
#                      jcmd JVMTI.agent_load, cpu event with ctimer fallback): bench/target/profiles/<timestamp>/<scenario>.html
#                      (flame graph) and .collapsed; the report lists each profile's top frames. Profiled figures are
#                      lower than unprofiled ones (rows marked "profiled"): for the figures, run without it.
#   BENCH_BASELINE     the "before" figures the report sets this run's against, with the targets of issue 17
#                      (default bench/baseline.tsv: medians of runs before that issue's changes, made by bench/medians.py)
#   BENCH_JAVA_OPTS    more options for Tomcat's JVM (after -Xms1g -Xmx1g), to try a JVM setting
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
WARMUP=${BENCH_WARMUP:-10}
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
PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${BENCH_PG_PORT:-28432}
PG_DIR="$TARGET/pg"          # socket, logs and data; owned by the unprivileged user PostgreSQL runs as
PG_DATA="$PG_DIR/data"
PROFILE=${BENCH_PROFILE:-0}
BASELINE=${BENCH_BASELINE:-$BENCH/baseline.tsv}
PROFILES="$TARGET/profiles/$STAMP"
PG_POOL=$((2 * CONNS))      # DataSource pool: room for every wrk connection plus Flyway, health checks, a second wave
# server.xml's ${...}: in JAVA_OPTS, because catalina.sh stop passes JAVA_OPTS but not CATALINA_OPTS
EST_PROPS="-Dest.home=$EST_HOME_DIR -Dest.http.port=28080 -Dest.https.port=$HTTPS -Dest.shutdown.port=28005 -Dest.proxy.port=28081"

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in wrk curl openssl "$JAVA" mvn; do
  command -v "$tool" >/dev/null || die "$tool is missing (wrk: apt-get install -y wrk)"
done

want() { # scenario key (jmh, native, openssl, conscrypt, java, prior, pg): listed in BENCH_ONLY, or BENCH_ONLY unset
  [[ -z "${BENCH_ONLY:-}" || ",${BENCH_ONLY// /}," == *",$1,"* ]]
}
asked() { # an experiment (p256, bcxdh): only when BENCH_ONLY lists it
  [[ ",${BENCH_ONLY// /}," == *",$1,"* ]]
}
RUN_PG=0
if want pg && [[ "${BENCH_SKIP_PG:-0}" != 1 ]]; then
  RUN_PG=1
  for tool in initdb pg_ctl psql; do
    [[ -x "$PG_BIN/$tool" ]] || die "$PG_BIN/$tool is missing (apt-get install -y postgresql-15, or BENCH_SKIP_PG=1)"
  done
fi

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

# ---------------------------------------------------------------- PostgreSQL control (only our own cluster in PG_DIR)
# initdb and postgres refuse to run as root: as root, they run as nobody, which owns PG_DIR
as_pg() {
  if (( EUID == 0 )); then (cd "$PG_DIR" && setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"); else (cd "$PG_DIR" && "$@"); fi
}
pg_pid() { [[ -s "$PG_DATA/postmaster.pid" ]] && sed -n 1p "$PG_DATA/postmaster.pid" || true; }
# psql as the superuser through the cluster's own socket (local connections: trust; over TCP a password is needed)
pg_sql() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres "$@"; }
stop_pg() {
  local pid; pid=$(pg_pid)
  [[ -n "$pid" ]] || return 0
  # a stale postmaster.pid may name another process by now: stop only a postgres running on our data directory
  if kill -0 "$pid" 2>/dev/null && grep -qa "$PG_DATA" "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping PostgreSQL (pid $pid)"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
}
start_pg() {
  stop_pg
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  if (( EUID == 0 )); then chown nobody:nogroup "$PG_DIR"; fi
  # --no-sync skips only initdb's own flush of the new cluster's files; the server below runs with fsync on
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --auth-local=trust --auth-host=scram-sha-256 --no-sync \
    > "$WORK/pg-initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$WORK/pg-initdb.log")"
  # durability is part of what is measured: fsync, synchronous_commit and full_page_writes stay on (written out, so a
  # changed default cannot flatter the figure); shared_buffers holds a 1,000,000-row table and its index, and
  # max_wal_size keeps the bulk load of prior issuances from forcing checkpoint after checkpoint
  cat >> "$PG_DATA/postgresql.conf" <<EOF

# --- bench/run.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 512MB
max_wal_size = 4GB
max_connections = $((PG_POOL + 20))
EOF
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DATA)"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgresql.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start: $(tail -5 "$PG_DIR/postgresql.log")"
}
pg_ticks() { # utime + stime of our PostgreSQL: the postmaster (with the children it has reaped) + its live children
  local pm c; pm=$(pg_pid)
  {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pm/stat"
    for c in $(ps -o pid= --ppid "$pm"); do awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk '{ s += $1 } END { print s + 0 }'
}

trap 'set +e; stop_tomcat; stop_pg' EXIT

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
  local mode_opts="" own_setenv=0
  if [[ "$mode" == native-bcxdh ]]; then
    # BouncyCastle's provider just before SunEC: JSSE's x25519 key shares come from BouncyCastle's XDH (Java too,
    # but faster than SunEC's on JDK 17); every algorithm ACCP or SUN has stays theirs
    mode_opts="-Djava.security.properties=$TARGET/java.security.bcxdh"
    mode=native
    local bc_jar; bc_jar=$(ls "$TARGET"/lib/bcprov-jdk18on-*.jar | sed -n 1p)
    cat > "$CATALINA/bin/setenv.sh" <<EOF
CLASSPATH="$ACCP_JAR:$bc_jar"
EOF
    own_setenv=1
  fi
  if [[ "$mode" == native-p256 ]]; then
    # JSSE without x25519: the client's x25519 key share (OpenSSL's default) is answered by a HelloRetryRequest
    # for secp256r1, which ACCP computes natively; SunEC's x25519 is Java
    mode_opts="-Djdk.tls.namedGroups=secp256r1,secp384r1,secp521r1"
    mode=native
  fi
  if [[ "$own_setenv" == 1 ]]; then
    : # setenv.sh written above
  elif [[ "$mode" == native ]]; then
    cat > "$CATALINA/bin/setenv.sh" <<EOF
CLASSPATH="$ACCP_JAR"
CATALINA_OPTS="\$CATALINA_OPTS -Djava.security.properties=$TARGET/java.security.accp"
EOF
  elif [[ "$mode" == conscrypt ]]; then
    # Conscrypt's TLS (BoringSSL) under Tomcat's JSSE connector: its SSLContext comes before SunJSSE's. Conscrypt's
    # "PKIX" TrustManagerFactory refuses the parameters Tomcat passes for PKIX, so the JDK's SunX509 factory checks
    # client certificates (est4j validates them again itself)
    sed -i 's/truststoreType="PKCS12"/truststoreType="PKCS12" truststoreAlgorithm="SunX509"/' "$CATALINA/conf/server.xml"
    grep -q 'truststoreAlgorithm="SunX509"' "$CATALINA/conf/server.xml" || die "could not set truststoreAlgorithm for Conscrypt"
    cat > "$CATALINA/bin/setenv.sh" <<EOF
CLASSPATH="$ACCP_JAR:$CONSCRYPT_JAR"
CATALINA_OPTS="\$CATALINA_OPTS -Djava.security.properties=$TARGET/java.security.conscrypt"
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
    JAVA_HOME="$TOMCAT_JAVA_HOME" JAVA_OPTS="$EST_PROPS" CATALINA_OPTS="-Xms1g -Xmx1g $mode_opts $PROFILE_OPTS ${BENCH_JAVA_OPTS:-}" "$CATALINA/bin/catalina.sh" start >/dev/null
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
  settle_tomcat
}

# Under load the request threads (and PostgreSQL) keep both cores busy, and the JIT's compiler threads fall behind:
# a warm-up leaves a queue of compilations that would otherwise run during, and be charged to, the next measurement
# (up to twice the CPU per request). Wait until Tomcat is idle: under 0.05 cores for 2 s, at most BENCH_SETTLE s.
settle_tomcat() {
  local limit=${BENCH_SETTLE:-60} waited=0 c0 c1 cores
  (( limit > 0 )) || return 0
  while (( waited < limit )); do
    c0=$(cpu_ticks); sleep 2; c1=$(cpu_ticks); waited=$((waited + 2))
    cores=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t / 2 }')
    if awk -v c="$cores" 'BEGIN { exit !(c < 0.05) }'; then
      (( waited <= 2 )) || log "Tomcat idle after ${waited}s (compilations left by the warm-up done)"
      return 0
    fi
  done
  log "Tomcat still busy ($cores cores) after ${limit}s of settling; measuring anyway"
  WARNINGS+=("Tomcat did not go idle within ${limit}s after a warm-up ($cores cores)")
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

# ---------------------------------------------------------------- profiling (BENCH_PROFILE=1)
PROFILE_OPTS=""
PROFILE_TOPS=()
# without DebugNonSafepoints the JIT records debug information only at safepoints, and samples land on the wrong line
[[ "$PROFILE" == 1 ]] && PROFILE_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
profiler() { # async-profiler command for Tomcat's JVM (start,... | dump,... | stop,...), through the JVM's own jcmd
  # quoted: jcmd would take the command's key=value parts for options of JVMTI.agent_load itself
  "$TOMCAT_JAVA_HOME/bin/jcmd" "$(tomcat_pid)" JVMTI.agent_load "$ASYNC_PROFILER" "\"$1\"" >> "$WORK/profiler.log" 2>&1
}
profile_slug() { tr 'A-Z' 'a-z' <<< "$1" | sed 's/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//'; }
# profile_top NAME FILE.collapsed: the frames with the most self time, and how the samples split between the kernel,
# native code (libssl/libcrypto, ACCP, the JVM) and Java (async-profiler's ann suffixes: _[k] kernel, _[j]/_[i] Java)
profile_top() {
  local name=$1 file=$2
  PROFILE_TOPS+=("### $name")
  PROFILE_TOPS+=("")
  PROFILE_TOPS+=("$(awk '{ n = $NF; $NF = ""; sub(/ $/, ""); k = split($0, f, ";"); leaf = f[k]; total += n
        if (leaf ~ /_\[k\]$/) kern += n; else if (leaf ~ /_\[[ji0-9]\]$/) java += n; else nat += n
        self[leaf] += n }
      END { if (total == 0) { print "(no samples)"; exit }
        printf "%d samples: kernel %.1f %%, native (OpenSSL, ACCP, JVM) %.1f %%, Java %.1f %%\n\n", total, 100 * kern / total, 100 * nat / total, 100 * java / total
        print "| self % | frame |"; print "|---:|---|"
        for (l in self) printf "%.1f\t%s\n", 100 * self[l] / total, l }' "$file" \
      | { IFS= read -r head; printf '%s\n' "$head"; IFS= read -r blank; echo; IFS= read -r h1; echo "$h1"; IFS= read -r h2; echo "$h2"
          sort -t$'\t' -k1,1 -rn | awk -F'\t' 'NR <= 15 { gsub(/\|/, "\\|", $2); printf "| %s | `%s` |\n", $1, substr($2, 1, 120) }'; })")
  PROFILE_TOPS+=("")
}

# ---------------------------------------------------------------- result collection
ROWS=()
WARNINGS=()
declare -A RATE
# add_row NAME RATE P50 P99 ERRORS CPU_MS TOMCAT_MS PG_MS TOMCAT_CORES PG_CORES LOADGEN_CORES OTHER_CORES NOTE
declare -A CPU_MS TOMCAT_MS PG_MS P99
add_row() {
  ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 | $9 | ${10} | ${11} | ${12} | ${13} |")
  RATE[$1]=$2; CPU_MS[$1]=$6; TOMCAT_MS[$1]=$7; PG_MS[$1]=$8; P99[$1]=$4
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<< " $2" | sed 's#/s$##'; }

# measure NAME NOTE KIND COMMAND... : an unmeasured warm-up run (COMMAND with SECS=warm-up), then the measured
# run with Tomcat's CPU, the load generator's CPU (bash `times` of the subshell) and the machine's busy time;
# with MEASURE_PG=1 also our PostgreSQL's CPU, which then counts in the server CPU per request.
# COMMAND may use the placeholder @SECS@ for its duration. KIND = wrk | java (which result line to parse).
MEASURE_PG=0
measure() {
  local name=$1 note=$2 kind=$3; shift 3
  local cmd=("$@") warm=() run=() a
  for a in "${cmd[@]}"; do warm+=("${a//@SECS@/$WARMUP}"); run+=("${a//@SECS@/$SECONDS_MEASURED}"); done
  log "scenario: $name (warm-up ${WARMUP}s, then ${SECONDS_MEASURED}s)"
  wait_idle
  "${warm[@]}" >/dev/null 2>&1 || true
  settle_tomcat
  local c0 c1 b0 b1 t0 t1 p0=0 p1=0 out line
  if [[ "$MEASURE_PG" == 1 ]]; then p0=$(pg_ticks); fi
  local slug=""
  if [[ "$PROFILE" == 1 ]]; then
    slug=$(profile_slug "$name")
    mkdir -p "$PROFILES"
    profiler "start,event=cpu,interval=1ms,ann" || log "WARNING: async-profiler did not start (see $WORK/profiler.log)"
  fi
  c0=$(cpu_ticks); b0=$(busy_ticks); t0=$(now)
  out=$( "${run[@]}" 2>&1 || true; echo "times:"; times )
  c1=$(cpu_ticks); b1=$(busy_ticks); t1=$(now)
  if [[ "$PROFILE" == 1 ]]; then
    profiler "dump,collapsed,ann,file=$PROFILES/$slug.collapsed" || true
    profiler "stop,file=$PROFILES/$slug.html" || true
    if [[ -s "$PROFILES/$slug.collapsed" ]]; then profile_top "$name" "$PROFILES/$slug.collapsed"; note="$note; profiled"
    else log "WARNING: no profile for $name (see $WORK/profiler.log)"; fi
  fi
  if [[ "$MEASURE_PG" == 1 ]]; then p1=$(pg_ticks); fi
  if [[ "$kind" == wrk ]]; then line=$(grep -a '^wrk_result' <<< "$out" || true); else line=$(grep -a '^requests=' <<< "$out" || true); fi
  if [[ -z "$line" ]]; then
    log "$kind printed no result:"; echo "$out" | tail -20 >&2
    add_row "$name" - - - - - - - - - - - "load generator failed"; return
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
  stats=$(awk -v c0="$c0" -v c1="$c1" -v p0="$p0" -v p1="$p1" -v pg="$MEASURE_PG" -v b0="$b0" -v b1="$b1" -v s="$t0" -v e="$t1" \
      -v t="$CLK_TCK" -v n="$ok" -v lg="${lg:-0}" 'BEGIN {
      d = e - s; tc = (c1 - c0) / t; pc = (p1 - p0) / t; busy = (b1 - b0) / t
      printf "%s %s %s %.2f %s %.2f %.2f",
        (n > 0 ? sprintf("%.2f", (tc + pc) * 1000 / n) : "-"), (n > 0 ? sprintf("%.2f", tc * 1000 / n) : "-"),
        (pg != 1 ? "-" : n > 0 ? sprintf("%.2f", pc * 1000 / n) : "-"),
        tc / d, (pg == 1 ? sprintf("%.2f", pc / d) : "-"), lg / d, (busy - tc - pc - lg) / d }')
  local cpu tomcat_ms pg_ms tomcat pg_cores loadgen other; read -r cpu tomcat_ms pg_ms tomcat pg_cores loadgen other <<< "$stats"
  local extra=""
  [[ "$(field statuses "$line")" == "200:$requests" ]] || extra="; statuses $(field statuses "$line")"
  if [[ "$*" == *BENCH_CLOSE=1* ]]; then extra="$extra; Connection: close on $(field closes "$line")/$requests responses"; fi
  if awk -v o="$other" 'BEGIN { exit !(o > 0.25) }'; then
    extra="$extra; **other processes busy ($other cores): figure disturbed**"
    WARNINGS+=("$name: other processes used $other cores during the measurement")
  fi
  add_row "$name" "$rate" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$errors" "$cpu" "$tomcat_ms" "$pg_ms" "$tomcat" "$pg_cores" \
    "$loadgen" "$other" "$note$extra"
}

run_wrk() { # NAME NOTE PATH ENV... (WRK_CONNS=n run_wrk ...: another connection count than BENCH_CONNECTIONS)
  local name=$1 note=$2 path=$3; shift 3
  local c=${WRK_CONNS:-$CONNS}
  measure "$name" "$note" wrk env "$@" wrk -t2 -c"$c" -d@SECS@s --timeout 30s --latency -s "$BENCH/enroll.lua" "https://localhost:$HTTPS$path"
}
handshake_rows() { # SUFFIX [NOTE]: enroll with a new TLS connection per request, the session resumed, then a full handshake
  local m=$1 note=${2:+; $2}
  run_wrk "enroll P-256, new TLS connection per request, session resumed, $m" "HTTP Basic, Connection: close; wrk resumes its TLS session$note" \
    $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" BENCH_CLOSE=1
  run_wrk "enroll P-256, new TLS connection per request, full handshake, $m" "HTTP Basic, Connection: close; wrk-tls.so: no resumption$note" \
    $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" BENCH_CLOSE=1 LD_PRELOAD="$WRK_TLS" WRK_TLS_NO_RESUME=1
}
# the rows every connector gets: MODE is the row names' suffix ("native", "native + OpenSSL connector (JDK 25)", ...)
# wrk keeps its TLS session across reconnects (SSL_clear), so "Connection: close" alone measures resumed handshakes;
# with the no-resume shim preloaded every connection is a full handshake (certificate, CertificateVerify signature)
connector_rows() { # MODE
  local m=$1
  run_wrk "enroll P-256, keep-alive, $m" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  WRK_CONNS=4 run_wrk "enroll P-256, keep-alive, 4 connections, $m" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  handshake_rows "$m"
  run_wrk "cacerts GET, keep-alive, $m" "no auth" /.well-known/est/cacerts BENCH_METHOD=GET
  WRK_CONNS=4 run_wrk "cacerts GET, keep-alive, 4 connections, $m" "no auth" /.well-known/est/cacerts BENCH_METHOD=GET
}

# ---------------------------------------------------------------- build and prepare
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  # package, not install: the local Maven repository may be shared with other work trees
  log "building (mvn -q -DskipTests package -pl est-war,bench -am)"
  (cd "$ROOT" && mvn -q -DskipTests package -pl est-war,bench -am) >&2
fi
# the servlet-container WAR (finalName est4j.war; est4j-ee.war is the one for full EE servers)
WAR=""
for w in "$ROOT/est-war/target/est4j.war" "$ROOT/est-war/target/est-war-0.1.0-SNAPSHOT.war"; do
  [[ -f "$w" ]] && { WAR=$w; break; }
done
[[ -n "$WAR" ]] || die "no WAR in est-war/target (build first)"
[[ -f "$TARGET/est-bench-0.1.0-SNAPSHOT.jar" ]] || die "no bench jar (build first)"
[[ -d "$ROOT/est-war/target/est4j/WEB-INF/classes" ]] || die "no exploded WAR in est-war/target/est4j (build first)"
ACCP_JAR=$(ls "$TARGET"/lib/AmazonCorrettoCryptoProvider-*-linux-x86_64.jar | sed -n 1p)
# wrk's missing TLS options (full handshakes, a client certificate): an LD_PRELOAD shim, bench/src/main/c/wrk-tls.c
WRK_TLS="$TARGET/wrk-tls.so"
command -v gcc >/dev/null || die "gcc is missing (it builds bench/src/main/c/wrk-tls.c, wrk's TLS options)"
gcc -shared -fPIC -O2 -o "$WRK_TLS" "$BENCH/src/main/c/wrk-tls.c" -ldl -lssl || die "could not build bench/src/main/c/wrk-tls.c"
ASYNC_PROFILER="$TARGET/async-profiler/linux-x64/libasyncProfiler.so"
if [[ "$PROFILE" == 1 ]]; then
  rm -rf "$TARGET/async-profiler"
  unzip -q -o "$(ls "$TARGET"/lib/async-profiler-*.jar | sed -n 1p)" 'linux-x64/*' -d "$TARGET/async-profiler"
  [[ -f "$ASYNC_PROFILER" ]] || die "no linux-x64/libasyncProfiler.so in bench/target/lib/async-profiler-*.jar"
fi

# make sure no Tomcat of ours is left from an interrupted run
if [[ -s "$PIDFILE" ]]; then stop_tomcat; fi
if curl -sk -o /dev/null --max-time 2 "https://localhost:$HTTPS/" 2>/dev/null; then
  die "something already listens on port $HTTPS (not started by this script's PID file)"
fi
if [[ "$RUN_PG" == 1 ]]; then
  stop_pg # ours, left by an interrupted run
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
    die "something already listens on port $PG_PORT (BENCH_PG_PORT), not our PostgreSQL"
  fi
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

# java.security overrides: a JDK's providers in its order, with others put in before one of them, renumbered
providers() { # JDK_HOME [CLASS BEFORE]... : CLASS goes in just before the provider named BEFORE
  local jdk=$1; shift
  grep -E '^security\.provider\.[0-9]+=' "$jdk/conf/security/java.security" | sort -t. -k3 -n \
    | sed 's/^security\.provider\.[0-9]*=//' \
    | awk -v add="$*" 'BEGIN { n = split(add, a, " "); for (i = 1; i < n; i += 2) before[a[i + 1]] = before[a[i + 1]] a[i] " " }
        { k = split(before[$1], c, " "); for (i = 1; i <= k; i++) print c[i]; print }' \
    | awk '{ printf "security.provider.%d=%s\n", NR, $0 }'
}
ACCP=com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider
JAVA_HOME_DIR=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}
providers "$JAVA_HOME_DIR" "$ACCP" SUN > "$TARGET/java.security.accp"
# BouncyCastle's just before SunEC (mode native-bcxdh)
providers "$JAVA_HOME_DIR" "$ACCP" SUN org.bouncycastle.jce.provider.BouncyCastleProvider SunEC > "$TARGET/java.security.bcxdh"
# Conscrypt after ACCP, so that its SSLContext is found before SunJSSE's
CONSCRYPT_JAR=$(ls "$TARGET"/lib/conscrypt-openjdk-uber-*.jar | sed -n 1p)
providers "$JAVA_HOME_DIR" "$ACCP" SUN org.conscrypt.OpenSSLProvider SUN > "$TARGET/java.security.conscrypt"
# the same for the JDK 25 that runs Tomcat's OpenSSL connector (FFM needs JDK 22+)
JDK25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ -x "$JDK25/bin/java" ]]; then
  providers "$JDK25" "$ACCP" SUN > "$TARGET/java.security.accp25"
else
  log "WARNING: no JDK 25 at $JDK25 (BENCH_JDK25): the OpenSSL-connector scenarios are skipped"
  WARNINGS+=("no JDK 25 at $JDK25: OpenSSL-connector scenarios skipped")
fi
TOMCAT_JAVA_HOME=$JAVA_HOME_DIR

# est4j.properties: does this server know crypto.provider yet?
HAS_CRYPTO_PROVIDER_KEY=0
grep -rq 'crypto\.provider' "$ROOT/est-war/src/main" && HAS_CRYPTO_PROVIDER_KEY=1

log "preparing EST_HOME in $EST_HOME_DIR"
# EstHomeInit from the WAR just built (what mvn -P init runs), without resolving modules from the local repository
EST_HOME="$EST_HOME_DIR" "$JAVA" -Dest.home="$EST_HOME_DIR" \
  -cp "$ROOT/est-war/target/est4j/WEB-INF/classes:$ROOT/est-war/target/est4j/WEB-INF/lib/*" org.est4j.war.EstHomeInit \
  > "$WORK/esthome-init.log" 2>&1 || die "EstHomeInit failed: $(tail -5 "$WORK/esthome-init.log")"
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
if want jmh && [[ "${BENCH_SKIP_JMH:-0}" != 1 ]]; then
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

EP=/.well-known/est/simpleenroll
N_ROW="enroll P-256, keep-alive, native"
P_ROW="enroll P-256, keep-alive, native, after $PRIOR prior issuances"
PG_ROW="enroll P-256, keep-alive, native, PostgreSQL store"
PGP_ROW="enroll P-256, keep-alive, native, PostgreSQL store, after $PRIOR prior issuances"

# ---------------------------------------------------------------- 2. native, container-wide ACCP
if want native; then
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

connector_rows native
# wrk with a client certificate (wrk-tls.so): the Java driver ReenrollLoad used more CPU than the server it measured
run_wrk "reenroll P-256, TLS client cert, keep-alive, native" "wrk-tls.so: TLS client certificate" /.well-known/est/simplereenroll \
  BENCH_BODY="$WORK/reenroll.b64" LD_PRELOAD="$WRK_TLS" WRK_TLS_CERT="$WORK/reenroll-cert.pem" WRK_TLS_KEY="$WORK/reenroll-key.pem"
run_wrk "enroll RSA-2048 CSR, P-256 CA, keep-alive, native" "HTTP Basic" $EP BENCH_BODY="$WORK/rsa2048.b64" BENCH_AUTH="$AUTH"
run_wrk "enroll P-256 CSR, RSA-3072 CA, keep-alive, native" "HTTP Basic, label rsa3072" /.well-known/est/rsa3072/simpleenroll BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
stop_tomcat
fi

# ---------------------------------------------------------------- 2b. native TLS too: OpenSSL connector (JDK 25), ACCP
if want openssl && [[ -x "$JDK25/bin/java" ]]; then
  start_tomcat openssl
  connector_rows "native + OpenSSL connector (JDK 25)"
  stop_tomcat
fi

# ---------------------------------------------------------------- 2d. JSSE handshakes on secp256r1 instead of x25519
if asked p256; then
  start_tomcat native-p256
  handshake_rows "native, JSSE without x25519" "HelloRetryRequest to secp256r1"
  stop_tomcat
fi

# ---------------------------------------------------------------- 2e. JSSE's x25519 from BouncyCastle
if asked bcxdh; then
  start_tomcat native-bcxdh
  handshake_rows "native, x25519 by BouncyCastle"
  run_wrk "enroll P-256, keep-alive, native, x25519 by BouncyCastle" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  stop_tomcat
fi

# ---------------------------------------------------------------- 2c. Conscrypt's TLS (JDK 17, JSSE connector), ACCP
if want conscrypt; then
  start_tomcat conscrypt
  connector_rows "native + Conscrypt TLS"
  stop_tomcat
fi

# ---------------------------------------------------------------- 3. pure Java
if want java; then
  start_tomcat java
  run_wrk "enroll P-256, keep-alive, pure Java (BouncyCastle)" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  stop_tomcat
fi

# ---------------------------------------------------------------- 4. prior issuances
PRIOR_NOTE=""
RUN_PRIOR=0
if want prior && [[ "${BENCH_SKIP_PRIOR:-0}" != 1 ]]; then
  RUN_PRIOR=1
  log "loading $PRIOR prior issuances into CA default"
  "$JAVA" -Xmx2g -cp "$BENCH_CP" org.est4j.bench.PriorIssuances "$EST_HOME_DIR" default "$PRIOR" 2>&1 | tee "$WORK/prior.log" >&2
  PRIOR_NOTE=$(grep -a 'prior issuances done' "$WORK/prior.log" || true)
  start_tomcat native
  run_wrk "$P_ROW" "HTTP Basic" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  # Tomcat's resident memory after the prior issuances and at least 60 s of enroll load since this start
  loaded=$((START_WARMUP + 2 * WARMUP + SECONDS_MEASURED))
  if (( loaded < 60 )); then
    BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH" wrk -t2 -c"$CONNS" -d"$((60 - loaded))s" --timeout 30s -s "$BENCH/enroll.lua" \
      "$URL/simpleenroll" >/dev/null 2>&1 || true
    loaded=60
  fi
  pid=$(tomcat_pid)
  RSS_NOTE=$(awk -v s="$loaded" '/^VmRSS|^VmHWM/ { v[$1] = $2 } END { printf "Tomcat resident memory after %s s of enroll load: %d MiB (peak %d MiB)", s, v["VmRSS:"] / 1024, v["VmHWM:"] / 1024 }' "/proc/$pid/status")
  heap=$("$TOMCAT_JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ { print $0; exit }' | sed 's/^ *//' || true)
  RSS_NOTE="$RSS_NOTE; Java heap: ${heap:-?} (-Xms1g -Xmx1g); threads: $(awk '/^Threads/ { print $2 }' "/proc/$pid/status")"
  log "$RSS_NOTE"
  stop_tomcat
fi

# ---------------------------------------------------------------- 5. PostgreSQL store
PG_NOTES=()
if [[ "$RUN_PG" == 1 ]]; then
  start_pg
  PG_PASSWORD=$(openssl rand -hex 24)
  # through stdin, not the command line (ps shows arguments to everyone)
  pg_sql -d postgres <<EOF
CREATE ROLE est4j LOGIN PASSWORD '$PG_PASSWORD';
CREATE DATABASE est4j OWNER est4j;
EOF
  ( umask 077; printf '%s\n' "$PG_PASSWORD" > "$EST_HOME_DIR/store-password" )
  # Tomcat's own DBCP2 pool (the documented deployment); the driver beside it in lib/
  cp "$TARGET"/lib/postgresql-*.jar "$CATALINA/lib/"
  cp "$CATALINA/conf/context.xml" "$WORK/context.xml.orig"
  ( umask 077; cat > "$WORK/pg-resource.xml" <<EOF
    <Resource name="jdbc/est4j" auth="Container" type="javax.sql.DataSource" driverClassName="org.postgresql.Driver"
              url="jdbc:postgresql://127.0.0.1:$PG_PORT/est4j" username="est4j" password="$PG_PASSWORD"
              maxTotal="$PG_POOL" maxIdle="$PG_POOL" maxWaitMillis="10000" ${BENCH_PG_POOL_ATTRS:-}/>
EOF
  )
  awk -v f="$WORK/pg-resource.xml" '/<\/Context>/ { while ((getline l < f) > 0) print l } { print }' "$WORK/context.xml.orig" \
    > "$CATALINA/conf/context.xml"
  chmod 600 "$CATALINA/conf/context.xml"
  grep -q 'name="jdbc/est4j"' "$CATALINA/conf/context.xml" || die "could not add the DataSource to $CATALINA/conf/context.xml"
  # store.jdbc-*: for code outside Tomcat (Admin, EstHomeInit); the WAR uses the container's DataSource
  cp "$EST_HOME_DIR/est4j.properties" "$WORK/est4j.properties.file-store"
  cat >> "$EST_HOME_DIR/est4j.properties" <<EOF

# --- bench/run.sh: PostgreSQL store (scenario 5)
store = jdbc
store.jdbc-url = jdbc:postgresql://127.0.0.1:$PG_PORT/est4j
store.jdbc-user = est4j
store.jdbc-password-file = store-password
EOF
  pg_count() { pg_sql -d est4j -c "SELECT count(*) FROM issued_certificate WHERE ca_name = 'default'"; }
  start_tomcat native
  # the start-up warm-up enrolled through the DataSource: rows in the table prove the JDBC store is in use
  [[ "$(pg_count)" -gt 0 ]] || die "PostgreSQL holds no issued certificate after the warm-up: est4j did not use the JDBC store"
  # one enrollment by curl: its certificate is the model for the prior issuances' der column
  code=$(curl -sk -o "$WORK/pg-enroll.p7" -w '%{http_code}' -H "Authorization: $AUTH" -H 'Content-Type: application/pkcs10' \
    --data-binary @"$WORK/p256.b64" "$URL/simpleenroll")
  [[ "$code" == 200 ]] || die "/simpleenroll on the PostgreSQL store answered $code: $(head -c 300 "$WORK/pg-enroll.p7")"
  base64 -d < "$WORK/pg-enroll.p7" | openssl pkcs7 -inform DER -print_certs | openssl x509 -outform DER -out "$WORK/pg-model.der"
  n_before=$(pg_count)
  MEASURE_PG=1
  run_wrk "$PG_ROW" "HTTP Basic; $n_before certificates of CA default in the table before" $EP BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  MEASURE_PG=0
  log "loading $PRIOR prior issuances into issued_certificate (CA default; Tomcat running, idle)"
  pg_t0=$(now)
  pg_sql -d est4j -v count="$PRIOR" -v ca=default -v der="$(od -An -v -tx1 "$WORK/pg-model.der" | tr -d ' \n')" \
    -f "$BENCH/pg-prior.sql" > "$WORK/pg-prior.log" 2>&1 || die "loading prior issuances failed: $(tail -5 "$WORK/pg-prior.log")"
  pg_t1=$(now)
  PG_LOAD_NOTE=$(awk -v s="$pg_t0" -v e="$pg_t1" -v n="$PRIOR" 'BEGIN { printf "%d rows inserted, vacuumed, analysed and checkpointed in %.1f s", n, e - s }')
  PG_LOAD_NOTE="$PG_LOAD_NOTE; $(grep -a '^size ' "$WORK/pg-prior.log" || true)"
  log "$PG_LOAD_NOTE"
  n_before=$(pg_count)
  MEASURE_PG=1
  run_wrk "$PGP_ROW" "HTTP Basic; same JVM; $n_before certificates of CA default in the table before" $EP \
    BENCH_BODY="$WORK/p256.b64" BENCH_AUTH="$AUTH"
  MEASURE_PG=0
  stop_tomcat
  PG_NOTES+=("PostgreSQL $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //'): $(pg_sql -d est4j -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_wal_size')")")
  PG_NOTES+=("DataSource: Tomcat DBCP2, maxTotal=maxIdle=$PG_POOL ${BENCH_PG_POOL_ATTRS:-}; data directory on $(df -T "$PG_DIR" | awk 'NR == 2 { print $2 " (" $1 ")" }')")
  PG_NOTES+=("prior issuances: $PG_LOAD_NOTE")
  # back to the file store for anything that runs later
  cp "$WORK/est4j.properties.file-store" "$EST_HOME_DIR/est4j.properties"
  cp "$WORK/context.xml.orig" "$CATALINA/conf/context.xml"
  stop_pg
fi

# ---------------------------------------------------------------- report
# "before" figures (BASELINE, bench/medians.py --tsv) against this run's: a row per scenario both have, then the targets
baseline() { # ROW [COLUMN: 2 req/s, 3 p99 ms, 4 CPU ms/req]
  awk -F'\t' -v n="$1" -v c="${2:-2}" '$1 == n { print $c; exit }' "$BASELINE"
}
now_rate() { # ROW: this run's req/s, or ops/s of a "jmh BENCHMARK PROVIDER" row
  if [[ "$1" == jmh\ * ]]; then set -- $1; jmh_rate "$2" "$3"; else echo "${RATE[$1]:-}"; fi
}
target() { # TEXT VALUE OP LIMIT: one line of the targets list
  local verdict
  verdict=$(awk -v v="$2" -v o="$3" -v l="$4" 'BEGIN { if (v == "" || v == "-") print "not measured"
    else if ((o == ">=" && v + 0 >= l + 0) || (o == "<=" && v + 0 <= l + 0)) print "**met**"; else print "**missed**" }')
  echo "- $1: ${2:--} (target $3 $4): $verdict"
}
before_after() {
  echo "## Before and after"
  echo
  echo "Before: $(sed -n 1p "$BASELINE" | sed 's/^# //') ($BASELINE). One run is not a verdict: compare medians of three (bench/medians.py)."
  echo
  echo "| scenario | req/s before | req/s now | now / before | p99 ms before | p99 ms now | CPU ms/req before | CPU ms/req now |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  local name rate p99 cpu runs now
  while IFS=$'\t' read -r name rate p99 cpu runs; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    now=$(now_rate "$name")
    [[ -n "$now" ]] || continue
    echo "| $name | $rate | $now | $(ratio "$now" "$rate") | $p99 | ${P99[$name]:--} | $cpu | ${CPU_MS[$name]:--} |"
  done < "$BASELINE"
  echo
  echo "Targets (issue 17), this run:"
  echo
  local n=$N_ROW
  target "enroll P-256 keep-alive, 16 connections, now / before" "$(ratio "${RATE[$n]:-}" "$(baseline "$n")")" ">=" 2.0
  target "enroll P-256 keep-alive / raw verify+sign (JMH, ACCP)" "$(ratio "${RATE[$n]:-}" "$(jmh_rate raw accp)")" ">=" 0.35
  local r
  for r in "enroll P-256, new TLS connection per request, full handshake, native" "enroll P-256, new TLS connection per request, session resumed, native"; do
    target "${r#enroll P-256, }, now / before" "$(ratio "${RATE[$r]:-}" "$(baseline "$r")")" ">=" 2.0
  done
  target "reenroll with a TLS client certificate / enroll" "$(ratio "${RATE[reenroll P-256, TLS client cert, keep-alive, native]:-}" "${RATE[$n]:-}")" ">=" 0.80
  r="cacerts GET, keep-alive, 4 connections, native"
  target "/cacerts, 4 connections, now / before" "$(ratio "${RATE[$r]:-}" "$(baseline "$r")")" ">=" 2.0
  target "enroll P-256 keep-alive, 16 connections, p99 ms" "${P99[$n]:-}" "<=" 25
  r="enroll P-256, keep-alive, pure Java (BouncyCastle)"
  target "pure Java enroll, now / before (no regression)" "$(ratio "${RATE[$r]:-}" "$(baseline "$r")")" ">=" 0.95
  echo
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && a != "-" && b != "-" && b + 0 > 0) printf "%.4f", a / b; else print "-" }'; }
{
  echo "# est4j bench $STAMP"
  echo
  echo "$(uname -srm), $(nproc) cores, $("$JAVA" -version 2>&1 | sed -n 1p), git $(cd "$ROOT" && git rev-parse --short HEAD)"
  echo "BENCH_SECONDS=$SECONDS_MEASURED BENCH_WARMUP=$WARMUP BENCH_CONNECTIONS=$CONNS BENCH_PRIOR=$PRIOR; load generator on the same 2 cores; loopback"
  echo
  echo "Idle check before the run: $IDLE_BUSY cores busy without our load."
  echo
  echo "| scenario | req/s (2xx) | p50 ms | p99 ms | errors | server CPU ms/req | Tomcat ms/req | PostgreSQL ms/req | Tomcat cores | PostgreSQL cores | load gen cores | other cores | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
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
    n=$N_ROW; j="enroll P-256, keep-alive, pure Java (BouncyCastle)"
    echo "- enrollment / raw, native (ACCP): ${RATE[$n]:-} / $(jmh_rate raw accp) = $(ratio "${RATE[$n]:-}" "$(jmh_rate raw accp)")"
    echo "- enrollment / raw, pure Java (BouncyCastle): ${RATE[$j]:-} / $(jmh_rate raw bouncycastle) = $(ratio "${RATE[$j]:-}" "$(jmh_rate raw bouncycastle)")"
  fi
  if [[ "$RUN_PRIOR" == 1 ]]; then
    echo "- after $PRIOR prior issuances / empty store: ${RATE[$P_ROW]:-} / ${RATE[$N_ROW]:-} = $(ratio "${RATE[$P_ROW]:-}" "${RATE[$N_ROW]:-}") ($PRIOR_NOTE)"
    echo "- ${RSS_NOTE:-}"
  fi
  if [[ "$RUN_PG" == 1 ]]; then
    echo "- PostgreSQL store / file store, empty: ${RATE[$PG_ROW]:-} / ${RATE[$N_ROW]:-} = $(ratio "${RATE[$PG_ROW]:-}" "${RATE[$N_ROW]:-}") (target: at least 0.8)"
    if [[ "$RUN_PRIOR" == 1 ]]; then
      echo "- PostgreSQL store / file store, after $PRIOR prior issuances: ${RATE[$PGP_ROW]:-} / ${RATE[$P_ROW]:-} = $(ratio "${RATE[$PGP_ROW]:-}" "${RATE[$P_ROW]:-}")"
    fi
    echo "- PostgreSQL store, after $PRIOR prior issuances / empty: ${RATE[$PGP_ROW]:-} / ${RATE[$PG_ROW]:-} = $(ratio "${RATE[$PGP_ROW]:-}" "${RATE[$PG_ROW]:-}") (target: flat, about 1)"
    # on these 2 cores PostgreSQL, Tomcat and wrk share the CPU, so the rate ratio is about the inverse CPU ratio
    echo "- server CPU ms per enrollment, empty store: file ${CPU_MS[$N_ROW]:-} (Tomcat) vs PostgreSQL store ${CPU_MS[$PG_ROW]:-} (Tomcat ${TOMCAT_MS[$PG_ROW]:-} + PostgreSQL ${PG_MS[$PG_ROW]:-}); Tomcat alone, PostgreSQL store / file store = $(ratio "${TOMCAT_MS[$PG_ROW]:-}" "${TOMCAT_MS[$N_ROW]:-}")"
    for l in "${PG_NOTES[@]}"; do echo "- $l"; done
  fi
  echo
  if [[ -f "$BASELINE" ]]; then
    before_after
  fi
  if (( ${#PROFILE_TOPS[@]} > 0 )); then
    echo "## Profiles (async-profiler, cpu, 1 ms; flame graphs and collapsed stacks in $PROFILES)"
    echo
    printf '%s\n' "${PROFILE_TOPS[@]}"
  fi
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
