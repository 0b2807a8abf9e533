#!/usr/bin/env bash
# Builds the agent's class-data sharing archive: agent/target/kubelvs-agent.jsa beside
# agent/target/kubelvs-agent.jar (the agent module's package phase runs this after the shade).
#
# A JVM started with -XX:SharedArchiveFile=kubelvs-agent.jsa maps the agent's classes parsed and
# verified instead of reading them from the jar: on this machine the seed's start to its first
# advert drops by ~0.2 s (hack/bench-agent.sh). The archive records the jar it was made from; a
# JVM given it with another jar ignores it. hack/lib/jvm.sh passes it only when it is newer than
# the jar.
#
# The training run is the agent's own start: `run` on the seed's vrrp_instance (VRRP only: no
# ip_vs is needed) in a network namespace of its own, unshared by this script (as root, or as a user
# where unprivileged user namespaces are allowed), on a veth pair addressed from 198.18.0.0/15. It
# runs until it is master and /metrics has answered, then stops on SIGTERM like any agent; the JVM
# writes the archive at its exit (-XX:ArchiveClassesAtExit). Classes the start did not load (the
# checkers, IPVS, the Kubernetes client) load from the jar as before.
#
# This is an optimisation: where no namespace can be made, it says so and leaves no archive, and
# the build goes on.
#
# Usage: hack/cds-archive.sh JAR ARCHIVE
set -euo pipefail

if [[ ${1:-} == --in-namespace ]]; then
  # Inside the new network namespace: the lab, the training run, the archive.
  jar=$2 archive=$3 work=$4
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip link set v1 up
  ip link set v0 up multicast on
  ip addr add 198.18.53.11/24 dev v0
  java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" run --config "$work/vrrp.conf" \
    --state-dir "$work/state" --http 127.0.0.1:9650 >"$work/agent.log" 2>&1 &
  agent=$!
  for _ in $(seq 1 200); do grep -q 'to=MASTER' "$work/agent.log" && break; sleep 0.1; done
  grep -q 'to=MASTER' "$work/agent.log" || { kill -KILL "$agent"; cat "$work/agent.log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    if exec 3<>/dev/tcp/127.0.0.1/9650 2>/dev/null; then
      printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
      cat <&3 >/dev/null
      exec 3>&-
      break
    fi
    sleep 0.1
  done
  kill -TERM "$agent"
  wait "$agent" || true
  exit 0
fi

[[ $# -eq 2 ]] || { echo "usage: $0 JAR ARCHIVE" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$(realpath "$1")
archive=$(realpath -m "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$archive"

# The seed's global_defs and vrrp_instance, on the namespace's veth.
sed -e 's/172\.16\.53\./198.18.53./g' -e 's/eno16777736/v0/' \
  -e 's/smtp_server 127\.0\.0\.1/smtp_server 198.18.53.250/' \
  "$root/samples/keepalived/keepalived.conf" | awk '/^virtual_server/ { exit } { print }' >"$work/vrrp.conf"

unshare_args=(--net)
[[ $(id -u) -eq 0 ]] || unshare_args=(--user --map-root-user --net)
if ! unshare "${unshare_args[@]}" true 2>/dev/null || ! command -v ip >/dev/null; then
  echo "cds-archive: no network namespace can be made here (unshare ${unshare_args[*]}); the agent runs without a class-data archive" >&2
  exit 0
fi
if ! unshare "${unshare_args[@]}" bash "$0" --in-namespace "$jar" "$archive" "$work"; then
  echo "cds-archive: the training run failed; the agent runs without a class-data archive" >&2
  rm -f "$archive"
  exit 0
fi
[[ -s $archive ]] || { echo "cds-archive: the training run wrote no archive" >&2; exit 0; }
echo "cds-archive: $archive ($(($(stat -c %s "$archive") / 1024)) KiB) for $jar"
