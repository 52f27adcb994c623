#!/usr/bin/env bash
# Starts and stops the local platform for run.sh (sourced after setup.sh): Azurite in memory, the Driver,
# and the Manager, which starts the executors. Each process's id is kept and only those are stopped.

PLATFORM_PIDS=()
RUN_DIR="$REPO_ROOT/.run"
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

port_free() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'127.0.0.1',()=>s.close(()=>process.exit(0)))"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>console.log(p))})"
}

# The preferred port if it is free, otherwise any free one.
pick_port() {
  if port_free "$1"; then echo "$1"; else free_port; fi
}

wait_for_tcp() {
  local port=$1 pid=$2 name=$3 i
  for i in $(seq 1 300); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -20 "$RUN_DIR/logs/$name.log" >&2; echo "$name exited during start-up" >&2; return 1; }
    sleep 0.1
  done
  echo "$name did not open port $port within 30 s" >&2
  return 1
}

wait_for_http() {
  local url=$1 pid=$2 name=$3 i
  for i in $(seq 1 300); do
    node -e "fetch('$url').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -20 "$RUN_DIR/logs/$name.log" >&2; echo "$name exited during start-up" >&2; return 1; }
    sleep 0.1
  done
  echo "$name did not answer $url within 30 s" >&2
  return 1
}

platform_start() {
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/azurite"
  local blob queue table api
  blob=$(pick_port 10000); queue=$(pick_port 10001); table=$(pick_port 10002); api=$(pick_port 7071)
  export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;"
  export SPARK_URL="http://127.0.0.1:$api"
  export Driver__Urls="$SPARK_URL"

  setup_say "Starting Azurite (in memory) on ports $blob/$queue"
  # glibc keeps the buffers Azurite copies each download into mapped (Core/Storage/LocalAzurite.cs says why; a test
  # checks these values against it).
  (cd "$RUN_DIR/azurite" && MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=67108864 \
    exec node "$REPO_ROOT/node_modules/azurite/dist/src/azurite.js" --inMemoryPersistence --silent --skipApiVersionCheck \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort "$blob" --queuePort "$queue" --tablePort "$table") \
      >"$RUN_DIR/logs/azurite.log" 2>&1 &
  PLATFORM_PIDS+=($!)
  wait_for_tcp "$blob" $! azurite && wait_for_tcp "$queue" $! azurite || return 1

  setup_say "Starting the Driver on $SPARK_URL"
  dotnet "$(artifact Spark.Serverless.Driver Spark.Serverless.Driver.dll)" >"$RUN_DIR/logs/driver.log" 2>&1 &
  PLATFORM_PIDS+=($!)
  wait_for_http "$SPARK_URL/health" $! driver || return 1

  # The Manager starts with no executors and adds them when tasks wait (dynamic allocation); idle ones stop after 60 s.
  export Manager__MinExecutors="${Manager__MinExecutors:-0}" Manager__MaxExecutors="${Manager__MaxExecutors:-2}"
  setup_say "Starting the Manager ($Manager__MinExecutors to $Manager__MaxExecutors executors, scaled by the task queue)"
  dotnet "$(artifact Spark.Serverless.Manager Spark.Serverless.Manager.dll)" >"$RUN_DIR/logs/manager.log" 2>&1 &
  PLATFORM_PIDS+=($!)
  sleep 0.5
  kill -0 $! 2>/dev/null || { tail -20 "$RUN_DIR/logs/manager.log" >&2; echo "the Manager exited during start-up" >&2; return 1; }
}

# Stops what platform_start started, newest first: the Manager drains its executors on SIGTERM.
platform_stop() {
  local i pid
  for ((i=${#PLATFORM_PIDS[@]}-1; i>=0; i--)); do
    pid=${PLATFORM_PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PLATFORM_PIDS=()
}
