#!/usr/bin/env bash
# The seed scenario, live: two kubelvs agents run samples/keepalived/keepalived.conf unchanged
# except for addresses and interface names, in a lab of network namespaces on one bridge:
#
#   director d1 198.18.53.11 (priority 100)   director d2 198.18.53.12 (priority 98)
#   web1 198.18.53.101   web2 198.18.53.102   sorry 198.18.53.200   (DR: the VIP on their lo)
#   mail 198.18.53.25 (an SMTP sink)          client 198.18.53.9
#   VIP 198.18.53.50:80, VRRP router 99 on group 224.0.100.99, round robin, direct routing
#
# It shows who is master, the IPVS table, and the client's requests through the VIP; takes web1
# down, then web2 (the sorry server answers), brings both back, fails the master (d2 takes over),
# restarts it (d1 takes the VIP back), and lists the mail the agents sent. Each step is checked:
# without a terminal (CI, a pipe) it runs unattended and exits 1 at the first step that did not
# behave as shown. Where this kernel has no ip_vs, it runs itself inside the VM of hack/vm/.
#
# Usage: sudo hack/demo.sh [--pace SECONDS] [--keep-logs DIR]
#   --pace SECONDS    pause between steps (default 3 on a terminal, 0 otherwise)
#   --keep-logs DIR   copy the agents' logs, configs and mail there at the end
# Exit status: 0 every step behaved; 1 a step did not; 2 cannot run here (not root, tools missing).
set -euo pipefail

lab_name=demo lab_script=hack/demo.sh lab_args=()
# shellcheck source=lib/lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/lab.sh"

pace="" keep_logs="" in_vm=false
while (($#)); do
  case $1 in
    --pace) pace=$2; shift 2 ;;
    --keep-logs) keep_logs=$(realpath -m -- "$2"); shift 2 ;;
    --in-vm) in_vm=true; shift ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

lab_prepare

# --- the seed's timing: a dead server is removed within delay_loop + (nb_get_retry + 1) tries of
# connect_timeout + delay_before_retry; a recovered one is back within delay_loop + connect_timeout.
delay_loop=3 connect_timeout=1 retries=3 retry_delay=1
down_bound=$((delay_loop + (retries + 1) * (connect_timeout + retry_delay)))
up_bound=$((delay_loop + connect_timeout))
# The lab's own polling (ipvsadm every 100 ms, slow under emulation) adds to what it measures.
slack=3

title "kubelvs demo: the seed scenario in a network-namespace lab"
say "agent: $jar"
say "config: $seed_conf, mapped into the lab:"
say "  172.16.53.x -> $net.x, eno16777736 -> eth0, sorry_server 127.0.0.1 -> ${addr[sorry]}, smtp_server 127.0.0.1 -> ${addr[mail]}"
say "  d2: state BACKUP, priority 98 (the seed's second director)"

lab_up

title "1. both directors start; d1 (priority 100) becomes master"
start_agent d1
start_agent d2
took=$(wait_for 180 master_is d1 d2) || fail "d1 did not become master within 180 s"
ok "d1 holds the VIP ${took} s after the agents started"
took=$(wait_for 30 destination_set_is d1 "${addr[web1]}:80" "${addr[web2]}:80") ||
  fail "IPVS on d1 does not list web1 and web2"
show_director_state
pause
requests 6
expect_alternation "through d1"
pause

title "2. web1 goes down: its checker removes it (bound: ${down_bound} s)"
stop_web web1
say "web1's httpd stopped"
took=$(wait_for $((down_bound + slack)) destination_set_is d1 "${addr[web2]}:80") ||
  fail "web1 still in IPVS after $((down_bound + slack)) s"
ok "web1 removed ${took} s after it went down"
show_director_state
requests 4
expect_all web2 "web1 down"
pause

title "3. web2 goes down too: the sorry server takes the traffic"
stop_web web2
say "web2's httpd stopped"
took=$(wait_for $((down_bound + slack)) destination_set_is d1 "${addr[sorry]}:80") ||
  fail "the sorry server did not replace web2 within $((down_bound + slack)) s"
ok "sorry server in, web2 out, ${took} s after web2 went down"
show_director_state
requests 4
expect_all sorry "both web servers down"
pause

title "4. both web servers come back: the sorry server leaves (bound: ${up_bound} s)"
start_web web1
start_web web2
say "web1's and web2's httpd started"
took=$(wait_for $((up_bound + slack)) destination_set_is d1 "${addr[web1]}:80" "${addr[web2]}:80") ||
  fail "web1 and web2 not back within $((up_bound + slack)) s"
ok "web1 and web2 back, sorry server out, ${took} s after they started"
show_director_state
requests 6
expect_alternation "recovered"
pause

title "5. d1 fails (its agent is killed, its link goes down): d2 takes over"
kill -9 "${pid[d1]}"
wait "${pid[d1]}" 2>/dev/null || true
unset "pid[d1]"
ip -n "$(ns d1)" link set eth0 down
say "d1's agent killed (SIGKILL) and its link down"
took=$(wait_for 15 has_vip d2) || fail "d2 did not take the VIP within 15 s"
ok "d2 holds the VIP ${took} s after d1 failed (Master_Down_Interval 3.6 s)"
show_director_state
requests 6
expect_alternation "through d2"
pause

title "6. d1 comes back: it takes the VIP back (priority 100 preempts 98)"
ip -n "$(ns d1)" link set eth0 up
start_agent d1
say "d1's link up, its agent started again"
took=$(wait_for 180 master_is d1 d2) || fail "d1 did not take the VIP back within 180 s"
ok "d1 is master again ${took} s after its restart; d2 released the VIP"
# The restarted agent's checkers decide afresh; in the VM a check of its first seconds after the
# link came up has timed out (web2 out of IPVS for 2 s once), so wait as step 1 does.
took=$(wait_for $((up_bound + slack)) destination_set_is d1 "${addr[web1]}:80" "${addr[web2]}:80") ||
  fail "IPVS on d1 does not list web1 and web2 within $((up_bound + slack)) s of its mastership"
say "IPVS on d1 lists web1 and web2 ${took} s after its mastership"
show_director_state
requests 6
expect_alternation "through d1 again"
pause

title "7. the mail the agents sent (smtp_alert, notification_email)"
mail_subjects() {
  local f
  for f in "$work"/mail/*.eml; do
    [[ -e $f ]] || continue
    grep -m1 -i '^Subject:' "$f" | sed 's/^[Ss]ubject: *//'
  done
}
wait_for 15 bash -c '[[ -n $(ls "$0"/*.eml 2>/dev/null) ]]' "$work/mail" >/dev/null ||
  fail "no mail arrived at the SMTP sink"
sleep 1
subjects=$(mail_subjects)
say "$(wc -l <<<"$subjects") mails to root@localhost; by subject:"
sort <<<"$subjects" | uniq -c | sed 's/^/           /'
masters=$(grep -c "VI_1 - Entering MASTER state" <<<"$subjects" || true)
# d1 at the start, d2 at the failover, d1 after its restart
((masters >= 3)) || fail "expected 3 mails about VI_1 entering MASTER, got $masters"
for host in web1 web2; do
  for state in DOWN UP; do
    grep -q "Realserver \[${addr[$host]}\]:tcp:80 of virtual server \[$vip\]:tcp:80 - $state" <<<"$subjects" ||
      fail "no mail about $host going $state"
  done
done
ok "VRRP transitions and real-server changes were mailed"

title "8. what the agents' metrics say (GET /metrics on :9650)"
declare -A metrics=()
for director in d1 d2; do
  metrics[$director]=$(http_body "$director" 127.0.0.1 9650 /metrics)
  [[ -n ${metrics[$director]} ]] || fail "$director's /metrics did not answer"
  grep -E '^kubelvs_(vrrp_state\{.*\} 1|vrrp_priority|vrrp_transitions_total|real_server_up|virtual_server_sorry_server_active|ipvs_destination_connections_total)' \
    <<<"${metrics[$director]}" | grep -v 'transitions_total.* 0\.0$' | sed "s/^/           $director: /"
done
vs='virtual_server="198.18.53.50:80/TCP"'
[[ $(metric "${metrics[d1]}" kubelvs_vrrp_state 'state="MASTER"' 'vrrp_instance="VI_1"') == 1* ]] ||
  fail "d1's metrics do not say MASTER"
[[ $(metric "${metrics[d2]}" kubelvs_vrrp_state 'state="BACKUP"' 'vrrp_instance="VI_1"') == 1* ]] ||
  fail "d2's metrics do not say BACKUP"
for director in d1 d2; do
  for host in web1 web2; do
    [[ $(metric "${metrics[$director]}" kubelvs_real_server_up "$vs" "real_server=\"${addr[$host]}:80\"") == 1* ]] ||
      fail "$director's metrics do not say $host is up"
  done
  [[ $(metric "${metrics[$director]}" kubelvs_virtual_server_sorry_server_active "$vs") == 0* ]] ||
    fail "$director's metrics say the sorry server is active"
done
# d1 forwarded the 6 requests of step 6 since its restart: 3 to each web server (rr).
for host in web1 web2; do
  conns=$(metric "${metrics[d1]}" kubelvs_ipvs_destination_connections_total "$vs" "real_server=\"${addr[$host]}:80\"")
  [[ -n $conns ]] && (( ${conns%.*} >= 3 )) || fail "d1's IPVS counters show ${conns:-no} connections to $host, expected 3 or more"
done
ok "the metrics agree: d1 MASTER, d2 BACKUP, web1 and web2 up, no sorry server, d1's IPVS counted the requests"

title "demo done: every step behaved as shown"
