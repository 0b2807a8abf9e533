# shellcheck shell=bash
# Shared by setup.sh and run.sh (sourced, not executed).
#
# Cache layout (one directory, shared by all runs on the machine, written only by setup.sh
# under an exclusive lock):
#   $VM_CACHE/lock                       flock(1) file serialising setup
#   $VM_CACHE/current                    the kernel version to boot, e.g. 6.1.0-50-amd64
#   $VM_CACHE/debs/                      the downloaded kernel package (kept to rebuild offline)
#   $VM_CACHE/<kver>/vmlinux             uncompressed kernel, booted directly (PVH entry)
#   $VM_CACHE/<kver>/initramfs-<fp>.cpio busybox + modules + hack/vm/init; <fp> = vm_fingerprint

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_CACHE=${KUBELVS_VM_CACHE:-/var/cache/kubelvs-vm}

# Modules the guest loads, in this order; setup.sh adds what modules.dep says each one needs
# before it. VM_BOOT_MODULES are needed to reach the shared root; VM_LAB_MODULES load in the
# background meanwhile, and are all loaded before COMMAND starts.
# crc32c_generic is listed by hand: libcrc32c only soft-depends on it, so modules.dep omits it,
# and without it libcrc32c (hence ip_vs) fails to load.
# A name ending in '?' is optional (loaded if this kernel has it).
VM_BOOT_MODULES=(
  virtio_ring virtio virtio_mmio virtio_pci virtio_console
  9pnet 9pnet_virtio netfs fscache 9p overlay
)
VM_LAB_MODULES=(
  crc32c_generic libcrc32c nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack ip_vs
  ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_fo ip_vs_ovf ip_vs_lblc ip_vs_lblcr
  ip_vs_dh ip_vs_sh ip_vs_mh ip_vs_sed ip_vs_nq 'ip_vs_twos?'
  veth bridge dummy
)

# Identifies what goes into the initramfs besides the kernel: rebuilt when it changes.
vm_fingerprint() {
  {
    cat "$VM_DIR/init" "$VM_DIR/setup.sh"
    printf '%s\n' "${VM_BOOT_MODULES[@]}" "${VM_LAB_MODULES[@]}"
  } | sha256sum | cut -c1-16
}

# Prints the cached kernel version if vmlinux and an up-to-date initramfs exist for it.
vm_cached_kernel() {
  local kver
  kver=$(cat "$VM_CACHE/current" 2>/dev/null) || return 1
  [[ -n $kver && -s $VM_CACHE/$kver/vmlinux \
    && -s $VM_CACHE/$kver/initramfs-$(vm_fingerprint).cpio ]] || return 1
  printf '%s\n' "$kver"
}
