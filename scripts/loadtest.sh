#!/usr/bin/env bash
# The load test of issue 14 §3 (a benchmark, not part of CI): a province at its busiest against the
# production stack, then a check that nothing was lost, duplicated or wrongly refused.
#
#   scripts/loadtest.sh                 # 100 officers + 10 province staff, 5–15 s think time, 3 min
#   scripts/loadtest.sh --smoke         # 4 officers + 1 province staff, 1–3 s think time, 30 s
#   LOADTEST_OFFICERS=55 LOADTEST_STAFF=5 LOADTEST_DURATION=300 scripts/loadtest.sh
#   scripts/loadtest.sh --officers 55 --staff 5 --duration 300 --wait 1-3 --spawn-rate 2 --persons 20000
#
# What it does:
#   1. installs Locust from requirements-load.txt into its own .venv-load (the app's .venv and CI's
#      requirements are untouched);
#   2. the stack as scripts/prodstack.sh starts it: a fresh PostgreSQL database (DATABASE_URL's
#      server, or a disposable local cluster), settings.production, migrate, load_units,
#      collectstatic, gunicorn with $LOADTEST_WORKERS (4) workers on a free loopback port and the task
#      worker; the data: seed_demo (run with settings.dev on the same database, since production
#      refuses demo data) plus `manage.py benchmark --persons $LOADTEST_PERSONS` (province-wide
#      files); the accounts with `manage.py create_account` (loadtest/setup_data.py);
#   3. Locust headless (loadtest/locustfile.py), bounded by --duration and the user counts;
#   4. loadtest/check_data.py: the data check and the figures. Exit 1 when anything was lost,
#      duplicated, wrongly refused or answered 5xx.
# Results (Locust CSV, the journal, gunicorn's and the worker's logs, summary.txt) are kept in
# var/loadtest/<time>/; the database, processes and the cluster are removed on exit.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=run_app.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run_app.sh"
# shellcheck source=lib/prodstack_common.sh
source "$REPO_ROOT/scripts/lib/prodstack_common.sh"

OFFICERS="${LOADTEST_OFFICERS:-100}"
STAFF="${LOADTEST_STAFF:-10}"
DURATION="${LOADTEST_DURATION:-180}"
SPAWN_RATE="${LOADTEST_SPAWN_RATE:-2}"
WAIT="${LOADTEST_WAIT:-5-15}"
WORKERS="${LOADTEST_WORKERS:-4}"
PERSONS="${LOADTEST_PERSONS:-10000}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --smoke) OFFICERS=4 STAFF=1 DURATION=30 SPAWN_RATE=1 WAIT=1-3 PERSONS=300 ;;
        --officers) OFFICERS="$2"; shift ;;
        --staff) STAFF="$2"; shift ;;
        --duration) DURATION="$2"; shift ;;
        --spawn-rate) SPAWN_RATE="$2"; shift ;;
        --wait) WAIT="$2"; shift ;;
        --workers) WORKERS="$2"; shift ;;
        --persons) PERSONS="$2"; shift ;;
        -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[[ "$WAIT" =~ ^([0-9.]+)-([0-9.]+)$ ]] || die "--wait is MIN-MAX in seconds, e.g. 5-15"
WAIT_MIN="${BASH_REMATCH[1]}"
WAIT_MAX="${BASH_REMATCH[2]}"

WORK=""
PORT=""
PIDS=()
SERVER_URL=""
APP_DB=""
STARTED=$SECONDS
RESULTS="$REPO_ROOT/var/loadtest/$(date -u +%Y%m%dT%H%M%SZ)"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_pids
    if [[ -n "$WORK" ]]; then
        mkdir -p "$RESULTS"
        cp -- "$WORK"/*.log "$WORK"/*.csv "$WORK"/*.jsonl "$WORK"/summary.txt "$RESULTS"/ 2>/dev/null || true
        if [[ -n "$PG_CLUSTER_DIR" && -f "$PG_CLUSTER_DIR/postgres.log" ]]; then
            cp -- "$PG_CLUSTER_DIR/postgres.log" "$RESULTS/" || true
        fi
    fi
    if [[ -n "$SERVER_URL" && -n "$APP_DB" && -z "$PG_CLUSTER_DIR" ]]; then
        "$VENV_PY" scripts/prodstack_journey.py dropdb "$SERVER_URL" "$APP_DB" || true
    fi
    pg_cluster_stop || true
    [[ -z "$WORK" ]] || rm -rf -- "$WORK"
    printf 'loadtest: %s in %ss (results in %s)\n' "$([[ "$rc" -eq 0 ]] && echo OK || echo "FAILED (exit $rc)")" \
        "$((SECONDS - STARTED))" "${RESULTS#"$REPO_ROOT"/}" >&2
    exit "$rc"
}
on_exit cleanup

phase "Locust from requirements-load.txt into .venv-load"
LOAD_VENV="$REPO_ROOT/.venv-load"
[[ -x "$LOAD_VENV/bin/python" ]] || "$(find_python)" -m venv "$LOAD_VENV"
STAMP="$LOAD_VENV/.requirements-load.sha256"
WANT="$(sha256sum requirements-load.txt | cut -d' ' -f1)"
if [[ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]]; then
    "$LOAD_VENV/bin/pip" install -q -r requirements-load.txt
    printf '%s\n' "$WANT" >"$STAMP"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pcmt-loadtest.XXXXXX")"
chmod 700 "$WORK"
database_server
APP_DB="pcmt_loadtest_$(date +%s)_$$"
"$VENV_PY" scripts/prodstack_journey.py createdb "$SERVER_URL" "$APP_DB"

PASSWORD="$(random_password)"
prod_env_init "$WORK" "$(db_url "$SERVER_URL" "$APP_DB")"

phase "migrate, load_units, collectstatic"
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" collectstatic --noinput -v 0 >"$WORK/collectstatic.log" 2>&1 &
COLLECT_PID=$!
PIDS+=("$COLLECT_PID")
prod_env "${MANAGE[@]}" migrate --noinput -v 0
prod_env "${MANAGE[@]}" load_units
phase "seed_demo (settings.dev on the same database: production refuses demo data)"
prod_env DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.dev PCMT_ALLOW_DEMO_DATA=1 "${MANAGE[@]}" seed_demo
if [[ "$PERSONS" -gt 0 ]]; then
    phase "benchmark data: $PERSONS people over the province"
    prod_env DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.bench "${MANAGE[@]}" benchmark --persons "$PERSONS" --skip-pages --skip-import >"$WORK/seed.log"
    tail -n 3 "$WORK/seed.log" >&2
fi
wait "$COLLECT_PID" || die "collectstatic failed: $(cat "$WORK/collectstatic.log")"
phase "accounts: $OFFICERS officers, $STAFF province staff (create_account)"
prod_env DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.bench LOADTEST_PASSWORD="$PASSWORD" "$VENV_PY" loadtest/setup_data.py "$WORK" "$OFFICERS" "$STAFF"

PORT="$(free_port)"
phase "gunicorn ($WORKERS workers) on 127.0.0.1:$PORT and the task worker"
env -i "${PROD_ENV[@]}" "$VENV/bin/gunicorn" tuyenquang_pcmt.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" --timeout 60 --graceful-timeout 5 --no-control-socket >"$WORK/app.log" 2>&1 &
GUNICORN_PID=$!
PIDS+=("$GUNICORN_PID")
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" run_worker --interval 0.5 --no-startup-delay >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
wait_port "$PORT" "$GUNICORN_PID" "$WORK/app.log"

phase "Locust: $OFFICERS officers + $STAFF province staff, spawn $SPAWN_RATE/s, think ${WAIT_MIN}–${WAIT_MAX} s, ${DURATION} s"
set +e
env LOADTEST_USERS_FILE="$WORK/users.json" LOADTEST_PASSWORD="$PASSWORD" LOADTEST_JOURNAL="$WORK/journal.jsonl" \
    LOADTEST_OFFICERS="$OFFICERS" LOADTEST_STAFF="$STAFF" LOADTEST_WAIT_MIN="$WAIT_MIN" LOADTEST_WAIT_MAX="$WAIT_MAX" \
    "$LOAD_VENV/bin/locust" -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    -u "$((OFFICERS + STAFF))" -r "$SPAWN_RATE" -t "${DURATION}s" --stop-timeout 30 \
    --csv "$WORK/locust" --only-summary --loglevel WARNING >"$WORK/locust.log" 2>&1
LOCUST_RC=$?
set -e
# Locust exits 1 when a request failed; the check below reports them. Anything else is its own error.
[[ "$LOCUST_RC" -le 1 ]] || die "locust exited $LOCUST_RC: $(tail -n 30 "$WORK/locust.log")"
tail -n 25 "$WORK/locust.log" | grep -iE "error|exception|traceback" >&2 || true

phase "data check"
PG_LOG=""
[[ -z "$PG_CLUSTER_DIR" ]] || PG_LOG="$PG_CLUSTER_DIR/postgres.log"
set +e
prod_env "$VENV_PY" loadtest/check_data.py "$WORK/journal.jsonl" "$WORK/locust" "$WORK/app.log" "$PG_LOG" \
    | tee "$WORK/summary.txt"
CHECK_RC=${PIPESTATUS[0]}
set -e
exit "$CHECK_RC"
