#!/bin/sh
# Builds everything (C helper, Java modules, dist/ with the AOT cache) without running tests.
set -e
cd "$(dirname "$0")/.."
. scripts/jdk.sh
pelagos_find_jdk
mvn -q -B install -DskipTests "$@"
echo "built: $(pwd)/dist/bin/pelagos"
