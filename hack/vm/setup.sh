#!/usr/bin/env bash
# Installs what the kubelvs test VM needs and prepares its cache: Debian's own kernel (which has
# ip_vs; it is downloaded and unpacked, never installed on this host) and an initramfs built from
# busybox-static, hack/vm/init and the kernel modules the guest loads. Idempotent and safe to run
# concurrently (an flock on the cache serialises it); run.sh calls it when the cache is missing
# or stale. Needs root when a package is missing or the cache directory is not writable.
#
# Usage: hack/vm/setup.sh [--force]
#   --force  rebuild the kernel image and the initramfs even if they are cached
# Environment:
#   KUBELVS_VM_CACHE  cache directory (default /var/cache/kubelvs-vm)
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# Host packages: the emulator, the guest's userland for the initramfs, the IPVS tool the tests
# run inside the guest (from the shared host root), and what building the cache uses.
HOST_PACKAGES=(qemu-system-x86 busybox-static ipvsadm iproute2 cpio xz-utils)

log() { echo "setup.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

apt_updated=false
apt_update() {
  $apt_updated && return 0
  log "apt-get update"
  apt-get -o DPkg::Lock::Timeout=300 -q update >&2
  apt_updated=true
}

# True if apt knows a version of the package it could install.
has_candidate() {
  apt-cache policy "$1" 2>/dev/null | grep -q '^ *Candidate: [^(]'
}

install_packages() {
  local missing=() p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || die "missing packages: ${missing[*]} (run hack/vm/setup.sh as root)"
  for p in "${missing[@]}"; do
    has_candidate "$p" || { apt_update; break; }
  done
  log "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 -q -y --no-install-recommends install "${missing[@]}" >&2 \
    || { apt_update && apt-get -o DPkg::Lock::Timeout=300 -q -y --no-install-recommends \
      install "${missing[@]}" >&2; } \
    || die "cannot install ${missing[*]}"
}

# The versioned kernel package that linux-image-amd64 currently depends on,
# e.g. linux-image-6.1.0-50-amd64.
kernel_package() {
  local depends
  depends=$(kernel_metapackage_depends)
  if [[ -z $depends ]]; then
    apt_update
    depends=$(kernel_metapackage_depends)
  fi
  grep -o 'linux-image-[0-9][^ ,]*' <<<"$depends" | head -n1
}
kernel_metapackage_depends() {
  apt-cache show --no-all-versions linux-image-amd64 2>/dev/null | sed -n 's/^Depends: //p'
}

# Downloads the kernel package into $VM_CACHE/debs unless it is there; prints the .deb's path.
download_kernel() {
  local pkg=$1 dl ok=true
  mkdir -p "$VM_CACHE/debs"
  if ! compgen -G "$VM_CACHE/debs/${pkg}_*.deb" >/dev/null; then
    dl=$(mktemp -d "$VM_CACHE/debs/.download.XXXXXX")
    # apt downloads as the unprivileged _apt user where it can.
    chown _apt "$dl" 2>/dev/null || true
    log "downloading $pkg"
    (cd "$dl" && apt-get -q download "$pkg" >&2) && mv "$dl"/*.deb "$VM_CACHE/debs/" || ok=false
    rm -rf "$dl"
    $ok || return 1
  fi
  compgen -G "$VM_CACHE/debs/${pkg}_*.deb" | head -n1
}

# Writes the uncompressed kernel (ELF vmlinux) found inside a bzImage, as the kernel's
# scripts/extract-vmlinux does: try each compressed-stream signature until one inflates to an
# ELF file. Booting it directly saves ~2.5 s of decompression inside the emulated guest.
inflate() {
  case $1 in
    xz) xz -dc --single-stream ;;
    *) "$1" -dc ;;
  esac
}
extract_vmlinux() {
  local vmlinuz=$1 out=$2 entry tool magic offset
  for entry in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
    tool=${entry%%:*} magic=${entry#*:}
    command -v "$tool" >/dev/null || continue
    while IFS=: read -r offset _; do
      # Trailing bytes after the stream make some tools complain; the ELF check decides.
      tail -c +$((offset + 1)) "$vmlinuz" | inflate "$tool" >"$out" 2>/dev/null || true
      [[ $(head -c4 "$out" | od -An -c | tr -d ' ') == '177ELF' ]] && return 0
    done < <(grep -obUaP "$magic" "$vmlinuz")
  done
  rm -f "$out"
  return 1
}

# Writes the module files (relative to lib/modules/<kver>) to load, in load order, to two
# files: VM_BOOT_MODULES and then VM_LAB_MODULES, each preceded by what modules.dep says it needs;
# every file appears once.
resolve_modules() {
  local moddir=$1 boot_out=$2 lab_out=$3 line path name
  local -A path_of=() deps_of=() builtin=() emitted=()
  while IFS= read -r line; do
    path=${line%%:*}
    name=${path##*/} name=${name%%.ko*} name=${name//-/_}
    path_of[$name]=$path
    deps_of[$path]=${line#*:}
  done <"$moddir/modules.dep"
  while IFS= read -r path; do
    name=${path##*/} name=${name%%.ko*} name=${name//-/_}
    builtin[$name]=1
  done <"$moddir/modules.builtin"

  emit() {
    local p=$1 d
    [[ -n ${emitted[$p]:-} ]] && return 0
    emitted[$p]=1
    for d in ${deps_of[$p]}; do emit "$d"; done
    printf '%s\n' "$p"
  }
  emit_all() {
    local want optional
    for want in "$@"; do
      optional=false
      [[ $want == *'?' ]] && optional=true want=${want%'?'}
      if [[ -n ${path_of[$want]:-} ]]; then
        emit "${path_of[$want]}"
      elif [[ -z ${builtin[$want]:-} ]] && ! $optional; then
        die "kernel has no module $want"
      fi
    done
  }
  emit_all "${VM_BOOT_MODULES[@]}" >"$boot_out"
  emit_all "${VM_LAB_MODULES[@]}" >"$lab_out"
}

# Drops the signature appended to a module file: the guest then skips verifying it (SHA-256 and
# RSA under emulation, a large share of each module's load time). The kernel does not enforce
# signatures (CONFIG_MODULE_SIG_FORCE is off); it only notes the unsigned module as a taint.
# Layout (include/linux/module_signature.h): module, signature, struct module_signature
# (12 bytes, big-endian sig_len in its last 4), then the 28-byte marker below.
strip_module_signature() {
  local ko=$1 size sig_len
  local marker='~Module signature appended~'
  [[ $(tail -c 28 "$ko" | head -c 27) == "$marker" ]] || return 0
  size=$(stat -c %s "$ko")
  sig_len=$(tail -c 32 "$ko" | head -c 4 | od -An -tu1 \
    | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
  truncate -s $((size - 28 - 12 - sig_len)) "$ko"
}

build_initramfs() {
  local tree=$1 kver=$2 out=$3 moddir path applet
  stage=$(mktemp -d "$VM_CACHE/.initramfs.XXXXXX")
  moddir=$tree/lib/modules/$kver
  mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules/"$kver"}
  cp /bin/busybox "$stage/bin/busybox"
  for applet in $("$stage/bin/busybox" --list); do
    [[ -e $stage/bin/$applet ]] || ln -s busybox "$stage/bin/$applet"
  done
  install -m 0755 "$VM_DIR/init" "$stage/init"
  mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

  [[ -s $moddir/modules.dep ]] || busybox depmod -b "$tree" "$kver"
  resolve_modules "$moddir" "$stage/boot.paths" "$stage/lab.paths"
  cat "$stage/boot.paths" "$stage/lab.paths" | while IFS= read -r path; do
    mkdir -p "$stage/lib/modules/$kver/${path%/*}"
    case $path in
      *.ko.xz) xz -dc "$moddir/$path" >"$stage/lib/modules/$kver/${path%.xz}" ;;
      *.ko.zst) zstd -qdc "$moddir/$path" >"$stage/lib/modules/$kver/${path%.zst}" ;;
      *) cp "$moddir/$path" "$stage/lib/modules/$kver/$path" ;;
    esac
    strip_module_signature "$stage/lib/modules/$kver/${path%.ko*}.ko"
  done
  cp "$moddir/modules.builtin" "$moddir/modules.order" "$stage/lib/modules/$kver/"
  # busybox modprobe reads its own modules.dep; generate it for just the staged modules.
  busybox depmod -b "$stage" "$kver"
  # One line each, module names in load order, for init's modprobe -a.
  sed 's|.*/||; s|\.ko.*||' "$stage/boot.paths" | paste -sd' ' >"$stage/lib/modules/boot.list"
  sed 's|.*/||; s|\.ko.*||' "$stage/lab.paths" | paste -sd' ' >"$stage/lib/modules/lab.list"
  rm "$stage/boot.paths" "$stage/lab.paths"

  # Uncompressed: the guest unpacks it faster than it could inflate it under emulation.
  (cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc -R 0:0 --quiet) >"$out.tmp"
  mv "$out.tmp" "$out"
  log "initramfs: $out ($(du -h "$out" | cut -f1)B)"
  log "modules: $(cat "$stage/lib/modules/boot.list") $(cat "$stage/lib/modules/lab.list")"
  rm -rf "$stage"
}

# Work directories inside the cache (same filesystem, so results move in atomically): the
# unpacked kernel package and the initramfs being assembled. Removed on exit, also on failure.
tree="" stage=""
trap 'rm -rf "${tree:-}" "${stage:-}"' EXIT

# Replaces a small file atomically.
write_file() {
  printf '%s\n' "$2" >"$1.tmp"
  mv "$1.tmp" "$1"
}

main() {
  local force=false
  case ${1:-} in
    --force) force=true ;;
    '') ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac

  install_packages "${HOST_PACKAGES[@]}"
  if ! { mkdir -p "$VM_CACHE" 2>/dev/null && [[ -w $VM_CACHE ]]; }; then
    die "cannot write $VM_CACHE (run as root, or set KUBELVS_VM_CACHE)"
  fi
  exec 9>"$VM_CACHE/lock"
  flock 9

  local pkg kver dir fp deb
  pkg=$(kernel_package)
  [[ -n $pkg ]] || die "cannot tell which kernel linux-image-amd64 depends on"
  kver=${pkg#linux-image-}
  dir=$VM_CACHE/$kver
  fp=$(vm_fingerprint)
  if ! $force && [[ -s $dir/vmlinux && -s $dir/initramfs-$fp.cpio ]]; then
    write_file "$VM_CACHE/current" "$kver"
    log "cache is up to date: $dir (kernel $kver)"
    return 0
  fi

  if ! deb=$(download_kernel "$pkg"); then
    # Stale package lists name a version the mirror no longer has.
    apt_update
    pkg=$(kernel_package) kver=${pkg#linux-image-} dir=$VM_CACHE/${pkg#linux-image-}
    deb=$(download_kernel "$pkg") || die "cannot download $pkg"
  fi
  tree=$(mktemp -d "$VM_CACHE/.kernel.XXXXXX")
  log "unpacking $(basename "$deb")"
  dpkg -x "$deb" "$tree"
  mkdir -p "$dir"

  grep -qx 'CONFIG_PVH=y' "$tree/boot/config-$kver" \
    || die "kernel $kver cannot be booted uncompressed (no CONFIG_PVH)"
  extract_vmlinux "$tree/boot/vmlinuz-$kver" "$dir/vmlinux.tmp" \
    || die "cannot find the compressed kernel inside vmlinuz-$kver"
  mv "$dir/vmlinux.tmp" "$dir/vmlinux"

  build_initramfs "$tree" "$kver" "$dir/initramfs-$fp.cpio"
  rm -rf "$tree"
  find "$dir" -maxdepth 1 -name 'initramfs-*.cpio' ! -name "initramfs-$fp.cpio" -delete

  # Older kernels go once the new one is current (a running VM has already read its files).
  write_file "$VM_CACHE/current" "$kver"
  find "$VM_CACHE" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' ! -name "$kver" -exec rm -rf {} +
  find "$VM_CACHE/debs" -maxdepth 1 -name '*.deb' ! -name "${pkg}_*" -delete
  log "ready: kernel $kver in $dir"
}

main "$@"
