#!/usr/bin/env bash
# infra/functions/package.sh [--out DIR] [--from-build CONFIG]
#
# Lays out the two Function apps for deployment: DIR/driver/ (the API, the control-queue trigger and the tick timer)
# and DIR/executor/ (the task-queue trigger), each with its host.json, a folder per function, and the custom handler
# executable at the root; zips them into DIR/driver.zip and DIR/executor.zip when `zip` is installed.
#
# By default the apps are published self-contained for linux-x64, because the Functions Linux workers do not carry
# .NET 10, and ReadyToRun, so a cold start runs precompiled code. --from-build CONFIG copies the framework-dependent
# build in artifacts/bin/*/CONFIG instead (what the tests use: quick, and the same layout). DIR defaults to
# artifacts/functions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/functions"
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --from-build) from="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument '$1'; use --out DIR and/or --from-build CONFIG" >&2; exit 2 ;;
  esac
done

package() {
  local app=$1 project=$2 assembly=$3 dest="$out/$1"
  rm -rf "$dest" "$out/$app.zip"
  mkdir -p "$dest"
  if [ -n "$from" ]; then
    local build="$root/artifacts/bin/$assembly/$from"
    [ -f "$build/$assembly.dll" ] || { echo "package.sh: no build at $build; build with -c $from first" >&2; exit 1; }
    cp -R "$build/." "$dest/"
  else
    dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o "$dest" --nologo -v q
  fi
  cp "$here/$app/host.json" "$dest/"
  local fn
  for fn in "$here/$app"/*/; do
    mkdir -p "$dest/$(basename "$fn")"
    cp "$fn/function.json" "$dest/$(basename "$fn")/"
  done
  # The host starts exactly this file: a mismatch would fail only in Azure, so fail here.
  [ -x "$dest/$assembly" ] || { echo "package.sh: $dest/$assembly (host.json's defaultExecutablePath) is missing or not executable" >&2; exit 1; }
  if command -v zip >/dev/null; then
    (cd "$dest" && zip -qr "../$app.zip" .)
    echo "$out/$app.zip"
  else
    echo "$dest (zip is not installed: zip the folder's contents to deploy)"
  fi
}

package driver Driver/Spark.Serverless.Driver.csproj Spark.Serverless.Driver
package executor ExecutorFunction/Spark.Serverless.ExecutorFunction.csproj Spark.Serverless.ExecutorFunction
