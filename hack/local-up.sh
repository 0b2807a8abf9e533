#!/usr/bin/env bash
# The operator and N agents as local processes against the cluster of $KUBECONFIG, with the seed
# scenario (samples/seed) in a lab of network namespaces on one bridge:
#
#   director-1..N  198.18.53.11..   each an agent in its own namespace, acting as that node
#   web1 198.18.53.101  web2 198.18.53.102  sorry 198.18.53.200   (DR: the VIP on their lo)
#   client 198.18.53.9
#
# The seed's 172.16.53.x addresses become 198.18.53.x (this lab's range), its sorry server
# 127.0.0.1 the sorry host; the rest of samples/seed is applied unchanged, the pool's interface
# name (eno16777736) included: that is what each director's lab interface is called.
# A Node object is created for each director the cluster has none for (labelled kubelvs.io/pool=seed,
# tainted NoSchedule, its InternalIP the lab address, its Ready condition renewed every 20 s);
# one that exists is labelled for the pool. The agents reach the API server through
# `kubectl proxy` on a Unix socket, bridged into each director's namespace by socat, so any
# cluster kubectl reaches works, whatever its authentication. The operator runs with
# $KUBECONFIG directly, without leader election: do not run it beside an installed operator.
#
# Usage (as root; the kernel needs ip_vs):
#   hack/local-up.sh [up] [--agents N] [--timeout SECONDS]   start; wait until VirtualService
#                                               seed-web has a master and 2/2 backends
#   hack/local-up.sh down                       stop what `up` started, delete what it made
#   hack/local-up.sh agent NODE stop|kill|start SIGTERM (planned handover), SIGKILL, or start
#   hack/local-up.sh request [COUNT]            HTTP GETs from the client to the VIP
#   hack/local-up.sh status                     kubectl get vs, directors; who holds the VIP
# Environment: KUBECONFIG; KUBELVS_LOCAL_UP_DIR (state, logs; default /tmp/kubelvs-local-up);
#   KUBELVS_JAVA_OPTS (the agents' and operator's JVM options); KUBECTL_VALIDATE (kubectl
#   apply --validate, default strict).
# Exit status: 0 done; 1 failed (what `up` made is removed again); 2 cannot run here.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${KUBELVS_LOCAL_UP_DIR:-/tmp/kubelvs-local-up}
agent_jar=$root/agent/target/kubelvs-agent.jar
operator_jar=$root/operator/target/kubelvs-operator.jar
readonly net=198.18.53 vip=198.18.53.50 seed_vs=seed-web seed_ns=default system_ns=kubelvs-system
readonly pool_label=kubelvs.io/pool=seed iface=eno16777736 api_port=8001
read -r -a jvm_options <<<"${KUBELVS_JAVA_OPTS:--XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1}"
# shellcheck source=lib/jvm.sh
source "$root/hack/lib/jvm.sh"

say() { echo "local-up: $*"; }
die() { echo "local-up: $*" >&2; exit 1; }
cannot_run() { echo "local-up: $*" >&2; exit 2; }
# A bound on each request, so that `down` against an API server that went away still ends.
kc() { kubectl --request-timeout=60s "$@"; }

usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; }

# --- what a run made, recorded as it is made, so `down` (also after a failed `up`) undoes it

record() { echo "$2" >>"$dir/$1"; }
recorded() { if [[ -f $dir/$1 ]]; then cat "$dir/$1"; fi; }
node_name() { echo "director-$1"; }
ns() { echo "$(cat "$dir/prefix")-$1"; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }

# Starts "$@" in the background, detached, its output to $dir/logs/$name.log; remembers its pid.
spawn() {
  local name=$1
  shift
  echo "--- start $(date -u +%FT%TZ)" >>"$dir/logs/$name.log"
  setsid "$@" </dev/null >>"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name"
}

# The pid of process $1 if it still runs what was started (a pid may have been reused).
live_pid() {
  local file=$dir/pids/$1 pid
  [[ -f $file ]] || return 1
  pid=$(cat "$file")
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(cat "$file.what")" || return 1
  echo "$pid"
}

stop_process() {
  local name=$1 signal=${2:-TERM} pid i
  pid=$(live_pid "$name") || { rm -f "$dir/pids/$name"; return 0; }
  # setsid made each one the leader of its own process group: the group goes with it.
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    [[ -e /proc/$pid ]] || break
    sleep 0.1
  done
  if [[ -e /proc/$pid ]]; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pids/$name"
}

# --- the lab

declare -A addr=([web1]=$net.101 [web2]=$net.102 [sorry]=$net.200 [client]=$net.9)
director_addr() { echo "$net.$((10 + $1))"; }

add_host() {
  local host=$1 address=$2 ifname=$3 n
  n=$(ns "$host")
  ip netns add "$n"
  record namespaces "$n"
  ip netns exec "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  ip -n "$n" link set lo up
  ip -n "$(ns sw)" link add "p-$host" type veth peer name "$ifname" netns "$n"
  ip -n "$(ns sw)" link set "p-$host" master br0 up
  ip -n "$n" addr add "$address/24" dev "$ifname"
  ip -n "$n" link set "$ifname" up
}

# A real server for direct routing: the VIP on its loopback, and it never answers ARP for it.
make_web() {
  local host=$1
  in_ns "$host" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
  ip -n "$(ns "$host")" addr add "$vip/32" dev lo
  mkdir -p "$dir/www/$host"
  echo "$host" >"$dir/www/$host/index.html"
  echo "busybox httpd -f -p 80 -h $dir/www/$host" >"$dir/pids/$host.what"
  spawn "$host" ip netns exec "$(ns "$host")" busybox httpd -f -p 80 -h "$dir/www/$host"
}

lab_up() {
  local n=$1 i
  ip netns add "$(ns sw)"
  record namespaces "$(ns sw)"
  ip -n "$(ns sw)" link set lo up
  ip -n "$(ns sw)" link add br0 type bridge mcast_snooping 0
  ip -n "$(ns sw)" link set br0 up
  for ((i = 1; i <= n; i++)); do add_host "d$i" "$(director_addr "$i")" "$iface"; done
  for host in web1 web2 sorry client; do add_host "$host" "${addr[$host]}" eth0; done
  for host in web1 web2 sorry; do make_web "$host"; done
  say "lab: namespaces $(ns '{sw,d1..d'"$n"',web1,web2,sorry,client}'), bridge br0, VIP $vip"
}

# --- the cluster side

# The seed sample as this lab runs it: its addresses moved into the lab's range.
seed_mapped() {
  kc kustomize "$root/samples/seed" |
    sed -e "s/172\.16\.53\./$net./g" \
      -e "/sorryServer:/,/port:/s/address: 127\.0\.0\.1/address: ${addr[sorry]}/"
}

node_yaml() {
  local name=$1
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $name
  labels:
    kubelvs.io/pool: seed
    kubelvs.io/local-up: "true"
spec:
  taints:
    - key: kubelvs.io/local-up
      value: "true"
      effect: NoSchedule
EOF
}

# Ready, with a fresh heartbeat: a node whose status is not renewed turns Unknown on a real cluster.
node_status_patch() {
  local address=$1 now
  now=$(date -u +%FT%TZ)
  printf '{"status":{"addresses":[{"type":"InternalIP","address":"%s"}],"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelvs local-up","lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}}' \
    "$address" "$now" "$now"
}

# Renews the Ready condition of the nodes this run created, every 20 s, until killed.
heartbeat_loop() {
  local name i
  while sleep 20; do
    for ((i = 1; i <= agents; i++)); do
      name=$(node_name "$i")
      grep -qx "$name" "$dir/created-nodes" 2>/dev/null || continue
      kc patch node "$name" --subresource=status --type=merge \
        -p "$(node_status_patch "$(director_addr "$i")")" >/dev/null || true
    done
  done
}

# What exists already, as kind/name lines: one kubectl call, as each costs seconds in the VM.
existing() {
  local names=() crd i
  for crd in "$root"/crds/*.kubelvs.io.yaml; do names+=("customresourcedefinition.apiextensions.k8s.io/$(basename "$crd" .yaml)"); done
  names+=("namespace/$system_ns")
  for ((i = 1; i <= agents; i++)); do names+=("node/$(node_name "$i")"); done
  kc get "${names[@]}" --ignore-not-found -o name
}

# The CRDs, given what exists ($1, from `existing`); waits until those it created are established.
apply_crds() {
  local validate=--validate=${KUBECTL_VALIDATE:-strict} have=$1 crd created=()
  for crd in "$root"/crds/*.kubelvs.io.yaml; do
    crd=$(basename "$crd" .yaml)
    grep -qx "customresourcedefinition.apiextensions.k8s.io/$crd" <<<"$have" ||
      { record created-crds "$crd"; created+=("crd/$crd"); }
  done
  local files=()
  for crd in "$root"/crds/*.kubelvs.io.yaml; do files+=(-f "$crd"); done
  kc apply "$validate" "${files[@]}" >/dev/null
  # Objects of a new kind are refused until its CRD is established.
  if ((${#created[@]})); then
    kc wait --for condition=established --timeout=60s "${created[@]}" >/dev/null
  fi
}

# The namespace, a Node for each director the cluster has none for, and the seed.
apply_objects() {
  local validate=--validate=${KUBECTL_VALIDATE:-strict} have=$1 i name
  seed_mapped >"$dir/seed.yaml"
  {
    if ! grep -qx "namespace/$system_ns" <<<"$have"; then
      record created-namespaces "$system_ns"
      printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n---\n' "$system_ns"
    fi
    for ((i = 1; i <= agents; i++)); do
      name=$(node_name "$i")
      grep -qx "node/$name" <<<"$have" && continue
      record created-nodes "$name"
      node_yaml "$name"
      echo ---
    done
  } >"$dir/made.yaml"
  cat "$dir/made.yaml" "$dir/seed.yaml" | kc apply "$validate" -f - >/dev/null
  for ((i = 1; i <= agents; i++)); do
    name=$(node_name "$i")
    if grep -qx "node/$name" <<<"$have"; then
      kc label node "$name" "$pool_label" --overwrite >/dev/null
      record labelled-nodes "$name"
      say "node $name exists: labelled $pool_label"
    else
      kc patch node "$name" --subresource=status --type=merge \
        -p "$(node_status_patch "$(director_addr "$i")")" >/dev/null
      say "node $name registered (InternalIP $(director_addr "$i"))"
    fi
  done
  say "applied crds/ and samples/seed (addresses 172.16.53.x -> $net.x, sorry server ${addr[sorry]})"
}

# --- the processes

start_api_bridge() {
  echo "kubectl proxy --unix-socket=$dir/api.sock" >"$dir/pids/api-proxy.what"
  spawn api-proxy kubectl proxy --unix-socket="$dir/api.sock"
  local i
  for ((i = 0; i < 100; i++)); do [[ -S $dir/api.sock ]] && break; sleep 0.1; done
  [[ -S $dir/api.sock ]] || die "kubectl proxy did not start: $(tail -n 5 "$dir/logs/api-proxy.log")"
  cat >"$dir/agent.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: local-up
    cluster:
      server: http://127.0.0.1:$api_port
users:
  - name: agent
    user: {}
contexts:
  - name: local-up
    context:
      cluster: local-up
      user: agent
      namespace: $system_ns
current-context: local-up
EOF
}

start_operator() {
  echo "$operator_jar" >"$dir/pids/operator.what"
  # --lease-namespace: where the agents renew their heartbeat Leases (their --namespace).
  spawn operator java "${jvm_options[@]}" -jar "$operator_jar" --no-leader-election \
    --lease-namespace "$system_ns" --probe-port "${KUBELVS_OPERATOR_PROBE_PORT:-18081}"
}

start_agent() {
  local i=${1#director-} node
  node=$(node_name "$i")
  if ! live_pid "api-bridge-d$i" >/dev/null; then
    echo "UNIX-CONNECT:$dir/api.sock" >"$dir/pids/api-bridge-d$i.what"
    spawn "api-bridge-d$i" ip netns exec "$(ns "d$i")" socat \
      "TCP-LISTEN:$api_port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$dir/api.sock"
  fi
  mkdir -p "$dir/state-$node"
  echo "--node $node" >"$dir/pids/agent-$node.what"
  # shellcheck disable=SC2046 # the options are words
  KUBECONFIG=$dir/agent.kubeconfig spawn "agent-$node" ip netns exec "$(ns "d$i")" \
    java "${jvm_options[@]}" $(cds_options "$agent_jar") -jar "$agent_jar" run --node "$node" --namespace "$system_ns" \
    --state-dir "$dir/state-$node" --http 127.0.0.1:9650
}

# --- waiting and showing

vs_field() { kc get vs "$seed_vs" -n "$seed_ns" -o jsonpath="$1" 2>/dev/null || true; }

show_status() {
  kc get vs -n "$seed_ns" -o custom-columns='NAME:.metadata.name,VIP:.status.vip,PORT:.spec.ports[*].port,MASTER:.status.masterNode,BACKENDS:.status.backends,STATUS:.status.conditions[?(@.type=="Ready")].reason,STATES:.status.directors[*].state' || true
  kc get directors -o custom-columns='NAME:.metadata.name,MASTER-OF:.status.masterOf,READY:.status.conditions[?(@.type=="Ready")].status' || true
  local i
  for ((i = 1; i <= $(cat "$dir/agents" 2>/dev/null || echo 0); i++)); do
    if ip -n "$(ns "d$i")" -4 -o addr show dev "$iface" 2>/dev/null | grep -q " $vip/"; then
      say "$(node_name "$i") holds the VIP $vip"
    fi
  done
}

wait_ready() {
  local limit=$1 begin now master backends ready
  begin=$(date +%s)
  while :; do
    # One kubectl a round: each start costs a lot where the machine is slow (an emulated VM).
    IFS='|' read -r master backends ready < <(vs_field \
      '{.status.masterNode}|{.status.backends}|{.status.conditions[?(@.type=="Ready")].status}{"\n"}') || true
    if [[ -n $master && $backends == 2/2 && $ready == True ]]; then
      say "VirtualService $seed_ns/$seed_vs: master $master, backends $backends, Ready ($(($(date +%s) - begin)) s)"
      return 0
    fi
    now=$(date +%s)
    if ((now - begin > limit)); then
      echo "local-up: $seed_vs not Ready with a master and 2/2 backends within $limit s" \
        "(master '${master}', backends '${backends}', Ready '${ready}')" >&2
      for log in "$dir"/logs/operator.log "$dir"/logs/agent-*.log; do
        echo "--- last lines of $log" >&2
        tail -n 20 "$log" >&2 || true
      done
      return 1
    fi
    sleep 2
  done
}

# --- commands

check_tools() {
  [[ $(id -u) == 0 ]] || cannot_run "needs root for network namespaces and IPVS: sudo $0"
  local packages=()
  command -v ip >/dev/null || packages+=(iproute2)
  command -v busybox >/dev/null || packages+=(busybox-static)
  command -v socat >/dev/null || packages+=(socat)
  command -v kubectl >/dev/null || packages+=(kubectl)
  command -v java >/dev/null || packages+=(openjdk-17-jdk-headless)
  if ((${#packages[@]})); then
    command -v apt-get >/dev/null || cannot_run "needs ${packages[*]}"
    say "installing ${packages[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
  fi
  [[ -e /proc/net/ip_vs ]] || { modprobe -q ip_vs 2>/dev/null && [[ -e /proc/net/ip_vs ]]; } ||
    cannot_run "this kernel has no ip_vs (modprobe ip_vs failed): the agents cannot program IPVS"
  if [[ ! -f $agent_jar || ! -f $operator_jar ]]; then
    say "building the agent and the operator (./mvnw -B -q -DskipTests package)"
    (cd "$root" && ./mvnw -B -q -DskipTests package)
  fi
}

# An `up` that fails (or is interrupted) leaves nothing behind.
undo_failed_up() {
  local status=$?
  trap - EXIT
  if ((status != 0)); then
    echo "local-up: failed; removing what was made" >&2
    down
  fi
  exit "$status"
}

up() {
  local timeout=300 i
  agents=2
  while (($#)); do
    case $1 in
      --agents) agents=$2; shift 2 ;;
      --timeout) timeout=$2; shift 2 ;;
      *) cannot_run "unknown option $1 (see --help)" ;;
    esac
  done
  ((agents >= 1 && agents <= 9)) || cannot_run "--agents must be 1 to 9"
  [[ ! -e $dir/prefix ]] || cannot_run "$dir holds a run already: hack/local-up.sh down first"
  check_tools
  mkdir -p "$dir/logs" "$dir/pids"
  echo "klup$$" >"$dir/prefix"
  echo "$agents" >"$dir/agents"
  export KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}
  echo "$KUBECONFIG" >"$dir/kubeconfig-path"
  trap undo_failed_up EXIT
  trap 'exit 130' INT TERM
  lab_up "$agents"
  local have
  have=$(existing) || cannot_run "kubectl cannot reach the cluster of KUBECONFIG=$KUBECONFIG"
  apply_crds "$have"
  # The JVMs take their time to start (minutes in an emulated VM): they do while the objects are
  # applied. The agents wait for their Directors, the operator for the pool and the nodes.
  start_api_bridge
  start_operator
  for ((i = 1; i <= agents; i++)); do start_agent "$i"; done
  say "operator and $agents agents started; logs in $dir/logs"
  apply_objects "$have"
  echo "local-up.sh heartbeat" >"$dir/pids/heartbeat.what"
  spawn heartbeat "$root/hack/local-up.sh" heartbeat
  wait_ready "$timeout"
  show_status
  trap - EXIT
}

down() {
  [[ -f $dir/prefix ]] || { say "nothing to remove in $dir"; return 0; }
  if [[ -f $dir/kubeconfig-path ]]; then export KUBECONFIG; KUBECONFIG=$(cat "$dir/kubeconfig-path"); fi
  local name
  # The agents first, by SIGTERM (planned handover), while the API server still answers them.
  for name in "$dir"/pids/agent-*; do
    [[ $name == *.what || ! -e $name ]] || stop_process "$(basename "$name")" TERM
  done
  for name in operator heartbeat; do stop_process "$name" TERM; done
  if [[ -f $dir/seed.yaml ]]; then
    kc delete --ignore-not-found --wait=false -f "$dir/seed.yaml" >/dev/null 2>&1 ||
      echo "local-up: could not delete the seed's objects" >&2
  fi
  # The Directors the operator made for the nodes; it is gone, so nobody else removes them.
  for name in $(recorded created-nodes) $(recorded labelled-nodes); do
    kc delete director "$name" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  done
  for name in $(recorded created-nodes); do
    kc delete node "$name" --ignore-not-found --wait=false >/dev/null 2>&1 ||
      echo "local-up: could not delete node $name" >&2
  done
  for name in $(recorded labelled-nodes); do
    kc label node "$name" kubelvs.io/pool- >/dev/null 2>&1 || true
  done
  for name in $(recorded created-namespaces); do
    kc delete namespace "$name" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  done
  for name in $(recorded created-crds); do
    kc delete crd "$name" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  done
  for name in "$dir"/pids/*; do
    [[ $name == *.what || ! -e $name ]] || stop_process "$(basename "$name")" TERM
  done
  for name in $(recorded namespaces); do
    ip netns delete "$name" 2>/dev/null || true
  done
  say "removed: processes, namespaces $(recorded namespaces | tr '\n' ' ')and the objects made"
  rm -rf "$dir"
}

agent_command() {
  local node=${1:?agent NODE stop|kill|start} action=${2:?agent NODE stop|kill|start}
  [[ -f $dir/prefix ]] || die "no run in $dir"
  agents=$(cat "$dir/agents")
  case $action in
    stop) stop_process "agent-$node" TERM; say "$node's agent stopped (SIGTERM)" ;;
    kill) stop_process "agent-$node" KILL; say "$node's agent killed (SIGKILL)" ;;
    start)
      KUBECONFIG=$(cat "$dir/kubeconfig-path")
      export KUBECONFIG
      start_agent "$node"
      say "$node's agent started"
      ;;
    *) cannot_run "agent NODE stop|kill|start" ;;
  esac
}

# COUNT HTTP GETs from the client to the VIP, one at a time: each answer's last line ("web1", ...),
# or "failed". One shell in the client's namespace for all of them.
request() {
  local count=${1:-1}
  [[ -f $dir/prefix ]] || die "no run in $dir"
  # bash's /dev/tcp: busybox's static wget crashes resolving names in a namespace.
  # shellcheck disable=SC2016 # expanded by the inner bash
  in_ns client bash -c '
    for ((i = 0; i < $1; i++)); do
      reply=$(timeout 5 bash -c "exec 3<>/dev/tcp/$0/80 && printf \"GET / HTTP/1.0\r\n\r\n\" >&3 && cat <&3" 2>/dev/null |
        tail -n 1 | tr -d "\r")
      echo "${reply:-failed}"
    done' "$vip" "$count"
}

command=up
if (($#)) && [[ $1 != -* ]]; then command=$1; shift; fi
case $command in
  up) up "$@" ;;
  down) down ;;
  agent) agent_command "$@" ;;
  request) request "$@" ;;
  status)
    [[ -f $dir/prefix ]] || die "no run in $dir"
    KUBECONFIG=$(cat "$dir/kubeconfig-path")
    export KUBECONFIG
    show_status
    ;;
  heartbeat) agents=$(cat "$dir/agents"); heartbeat_loop ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
