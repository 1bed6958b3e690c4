#!/usr/bin/env bash
# The app as production runs it, and a short journey against it over real HTTP (issue 14 §1, §2):
#   - a fresh PostgreSQL database: on the server of $DATABASE_URL when it is a postgres URL, else on
#     a disposable local cluster (scripts/lib/pg_cluster.sh);
#   - settings.production (DEBUG off, a generated secret, ALLOWED_HOSTS=127.0.0.1,localhost,
#     PCMT_TRUSTED_PROXIES=1, JSON logs), migrate, load_units (the real units), collectstatic,
#     two accounts made with `manage.py create_account`;
#   - gunicorn with 3 workers on a free loopback port, the task worker (`manage.py run_worker`) as
#     its own process; the journey sends what the TLS proxy would (X-Forwarded-Proto: https,
#     X-Forwarded-For) — scripts/prodstack_journey.py;
#   - then `manage.py backup` of that database, `manage.py restore` into another fresh database and
#     media folder, and `verify_audit_chain` there.
# Every process and database it made is removed on exit (trap). Run alone: scripts/prodstack.sh
# (run_tests.sh runs it as its "prodstack" step).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=run_app.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run_app.sh"
# shellcheck source=lib/prodstack_common.sh
source "$REPO_ROOT/scripts/lib/prodstack_common.sh"

WORK=""
PORT=""
PIDS=()
SERVER_URL=""
DBS=()
STARTED=$SECONDS

cleanup() {
    local rc=$? db
    trap - EXIT INT TERM HUP
    stop_pids
    if [[ -n "${PORT:-}" ]] && answers "$PORT"; then
        printf 'ERROR: something still answers on 127.0.0.1:%s after the cleanup\n' "$PORT" >&2
        rc=1
    fi
    if [[ -n "$SERVER_URL" && -z "$PG_CLUSTER_DIR" ]]; then
        for db in "${DBS[@]}"; do
            "$VENV_PY" scripts/prodstack_journey.py dropdb "$SERVER_URL" "$db" || true
        done
    fi
    pg_cluster_stop || true
    if [[ -n "$WORK" ]]; then
        if [[ "$rc" -ne 0 && -f "$WORK/app.log" ]]; then
            printf '\n--- last lines of the app log ---\n' >&2
            tail -n 40 "$WORK/app.log" >&2 || true
            printf -- '--- last lines of the worker log ---\n' >&2
            tail -n 20 "$WORK/worker.log" >&2 || true
        fi
        rm -rf -- "$WORK"
    fi
    printf 'prodstack: %s in %ss\n' "$([[ "$rc" -eq 0 ]] && echo OK || echo "FAILED (exit $rc)")" \
        "$((SECONDS - STARTED))" >&2
    exit "$rc"
}
on_exit cleanup

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pcmt-prodstack.XXXXXX")"
chmod 700 "$WORK"

database_server
SUFFIX="$(date +%s)_$$"
APP_DB="pcmt_prodstack_${SUFFIX}"
RESTORE_DB="pcmt_prodstack_restore_${SUFFIX}"
DBS=("$APP_DB" "$RESTORE_DB")
"$VENV_PY" scripts/prodstack_journey.py createdb "$SERVER_URL" "$APP_DB"
"$VENV_PY" scripts/prodstack_journey.py createdb "$SERVER_URL" "$RESTORE_DB"

prod_env_init "$WORK" "$(db_url "$SERVER_URL" "$APP_DB")"
# The health check's worker beat, short enough for the journey to see it.
PROD_ENV+=(PCMT_WORKER_HEARTBEAT_SECONDS=2)
PASSWORD="$(random_password)"

phase "check --deploy, migrate, load_units, collectstatic, accounts"
prod_env "${MANAGE[@]}" check --deploy --fail-level WARNING
# collectstatic needs no database: it runs beside migrate.
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" collectstatic --noinput -v 0 >"$WORK/collectstatic.log" 2>&1 &
COLLECT_PID=$!
PIDS+=("$COLLECT_PID")
phase "migrate"
prod_env "${MANAGE[@]}" migrate --noinput -v 0
phase "load_units"
prod_env "${MANAGE[@]}" load_units
wait "$COLLECT_PID" || die "collectstatic failed: $(cat "$WORK/collectstatic.log")"
phase "create_account ×2"
prod_env PRODSTACK_PASSWORD="$PASSWORD" "${MANAGE[@]}" create_account prodstack.xa --role commune_officer \
    --unit 2458 --full-name "Cán bộ Kiểm Thử" --password-env PRODSTACK_PASSWORD
prod_env PRODSTACK_PASSWORD="$PASSWORD" "${MANAGE[@]}" create_account prodstack.tinh --role province_staff \
    --full-name "Cán bộ Tỉnh Kiểm Thử" --password-env PRODSTACK_PASSWORD

PORT="$(free_port)"
phase "gunicorn (3 workers) on 127.0.0.1:$PORT and the task worker"
# No control socket: gunicorn 27 puts it in ~/.gunicorn, shared by every instance of the user.
env -i "${PROD_ENV[@]}" "$VENV/bin/gunicorn" tuyenquang_pcmt.wsgi:application --bind "127.0.0.1:$PORT" --workers 3 \
    --timeout 60 --graceful-timeout 5 --no-control-socket >"$WORK/app.log" 2>&1 &
GUNICORN_PID=$!
PIDS+=("$GUNICORN_PID")
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" run_worker --interval 0.5 --no-startup-delay >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
wait_port "$PORT" "$GUNICORN_PID" "$WORK/app.log"

phase "journey over HTTP (proxy headers: X-Forwarded-Proto https, X-Forwarded-For)"
prod_env PRODSTACK_OFFICER=prodstack.xa PRODSTACK_PROVINCE=prodstack.tinh PRODSTACK_PASSWORD="$PASSWORD" \
    "$VENV_PY" scripts/prodstack_journey.py journey "http://127.0.0.1:$PORT" "$WORK/app.log"

phase "backup of the production database, restore into a fresh database and media folder"
t0=$SECONDS
prod_env "${MANAGE[@]}" backup --output "$WORK/backups/prodstack.tar"
t1=$SECONDS
prod_env DATABASE_URL="$(db_url "$SERVER_URL" "$RESTORE_DB")" DJANGO_MEDIA_ROOT="$WORK/media-restored" \
    "${MANAGE[@]}" restore "$WORK/backups/prodstack.tar"
prod_env DATABASE_URL="$(db_url "$SERVER_URL" "$RESTORE_DB")" DJANGO_MEDIA_ROOT="$WORK/media-restored" \
    "${MANAGE[@]}" verify_audit_chain
t2=$SECONDS
cmp -s <(cd "$WORK/media" && find . -type f -exec sha256sum {} + | sort) \
    <(cd "$WORK/media-restored" && find . -type f -exec sha256sum {} + | sort) \
    || die "restored media folder differs from the original"
phase "done: backup $((t1 - t0))s, restore + verify $((t2 - t1))s"
