# The network-namespace lab of hack/demo.sh and hack/e2e-restart.sh, sourced by them: the seed
# scenario's hosts on one bridge, two kubelvs agents running samples/keepalived/keepalived.conf
# mapped into 198.18.53.0/24, and the helpers that show and check what they do.
#
# The sourcing script sets lab_name (a word: messages, namespace and directory names), lab_script
# (its path from the checkout's root), lab_args (its own options, passed on into the VM), pace,
# keep_logs and in_vm (and may name a function lab_before_vm, run on the machine itself just
# before a run moves into the VM), then calls lab_prepare and lab_up. Needs bash 4, root, iproute2, busybox.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=$root/agent/target/kubelvs-agent.jar
seed_conf=$root/samples/keepalived/keepalived.conf

cannot_run() { echo "$lab_name: $*" >&2; exit 2; }
has_ipvs() { [[ -e /proc/net/ip_vs ]] || { modprobe -q ip_vs 2>/dev/null && [[ -e /proc/net/ip_vs ]]; }; }

# Checks and installs what the lab needs, builds the agent if it is missing, and where this kernel
# has no ip_vs runs the sourcing script inside hack/vm's VM instead (and exits with its status).
lab_prepare() {
  # A terminal gets colour and pauses; in the VM stdout is a pipe, so the caller tells.
  if [[ -z ${KUBELVS_DEMO_TTY:-} ]]; then
    if [[ -t 1 ]]; then KUBELVS_DEMO_TTY=1; else KUBELVS_DEMO_TTY=0; fi
  fi
  [[ -n $pace ]] || { [[ $KUBELVS_DEMO_TTY == 1 ]] && pace=3 || pace=0; }
  if [[ $KUBELVS_DEMO_TTY == 1 ]]; then
    bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' off=$'\e[0m'
  else
    bold="" green="" red="" dim="" off=""
  fi

  [[ $(id -u) == 0 ]] || cannot_run "needs root for network namespaces and IPVS: sudo $0"

  # A fresh Debian machine lacks some of what the lab uses; install it as CI does.
  packages=()
  command -v javac >/dev/null || packages+=(openjdk-17-jdk-headless)
  command -v ip >/dev/null || packages+=(iproute2)
  command -v busybox >/dev/null || packages+=(busybox-static)
  command -v ipvsadm >/dev/null || packages+=(ipvsadm)
  if ((${#packages[@]})) && ! $in_vm; then
    command -v apt-get >/dev/null || cannot_run "needs ${packages[*]}"
    echo "$lab_name: installing ${packages[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
  fi
  for tool in ip java busybox; do
    command -v "$tool" >/dev/null || cannot_run "needs $tool"
  done

  if [[ ! -f $jar ]]; then
    $in_vm && cannot_run "$jar is missing"
    echo "$lab_name: building the agent (./mvnw -B -q -DskipTests package)"
    (cd "$root" && ./mvnw -B -q -DskipTests package)
  fi

  if ! has_ipvs; then
    $in_vm && cannot_run "no ip_vs in the VM's kernel"
    echo "$lab_name: this kernel has no ip_vs; running it in a VM booted from Debian's kernel (hack/vm)"
    # The guest sees this machine's files read-only, and its own /tmp: the checkout (which may lie
    # under /tmp) is shared read-write, and the logs come back through it.
    vm_logs=$root/agent/target/$lab_name-vm-logs
    rm -rf "$vm_logs"
    # What must run on this machine itself, before the VM (it may add to lab_args).
    [[ -n ${lab_before_vm:-} ]] && "$lab_before_vm"
    args=(--pace "$pace" "${lab_args[@]}")
    [[ -n $keep_logs ]] && args+=(--keep-logs "$vm_logs")
    cd "$root"
    status=0
    vm_env=(--env KUBELVS_DEMO_TTY="$KUBELVS_DEMO_TTY")
    [[ -n ${KUBELVS_JAVA_OPTS:-} ]] && vm_env+=(--env KUBELVS_JAVA_OPTS)
    hack/vm/run.sh --cpus 2 --mem 2048 --timeout 1100 --results "$root" "${vm_env[@]}" \
      -- "$lab_script" --in-vm "${args[@]}" || status=$?
    if [[ -n $keep_logs && -d $vm_logs ]]; then
      mkdir -p "$keep_logs" && cp -r "$vm_logs"/. "$keep_logs"/ && rm -rf "$vm_logs"
    fi
    exit "$status"
  fi
  command -v ipvsadm >/dev/null || cannot_run "needs ipvsadm (apt-get install ipvsadm)"
}

# --- the lab

readonly net=198.18.53 vip=198.18.53.50
declare -A addr=([d1]=$net.11 [d2]=$net.12 [web1]=$net.101 [web2]=$net.102 [sorry]=$net.200
  [mail]=$net.25 [client]=$net.9)
readonly ns_prefix="kl$lab_name$$"
work=""
declare -A pid=()
namespaces=()
started=$(date +%s%N)

now_ms() { echo $((($(date +%s%N) - started) / 1000000)); }
stamp() { local ms; ms=$(now_ms); printf '%s[%4d.%ds]%s' "$dim" $((ms / 1000)) $((ms % 1000 / 100)) "$off"; }
say() { echo "$(stamp) $*"; }
title() {
  echo
  echo "${bold}== $*${off}"
}
ok() { echo "$(stamp) ${green}ok${off} $*"; }
fail() {
  echo "$(stamp) ${red}FAILED${off} $*"
  show_logs
  exit 1
}
pause() { ((pace == 0)) || sleep "$pace"; }

ns() { echo "$ns_prefix-$1"; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for name in "${!pid[@]}"; do
    kill -9 "${pid[$name]}" 2>/dev/null || true
  done
  for name in "${!pid[@]}"; do
    wait "${pid[$name]}" 2>/dev/null || true
  done
  for n in "${namespaces[@]}"; do
    ip netns delete "$n" 2>/dev/null || true
  done
  if [[ -n $work ]]; then
    if [[ -n $keep_logs ]]; then
      mkdir -p "$keep_logs" && cp -r "$work"/. "$keep_logs"/ 2>/dev/null || true
    fi
    rm -rf "$work"
  fi
  exit "$status"
}

add_namespace() {
  ip netns add "$1"
  namespaces+=("$1")
}

add_host() {
  local host=$1 n
  n=$(ns "$host")
  add_namespace "$n"
  ip netns exec "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  ip -n "$n" link set lo up
  ip -n "$(ns sw)" link add "p-$host" type veth peer name eth0 netns "$n"
  ip -n "$(ns sw)" link set "p-$host" master br0 up
  ip -n "$n" addr add "${addr[$host]}/24" dev eth0
  ip -n "$n" link set eth0 up
}

# A real server for direct routing: the VIP on its loopback, and it never answers ARP for it.
make_dr_server() {
  local host=$1
  in_ns "$host" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
  ip -n "$(ns "$host")" addr add "$vip/32" dev lo
}

start_web() {
  local host=$1
  mkdir -p "$work/www/$host"
  echo "$host" >"$work/www/$host/index.html"
  # ip netns exec, not in_ns: $! must be the server itself (a function would run in a subshell).
  ip netns exec "$(ns "$host")" busybox httpd -f -p 80 -h "$work/www/$host" &
  pid[$host]=$!
}

stop_web() {
  kill "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
}

# An SMTP sink: each message becomes a file under $work/mail.
start_mail() {
  mkdir -p "$work/mail"
  cat >"$work/smtp-session.sh" <<'EOF'
#!/usr/bin/env bash
# One SMTP session on stdin/stdout; the message is written to $MAIL_DIR.
out=$MAIL_DIR/$(date +%s%N).$$
printf '220 demo-mail ESMTP sink\r\n'
while IFS= read -r line; do
  line=${line%$'\r'}
  case ${line^^} in
    HELO* | EHLO*) printf '250 demo-mail\r\n' ;;
    MAIL\ FROM:* | RCPT\ TO:*) echo "$line" >>"$out.part"; printf '250 OK\r\n' ;;
    DATA)
      printf '354 end with <CRLF>.<CRLF>\r\n'
      while IFS= read -r body; do
        body=${body%$'\r'}
        [[ $body == . ]] && break
        echo "$body" >>"$out.part"
      done
      mv "$out.part" "$out.eml"
      printf '250 OK queued\r\n' ;;
    QUIT) printf '221 bye\r\n'; exit 0 ;;
    RSET | NOOP) printf '250 OK\r\n' ;;
    *) printf '502 not implemented\r\n' ;;
  esac
done
EOF
  chmod +x "$work/smtp-session.sh"
  MAIL_DIR=$work/mail ip netns exec "$(ns mail)" busybox nc -ll -p 25 -e "$work/smtp-session.sh" &
  pid[mail]=$!
}

# The seed's file, mapped into the lab: addresses, the interface, and for d2 keepalived's
# "same file with state BACKUP and priority 98".
# The seed's file with the lab's addresses and interface $1 (hack/bench-agent.sh uses it too).
seed_mapped() {
  sed -e "s/172\.16\.53\./$net./g" \
    -e "s/eno16777736/$1/" \
    -e "s/sorry_server 127\.0\.0\.1/sorry_server ${addr[sorry]}/" \
    -e "s/smtp_server 127\.0\.0\.1/smtp_server ${addr[mail]}/" \
    "$seed_conf"
}

write_config() {
  local director=$1
  seed_mapped eth0 >"$work/$director.conf"
  if [[ $director == d2 ]]; then
    sed -i -e 's/state MASTER/state BACKUP/' -e 's/priority 100/priority 98/' "$work/$director.conf"
  fi
}

# The JVM options the agent is meant to run with: a small heap and metaspace, the serial collector
# (no GC threads competing with VRRP's timers), C1 only. KUBELVS_JAVA_OPTS overrides them.
read -r -a jvm_options <<<"${KUBELVS_JAVA_OPTS:--XX:+UseSerialGC -Xmx64m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -Xss512k -XX:TieredStopAtLevel=1}"

# shellcheck source=jvm.sh
source "$(dirname "${BASH_SOURCE[0]}")/jvm.sh"

start_agent() {
  local director=$1
  mkdir -p "$work/$director-state"
  echo "--- start $(date -u +%FT%TZ)" >>"$work/$director.log"
  # shellcheck disable=SC2046 # the options are words
  ip netns exec "$(ns "$director")" java "${jvm_options[@]}" $(cds_options "$jar") -jar "$jar" run --config "$work/$director.conf" \
    --state-dir "$work/$director-state" >>"$work/$director.log" 2>&1 &
  pid[$director]=$!
}

show_logs() {
  for director in d1 d2; do
    [[ -f $work/$director.log ]] || continue
    echo "${dim}--- last lines of $director's log${off}"
    tail -n 25 "$work/$director.log" | sed 's/^/    /'
  done
}

has_vip() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | grep -q " $vip/"; }
role() { if has_vip "$1"; then echo MASTER; else echo BACKUP; fi; }

# The destinations of the virtual server on a director, "address:port weight" per line.
destinations() {
  in_ns "$1" ipvsadm -Ln -t "$vip:80" 2>/dev/null | awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $4 }'
}

show_director_state() {
  local director
  for director in d1 d2; do
    if [[ -z ${pid[$director]:-} ]]; then
      say "$director: ${red}down${off}"
      continue
    fi
    say "$director (${addr[$director]}): $(role "$director")"
  done
  local master
  for master in d1 d2; do
    if [[ -n ${pid[$master]:-} ]] && has_vip "$master"; then
      say "IPVS on $master, TCP $vip:80 rr, direct routing:"
      destinations "$master" | while read -r dest weight; do
        local name=$dest
        for host in web1 web2 sorry; do [[ $dest == "${addr[$host]}:80" ]] && name="$host ($dest)"; done
        echo "             -> $name weight $weight"
      done
    fi
  done
}

# Runs $1 requests from the client through the VIP; the answers (or "failed") go to $answers.
answers=()
requests() {
  answers=()
  local i reply
  for ((i = 0; i < $1; i++)); do
    # bash's /dev/tcp: busybox's static wget crashes resolving names in a namespace.
    reply=$(in_ns client timeout 3 bash -c \
      'exec 3<>"/dev/tcp/$0/80" && printf "GET / HTTP/1.0\r\nHost: %s\r\n\r\n" "$0" >&3 && cat <&3' \
      "$vip" 2>/dev/null | tail -n 1 | tr -d '\r')
    [[ -n $reply ]] || reply=failed
    answers+=("$reply")
  done
  say "client -> http://$vip/ x$1: ${answers[*]}"
}

expect_alternation() {
  local i
  for ((i = 0; i < ${#answers[@]}; i++)); do
    [[ ${answers[i]} == web1 || ${answers[i]} == web2 ]] || fail "$1: request $((i + 1)) got '${answers[i]}'"
    if ((i > 0)) && [[ ${answers[i]} == "${answers[i - 1]}" ]]; then
      fail "$1: requests $i and $((i + 1)) both went to ${answers[i]}; round robin alternates"
    fi
  done
  ok "$1: the requests alternate between web1 and web2 (rr)"
}

expect_all() {
  local want=$1 what=$2 a
  for a in "${answers[@]}"; do
    [[ $a == "$want" ]] || fail "$what: expected every request answered by $want, got: ${answers[*]}"
  done
  ok "$what: every request answered by $want"
}

# Polls $2 (a command) every 100 ms until it succeeds or $1 seconds pass; prints the seconds taken.
wait_for() {
  local limit_ms=$(($1 * 1000)) begin
  shift
  begin=$(now_ms)
  until "$@"; do
    if (($(now_ms) - begin > limit_ms)); then
      return 1
    fi
    sleep 0.1
  done
  local took=$(($(now_ms) - begin))
  printf '%d.%d' $((took / 1000)) $((took % 1000 / 100))
}

destination_set_is() {
  local director=$1
  shift
  [[ $(destinations "$director" | awk '{print $1}' | sort | tr '\n' ' ') == "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]]
}

master_is() { has_vip "$1" && ! has_vip "$2"; }


# An HTTP GET from inside a host's namespace; the body only.
http_body() {
  in_ns "$1" timeout 5 bash -c \
    'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && cat <&3' \
    "$2" "$3" "$4" 2>/dev/null | tr -d '\r' | sed '1,/^$/d'
}
# The value of the first series of metric $1 whose labels include each of the rest.
metric() {
  local text=$1 name=$2 line
  shift 2
  line=$(grep "^$name{" <<<"$text" || true)
  local label
  for label in "$@"; do line=$(grep -F "$label" <<<"$line" || true); done
  head -n 1 <<<"$line" | awk '{print $NF}'
}

# Builds the lab: the bridge, every host, the web, sorry and mail servers, both agents' configs.
lab_up() {
  work=$(mktemp -d "/tmp/kubelvs-$lab_name.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  add_namespace "$(ns sw)"
  ip -n "$(ns sw)" link set lo up
  ip -n "$(ns sw)" link add br0 type bridge mcast_snooping 0
  ip -n "$(ns sw)" link set br0 up
  for host in d1 d2 web1 web2 sorry mail client; do add_host "$host"; done
  for host in web1 web2 sorry; do make_dr_server "$host"; done
  for host in web1 web2 sorry; do start_web "$host"; done
  start_mail
  write_config d1
  write_config d2
  say "lab up: namespaces ${ns_prefix}-{d1,d2,web1,web2,sorry,mail,client} on bridge br0"
}
