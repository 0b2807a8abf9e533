#!/usr/bin/env bash
# Builds a Java 17 base image for Jib as a tar (docker save format) from this machine's JDK, for
# machines that reach no container registry (the CI machine): jlink'd runtime, the shared
# libraries it links against, /etc/passwd with root and 65532 (the operator's user).
#
#   hack/image-base.sh [OUT.tar]          prints OUT.tar's path (default target/kubelvs-base.tar)
#   ./mvnw -B -pl agent,operator -am package -DskipTests jib:buildTar \
#       -Dkubelvs.image.base=tar://$(hack/image-base.sh)
#
# The images built on it run like the eclipse-temurin ones (hack/image-run.sh checks that); for
# images you ship, use a maintained base image such as the default eclipse-temurin:17-jre.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-target/kubelvs-base.tar}")
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
if [ ! -d "$java_home/jmods" ]; then
  echo "image-base: $java_home has no jmods (need a full JDK 17 for jlink)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp" "$root/var/lib/kubelvs"
chmod 1777 "$root/tmp"

# The modules the agent and the operator use (jdeps over both jars, rounded up to java.se).
"$java_home/bin/jlink" --output "$root/opt/java/openjdk" \
  --add-modules java.se,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=2

# The C libraries the runtime links against, and the loader, at the same paths as here.
{
  echo /lib64/ld-linux-x86-64.so.2
  find "$root/opt/java/openjdk" -type f \( -name java -o -name '*.so' \) -exec ldd {} \; 2>/dev/null |
    awk -v root="$root" '$2 == "=>" && $3 ~ /^\// && index($3, root) != 1 { print $3 }'
  # getaddrinfo's name service modules are loaded at run time, not linked.
  ls /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 2>/dev/null || true
} | sort -u | while read -r lib; do
  cp --parents -L "$lib" "$root"
done
# usr-merged Debian: /lib and /lib64 are links into /usr.
for d in lib lib64; do
  if [ -d "$root/usr/$d" ] && [ ! -e "$root/$d" ]; then
    ln -s "usr/$d" "$root/$d"
  fi
done

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
  >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

tar -C "$root" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created_by":"hack/image-base.sh"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["kubelvs-base:17"],"Layers":["layer.tar"]}]' \
  >"$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "$out"
