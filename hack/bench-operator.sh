#!/usr/bin/env bash
# Operator benchmark: SERVICES VirtualServices (default 5,000) in 3 DirectorPools over 20 Ready
# nodes on fabric8's mock API server (CRUD mode, the CRDs loaded), and
# operator/target/kubelvs-operator.jar as a process of its own against it (hack/bench/
# OperatorBench.java drives it), with the image's JVM flags in the production overlay's 1 GiB memory
# limit (-XX:MaxRAM=1g -XX:+UseG1GC -XX:MaxRAMPercentage=75: a 768 MiB heap). Per trial:
#   converge_s     from the operator's start until every VirtualService is in its pool's Directors
#                  and its status names its VIP and the directors that carry it
#   change_ms      one VirtualService's real-server weight changed until every Director that
#                  carries the service carries it (seen through watches: the VirtualServerSet its
#                  instances name holds the new weight; agents run each new generation of the sets
#                  their Director names), 50 changes one at a time after 5 not counted (warm-up):
#                  p50 and p99
#   rss_mib        the operator's RSS after the changes
#   plan_ms        per operator pass that wrote during the changes: its planning (from the caches
#                  to the list of writes), from its log; p99
#   write_ms       the same passes: until the API server answered their writes (the changed
#                  VirtualServerSet; Directors too where their own instances changed); p99
# Medians over --trials (default 3), and last:
#   RESULT converge_s=<s> p50_change_ms=<ms> p99_change_ms=<ms> rss_mib=<m> p99_plan_ms=<ms>
#          p99_write_ms=<ms>
# The issue's target: p99_change_ms <= 200 at 5,000 VirtualServices.
#
# Usage: hack/bench-operator.sh [--trials N] [--services N] [--changes N]
# Environment: BENCH_OPERATOR_JAVA_OPTS adds JVM options to the operator process, BENCH_JAVA_OPTS
# to the driver that hosts the mock API server (profiling).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

trials=3 services=5000 changes=50
while (($#)); do
  case $1 in
    --trials) trials=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-operator: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -f operator/target/kubelvs-operator.jar ]]; then
  echo "bench-operator: building (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi
classpath_file=$(mktemp /tmp/kubelvs-bench-operator-cp.XXXXXX)
trap 'rm -f "$classpath_file"' EXIT
./mvnw -B -q -pl operator -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$classpath_file" >/dev/null
classpath=$(cat "$classpath_file")

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A values=()
for ((trial = 1; trial <= trials; trial++)); do
  output=$(java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" hack/bench/OperatorBench.java "$root" "$services" 3 20 "$changes" 2>&1 |
    grep -v -E '^(INFO|WARNING|\[main\] WARN|[A-Z][a-z]{2} [0-9]{2}, [0-9]{4})' || true)
  result=$(grep '^RESULT ' <<<"$output" || true)
  if [[ -z $result ]]; then
    echo "bench-operator: trial $trial produced no RESULT; its output:" >&2
    echo "$output" | tail -30 >&2
    exit 1
  fi
  grep -v '^RESULT ' <<<"$output" | sed "s/^/trial $trial: /"
  for pair in ${result#RESULT }; do values[${pair%%=*}]+="${pair#*=}"$'\n'; done
done
m() { printf '%s' "${values[$1]}" | median; }
echo "RESULT converge_s=$(m converge_s) p50_change_ms=$(m p50_change_ms) p99_change_ms=$(m p99_change_ms) rss_mib=$(m rss_mib) p99_plan_ms=$(m p99_plan_ms) p99_write_ms=$(m p99_write_ms)"
