#!/usr/bin/env bash
# Failover benchmark: kubelvs' VRRP stack against the real keepalived 2.2.7, in one run, on a
# network-namespace lab of its own (a switch namespace with a bridge; hosts a = 198.18.0.11 and
# b = .12 run the two routers of VRID 99 with VIP 198.18.0.50 on group 224.0.100.99; host c = .13
# is the client). Needs root, keepalived, iputils ping, tcpdump; every namespace carries a per-run prefix
# and is deleted by a trap, and only the processes this script started are stopped, by pid.
#
# For each side (keepalived, kubelvs = io.kubelvs.agent.vrrp.VrrpLabMain), each advert interval
# (v2 1 s with PASS auth, v3 100 ms, v3 50 ms) and each trial: a (priority 100) becomes master,
# b (98) backup, the client pings the VIP every 5 ms, then
#   hard fault: right after an advert of the master passed the switch, its link down (carrier
#               off) and SIGKILL of its whole process group: ms from the fault to the first
#               reply the client gets after it (from b);
#   planned:    SIGTERM to the master: probes lost, and the outage - the gaps between replies
#               that contain unanswered probes (the scheduler can stall ping itself by ~140 ms on
#               2 vCPUs, so a gap without a missing sequence number is not an outage).
# Then a soak of kubelvs: a and b at v3 50 ms for --soak-seconds; every state change after both
# settled is spurious. Prints each trial, a table of medians with the ratios kubelvs/keepalived, and last
#   RESULT ratio_v2_1s=<r> ratio_v3_100ms=<r> ratio_v3_50ms=<r> planned_lost_probes=<n>
#          spurious_transitions=<n>
# (ratios of hard-fault medians; planned_lost_probes is kubelvs' total over its planned trials;
# spurious_transitions is kubelvs' soak; n/a for a side not run).
#
# kubelvs' JVM flags (KUBELVS_JAVA_OPTS overrides them): a small heap, committed and touched at
# start, and the serial collector - young collections of a few MB take well under a millisecond,
# far below the 50 ms advert interval, and no concurrent GC threads compete with the VRRP timers
# for the 2 vCPUs.
#
# Usage: hack/bench-failover.sh [--trials N] [--soak-seconds N] [--only keepalived|kubelvs]
#        [--adverts v2_1s,v3_100ms,v3_50ms] [--kinds hard,planned] [--keep-logs DIR]
#        (defaults 5, 600, both, all three, both; a partial run's RESULT says n/a for what it skipped)
set -euo pipefail
cd "$(dirname "$0")/.."

trials=5
soak_seconds=600
only=both
adverts=v2_1s,v3_100ms,v3_50ms
kinds=hard,planned
keep_logs=
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --soak-seconds) soak_seconds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --adverts) adverts=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --keep-logs) keep_logs=$2; shift 2 ;;
    *) echo "usage: $0 [--trials N] [--soak-seconds N] [--only keepalived|kubelvs] [--adverts LIST] [--kinds LIST]" >&2; exit 2 ;;
  esac
done
case "$only" in
  both) sides=(keepalived kubelvs) ;;
  keepalived | kubelvs) sides=("$only") ;;
  *) echo "--only is keepalived or kubelvs, not $only" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, keepalived)" >&2; exit 1; }
command -v keepalived >/dev/null || { echo "needs keepalived (apt-get install keepalived)" >&2; exit 1; }
command -v ping >/dev/null || { echo "needs ping (apt-get install iputils-ping)" >&2; exit 1; }
command -v tcpdump >/dev/null || { echo "needs tcpdump (apt-get install tcpdump)" >&2; exit 1; }

readonly VRID=99 GROUP=224.0.100.99 VIP=198.18.0.50 PASSWORD=571f97b2
kubelvs_java_opts=${KUBELVS_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx64m -XX:+AlwaysPreTouch}

work=$(mktemp -d)
prefix="kb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
namespaces=()
declare -A running=() # pids of the process groups this script started and has not yet stopped
ping_pid=

cleanup() {
  local pid ns
  for pid in "${!running[@]}"; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  [ -z "$ping_pid" ] || kill -KILL "$ping_pid" 2>/dev/null || true
  for ns in "${namespaces[@]}"; do
    ip netns delete "$ns" 2>/dev/null || true
  done
  [ -z "$keep_logs" ] || { mkdir -p "$keep_logs" && cp "$work"/*.log "$work"/*.ping "$keep_logs"/ 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ " ${sides[*]} " == *" kubelvs "* ]]; then
  ./mvnw -B -q -pl agent -am test-compile -DskipTests >/dev/null
  ./mvnw -B -q -pl agent dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/classpath" >/dev/null
  [ -f agent/target/test-classes/io/kubelvs/agent/vrrp/VrrpLabMain.class ] || {
    echo "io.kubelvs.agent.vrrp.VrrpLabMain is not built: run with --only keepalived" >&2
    exit 1
  }
  # A copy of the build output, so a rebuild in the tree during the run cannot pull it away.
  cp -r agent/target/classes "$work/classes"
  cp -r agent/target/test-classes "$work/test-classes"
  classpath="$work/test-classes:$work/classes:$(cat "$work/classpath")"
  java=$(readlink -f "$(command -v java)")
fi

# --- the lab -------------------------------------------------------------------------------------
sw="$prefix-sw"
add_namespace() { namespaces+=("$1"); ip netns add "$1"; }
add_namespace "$sw"
ip -n "$sw" link set lo up
ip -n "$sw" link add name br0 type bridge mcast_snooping 0
ip -n "$sw" link set br0 up
for host in a:11 b:12 c:13; do
  name=${host%%:*} octet=${host##*:} ns="$prefix-${host%%:*}"
  add_namespace "$ns"
  ip netns exec "$ns" sh -c 'echo 0 >/proc/sys/net/ipv4/conf/all/rp_filter
    echo 0 >/proc/sys/net/ipv4/conf/default/rp_filter'
  ip -n "$ns" link set lo up
  ip -n "$sw" link add name "to-$name" type veth peer name v0 netns "$ns"
  ip -n "$sw" link set "to-$name" master br0 up
  ip -n "$ns" address add "198.18.0.$octet/24" dev v0
  ip -n "$ns" link set v0 up
done

# --- the routers ---------------------------------------------------------------------------------
runs=0
# start SIDE HOST PRIORITY VERSION ADVERT_MS: starts a router under setsid (so its pid is its
# process group); sets started_pid and started_log.
start() {
  local side=$1 host=$2 priority=$3 version=$4 advert_ms=$5 run log
  runs=$((runs + 1))
  run="$work/run$runs-$side-$host"
  log="$run.log"
  : >"$log"
  if [ "$side" = keepalived ]; then
    {
      echo "global_defs {"
      echo "  vrrp_version $version"
      echo "  vrrp_mcast_group4 $GROUP"
      echo "}"
      echo "vrrp_instance VI_1 {"
      echo "  interface v0"
      echo "  state BACKUP"
      echo "  virtual_router_id $VRID"
      echo "  priority $priority"
      echo "  advert_int $(awk -v ms="$advert_ms" 'BEGIN { print ms / 1000 }')"
      if [ "$version" = 2 ]; then
        echo "  authentication {"
        echo "    auth_type PASS"
        echo "    auth_pass $PASSWORD"
        echo "  }"
      fi
      echo "  virtual_ipaddress {"
      echo "    $VIP/32 dev v0"
      echo "  }"
      echo "}"
    } >"$run.conf"
    setsid ip netns exec "$prefix-$host" keepalived -P -n -l -D -f "$run.conf" \
      -p "$run.pid" -r "$run-vrrp.pid" -c "$run-checkers.pid" -b "$run-bfd.pid" \
      >"$log" 2>&1 </dev/null &
  else
    local advert auth=()
    if [ $((advert_ms % 1000)) = 0 ]; then advert="$((advert_ms / 1000))s"; else advert="${advert_ms}ms"; fi
    [ "$version" = 2 ] && auth=(--auth "$PASSWORD")
    # shellcheck disable=SC2086 # the JVM flags are words
    setsid ip netns exec "$prefix-$host" "$java" $kubelvs_java_opts -cp "$classpath" \
      io.kubelvs.agent.vrrp.VrrpLabMain --interface v0 --version "$version" --vrid "$VRID" \
      --priority "$priority" --advert "$advert" --group "$GROUP" "${auth[@]}" --vip "$VIP/32" \
      >"$log" 2>&1 </dev/null &
  fi
  started_pid=$!
  started_log=$log
  running[$started_pid]=1
}

# The state a router last reported: keepalived's "Entering X STATE", VrrpLabMain's "STATE VI_1 F T".
state_of() {
  local side=$1 log=$2
  if [ "$side" = keepalived ]; then
    grep -o 'Entering [A-Z]* STATE' "$log" | tail -1 | cut -d' ' -f2
  else
    grep '^STATE ' "$log" | tail -1 | cut -d' ' -f4
  fi
}

transitions_in() {
  if [ "$1" = keepalived ]; then grep -c 'Entering [A-Z]* STATE' "$2"; else grep -c '^STATE ' "$2"; fi || true
}

await_state() { # SIDE LOG STATE TIMEOUT_S
  local deadline=$((SECONDS + $4))
  until [ "$(state_of "$1" "$2")" = "$3" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$1 did not reach $3 within $4 s; its log ($2):" >&2
      tail -20 "$2" >&2
      return 1
    fi
    sleep 0.02
  done
}

# A router killed with SIGKILL leaves the VIP on its interface (as a crashed one would until a
# reboot); keepalived removes its VIPs at start, kubelvs never touches an address it did not add.
# So every run starts and ends with the VIP on neither router host.
clear_vips() {
  local host
  for host in a b; do
    ip -n "$prefix-$host" address del "$VIP/32" dev v0 2>/dev/null || true
  done
}

stop_group() {
  { kill -KILL -- "-$1" || true; wait "$1" || true; } 2>/dev/null
  unset "running[$1]"
}

# trial SIDE VERSION ADVERT_MS KIND(hard|planned): sets trial_result to "failover_ms outage_ms lost".
trial() {
  local side=$1 version=$2 advert_ms=$3 kind=$4 a_pid a_log b_pid b_log t0 settle
  ip -n "$sw" link set to-a up
  ip -n "$sw" link set to-b up
  clear_vips
  start "$side" a 100 "$version" "$advert_ms"
  a_pid=$started_pid a_log=$started_log
  await_state "$side" "$a_log" MASTER 30
  start "$side" b 98 "$version" "$advert_ms"
  b_pid=$started_pid b_log=$started_log
  await_state "$side" "$b_log" BACKUP 30
  settle=$(awk -v ms="$advert_ms" 'BEGIN { s = 4 * ms / 1000; print (s < 1 ? 1 : s) }')
  sleep "$settle"
  [ "$(state_of "$side" "$b_log")" = BACKUP ] || { echo "b left BACKUP before the fault" >&2; return 1; }

  ip netns exec "$prefix-c" ping -D -n -i 0.005 "$VIP" >"$work/ping" 2>&1 </dev/null &
  ping_pid=$!
  sleep 1
  if [ "$kind" = hard ]; then
    # The fault comes right after one of a's adverts reaches the switch, for both sides alike:
    # the failover then is Master_Down_Interval plus what each implementation adds, instead of
    # that minus a random share of one advert interval, which hid the difference in a few trials.
    ip netns exec "$sw" tcpdump -i to-a -Q in -n -c 1 --immediate-mode 'ip proto 112' \
      >/dev/null 2>&1 </dev/null
  fi
  t0=$(date +%s.%N)
  if [ "$kind" = hard ]; then
    # Carrier first: nothing a sends after this reaches b, so the order of the two is moot, and
    # the kill is reaped right away (else bash reports it on stderr).
    ip -n "$sw" link set to-a down
    { kill -KILL -- "-$a_pid"; wait "$a_pid" || true; } 2>/dev/null
  else
    kill -TERM "$a_pid"
  fi
  await_state "$side" "$b_log" MASTER 30
  sleep 1
  if [ "$kind" = planned ] && ip -n "$prefix-a" -4 -o address show dev v0 | grep -q " $VIP/"; then
    echo "$side on a still holds $VIP 1 s after its planned stop: probes answered by two" >&2
    tail -20 "$a_log" >&2
    ip -n "$prefix-a" -4 -o address show dev v0 >&2
    return 1
  fi
  kill -INT "$ping_pid"
  wait "$ping_pid" 2>/dev/null || true
  ping_pid=
  { cat "$work/ping"; echo "fault_at=$t0"; } >"$work/run$runs-$side-$kind.ping"
  stop_group "$a_pid"
  stop_group "$b_pid"
  clear_vips

  # Replies as "sequence timestamp"; ping -D stamps each line with the time it was received.
  trial_result=$(grep -o '^\[[0-9.]*\] [0-9]* bytes from [0-9.]*: icmp_seq=[0-9]*' "$work/ping" |
    sed -E 's/^\[([0-9.]*)\].*icmp_seq=([0-9]*)/\2 \1/' | sort -n -k1,1 -u |
    awk -v t0="$t0" '
      # A gap is an outage only if it holds unanswered probes; the failover ends with the first
      # reply after the first such gap that ends after the fault.
      NR > 1 && $1 > seq + 1 {
        lost += $1 - seq - 1
        outage += ($2 - at) * 1000
        if (failover == "" && $2 > t0) failover = ($2 - t0) * 1000
      }
      { seq = $1; at = $2 }
      END { printf "%.0f %.0f %d\n", failover == "" ? 0 : failover, outage, lost }')
}

# soak SIDE SECONDS: a and b at v3 50 ms; sets soak_result to the state changes after both settled.
soak() {
  local side=$1 seconds=$2 a_pid a_log b_pid b_log before after
  ip -n "$sw" link set to-a up
  ip -n "$sw" link set to-b up
  clear_vips
  start "$side" a 100 3 50
  a_pid=$started_pid a_log=$started_log
  await_state "$side" "$a_log" MASTER 30
  start "$side" b 98 3 50
  b_pid=$started_pid b_log=$started_log
  await_state "$side" "$b_log" BACKUP 30
  sleep 1
  before=$(($(transitions_in "$side" "$a_log") + $(transitions_in "$side" "$b_log")))
  sleep "$seconds"
  after=$(($(transitions_in "$side" "$a_log") + $(transitions_in "$side" "$b_log")))
  stop_group "$a_pid"
  stop_group "$b_pid"
  clear_vips
  soak_result=$((after - before))
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { if [ "$1" = n/a ] || [ "$2" = n/a ] || [ "$2" = 0 ]; then echo n/a; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; fi; }

# Only kubelvs soaks: RESULT reports its spurious transitions, and keepalived's would add ten
# minutes to every run.
sides_soak=()
[[ " ${sides[*]} " == *" kubelvs "* ]] && sides_soak=(kubelvs)
configs=()
for config in "2 1000 v2_1s" "3 100 v3_100ms" "3 50 v3_50ms"; do
  [[ ",$adverts," == *",${config##* },"* ]] && configs+=("$config")
done
[ ${#configs[@]} -gt 0 ] || { echo "--adverts takes v2_1s, v3_100ms, v3_50ms, not $adverts" >&2; exit 2; }
results="$work/results"
: >"$results"
# The sides take turns trial by trial, so a change in the machine's load hits both alike.
for config in "${configs[@]}"; do
  read -r version advert_ms label <<<"$config"
  for kind in ${kinds//,/ }; do
    for t in $(seq 1 "$trials"); do
      for side in "${sides[@]}"; do
        trial "$side" "$version" "$advert_ms" "$kind"
        read -r failover outage lost <<<"$trial_result"
        echo "trial=$t side=$side advert=$label kind=$kind failover_ms=$failover outage_ms=$outage lost_probes=$lost" | tee -a "$results"
      done
    done
  done
done
declare -A spurious=([keepalived]=n/a [kubelvs]=n/a)
[ "$soak_seconds" -gt 0 ] || sides_soak=()
for side in "${sides_soak[@]}"; do
  soak "$side" "$soak_seconds"
  spurious[$side]=$soak_result
  echo "soak side=$side advert=v3_50ms seconds=$soak_seconds spurious_transitions=${spurious[$side]}"
done

field() { # SIDE LABEL KIND FIELD
  grep " side=$1 advert=$2 kind=$3 " "$results" | grep -o " $4=[-0-9.]*" | cut -d= -f2 || true
}
printf '\n%-11s | %-29s | %-29s | %-19s\n' "median" "hard fault: failover ms" "planned stop: outage ms" "planned: lost probes"
printf '%-11s | %9s %9s %9s | %9s %9s %9s | %9s %9s\n' advert keepalived kubelvs ratio keepalived kubelvs ratio keepalived kubelvs
declare -A hard_ratio=([v2_1s]=n/a [v3_100ms]=n/a [v3_50ms]=n/a)
for config in "${configs[@]}"; do
  read -r _ _ label <<<"$config"
  kh=$(field keepalived "$label" hard failover_ms | median)
  uh=$(field kubelvs "$label" hard failover_ms | median)
  ko=$(field keepalived "$label" planned outage_ms | median)
  uo=$(field kubelvs "$label" planned outage_ms | median)
  kl=$(field keepalived "$label" planned lost_probes | median)
  ul=$(field kubelvs "$label" planned lost_probes | median)
  hard_ratio[$label]=$(ratio "$uh" "$kh")
  printf '%-11s | %9s %9s %9s | %9s %9s %9s | %9s %9s\n' "$label" "$kh" "$uh" "${hard_ratio[$label]}" \
    "$ko" "$uo" "$(ratio "$uo" "$ko")" "$kl" "$ul"
done
planned_lost=n/a
if [[ " ${sides[*]} " == *" kubelvs "* && ",$kinds," == *",planned,"* ]]; then
  planned_lost=$(grep " side=kubelvs " "$results" | grep " kind=planned " |
    grep -o ' lost_probes=[0-9]*' | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')
fi
echo "RESULT ratio_v2_1s=${hard_ratio[v2_1s]} ratio_v3_100ms=${hard_ratio[v3_100ms]} ratio_v3_50ms=${hard_ratio[v3_50ms]} planned_lost_probes=$planned_lost spurious_transitions=${spurious[kubelvs]}"
