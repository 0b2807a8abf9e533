#!/usr/bin/env bash
# Checker benchmark: kubelvs' health checker (HealthChecker + Probers, io.kubelvs.agent.check)
# checking 10,000 HTTP real servers every second.
#
# The real servers are two processes (CheckBenchServers), each listening on 5,000 loopback
# sockets - addresses 127.1.0.1-100, ports 20000-20099 - and answering each GET with a small
# HTTP 200. Everything is on loopback: no address is added anywhere, 127.0.0.0/8 is routed to lo.
# On a 2-core machine the servers and the checker share the cores. The servers stand in for real
# servers on other machines, so for the measured window they run at nice 10: they still get every
# cycle the checker leaves (a server that fell behind would show as false down decisions, which are
# counted), but they no longer delay the checker's loop. At nice 0 the loop ran up to 400 ms late
# (loop_lag_p99_ms ~300) at the same checker CPU, and the detection delays measured the servers'
# queueing as much as the checker. During the warm-up they run at nice 0: against the checker's
# JIT compiler threads, niced servers fell so far behind that thousands of checks timed out.
# The checker (CheckBenchMain) runs HTTP_GET / expecting 200 on each, delay_loop 1 s,
# connect_timeout 1 s, retry 0, warmup = delay_loop. After a warm-up it measures for
# --seconds (default 60): probes completed per second, the CPU of its whole JVM (all threads,
# GC and JIT) in cores, and its RSS. From a quarter of the window on, 2% of the servers fail, ten
# a second for 20 s - a third refuse connections, a third answer 503, a third accept and never
# answer - and each failure's delay to the checker's down decision is taken from the two processes'
# wall clocks. The failures are spread over time as independent servers fail, so a moment the
# checker's process stalls (a GC, the host) weighs in the percentiles by its share of the time;
# 100 servers failing at one instant, as this bench did before, put every decision in the same 2 s,
# and one stall there moved the p99 by hundreds of ms from one trial to the next.
# Target (the checker issue): 10k checks/s on <= 1 core, p99 detection <= interval +
# connect timeout + 50 ms. keepalived cannot be run beside it here: its checker process needs
# the ip_vs module, which this kernel lacks; as the floor, ApacheBench (a C client, Debian's
# apache2-utils) makes the same requests and its CPU per request is printed beside ours.
#
# Last line: RESULT checks_per_s=<n> cpu_cores=<c> rss_mib=<m> p50_detect_ms=<ms>
#            p99_detect_ms=<ms> interval_ms=1000 connect_timeout_ms=<ms> cpu_us_per_check=<us>
#            ab_cpu_us_per_check=<us> loop_lag_p99_ms=<ms>
#
# Each trial starts fresh servers and a fresh checker; the RESULT figures are the medians over
# --trials (default 3), each trial's own line printed first as TRIAL.
#
# Usage: hack/bench-checks.sh [--seconds N] [--trials N] [--loops N]
#   --loops: the checker's event loop threads (default: as the agent runs them, Probers.DEFAULT_LOOPS,
#            2 on 2 cores or more).
#   JVM flags: CHECK_BENCH_JAVA_OPTS
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60 trials=3 loops=default
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --loops) loops=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--trials N] [--loops N]" >&2; exit 2 ;;
  esac
done
readonly INTERVAL_MS=1000 TIMEOUT_MS=1000 WARM_S=10 FAIL_SECONDS=20
[ "$seconds" -ge $((FAIL_SECONDS + 20)) ] || { echo "--seconds must be at least $((FAIL_SECONDS + 20))" >&2; exit 2; }
java_opts=${CHECK_BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx256m}

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  exec 7>&- 8>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v ab >/dev/null || { echo "needs ab (apt-get install apache2-utils)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
# Each server process holds 5,000 listening sockets and its open connections.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 12000 ] ||
  { echo "needs at least 12000 open files (ulimit -n), have $(ulimit -n)" >&2; exit 1; }
./mvnw -B -q -pl agent -am test-compile -DskipTests >/dev/null
./mvnw -B -q -pl agent dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath" >/dev/null
cp -r agent/target/classes "$work/classes"
cp -r agent/target/test-classes "$work/test-classes"
classpath="$work/test-classes:$work/classes:$(cat "$work/classpath")"

for octet in $(seq 1 100); do
  for port in $(seq 20000 20099); do echo "127.1.0.$octet $port"; done
done >"$work/targets"

# One trial: fresh servers, a fresh checker, the figures. Prints its TRIAL line last.
trial() {
  local n
  pids=()
  # --- the real servers: two processes, commands on a FIFO each --------------------------------
  start_servers() { # N ADDRESSES
    mkfifo "$work/in$1"
    java -XX:+UseSerialGC -cp "$classpath" io.kubelvs.agent.check.CheckBenchServers \
      --addresses "$2" --ports 20000-20099 <"$work/in$1" >"$work/servers$1.out" 2>"$work/servers$1.err" &
    pids+=($!)
  }
  start_servers 1 127.1.0.1-127.1.0.50
  exec 7>"$work/in1"
  start_servers 2 127.1.0.51-127.1.0.100
  exec 8>"$work/in2"
  for n in 1 2; do
    for _ in $(seq 1 300); do grep -q '^READY' "$work/servers$n.out" && break; sleep 0.1; done
    grep -q '^READY 5000$' "$work/servers$n.out" || { cat "$work/servers$n.err" >&2; exit 1; }
  done

  # The server processes' JIT warms up before the checker starts, so that a cold server that drops
  # SYNs at its first thousands of connections does not count against the checker.
  for url in http://127.1.0.1:20001/ http://127.1.0.51:20001/; do
    ab -q -n 20000 -c 50 "$url" >/dev/null 2>&1 || true
  done

  # --- the checker -------------------------------------------------------------------------------
  loops_opt=()
  [ "$loops" = default ] || loops_opt=(-Dkubelvs.checkLoops="$loops")
  # shellcheck disable=SC2086 # the JVM flags are words
  java $java_opts "${loops_opt[@]}" -cp "$classpath" io.kubelvs.agent.check.CheckBenchMain "$work/targets" \
    "$INTERVAL_MS" "$TIMEOUT_MS" "$WARM_S" "$seconds" >"$work/checker.out" 2>"$work/checker.err" &
  checker=$!
  pids+=("$checker")
  for _ in $(seq 1 $(((WARM_S + 60) * 10))); do grep -q '^READY' "$work/checker.out" && break; sleep 0.1; done
  grep -q '^READY' "$work/checker.out" || { tail -20 "$work/checker.err" >&2; exit 1; }
  downs_in_warmup=$(grep -c '^DOWN ' "$work/checker.out" || true)
  # From here on the servers yield to the checker (see the header).
  renice -n 10 -p "${pids[0]}" "${pids[1]}" >/dev/null
  sleep "$((seconds / 4))"
  downs_before_fail=$(($(grep -c '^DOWN ' "$work/checker.out" || true) - downs_in_warmup))
  for _ in $(seq 1 "$FAIL_SECONDS"); do
    echo "fail 50 5" >&7
    echo "fail 50 5" >&8
    sleep 1
  done
  wait "$checker"

  # The floor, in the same run: ApacheBench, a minimal C client, making the same requests (HTTP/1.0,
  # a new connection each) to one of the same servers. keepalived's own checker cannot run here (it
  # needs ip_vs); ab pays the same kernel cost per check with almost no user-space work.
  /usr/bin/time -f "FLOOR user=%U sys=%S" -o "$work/floor" \
    ab -q -n 60000 -c 50 http://127.1.0.100:20099/ >"$work/ab.out" 2>&1
  exec 7>&- 8>&-

  # --- figures -----------------------------------------------------------------------------------
  stats=$(grep '^STATS ' "$work/checker.out")
  echo "$stats"
  value() { echo "$stats" | grep -o " $1=[0-9.]*" | cut -d= -f2; }
  checks_per_s=$(awk -v c="$(value checks)" -v s="$(value seconds)" 'BEGIN { printf "%.0f", c / s }')
  cpu_cores=$(awk -v c="$(value cpu_seconds)" -v s="$(value seconds)" 'BEGIN { printf "%.2f", c / s }')
  rss_mib=$(awk -v k="$(value rss_kib)" 'BEGIN { printf "%.0f", k / 1024 }')

  cat "$work"/servers*.out | grep '^FAIL ' | awk '{ print $2, $3, $4 }' | sort >"$work/failed"
  # Each failed server's first down decision after its own failure: "server mode failed_at down_at".
  grep '^DOWN ' "$work/checker.out" | awk '{ print $2, $3 }' | sort -k1,1 >"$work/down"
  join "$work/failed" "$work/down" | awk '$4 >= $3' | sort -k1,1 -k4,4g | sort -k1,1 -u -s >"$work/joined"
  failed=$(wc -l <"$work/failed")
  decided=$(wc -l <"$work/joined")
  echo "failed servers: $failed, down decisions for them: $decided"
  [ "$decided" -eq "$failed" ] || { echo "some failed servers were never declared down" >&2; exit 1; }
  awk '{ printf "%s %.1f\n", $2, ($4 - $3) / 1e6 }' "$work/joined" >"$work/delays"
  percentile() { # P [MODE]
    grep -E "^${2:-[A-Z_0-9]+} " "$work/delays" | awk '{ print $2 }' | sort -g |
      awk -v p="$1" '{ a[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; printf "%.0f", a[i] }'
  }
  for mode in REFUSED HTTP_503 SILENT; do
    echo "detect $mode: n=$(grep -c "^$mode " "$work/delays") p50_ms=$(percentile 50 "$mode") p99_ms=$(percentile 99 "$mode")"
  done
  echo "slowest detections: $(sort -k2,2g "$work/delays" | tail -3 | awk '{ printf "%s %s ms; ", $1, $2 }')"
  echo "false down decisions: warm-up $downs_in_warmup, measured window before the failures $downs_before_fail"
  us_per_check=$(awk -v c="$(value cpu_seconds)" -v n="$(value checks)" 'BEGIN { printf "%.0f", c * 1e6 / n }')
  floor_us=n/a
  if [ -s "$work/floor" ] && grep -q '^Failed requests: *0$' "$work/ab.out"; then
    floor_us=$(awk '/^FLOOR/ { split($2, u, "="); split($3, s, "="); printf "%.0f", (u[2] + s[2]) * 1e6 / 60000 }' "$work/floor")
  fi
  echo "CPU per check: kubelvs ${us_per_check} us (user $(value user_seconds) s, system $(value system_seconds) s); ab, same requests: ${floor_us} us"
  echo "TRIAL checks_per_s=$checks_per_s cpu_cores=$cpu_cores rss_mib=$rss_mib p50_detect_ms=$(percentile 50) p99_detect_ms=$(percentile 99) interval_ms=$INTERVAL_MS connect_timeout_ms=$TIMEOUT_MS cpu_us_per_check=$us_per_check ab_cpu_us_per_check=$floor_us loop_lag_p99_ms=$(value loop_lag_p99_ms) loops=$(value loops)"
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$work"/in1 "$work"/in2
}

for n in $(seq 1 "$trials"); do
  echo "--- trial $n of $trials"
  trial >"$work/trial$n.out"
  cat "$work/trial$n.out"
done
median() { # KEY: the median of KEY over the trials' TRIAL lines
  grep -h '^TRIAL ' "$work"/trial*.out | grep -o " $1=[0-9.]*" | cut -d= -f2 | sort -g |
    awk '{ a[NR] = $1 } END { printf "%s", a[int((NR + 1) / 2)] }'
}
echo "RESULT checks_per_s=$(median checks_per_s) cpu_cores=$(median cpu_cores) rss_mib=$(median rss_mib) p50_detect_ms=$(median p50_detect_ms) p99_detect_ms=$(median p99_detect_ms) interval_ms=$INTERVAL_MS connect_timeout_ms=$TIMEOUT_MS cpu_us_per_check=$(median cpu_us_per_check) ab_cpu_us_per_check=$(median ab_cpu_us_per_check) loop_lag_p99_ms=$(median loop_lag_p99_ms) trials=$trials loops=$(median loops)"
