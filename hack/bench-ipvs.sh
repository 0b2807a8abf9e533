#!/usr/bin/env bash
# Benchmark of the IPVS wrapper against ipvsadm, on the real ip_vs module in hack/vm's VM.
#
# In one VM run, for each trial and each side in a fresh network namespace (deleted real servers
# linger 120 s in the kernel's dest trash and slow later adds): program SERVICES services x REALS
# real servers from empty - kubelvs' reconciler vs `ipvsadm -R` of the same rules -, dump them
# back (kubelvs' client vs `ipvsadm -Ln`), and, kubelvs only, change one real server's weight.
# Prints each trial, the medians, and last a RESULT line.
#
# Usage: hack/bench-ipvs.sh [SERVICES] [REALS] [TRIALS]    (defaults 10000 4 3)
# kubelvs is timed inside its JVM (the agent is a daemon; JVM start is not part of programming),
# ipvsadm as a whole process (its start is ~25 ms of the total under emulation).
# The guest JVMs run C1 only (-XX:TieredStopAtLevel=1): under qemu's TCG, C2-compiled code
# crashed about every second JVM here with SIGSEGV (SI_KERNEL); C1 never did. On real hardware
# the agent runs the default tiered compiler, so these kubelvs figures are conservative.
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-10000}
reals=${2:-4}
trials=${3:-3}

./mvnw -B -q -pl agent -am test-compile -DskipTests >/dev/null
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -pl agent dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$PWD/agent/target/test-classes:$PWD/agent/target/classes:$(cat "$cp_file")"
java=$(readlink -f "$(command -v java)")

# The guest script: all trials in one VM, every measurement in its own namespace.
read -r -d '' guest <<'GUEST' || true
set -euo pipefail
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g -cp "$CLASSPATH")
"$JAVA" "${java_opts[@]}" io.kubelvs.agent.ipvs.IpvsBenchmark rules "$SERVICES" "$REALS" /tmp/rules
echo "rules: $(wc -l < /tmp/rules) lines"
for t in $(seq 1 "$TRIALS"); do
  unshare -n bash -c '
    ip link set lo up
    s=$(date +%s.%N); ipvsadm -R < /tmp/rules; e=$(date +%s.%N)
    d0=$(date +%s.%N); ipvsadm -Ln > /tmp/dump; d1=$(date +%s.%N)
    echo "trial='"$t"' side=ipvsadm load_s=$(echo "$e - $s" | bc) dump_s=$(echo "$d1 - $d0" | bc) lines=$(wc -l < /tmp/dump)"'
  unshare -n bash -c '
    ip link set lo up
    echo "trial='"$t"' side=kubelvs $("$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g -cp "$CLASSPATH" \
      io.kubelvs.agent.ipvs.IpvsBenchmark run "$SERVICES" "$REALS")"'
done
GUEST

out=$(mktemp)
trap 'rm -f "$cp_file" "$out"' EXIT
hack/vm/run.sh --timeout 3000 --mem 2048 --results "$PWD" \
  --env "CLASSPATH=$classpath" --env "JAVA=$java" --env "SERVICES=$services" \
  --env "REALS=$reals" --env "TRIALS=$trials" -- bash -c "$guest" | tee "$out"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
field() { grep "side=$1" "$out" | grep -o "$2=[0-9.]*" | cut -d= -f2; }
ipvsadm_load=$(field ipvsadm load_s | median)
ipvsadm_dump=$(field ipvsadm dump_s | median)
kubelvs_load=$(field kubelvs load_s | median)
kubelvs_dump=$(field kubelvs dump_s | median)
single_s=$(field kubelvs single_change_s | median)
single_requests=$(field kubelvs single_change_requests | sort -gu | tail -1)
ratio=$(echo "scale=3; $kubelvs_load / $ipvsadm_load" | bc)
dump_ratio=$(echo "scale=3; $kubelvs_dump / $ipvsadm_dump" | bc)

printf '\n%-10s %12s %12s\n' "median" "load_s" "dump_s"
printf '%-10s %12s %12s\n' "ipvsadm" "$ipvsadm_load" "$ipvsadm_dump"
printf '%-10s %12s %12s\n' "kubelvs" "$kubelvs_load" "$kubelvs_dump"
printf '%-10s %12s %12s\n' "ratio" "$ratio" "$dump_ratio"
printf 'single weight change: %s s, %s netlink request(s)\n' "$single_s" "$single_requests"
echo "RESULT ratio=$ratio kubelvs_s=$kubelvs_load ipvsadm_s=$ipvsadm_load dump_s=$kubelvs_dump ipvsadm_dump_s=$ipvsadm_dump single_change_requests=$single_requests"
