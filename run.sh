#!/usr/bin/env bash
# ./run.sh       set up, start the platform, run the example word count end to end, print its top 10, stop.
# ./run.sh up    set up and start the platform, and keep it running in the foreground until Ctrl+C.
# ./run.sh bench [--size 1GB] [--workloads wordcount,sort,q1,join] [--no-micro] ...
#                set up, run the benchmark on its own platform, and write its table into README.md.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-demo}"
case "$mode" in
  demo|up|bench) ;;
  -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
  *) echo "run.sh: unknown command '$mode'; use './run.sh', './run.sh up' or './run.sh bench'" >&2; exit 2 ;;
esac

source scripts/setup.sh
source scripts/platform.sh
setup_all

if [ "$mode" = bench ]; then
  # The harness starts (and stops) its own in-memory Azurite, driver and executors on free ports, from the hosts
  # published as they are deployed.
  shift
  setup_published_hosts
  exec dotnet "$(artifact Spark.Serverless.Bench spark-bench.dll)" run --readme README.md "$@"
fi
trap platform_stop EXIT
trap 'exit 130' INT TERM
platform_start

cli() { dotnet "$(artifact Spark.Serverless.Cli spark-serverless.dll)" "$@"; }

if [ "$mode" = up ]; then
  cat <<INFO

Spark.Serverless is running. Stop it with Ctrl+C.
  Web UI:     $SPARK_URL/
  API:        $SPARK_URL/api/jobs  (OpenAPI: $SPARK_URL/openapi/v1.json)
  Storage:    $AzureWebJobsStorage
  Logs:       .run/logs/
  Try:        dotnet $(artifact Spark.Serverless.Cli spark-serverless.dll) submit examples/wordcount.json --wait
INFO
  # The waiter is stopped with the platform, so Ctrl+C leaves nothing running.
  tail -f /dev/null &
  PLATFORM_PIDS+=($!)
  wait $! || true
fi

data=".data/books"
if [ ! -f "$data/book-003.txt" ]; then
  setup_say "Generating the example input (8 MB of text, deterministic)"
  dotnet "$(artifact Spark.Serverless.Bench spark-bench.dll)" gen text --bytes 8000000 --files 4 --seed 42 --out "$data"
fi
setup_say "Uploading the input to input/books"
cli upload "$data" input/books
setup_say "Submitting examples/wordcount.json"
cli submit examples/wordcount.json --wait
rm -rf .data/wordcount
cli download output/wordcount .data/wordcount >/dev/null
setup_say "The 10 most frequent words"
# awk takes the top 10 but reads everything, so sort never meets a closed pipe (SIGPIPE under pipefail).
cat .data/wordcount/part-* | LC_ALL=C sort -t$'\t' -k2,2nr -k1,1 | awk -F'\t' 'NR <= 10 { printf "%10d  %s\n", $2, $1 }'
