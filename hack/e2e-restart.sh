#!/usr/bin/env bash
# Restart safety under client load, in the lab of hack/demo.sh (hack/lib/lab.sh): the seed
# scenario on two agents, a client sending requests through the VIP without pause, and the IPVS
# table of the master polled all along.
#
#   1. the master's agent is killed (SIGKILL; the node and its link stay up) and started again:
#      its IPVS service and both real servers stay in the kernel at every poll, and the VIP
#      converges back to it (d1 master, d2 backup);
#   2. the master's agent is stopped normally (SIGTERM): the planned handover moves the VIP to d2
#      and not one client request fails.
#
# Each step is checked; exits 1 at the first that did not behave. Where this kernel has no ip_vs,
# it runs itself inside the VM of hack/vm/. The last line: RESULT crash_requests=<n>
# crash_failed=<n> ipvs_polls=<n> ipvs_polls_short=<n> stop_requests=<n> stop_failed=<n>
#
# Usage: sudo hack/e2e-restart.sh [--keep-logs DIR]
# Exit status: 0 every step behaved; 1 a step did not; 2 cannot run here.
set -euo pipefail

lab_name=restart lab_script=hack/e2e-restart.sh lab_args=()
# shellcheck source=lib/lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/lab.sh"

pace=0 keep_logs="" in_vm=false
while (($#)); do
  case $1 in
    --pace) shift 2 ;; # the lab passes it on; this script does not pause
    --keep-logs) keep_logs=$(realpath -m -- "$2"); shift 2 ;;
    --in-vm) in_vm=true; shift ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "restart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

lab_prepare

# Requests through the VIP one after another from the client, each line "<ns since epoch> <answer>"
# ("failed" when no answer came within 2 s).
start_load() {
  ip netns exec "$(ns client)" bash -c '
    while :; do
      t=$(date +%s%N)
      r=$(timeout 2 bash -c "exec 3<>/dev/tcp/$0/80 && printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3 && cat <&3" \
        "$0" 2>/dev/null | tail -n 1 | tr -d "\r")
      echo "$t ${r:-failed}"
    done' "$vip" >"$work/load.log" 2>/dev/null &
  pid[load]=$!
}

# The number of destinations of the service in d1's kernel, each line "<ns since epoch> <count>"
# (0 when the service is gone).
start_ipvs_poll() {
  ip netns exec "$(ns d1)" bash -c '
    while :; do
      echo "$(date +%s%N) $(ipvsadm -Ln -t "$0:80" 2>/dev/null | grep -c "^  ->")"
      sleep 0.05
    done' "$vip" >"$work/ipvs-d1.log" 2>/dev/null &
  pid[ipvs_poll]=$!
}

stop_background() {
  kill "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
}

epoch_ns() { date +%s%N; }

# Requests of the load log between two instants: "<total> <failed>".
load_between() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 <= to { n++; if ($2 == "failed") f++ } END { print n + 0, f + 0 }' \
    "$work/load.log"
}

title "kubelvs restart safety under load: the seed scenario in a network-namespace lab"
lab_up
start_agent d1
start_agent d2
took=$(wait_for 180 master_is d1 d2) || fail "d1 did not become master within 180 s"
took=$(wait_for 30 destination_set_is d1 "${addr[web1]}:80" "${addr[web2]}:80") ||
  fail "IPVS on d1 does not list web1 and web2"
ok "d1 is master with web1 and web2"
start_load
start_ipvs_poll
sleep 3
read -r n failed < <(load_between 0 "$(epoch_ns)")
((n > 0)) || fail "the client's load sent no request"
((failed == 0)) || fail "$failed of $n requests failed before anything was done"
say "client load running: $n requests so far, none failed"

title "1. d1's agent is killed (SIGKILL) and started again, under load"
crash_from=$(epoch_ns)
kill -9 "${pid[d1]}"
wait "${pid[d1]}" 2>/dev/null || true
unset "pid[d1]"
say "d1's agent killed; its VIP and IPVS rules stay in the kernel"
took=$(wait_for 15 has_vip d2) || fail "d2 did not take the VIP within 15 s"
say "d2 took the VIP ${took} s later (it no longer hears d1)"
start_agent d1
say "d1's agent started again"
took=$(wait_for 180 master_is d1 d2) || fail "the VIP did not converge back to d1 within 180 s"
ok "the VIP converged: d1 master, d2 backup, ${took} s after the restart"
sleep 2
crash_to=$(epoch_ns)
read -r polls short < <(awk -v from="$crash_from" -v to="$crash_to" \
  '$1 >= from && $1 <= to { n++; if ($2 < 2) s++ } END { print n + 0, s + 0 }' "$work/ipvs-d1.log")
((polls > 0)) || fail "the IPVS table of d1 was never polled"
((short == 0)) || fail "$short of $polls polls of d1's IPVS table saw fewer than 2 destinations"
ok "d1's IPVS service kept both real servers at all $polls polls through the crash and restart"
read -r crash_requests crash_failed < <(load_between "$crash_from" "$crash_to")
say "client: $crash_requests requests through the crash and restart, $crash_failed failed"
((crash_requests > 0)) || fail "the client's load sent no request through the crash"

title "2. d1's agent is stopped normally (SIGTERM), under load: the planned handover"
stop_from=$(epoch_ns)
kill -TERM "${pid[d1]}"
took=$(wait_for 60 master_is d2 d1) || fail "d2 did not take over from the stopping d1 within 60 s"
say "d2 master, d1 released the VIP, ${took} s after SIGTERM"
wait_for 60 bash -c '! kill -0 "$0" 2>/dev/null' "${pid[d1]}" >/dev/null || fail "d1's agent did not exit"
wait "${pid[d1]}" 2>/dev/null || true
unset "pid[d1]"
sleep 3
stop_to=$(epoch_ns)
read -r stop_requests stop_failed < <(load_between "$stop_from" "$stop_to")
((stop_requests > 0)) || fail "the client's load sent no request through the stop"
((stop_failed == 0)) || fail "$stop_failed of $stop_requests requests failed through the planned stop"
ok "not one of $stop_requests requests failed through the planned stop"
read -r polls_after short_after < <(awk -v from="$stop_from" '$1 >= from { n++; if ($2 < 2) s++ } END { print n + 0, s + 0 }' \
  "$work/ipvs-d1.log")
((short_after == 0)) || fail "the stopped d1 left fewer than 2 destinations at $short_after polls"
ok "the stopped agent left its IPVS rules in place (default: no --flush-on-stop)"

stop_background load
stop_background ipvs_poll
title "restart safety: every step behaved"
echo "RESULT crash_requests=$crash_requests crash_failed=$crash_failed ipvs_polls=$polls" \
  "ipvs_polls_short=$short stop_requests=$stop_requests stop_failed=$stop_failed"
