#!/usr/bin/env bash
# Build the Dockerfile and run it for real (`make container-test`; .ci/run calls it after `make test`).
#
#   image:   the dashboard answers /_stcore/health (after the first start has trained and registered a
#            model), its processes run as a user other than root, every package that core/, ui/, app_pages/
#            and app.py import is installed and no development tool is, every module of core/ and ui/
#            imports, and the scoring server (`python -m core serve`) answers /invocations with the model.
#   compose: docker-compose.yml (default profile) brings up the MLflow server and the app on free ports; both
#            are healthy, the app's first model is the champion on the MLflow server, and a scoring server
#            started in the app container loads that champion from the server and answers.
#
# Usage, from anywhere:  scripts/container_test.sh [--image | --compose] [--keep]
#   --image / --compose   only that part (default: both, on one build)
#   --keep                leave the container(s) running and print how to stop them
# Env: CONTAINER_TEST_TAG (default contactguard:test), CONTAINER_TEST_LOGS (default: a new temporary folder).
#
# Engine: docker when its daemon answers, else podman. As root, apt-get installs podman, runc and
# debootstrap when missing, and /etc/containers/containers.conf gets what a container inside a sandbox
# needs (runc, cgroupfs, no default ulimits). Compose: `docker compose`, else podman-compose (requirements-dev).
# Base image: when the Dockerfile's python:3.X-slim cannot be pulled (no image registry reachable), an
# equivalent is built once from Debian packages with debootstrap (about 2 min) under the same name, so the
# Dockerfile builds unchanged.
set -euo pipefail

cd "$(dirname "$0")/.."
run_image=yes run_compose=yes keep=no
for arg in "$@"; do
  case "$arg" in
    --image) run_compose=no ;;
    --compose) run_image=no ;;
    --keep) keep=yes ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

tag=${CONTAINER_TEST_TAG:-contactguard:test}
logs=${CONTAINER_TEST_LOGS:-$(mktemp -d /tmp/container-test.XXXXXX)}
mkdir -p "$logs"
started=$(date +%s)
checks=0

say() { printf '[container-test] %s\n' "$*"; }
pass() { checks=$((checks + 1)); printf '[container-test] ok: %s\n' "$*"; }
fail() { printf '[container-test] FAILED: %s (logs: %s)\n' "$*" "$logs" >&2; exit 1; }
elapsed() { echo $(($(date +%s) - $1)); }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # URL SECONDS [CONTAINER]: 0 once URL answers 2xx; 1 after SECONDS or when CONTAINER has stopped
  local deadline=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -sf -o /dev/null --max-time 5 "$1" && return 0
    if [ -n "${3:-}" ] && [ "$($E inspect -f '{{.State.Running}}' "$3" 2>/dev/null)" != true ]; then return 1; fi
    sleep 3
  done
  return 1
}

# --- engine ---------------------------------------------------------------------------------------------
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  E=docker
else
  E=podman
  need=()
  for tool in podman runc debootstrap curl; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "no docker daemon answers and ${need[*]} missing: install them (apt-get) or run as root"
    say "installing ${need[*]} (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >"$logs/apt.log" 2>&1 || fail "apt-get install ${need[*]}"
  fi
  conf=/etc/containers/containers.conf
  if [ "$(id -u)" = 0 ] && ! grep -qs 'default_ulimits' "$conf"; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' >>"$conf"
    say "wrote sandbox settings to $conf"
  fi
fi
say "engine: $E ($($E --version | head -n 1)); logs in $logs"

# --- base image -----------------------------------------------------------------------------------------
base=$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)
if ! $E image inspect "$base" >/dev/null 2>&1 && ! timeout 60 $E pull -q "$base" >/dev/null 2>&1; then
  case "$base" in
    python:3.11-slim*) suite=bookworm ;;
    python:3.13-slim*) suite=trixie ;;
    *) fail "cannot pull $base, and only python:3.11-slim or python:3.13-slim can be built from Debian packages" ;;
  esac
  command -v debootstrap >/dev/null 2>&1 || fail "cannot pull $base and debootstrap is missing"
  say "no registry serves $base: building it from Debian $suite packages (debootstrap)"
  s=$(date +%s)
  root=$(mktemp -d)
  debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,python-is-python3,ca-certificates \
    "$suite" "$root" >"$logs/debootstrap.log" 2>&1 || { rm -rf "$root"; fail "debootstrap $suite"; }
  tar -C "$root" -c . | $E import --change 'ENV PIP_BREAK_SYSTEM_PACKAGES=1' - "$base" >/dev/null
  rm -rf "$root"
  say "base image $base built in $(elapsed "$s") s"
fi

# --- build ----------------------------------------------------------------------------------------------
build_args=(--network host -t "$tag")
if [ "$E" = podman ]; then
  # the host's package-index settings and CA bundle reach pip inside the build; never pull the base
  [ -f /etc/pip.conf ] && build_args+=(-v /etc/pip.conf:/etc/pip.conf:ro)
  [ -d /etc/ssl/certs ] && build_args+=(-v /etc/ssl/certs:/etc/ssl/certs:ro)
  # docker format: OCI images drop the Dockerfile's HEALTHCHECK
  build_args+=(--pull=never --format docker)
fi
say "building $tag from Dockerfile"
s=$(date +%s)
previous=$($E image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
$E build "${build_args[@]}" . >"$logs/build.log" 2>&1 || { tail -n 30 "$logs/build.log"; fail "docker build"; }
# the build this one replaces under the same tag, unless something else still uses it
if [ -n "$previous" ] && [ "$previous" != "$($E image inspect -f '{{.Id}}' "$tag")" ]; then
  $E rmi "$previous" >/dev/null 2>&1 || true
fi
size=$($E image inspect "$tag" --format '{{.Size}}')
pass "image $tag built in $(elapsed "$s") s, $((size / 1000000)) MB"

# --- checks run inside a container ----------------------------------------------------------------------
# Every package the runtime code imports is installed; the development tools are not; core/ and ui/ import.
read -r -d '' IMPORTS_CHECK <<'PY' || true
import ast, importlib, importlib.util, pathlib, sys
optional = {"pyspark": "requirements-spark.txt", "webview": "desktop.py's optional window"}
missing = {}
for entry in ("core", "ui", "app_pages", "app.py"):
    path = pathlib.Path("/app", entry)
    for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in optional and importlib.util.find_spec(top) is None:
                    missing.setdefault(top, str(file))
dev_tools = [n for n in ("pytest", "hypothesis", "playwright", "ruff", "dvc", "pyspark", "podman_compose")
             if importlib.util.find_spec(n) is not None]
broken = {}
for package in ("core", "ui"):
    for file in sorted(pathlib.Path("/app", package).rglob("*.py")):
        if file.name == "__main__.py":  # the CLI itself: importing it runs it
            continue
        module = ".".join(file.relative_to("/app").with_suffix("").parts).removesuffix(".__init__")
        try:
            importlib.import_module(module)
        except Exception as error:
            broken[module] = f"{type(error).__name__}: {error}"
for top, file in missing.items():
    print(f"not installed: {top} (imported by {file})")
for name in dev_tools:
    print(f"development tool in the runtime image: {name}")
for module, error in broken.items():
    print(f"cannot import {module}: {error}")
sys.exit(1 if missing or dev_tools or broken else 0)
PY

# Wait for the scoring server started in the container, then score an ad with a phone and a clean one.
read -r -d '' SCORE_CHECK <<'PY' || true
import json, sys, time, urllib.error, urllib.request
base = "http://127.0.0.1:5001"
deadline = time.time() + 300
while True:
    try:
        urllib.request.urlopen(base + "/ready", timeout=5)
        break
    except OSError as error:
        if time.time() > deadline:
            sys.exit(f"scoring server not ready after 300 s: {error}")
        time.sleep(2)
ad = {"title": "Продаю велосипед", "subcategory": "Велосипеды", "category": "Хобби и отдых", "price": 12000.0,
      "region": "Москва", "city": "Москва", "datetime_submitted": "2019-10-01 10:00:00"}
ads = [{**ad, "description": "Почти новый, звоните 8 912 345-67-89"}, {**ad, "description": "Почти новый, торг"}]
request = urllib.request.Request(base + "/invocations", data=json.dumps({"dataframe_records": ads}).encode(),
                                 headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=60) as answer:
        version = answer.headers.get("X-Model-Version", "?")
        predictions = json.load(answer)["predictions"]
except urllib.error.HTTPError as error:
    sys.exit(f"/invocations answered {error.code}: {error.read()[:500].decode(errors='replace')}")
phone, clean = predictions
kinds = [contact["kind"] for contact in phone["contacts"]]
print(f"model version {version}: ad with a phone {phone['prediction']:.3f} {kinds}, clean ad {clean['prediction']:.3f}")
if "phone" not in kinds or phone["prediction"] <= clean["prediction"] or clean["contacts"]:
    sys.exit("the served model does not find the phone, or scores the clean ad higher")
PY

uid_of_main() { $E exec "$1" awk '/^Uid:/ { print $2 }' /proc/1/status; }
score_in() { # CONTAINER: start `python -m core serve` inside it and run SCORE_CHECK there
  $E exec -d "$1" sh -c 'exec python -m core serve --host 127.0.0.1 --port 5001 >/tmp/serve.log 2>&1' >/dev/null
  if ! $E exec -i "$1" python - <<<"$SCORE_CHECK" >"$logs/score-$1.log" 2>&1; then
    cat "$logs/score-$1.log"; $E exec "$1" tail -n 30 /tmp/serve.log || true; return 1
  fi
  cat "$logs/score-$1.log"
}

# --- the image ------------------------------------------------------------------------------------------
if [ "$run_image" = yes ]; then
  name=contactguard-test-$$
  port=$(free_port)
  stop_image() {
    $E logs "$name" >"$logs/image.log" 2>&1 || true
    # -v: also the anonymous volumes of the Dockerfile's VOLUME lines
    if [ "$keep" = yes ]; then say "left running: $E rm -f -v $name"; else $E rm -f -v "$name" >/dev/null 2>&1 || true; fi
  }
  trap stop_image EXIT
  # (podman without systemd says on stderr that it cannot schedule the HEALTHCHECK: harmless, kept in run.log)
  $E run -d --name "$name" -p "127.0.0.1:$port:8501" -e CONTACTGUARD_ADMIN_PASSWORD=container-test "$tag" \
    >/dev/null 2>"$logs/run.log" || { cat "$logs/run.log"; fail "image: $E run"; }
  say "image: first start trains and registers a model, then serves the dashboard (several minutes)"
  s=$(date +%s)
  if ! wait_http "http://127.0.0.1:$port/_stcore/health" 1200 "$name"; then
    $E logs "$name" 2>&1 | tail -n 40
    fail "image: the dashboard never answered /_stcore/health"
  fi
  pass "image: dashboard healthy after $(elapsed "$s") s on http://127.0.0.1:$port"
  uid=$(uid_of_main "$name")
  [ -n "$uid" ] && [ "$uid" != 0 ] || fail "image: the app runs as uid '$uid'"
  pass "image: the app runs as uid $uid, not root"
  $E exec -i "$name" python - <<<"$IMPORTS_CHECK" >"$logs/imports.log" 2>&1 || { cat "$logs/imports.log"; fail "image: runtime imports"; }
  pass "image: every runtime import installed, no development tool, core/ and ui/ import"
  score_in "$name" || fail "image: the served model"
  pass "image: the scoring server answers /invocations with the registered model"
  stop_image
  trap - EXIT
fi

# --- the compose stack ----------------------------------------------------------------------------------
if [ "$run_compose" = yes ]; then
  if [ "$E" = docker ] && docker compose version >/dev/null 2>&1; then
    C=(docker compose)
  elif command -v podman-compose >/dev/null 2>&1; then
    C=(podman-compose)
  else
    fail "podman-compose not found: make setup installs it (requirements-dev.txt), or run from make container-test"
  fi
  project=cgtest$$
  export CONTACTGUARD_IMAGE=$tag CONTACTGUARD_APP_PORT CONTACTGUARD_MLFLOW_PORT
  CONTACTGUARD_APP_PORT=$(free_port)
  CONTACTGUARD_MLFLOW_PORT=$(free_port)
  compose=("${C[@]}" -p "$project" -f docker-compose.yml)
  container_of() { $E ps -aq --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1" | head -n 1; }
  downed=no
  down() { # logs, then the stack and its volumes (`down -v` leaves the anonymous ones of VOLUME lines to podman)
    [ "$downed" = no ] || return 0
    downed=yes
    local service c found volumes=()
    for service in mlflow app; do
      c=$(container_of "$service")
      [ -n "$c" ] || continue
      $E logs "$c" >"$logs/compose-$service.log" 2>&1 || true
      read -r -a found <<<"$($E inspect -f '{{range .Mounts}}{{.Name}} {{end}}' "$c" 2>/dev/null || true)"
      volumes+=("${found[@]}")
    done
    if [ "$keep" = yes ]; then say "left running: ${compose[*]} down -v"; return 0; fi
    "${compose[@]}" down -v >>"$logs/compose.log" 2>&1 || true
    for volume in "${volumes[@]}"; do
      if $E volume inspect "$volume" >/dev/null 2>&1; then $E volume rm "$volume" >/dev/null 2>&1 || true; fi
    done
  }
  trap down EXIT
  say "compose: MLflow server on 127.0.0.1:$CONTACTGUARD_MLFLOW_PORT, app on 127.0.0.1:$CONTACTGUARD_APP_PORT (first start trains)"
  s=$(date +%s)
  "${compose[@]}" up -d --no-build >"$logs/compose.log" 2>&1 || { tail -n 30 "$logs/compose.log"; fail "compose up"; }
  mlflow_url=http://127.0.0.1:$CONTACTGUARD_MLFLOW_PORT
  wait_http "$mlflow_url/health" 300 || fail "compose: the MLflow server never answered /health"
  pass "compose: MLflow server healthy after $(elapsed "$s") s"
  wait_http "http://127.0.0.1:$CONTACTGUARD_APP_PORT/_stcore/health" 1200 || { down; tail -n 40 "$logs/compose-app.log"; fail "compose: the app never answered /_stcore/health"; }
  pass "compose: app healthy after $(elapsed "$s") s"
  alias_json=$(curl -sf "$mlflow_url/api/2.0/mlflow/registered-models/alias?name=contact-detector&alias=champion" || true)
  version=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1] or "{}").get("model_version", {}).get("version", ""))' "$alias_json")
  [ -n "$version" ] || fail "compose: no contact-detector@champion on the MLflow server ($alias_json)"
  pass "compose: contact-detector@champion is version $version on the MLflow server"
  app=$(container_of app)
  [ -n "$app" ] || fail "compose: cannot find the app container"
  uid=$(uid_of_main "$app")
  [ -n "$uid" ] && [ "$uid" != 0 ] || fail "compose: the app runs as uid '$uid'"
  score_in "$app" || fail "compose: the champion loaded from the MLflow server"
  pass "compose: a scoring server in the app container (uid $uid) loads the champion from the MLflow server and answers"
  down
  trap - EXIT
fi

say "$checks checks passed in $(elapsed "$started") s (engine $E, image $((size / 1000000)) MB)"
