#!/usr/bin/env bash
# ./test.sh   set up as run.sh does, run every test project, and end with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh

if ! setup_all || ! setup_chromium; then
  echo "0 passed, 1 failed"
  exit 1
fi

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
projects=(tests/*/*.Tests.csproj)
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  setup_say "Testing $name"
  dotnet test "$project" -c "$CONFIGURATION" --no-build --nologo -v q \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || true
done
node scripts/summarize-tests.js "$results" "${projects[@]}"
