#!/usr/bin/env bash
# Smoke test of hack/vm/run.sh: real IPVS in the VM (a service and a real server added with
# ipvsadm in a fresh network namespace, and a service with each scheduler), the host's java,
# the --results share, exit-code propagation and the timeout. Prints one PASS/FAIL line per
# check and a closing "N passed, N failed" line; exits non-zero if any check failed.
#
# Usage: hack/vm/smoke.sh   (as root on the first run, which installs packages via setup.sh)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
run=$here/run.sh

passed=0 failed=0
check() { # NAME COMMAND...
  local name=$1
  shift
  if "$@"; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}
contains() { grep -qE -- "$2" <<<"$1"; }

results=$(mktemp -d /tmp/kubelvs-vm-smoke.XXXXXXXX)
trap 'rm -rf "$results"' EXIT

# 1. IPVS and java in one VM. Each lab lives in a namespace of its own (a fresh IPVS table, lo
# up so destinations can be added); the VM's own namespace must stay empty.
vip=198.18.0.50 rip=198.18.1.1
schedulers="rr wrr lc wlc fo ovf lblc lblcr dh sh mh sed nq"
guest_script=$(
  cat <<EOF
set -e
unshare -n sh -c 'ip link set lo up
  ipvsadm -A -t $vip:80 -s rr
  ipvsadm -a -t $vip:80 -r $rip:80 -g -w 1
  ipvsadm -Ln'
unshare -n sh -c 'port=1000
  for s in $schedulers; do ipvsadm -A -t $vip:\$port -s \$s; port=\$((port + 1)); done
  echo "schedulers in use: \$(ipvsadm -Ln | sed -n "s/^TCP .* \([a-z]*\) *\$/\1/p" | sort | xargs)"'
echo "services outside the lab namespaces: \$(ipvsadm -Ln | grep -c '^TCP' || true)"
java -version
echo 'written by the guest' >"\$RESULTS/marker"
EOF
)
status=0
start=$(date +%s%N)
output=$("$run" --results "$results" --env RESULTS="$results" -- bash -c "$guest_script") \
  || status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
while IFS= read -r line; do echo "  | $line"; done <<<"$output"
echo "  (exit $status, ${elapsed_ms} ms)"
check "ipvs-run-exits-0" test "$status" -eq 0
check "ipvs-service-listed" contains "$output" "^TCP +${vip//./\\.}:80 rr"
check "ipvs-real-server-listed" contains "$output" "-> ${rip//./\\.}:80 +Route +1 "
check "every-scheduler-loads" contains "$output" \
  "^schedulers in use: $(tr ' ' '\n' <<<"$schedulers" | sort | xargs)$"
check "lab-namespace-isolated" contains "$output" "^services outside the lab namespaces: 0$"
check "java-runs" contains "$output" 'version "[0-9]'
check "results-share-written" test "$(cat "$results/marker" 2>/dev/null)" = "written by the guest"

# 2. A failing command's exit code comes back as run.sh's.
status=0
"$run" -- sh -c 'echo failing on purpose; exit 3' || status=$?
check "exit-code-propagated" test "$status" -eq 3

# 3. A command that outlives --timeout is killed: exit 124.
status=0
"$run" --timeout 8 -- sleep 600 2>/dev/null || status=$?
check "timeout-exits-124" test "$status" -eq 124

echo "$passed passed, $failed failed"
((failed == 0))
