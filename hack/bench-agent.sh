#!/usr/bin/env bash
# Footprint benchmark: the kubelvs agent (agent/target/kubelvs-agent.jar, `run`) against the real
# keepalived 2.2.7 (VRRP and checkers, the same file) in one run, on real IPVS - inside hack/vm's
# VM where this kernel has no ip_vs. Each trial runs each side alone in a fresh network namespace
# whose dummy interface d0 carries the director (198.18.53.11), the web servers (.101, .102, busybox
# httpd) and the sorry server's address:
#
#   seed:  samples/keepalived/keepalived.conf mapped as the demo maps it (d0, 198.18.53.x), as the
#          master: time from the process's start to its first advert (its "Entering MASTER" log
#          line; before it keepalived waits one Master_Down_Interval, 3.609 s, and kubelvs, as the
#          instance is `state MASTER`, one advert interval and the smallest skew, 1.004 s: the
#          overhead is the rest),
#          then RSS and the CPU it uses while idle (its checks every 3 s) over --idle-seconds;
#   1k:    the same plus 1,000 generated virtual servers (198.18.54.0/24 and up, port 80, rr, DR,
#          one real server each, TCP_CHECK every 3 s): RSS once every check ran.
#
#   native: first, on this machine itself (no emulation, no ip_vs needed): the seed's global_defs
#          and vrrp_instance alone, on a veth in a fresh namespace: time to the first advert. The
#          JVM's and the VRRP engine's start-up at the machine's real speed; CPU while idle.
#
# RSS and CPU of keepalived are the sums over its three processes. kubelvs runs with the JVM
# options it is meant to run with (KUBELVS_JAVA_OPTS overrides them). Medians over --trials,
# ratios kubelvs/keepalived, and last:
#   RESULT rss_mib=<m> rss_1k_mib=<m> idle_cpu_pct=<p> start_to_advert_ms=<ms>
#          start_overhead_ms=<ms> keepalived_rss_mib=<m> keepalived_rss_1k_mib=<m>
#          keepalived_idle_cpu_pct=<p> keepalived_start_to_advert_ms=<ms> in_vm=<bool>
#          native_start_to_advert_ms=<ms> native_start_overhead_ms=<ms> native_idle_cpu_pct=<p>
#          keepalived_native_start_to_advert_ms=<ms> keepalived_native_start_overhead_ms=<ms>
#          keepalived_native_idle_cpu_pct=<p>
# Under the VM's emulation (TCG) CPU work costs ~25x what it costs on the machine: compare the
# sides within one run; start-up times there are not the machine's.
#
# Usage: hack/bench-agent.sh [--trials N] [--idle-seconds S] [--keep-logs DIR]  (defaults 3, 20)
set -euo pipefail

lab_name=benchagent lab_script=hack/bench-agent.sh lab_args=()
# shellcheck source=lib/lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/lab.sh"

trials=3 idle_seconds=20 pace=0 keep_logs="" in_vm=false native_result=""
while (($#)); do
  case $1 in
    --trials) trials=$2; lab_args+=(--trials "$2"); shift 2 ;;
    --idle-seconds) idle_seconds=$2; lab_args+=(--idle-seconds "$2"); shift 2 ;;
    --pace) shift 2 ;;
    --keep-logs) keep_logs=$(realpath -m -- "$2"); shift 2 ;;
    --in-vm) in_vm=true; shift ;;
    --native-result) native_result=$2; shift 2 ;;
    -h | --help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-agent: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v keepalived >/dev/null || cannot_run "needs keepalived (apt-get install keepalived)"

# What each side waits for a master before its first advert, the rest is its start-up overhead.
# The seed's instance is `state MASTER`: kubelvs listens one advert interval and the smallest skew
# (1 s + 1/256 s, VrrpInstanceConfig.shortStartWait); keepalived a whole Master_Down_Interval.
wait_ms() { if [ "$1" = kubelvs ]; then echo 1004; else echo 3609; fi; }
clk_tck=$(getconf CLK_TCK)
work=$(mktemp -d /tmp/kubelvs-bench-agent.XXXXXX)
bench_ns=""
declare -a bench_pids=()
bench_cleanup() {
  local status=$?
  for p in "${bench_pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${bench_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n $bench_ns ]] && ip netns delete "$bench_ns" 2>/dev/null
  if [[ -n $keep_logs ]]; then mkdir -p "$keep_logs" && cp -r "$work"/. "$keep_logs"/; fi
  rm -rf "$work"
  exit "$status"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

seed_config() { seed_mapped d0; }

# The seed plus 1,000 virtual servers, each a VIP of its own with one checked real server.
thousand_config() {
  seed_config
  local i
  for ((i = 0; i < 1000; i++)); do
    cat <<EOF
virtual_server 198.18.$((54 + i / 250)).$((1 + i % 250)) 80 {
    delay_loop 3
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 198.18.53.$((101 + i % 2)) 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOF
  done
}

# A fresh namespace with d0 and the web servers; prints nothing.
make_namespace() {
  bench_ns="klbench$$-$1"
  ip netns add "$bench_ns"
  ip -n "$bench_ns" link set lo up
  ip -n "$bench_ns" link add d0 type dummy
  ip -n "$bench_ns" link set d0 up multicast on
  local a
  for a in 11 101 102 200; do ip -n "$bench_ns" addr add "198.18.53.$a/24" dev d0; done
  mkdir -p "$work/www"
  echo ok >"$work/www/index.html"
  ip netns exec "$bench_ns" busybox httpd -f -p 80 -h "$work/www" &
  bench_pids+=($!)
}

drop_namespace() {
  local p
  for p in "${bench_pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${bench_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bench_pids=()
  ip netns delete "$bench_ns"
  bench_ns=""
}

# Each line of stdin prefixed with the time it was read, in microseconds since the epoch.
stamp_lines() { while IFS= read -r line; do echo "${EPOCHREALTIME/./} $line"; done; }

# Starts side $1 on config $2 with log $3; sets started_us and side_pid.
start_side() {
  local side=$1 conf=$2 log=$3
  started_us=${EPOCHREALTIME/./}
  if [[ $side == kubelvs ]]; then
    # shellcheck disable=SC2046 # the options are words
    ip netns exec "$bench_ns" java "${jvm_options[@]}" $(cds_options "$jar") -jar "$jar" run --config "$conf" \
      --state-dir "$work/state-$RANDOM" --http off > >(stamp_lines >"$log") 2>&1 &
  else
    local run=$work/ka-$RANDOM
    ip netns exec "$bench_ns" keepalived -n -l -D -f "$conf" -p "$run.pid" -r "$run.vrrp.pid" \
      -c "$run.check.pid" > >(stamp_lines >"$log") 2>&1 &
  fi
  side_pid=$!
  bench_pids+=("$side_pid")
}

# The pids of the side's processes: the JVM, or keepalived and its children.
side_pids() {
  echo "$side_pid"
  pgrep -P "$side_pid" 2>/dev/null || true
}

rss_kib() {
  local total=0 p v
  for p in $(side_pids); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

cpu_ticks() {
  local total=0 p v
  for p in $(side_pids); do
    v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# Waits until the log shows the instance entering MASTER; prints the time of that line (us).
master_time() {
  local log=$1 i line
  for ((i = 0; i < 3000; i++)); do
    line=$(grep -m1 -E 'to=MASTER|Entering MASTER STATE' "$log" 2>/dev/null || true)
    if [[ -n $line ]]; then
      echo "${line%% *}"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

stop_side() {
  kill -TERM "$side_pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 150; i++)); do kill -0 "$side_pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$side_pid" 2>/dev/null || true
  wait "$side_pid" 2>/dev/null || true
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A results=()
record() { results[$1]+="$2"$'\n'; }
m() { printf '%s' "${results[$1]}" | median; }

# --- On this machine itself, without the VM's emulation: VRRP only (the seed's global_defs and
# vrrp_instance, without its virtual servers), which needs no ip_vs. Its start-up is the JVM's and
# the VRRP engine's, timed at the machine's real speed; the full seed is timed below, in the VM
# where this kernel has no ip_vs.
vrrp_only_config() { seed_mapped v0 | awk '/^virtual_server/ { exit } { print }'; }

make_veth_namespace() {
  bench_ns="klbench$$-$1"
  ip netns add "$bench_ns"
  ip -n "$bench_ns" link set lo up
  ip -n "$bench_ns" link add v0 type veth peer name v1
  ip -n "$bench_ns" link set v1 up
  ip -n "$bench_ns" link set v0 up multicast on
  ip -n "$bench_ns" addr add 198.18.53.11/24 dev v0
}

native_phase() {
  vrrp_only_config >"$work/vrrp-only.conf"
  echo "bench-agent: on this machine, VRRP only (the seed without its virtual servers), $trials trials"
  local trial side log master_us advert_ms rss ticks0 ticks1 idle_pct
  for ((trial = 1; trial <= trials; trial++)); do
    for side in keepalived kubelvs; do
      make_veth_namespace "native-$side-$trial"
      log=$work/$side-native-$trial.log
      start_side "$side" "$work/vrrp-only.conf" "$log"
      master_us=$(master_time "$log") || { echo "$side never became master; its log:" >&2; cat "$log" >&2; exit 1; }
      advert_ms=$(((master_us - started_us) / 1000))
      sleep 5
      ticks0=$(cpu_ticks)
      sleep "$idle_seconds"
      ticks1=$(cpu_ticks)
      idle_pct=$(awk -v t=$((ticks1 - ticks0)) -v hz="$clk_tck" -v s="$idle_seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
      rss=$(($(rss_kib) / 1024))
      stop_side
      drop_namespace
      echo "native trial $trial $side: start_to_advert_ms=$advert_ms overhead_ms=$((advert_ms - $(wait_ms "$side")))" \
        "idle_cpu_pct=$idle_pct rss_mib=$rss"
      record "$side.native" "$advert_ms"
      record "$side.nativeidle" "$idle_pct"
    done
  done
  local k a
  k=$(m kubelvs.native) a=$(m keepalived.native)
  native_result="native_start_to_advert_ms=$k native_start_overhead_ms=$((k - $(wait_ms kubelvs)))"
  native_result+=" native_idle_cpu_pct=$(m kubelvs.nativeidle)"
  native_result+=" keepalived_native_start_to_advert_ms=$a keepalived_native_start_overhead_ms=$((a - $(wait_ms keepalived)))"
  native_result+=" keepalived_native_idle_cpu_pct=$(m keepalived.nativeidle)"
  echo "native median: $native_result"
  lab_args+=(--native-result "$native_result")
}

# With no ip_vs here, lab_prepare moves the rest into the VM, after the native phase.
lab_before_vm=native_phase
lab_prepare
$in_vm || native_phase

seed_config >"$work/seed.conf"
thousand_config >"$work/1k.conf"

echo "bench-agent: $trials trials, idle ${idle_seconds} s; kubelvs JVM options: ${jvm_options[*]} $(cds_options "$jar")"
for ((trial = 1; trial <= trials; trial++)); do
  for side in keepalived kubelvs; do
    make_namespace "$side-$trial"
    log=$work/$side-seed-$trial.log
    start_side "$side" "$work/seed.conf" "$log"
    master_us=$(master_time "$log") || { echo "$side never became master; its log:" >&2; cat "$log" >&2; exit 1; }
    advert_ms=$(((master_us - started_us) / 1000))
    sleep 10
    ticks0=$(cpu_ticks)
    sleep "$idle_seconds"
    ticks1=$(cpu_ticks)
    idle_pct=$(awk -v t=$((ticks1 - ticks0)) -v hz="$clk_tck" -v s="$idle_seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
    rss=$(( $(rss_kib) / 1024 ))
    stop_side
    drop_namespace

    make_namespace "$side-1k-$trial"
    log1k=$work/$side-1k-$trial.log
    start_side "$side" "$work/1k.conf" "$log1k"
    master_time "$log1k" >/dev/null || { echo "$side never became master with 1k services; its log:" >&2; tail -50 "$log1k" >&2; exit 1; }
    # every virtual server checked at least once (delay_loop 3, warm-up spread over it), twice over
    sleep 12
    services=$(ip netns exec "$bench_ns" ipvsadm -Ln | grep -c '^TCP')
    rss_1k=$(( $(rss_kib) / 1024 ))
    stop_side
    drop_namespace
    ((services >= 1001)) || { echo "$side programmed only $services of 1001 services" >&2; exit 1; }

    echo "trial $trial $side: start_to_advert_ms=$advert_ms overhead_ms=$((advert_ms - $(wait_ms "$side")))" \
      "idle_cpu_pct=$idle_pct rss_mib=$rss rss_1k_mib=$rss_1k services_1k=$services"
    record "$side.advert" "$advert_ms"
    record "$side.idle" "$idle_pct"
    record "$side.rss" "$rss"
    record "$side.rss1k" "$rss_1k"
  done
done

k_advert=$(m kubelvs.advert) a_advert=$(m keepalived.advert)
k_idle=$(m kubelvs.idle) a_idle=$(m keepalived.idle)
k_rss=$(m kubelvs.rss) a_rss=$(m keepalived.rss)
k_rss1k=$(m kubelvs.rss1k) a_rss1k=$(m keepalived.rss1k)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
echo
echo "median of $trials       kubelvs   keepalived   ratio"
printf 'start_to_advert_ms  %9s %12s %7s\n' "$k_advert" "$a_advert" "$(ratio "$k_advert" "$a_advert")"
k_overhead=$((k_advert - $(wait_ms kubelvs))) a_overhead=$((a_advert - $(wait_ms keepalived)))
printf 'start_overhead_ms   %9s %12s %7s\n' "$k_overhead" "$a_overhead" "$(ratio "$k_overhead" "$a_overhead")"
printf 'idle_cpu_pct        %9s %12s %7s\n' "$k_idle" "$a_idle" "$(ratio "$k_idle" "$a_idle")"
printf 'rss_mib             %9s %12s %7s\n' "$k_rss" "$a_rss" "$(ratio "$k_rss" "$a_rss")"
printf 'rss_1k_mib          %9s %12s %7s\n' "$k_rss1k" "$a_rss1k" "$(ratio "$k_rss1k" "$a_rss1k")"
echo "RESULT rss_mib=$k_rss rss_1k_mib=$k_rss1k idle_cpu_pct=$k_idle start_to_advert_ms=$k_advert" \
  "start_overhead_ms=$k_overhead keepalived_rss_mib=$a_rss keepalived_rss_1k_mib=$a_rss1k" \
  "keepalived_idle_cpu_pct=$a_idle keepalived_start_to_advert_ms=$a_advert in_vm=$in_vm $native_result"
