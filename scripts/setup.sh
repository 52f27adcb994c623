#!/usr/bin/env bash
# Shared setup for run.sh and test.sh (sourced): checks the tools, installs Azurite from the repo's lockfile,
# creates the local NuGet folder feed (System.IO.Hashing, which the registry here lacks), and builds.
# Every step is skipped when its result is already in place, so running it again is cheap.

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export CONFIGURATION="${CONFIGURATION:-Release}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

setup_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup_fail() {
  printf 'setup: %s\n' "$*" >&2
  return 1
}

setup_all() {
  local tool
  for tool in dotnet node npm; do
    command -v "$tool" >/dev/null 2>&1 || { setup_fail "'$tool' is not on PATH; install the .NET SDK, Node.js and npm first"; return 1; }
  done

  if [ ! -x "$REPO_ROOT/node_modules/.bin/azurite" ] || [ "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]; then
    setup_say "Installing Azurite from package-lock.json"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || { setup_fail "npm ci failed"; return 1; }
  fi

  if ! ls "$REPO_ROOT"/.packages/feed/System.IO.Hashing.*.nupkg >/dev/null 2>&1; then
    setup_say "Packing System.IO.Hashing from the SDK into the local NuGet feed"
    mkdir -p "$REPO_ROOT/.packages/feed"
    dotnet pack "$REPO_ROOT/eng/hashing/System.IO.Hashing.Feed.csproj" -o "$REPO_ROOT/.packages/feed" -v q --nologo >"$REPO_ROOT/.packages/pack.log" 2>&1 \
      || { cat "$REPO_ROOT/.packages/pack.log" >&2; setup_fail "packing System.IO.Hashing failed"; return 1; }
  fi

  setup_say "Building ($CONFIGURATION)"
  mkdir -p "$REPO_ROOT/artifacts"
  dotnet build "$REPO_ROOT/Spark.Serverless.sln" -c "$CONFIGURATION" -v q --nologo >"$REPO_ROOT/artifacts/build.log" 2>&1 \
    || { grep -E "error|warning" "$REPO_ROOT/artifacts/build.log" | sort -u >&2; setup_fail "the build failed (artifacts/build.log)"; return 1; }
}

# The platform's hosts as infra/ deploys them: published ReadyToRun, so a fresh driver, manager or executor runs
# precompiled code instead of JIT-compiling its libraries (Roslyn, the Azure SDK) while it works. run.sh bench runs
# these (SPARK_PUBLISHED_HOSTS); the tests run the build output. Unchanged assemblies are not compiled again.
setup_published_hosts() {
  local rid project out="$REPO_ROOT/artifacts/published"
  rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
  setup_say "Publishing the hosts ReadyToRun ($rid)"
  for project in Driver ExecutorFunction Manager; do
    dotnet publish "$REPO_ROOT/$project" -c "$CONFIGURATION" -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -o "$out/Spark.Serverless.$project" -v q --nologo >"$REPO_ROOT/artifacts/publish.log" 2>&1 \
      || { grep -E "error" "$REPO_ROOT/artifacts/publish.log" | sort -u >&2; setup_fail "publishing $project failed (artifacts/publish.log)"; return 1; }
  done
  export SPARK_PUBLISHED_HOSTS="$out"
}

# The UI tests drive Debian's Chromium through Playwright (Playwright's own browser download cannot work here).
# Installed with apt when missing; SPARK_CHROMIUM names another Chromium instead.
setup_chromium() {
  local browser="${SPARK_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$browser" ] && return 0
  [ -n "${SPARK_CHROMIUM:-}" ] && { setup_fail "SPARK_CHROMIUM=$SPARK_CHROMIUM is not an executable"; return 1; }
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n" \
      || { setup_fail "the UI tests need Chromium: install Debian's 'chromium' package (apt-get install chromium) or set SPARK_CHROMIUM"; return 1; }
  fi
  setup_say "Installing Chromium (Debian's package) for the UI tests"
  { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } \
    >"$REPO_ROOT/artifacts/apt.log" 2>&1 || { tail -5 "$REPO_ROOT/artifacts/apt.log" >&2; setup_fail "installing chromium failed (artifacts/apt.log)"; return 1; }
}

# Where a project's build output lands (see Directory.Build.props: UseArtifactsOutput).
artifact() {
  local config
  config="$(echo "$CONFIGURATION" | tr '[:upper:]' '[:lower:]')"
  printf '%s/artifacts/bin/%s/%s/%s' "$REPO_ROOT" "$1" "$config" "$2"
}
