#!/usr/bin/env bash
# Regenerates crds/<plural>.kubelvs.io.yaml from the Java types in io.kubelvs.api.v1alpha1.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl crds test -Dtest=CrdsAreInSyncTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkubelvs.updateCrds=true
git status --short -- crds/*.yaml
