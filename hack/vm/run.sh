#!/usr/bin/env bash
# Runs one command inside a throw-away qemu VM booted from Debian's own kernel, which has IPVS
# (this host's kernel has none and cannot load modules), so tests and ipvsadm can use real IPVS.
#
# Usage: hack/vm/run.sh [OPTIONS] -- COMMAND [ARGS...]
#   --cpus N               virtual CPUs (default 2)
#   --mem MIB              guest memory in MiB (default 1024)
#   --timeout SEC          limit for the whole run, boot included (default 300)
#   --results DIR          host directory the guest sees read-write at the same absolute path
#                          (created if missing): the one way to leave files for the host
#   --env NAME[=VALUE]     pass NAME (its value here, if set, or VALUE) to COMMAND; repeatable
#   --machine microvm|q35  default microvm; if it does not boot, q35 is tried once
#   -v, --verbose          report boot and run times on stderr
#
# The guest sees the host's root filesystem read-only (9p, cached: do not change files the
# command reads while it runs) under a tmpfs overlay, so the host's java, ipvsadm, bash and the
# project's build output are at the same paths; its writes vanish with it. It has its own /proc,
# /sys, /dev (with /dev/fd, /dev/pts, /dev/shm) and an empty tmpfs /tmp: the host's /tmp is not
# visible, except a --results DIR under it. COMMAND runs as root in the caller's current
# directory, stdin from /dev/null, with only PATH, HOME=/root, JAVA_HOME (if set here) and the
# --env variables (e.g. --env LANG) in its environment. The network is loopback only (lo is up);
# use 198.18.0.0/15 for lab addresses, and a fresh namespace (unshare -n) per test. Loaded
# modules: virtio, 9p, overlay, nf_conntrack, ip_vs and every scheduler, veth, bridge, dummy
# (VM_BOOT_MODULES and VM_LAB_MODULES in common.sh).
#
# Output: COMMAND's stdout and stderr, merged, on stdout; run.sh's own messages on stderr.
# No SIGPIPE crosses the VM: if the reader of stdout goes away, COMMAND runs on until it ends or
# the timeout. Runs are independent and may overlap (each VM uses --cpus host threads).
# Exit status: COMMAND's (128+N if signal N killed it), or
#   124  timed out: the VM was killed
#   125  the VM failed to boot or to prepare, died before COMMAND finished, or could not
#        enter the current directory
#   64   bad usage
#
# Environment:
#   KUBELVS_VM_CACHE         kernel and initramfs cache (default /var/cache/kubelvs-vm), filled
#                            by hack/vm/setup.sh, which this script runs when it is missing
#   KUBELVS_VM_BOOT_TIMEOUT  seconds to wait for the guest's init (default 30)
#   KUBELVS_VM_TSC_KHZ       the host's TSC frequency, if the kernel log does not tell it
#   KUBELVS_VM_CPU           qemu CPU model (default qemu64)
#   KUBELVS_VM_KERNEL_ARGS   extra kernel command line arguments
#   KUBELVS_VM_DEBUG=1       full kernel messages, also on a serial port from the first
#                            instruction; shown, and the run directory kept, when boot fails
#
# Example: hack/vm/run.sh --results target/vm -- ipvsadm -Ln
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

readonly EXIT_TIMEOUT=124 EXIT_VM_FAILED=125 EXIT_USAGE=64

log() { echo "run.sh: $*" >&2; }
usage_error() {
  log "$*"
  log "usage: hack/vm/run.sh [--cpus N] [--mem MIB] [--timeout SEC] [--results DIR]" \
    "[--env NAME[=VALUE]]... [--machine microvm|q35] [-v] -- COMMAND [ARGS...]"
  exit $EXIT_USAGE
}
is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
now_ms() { date +%s%3N; }

# Quotes one word for POSIX sh.
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# Escapes a path for a qemu option value (a comma is written twice).
qemu_path() { printf '%s' "${1//,/,,}"; }

cpus=2 mem=1024 timeout=300 results="" machine=microvm verbose=false
boot_timeout=${KUBELVS_VM_BOOT_TIMEOUT:-30}
debug=${KUBELVS_VM_DEBUG:-0}
# The plain 64-bit model: under TCG it boots faster than "max" (AVX2, 5-level paging).
qemu_cpu=${KUBELVS_VM_CPU:-qemu64}
guest_env=("PATH=$PATH" "HOME=/root")
[[ -n ${JAVA_HOME:-} ]] && guest_env+=("JAVA_HOME=$JAVA_HOME")

while (($#)); do
  case $1 in
    --cpus | --mem | --timeout | --results | --env | --machine)
      (($# >= 2)) || usage_error "$1 needs a value"
      ;;&
    --cpus) is_count "$2" || usage_error "--cpus: not a count: $2"; cpus=$2 ;;
    --mem) is_count "$2" || usage_error "--mem: not a size in MiB: $2"; mem=$2 ;;
    --timeout) is_count "$2" || usage_error "--timeout: not seconds: $2"; timeout=$2 ;;
    --results) results=$2 ;;
    --machine)
      [[ $2 == microvm || $2 == q35 ]] || usage_error "--machine: microvm or q35, not $2"
      machine=$2
      ;;
    --env)
      [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*(=|$) ]] || usage_error "--env: not a variable name: $2"
      if [[ $2 == *=* ]]; then
        guest_env+=("$2")
      elif [[ -n ${!2+set} ]]; then
        guest_env+=("$2=${!2}")
      fi
      ;;
    -v | --verbose) verbose=true; shift; continue ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) usage_error "unknown option: $1" ;;
    *) break ;;
  esac
  shift 2
done
(($#)) || usage_error "no COMMAND given"
is_count "$boot_timeout" || usage_error "KUBELVS_VM_BOOT_TIMEOUT: not seconds: $boot_timeout"

# The host's TSC frequency in kHz. Under TCG the guest's TSC ticks at the host's rate; telling
# the guest spares it calibrating against timers the microvm machine does not have, which can
# hang when the host is loaded.
host_tsc_khz() {
  local mhz=""
  if [[ -n ${KUBELVS_VM_TSC_KHZ:-} ]]; then
    printf '%s\n' "$KUBELVS_VM_TSC_KHZ"
    return 0
  fi
  # The refined calibration, if the kernel logged one, else its first estimate.
  mhz=$(dmesg 2>/dev/null | sed -n \
    -e 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/1 \1/p' \
    -e 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/2 \1/p' | sort | head -n1 | cut -d' ' -f2)
  # Without the kernel log: with an invariant TSC, "cpu MHz" is its rate on a virtual machine.
  if [[ -z $mhz ]] && grep -qw constant_tsc /proc/cpuinfo; then
    mhz=$(sed -n 's/^cpu MHz[[:space:]]*: \([0-9.]*\)/\1/p' /proc/cpuinfo | head -n1)
  fi
  [[ -n $mhz ]] || return 1
  awk -v mhz="$mhz" 'BEGIN { printf "%d\n", mhz * 1000 }'
}

start_ms=$(now_ms)
kver=$(vm_cached_kernel) || {
  log "VM cache missing or stale; running hack/vm/setup.sh"
  "$VM_DIR/setup.sh" >&2 && kver=$(vm_cached_kernel)
} || {
  log "error: setup.sh could not prepare the VM"
  exit $EXIT_VM_FAILED
}
command -v qemu-system-x86_64 >/dev/null || {
  log "error: qemu-system-x86_64 not found (run hack/vm/setup.sh as root)"
  exit $EXIT_VM_FAILED
}
kernel=$VM_CACHE/$kver/vmlinux
initramfs=$VM_CACHE/$kver/initramfs-$(vm_fingerprint).cpio

if [[ -n $results ]]; then
  mkdir -p -- "$results"
  results=$(realpath -- "$results")
fi

kernel_args=(
  console=hvc0 panic=-1 dummy.numdummies=0
  # Boot time under emulation: no clock calibration or watchdog, no crypto self-tests, no
  # speculation mitigations (nothing to protect in a throw-away VM).
  tsc=reliable no_timer_check cryptomgr.notests mitigations=off
)
if tsc_khz=$(host_tsc_khz); then
  kernel_args+=("tsc_early_khz=$tsc_khz")
else
  log "warning: host TSC frequency unknown (set KUBELVS_VM_TSC_KHZ); the guest may hang calibrating"
fi
if [[ $debug == 1 ]]; then kernel_args+=(loglevel=7); else kernel_args+=(quiet); fi
# shellcheck disable=SC2206 # extra arguments are meant to split on spaces
kernel_args+=(${KUBELVS_VM_KERNEL_ARGS:-})

# --- per-run state, removed on exit --------------------------------------------------------
run_dir="" qemu_pid="" boot_timer_pid="" deadline_pid="" keep_run_dir=false

# Stops a child of this script, by PID: SIGTERM, then SIGKILL after 2 s (a zombie still answers
# kill -0 until reaped, hence the short polls).
stop_qemu() {
  local i
  [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null || return 0
  kill -TERM "$qemu_pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    kill -0 "$qemu_pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL "$qemu_pid" 2>/dev/null || true
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=""
}

# Stops a timer (a sleep this script started), by PID.
stop_timer() {
  [[ -n $1 ]] || return 0
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cleanup() {
  stop_qemu
  stop_timer "$boot_timer_pid"
  stop_timer "$deadline_pid"
  if [[ -n $run_dir ]]; then
    if $keep_run_dir; then log "run directory kept: $run_dir"; else rm -rf "$run_dir"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

run_dir=$(mktemp -d /tmp/kubelvs-vm.XXXXXXXX)
mkdir "$run_dir/ctl"
# The guest's init runs this with the host's /bin/sh, in an empty environment.
{
  printf 'dir=%s\n' "$(sh_quote "$PWD")"
  cat <<EOF
cd -- "\$dir" 2>/dev/null ||
  { echo "kubelvs-vm: cannot enter \$dir in the guest" >&2; exit $EXIT_VM_FAILED; }
EOF
  for kv in "${guest_env[@]}"; do printf 'export %s\n' "$(sh_quote "$kv")"; done
  printf 'exec'
  for word in "$@"; do printf ' %s' "$(sh_quote "$word")"; done
  printf '\n'
} >"$run_dir/ctl/cmd.sh"
if [[ -n $results ]]; then printf '%s\n' "$results" >"$run_dir/ctl/results"; fi

# qemu stops writing to a virtio console once its stdin reaches EOF: give it a FIFO that this
# script holds open for writing, so EOF never comes.
mkfifo "$run_dir/stdin"
exec 3<>"$run_dir/stdin"

# Starts qemu in the background for the given machine type; sets qemu_pid and vm_machine.
start_qemu() {
  local kind=$1 bus args=() append="${kernel_args[*]}" serial=off
  vm_machine=$kind
  if [[ $debug == 1 ]]; then
    # A serial port is slow but works from the first instruction: early boot messages.
    serial=on
    args+=(-serial "file:$run_dir/serial.log")
    append+=" earlyprintk=ttyS0 keep_bootcon"
  fi
  case $kind in
    microvm)
      # virtio-mmio devices, no PCI, no legacy timers (the TSC rate comes from the host), no
      # option ROMs. The RTC stays: without it the kernel spends ~2 s timing out reading it.
      bus=device
      args+=(-M "microvm,x-option-roms=off,pit=off,pic=off,rtc=on,isa-serial=$serial")
      ;;
    q35)
      bus=pci
      args+=(-M q35)
      ;;
  esac
  args+=(
    -accel tcg -cpu "$qemu_cpu" -smp "$cpus" -m "$mem"
    -nodefaults -no-user-config -display none -no-reboot
    -kernel "$(qemu_path "$kernel")" -initrd "$(qemu_path "$initramfs")" -append "$append"
    # Port 0: the kernel console, to a file. Port 1: COMMAND's output, straight to our stdout.
    -device "virtio-serial-$bus,max_ports=2"
    -chardev "file,id=console,path=$run_dir/console.log" -device "virtconsole,chardev=console"
    -chardev "stdio,id=out,signal=off" -device "virtserialport,chardev=out,name=kubelvs.out"
    -fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
    -device "virtio-9p-$bus,fsdev=root,mount_tag=kubelvs.root"
    -fsdev "local,id=ctl,path=$run_dir/ctl,security_model=none"
    -device "virtio-9p-$bus,fsdev=ctl,mount_tag=kubelvs.ctl"
  )
  if [[ -n $results ]]; then
    args+=(
      -fsdev "local,id=results,path=$(qemu_path "$results"),security_model=none"
      -device "virtio-9p-$bus,fsdev=results,mount_tag=kubelvs.results"
    )
  fi
  rm -f "$run_dir/ctl/booted" "$run_dir/ctl/rc" "$run_dir"/*.log
  qemu-system-x86_64 "${args[@]}" <&3 2>"$run_dir/qemu.log" &
  qemu_pid=$!
}

show_diagnostics() {
  local f
  for f in qemu.log serial.log console.log; do
    [[ -s $run_dir/$f ]] || continue
    log "--- last lines of $f ---"
    tail -n 40 "$run_dir/$f" | sed 's/^/    /' >&2
  done
  [[ $debug == 1 ]] || log "(KUBELVS_VM_DEBUG=1 shows the whole boot)"
}

# Boots the VM and waits for it; sets vm_result: done, timeout, no-boot or died.
run_vm() {
  local finished remaining
  start_qemu "$1"
  remaining=$((timeout - ($(now_ms) - start_ms) / 1000))
  ((remaining > 0)) || remaining=1
  # The timers must not hold the caller's stdout open.
  sleep "$boot_timeout" >/dev/null 2>&1 3>&- &
  boot_timer_pid=$!
  sleep "$remaining" >/dev/null 2>&1 3>&- &
  deadline_pid=$!
  while :; do
    finished=""
    # shellcheck disable=SC2086 # the boot timer's PID is empty once it has fired
    wait -n -p finished $qemu_pid $boot_timer_pid $deadline_pid 2>/dev/null || true
    case $finished in
      "$qemu_pid")
        qemu_pid=""
        if [[ -e $run_dir/ctl/rc ]]; then
          vm_result="done"
        elif [[ -e $run_dir/ctl/booted ]]; then
          vm_result=died
        else
          vm_result=no-boot
        fi
        break
        ;;
      "$boot_timer_pid")
        boot_timer_pid=""
        [[ -e $run_dir/ctl/booted ]] && continue
        vm_result=no-boot
        break
        ;;
      "$deadline_pid")
        deadline_pid=""
        vm_result=timeout
        break
        ;;
    esac
  done
  stop_qemu
  stop_timer "$boot_timer_pid"
  stop_timer "$deadline_pid"
  boot_timer_pid="" deadline_pid=""
}

vm_result=""
run_vm "$machine"
if [[ $vm_result == no-boot && $machine == microvm ]]; then
  log "the microvm machine did not boot within ${boot_timeout}s; retrying with q35"
  show_diagnostics
  run_vm q35
fi

if $verbose && [[ -e $run_dir/ctl/booted ]]; then
  booted_ms=$(($(stat -c %.3Y "$run_dir/ctl/booted" | tr -d .) - start_ms))
  log "kernel $kver, $vm_machine: init up after ${booted_ms} ms," \
    "finished after $(($(now_ms) - start_ms)) ms"
  log "guest uptime (s) at: $(sed -n 's/^init: //p' "$run_dir/console.log" | paste -sd' ')"
fi
case $vm_result in
  done)
    rc=$(cat "$run_dir/ctl/rc")
    if [[ ! $rc =~ ^[0-9]+$ ]]; then
      log "error: the guest reported exit status '$rc'"
      exit $EXIT_VM_FAILED
    fi
    exit "$rc"
    ;;
  timeout)
    log "error: timed out after ${timeout}s; the VM was killed"
    exit $EXIT_TIMEOUT
    ;;
  no-boot | died)
    if [[ $vm_result == no-boot ]]; then
      log "error: the VM did not boot"
    else
      log "error: the VM stopped before the command finished"
    fi
    show_diagnostics
    [[ $debug == 1 ]] && keep_run_dir=true
    exit $EXIT_VM_FAILED
    ;;
esac
