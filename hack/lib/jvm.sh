# shellcheck shell=bash
# JVM launch helpers shared by hack/lib/lab.sh and hack/local-up.sh.

# The options that map JAR's class-data archive (JAR with .jsa for .jar, hack/cds-archive.sh) when
# it was made from this JAR (it is newer); none otherwise. KUBELVS_CDS=off leaves it out.
cds_options() {
  local archive=${1%.jar}.jsa
  if [[ ${KUBELVS_CDS:-on} != off && -f $archive && $archive -nt $1 ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}
