#!/usr/bin/env bash
# Runs an image tar's entrypoint (docker save format, as jib:buildTar writes it) with ARGS, in a
# chroot of its unpacked layers, as the image's user: a check that an image starts, where no
# container engine runs. Runs as root; nothing but the chroot is isolated, so run only commands
# that change nothing outside it (a check, a usage message). The network is the host's.
#
#   hack/image-run.sh agent/target/kubelvs-agent-image.tar check --config /dev/null
set -euo pipefail

image=$(realpath "$1")
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$image"
mkdir "$work/root"
# Layers in order, as manifest.json lists them.
layers=$(grep -o '"Layers":\[[^]]*\]' "$work/manifest.json" | sed 's/"Layers":\[//; s/\]$//; s/"//g; s/,/ /g')
config=$(grep -o '"Config":"[^"]*"' "$work/manifest.json" | sed 's/"Config":"//; s/"$//')
for layer in $layers; do
  tar -C "$work/root" --warning=no-unknown-keyword -xf "$work/$layer"
done

# The config's JSON string arrays as lines: Entrypoint, Cmd and Env hold no commas or quotes here.
array() {
  grep -o "\"$1\":\[[^]]*\]" "$work/$config" | head -1 | sed "s/\"$1\":\[//; s/\]\$//" |
    tr ',' '\n' | sed 's/^"//; s/"$//'
}
mapfile -t entrypoint < <(array Entrypoint)
mapfile -t env < <(array Env)
user=$(grep -o '"User":"[^"]*"' "$work/$config" | sed 's/"User":"//; s/"$//' || true)
if [ "${#entrypoint[@]}" -eq 0 ]; then
  echo "image-run: $image has no entrypoint" >&2
  exit 1
fi
cp /etc/hosts "$work/root/etc/hosts" 2>/dev/null || true
# The image's environment, then the chroot ("java" is found on the image's PATH inside it), in
# namespaces of its own with a /proc, as a container has: the loader resolves the JDK's
# $ORIGIN run path through /proc/self/exe. The mounts go when the namespace does.
mkdir -p "$work/root/proc"
unshare --mount --pid --fork --mount-proc="$work/root/proc" env -i "${env[@]}" "$(command -v chroot)" --userspec="${user:-0:0}" "$work/root" "${entrypoint[@]}" "$@"
