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

run_project() {
  local name
  name="$(basename "$1" .csproj)"
  setup_say "Testing $name"
  dotnet test "$1" -c "$CONFIGURATION" --no-build --nologo -v q \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || true
}

# The benchmark harness's run (a few minutes) mostly waits: on idle timeouts, pool starts and polls. It runs beside
# the projects that start at most a small platform each; the end-to-end tests, whose timings matter, run alone after.
background=tests/Bench.Tests/Spark.Serverless.Bench.Tests.csproj
alone=tests/EndToEnd.Tests/Spark.Serverless.EndToEnd.Tests.csproj
run_project "$background" >"$results/bench-tests.log" 2>&1 &
background_pid=$!
for project in "${projects[@]}"; do
  [ "$project" = "$background" ] || [ "$project" = "$alone" ] || run_project "$project"
done
wait "$background_pid"
cat "$results/bench-tests.log"
run_project "$alone"
node scripts/summarize-tests.js "$results" "${projects[@]}"
