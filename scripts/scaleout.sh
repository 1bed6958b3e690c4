#!/usr/bin/env bash
# The scale-out mode on one machine, and a journey proving its parts work together (issue 14 §4):
#   - a disposable PostgreSQL cluster (scripts/lib/pg_cluster.sh) and a streaming replica of it
#     (pg_basebackup -R, hot standby on another port): DATABASE_REPLICA_URL;
#   - Redis from Debian's redis-server package on a free loopback port, no persistence: the shared
#     cache (REDIS_URL) and the task queue (PCMT_TASKS_BACKEND=rq);
#   - two gunicorn instances ("app servers" A and B, 2 workers each) with settings.production,
#     sharing PostgreSQL, Redis and the media folder; an RQ worker (`manage.py rqworker`);
#   - scripts/scaleout_journey.py over HTTP: a session made through A works through B; the dashboard
#     cached through A is served to B, a change made through A invalidates it for B; dashboard reads
#     reach the replica and officer pages do not; a report queued through A is rendered by the RQ
#     worker (not the database queue) and downloaded through B; an edit saved through A makes the same
#     edit through B answer 409 with the message, the row keeping A's value.
# Everything it started is stopped and removed on exit (trap). Run alone: scripts/scaleout.sh (README
# "Chạy nhiều máy chủ"); also the last step of scripts/run_tests.sh.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=run_app.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run_app.sh"
# shellcheck source=lib/prodstack_common.sh
source "$REPO_ROOT/scripts/lib/prodstack_common.sh"

WORK=""
PORTS=()
PIDS=()
STARTED=$SECONDS

cleanup() {
    local rc=$? port
    trap - EXIT INT TERM HUP
    log "[$((SECONDS - STARTED))s] stopping everything"
    stop_pids
    for port in "${PORTS[@]}"; do
        if answers "$port"; then
            printf 'ERROR: something still answers on 127.0.0.1:%s after the cleanup\n' "$port" >&2
            rc=1
        fi
    done
    log "[$((SECONDS - STARTED))s] stopping PostgreSQL"
    pg_cluster_stop || true
    if [[ -n "$WORK" ]]; then
        if [[ "$rc" -ne 0 ]]; then
            for f in app-a app-b rqworker redis; do
                [[ -f "$WORK/$f.log" ]] || continue
                printf '\n--- last lines of %s.log ---\n' "$f" >&2
                tail -n 30 "$WORK/$f.log" >&2 || true
            done
        fi
        rm -rf -- "$WORK"
    fi
    printf 'scaleout: %s in %ss\n' "$([[ "$rc" -eq 0 ]] && echo OK || echo "FAILED (exit $rc)")" \
        "$((SECONDS - STARTED))" >&2
    exit "$rc"
}
on_exit cleanup

command -v redis-server >/dev/null 2>&1 || _pg_apt_install redis-server || true
command -v redis-server >/dev/null 2>&1 || die "redis-server not found (Debian: apt-get install redis-server)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pcmt-scaleout.XXXXXX")"
chmod 700 "$WORK"
mkdir -p "$WORK/redis"

phase "PostgreSQL primary (disposable cluster) and Redis on loopback"
# Always a cluster of our own, also when DATABASE_URL names a server: the replica is a copy of a whole
# cluster, and a base backup of a shared server is not ours to take.
pg_cluster_start || die "no PostgreSQL: install PostgreSQL (Debian: postgresql postgresql-contrib)"
REDIS_PORT="$(free_port)"
PORTS+=("$REDIS_PORT")
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/redis" \
    --daemonize no --protected-mode yes >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
REDIS_PID=$!

prod_env_init "$WORK" "$PG_CLUSTER_URL"
PROD_ENV+=(
    # The shared services of this mode.
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    PCMT_TASKS_BACKEND=rq
    # One connection per request: each request's statistics reach pg_stat_database when it ends,
    # which is how the journey sees which server a page read from.
    CONN_MAX_AGE=0
)
PASSWORD="$(random_password)"

phase "streaming replica (pg_basebackup -R), then migrate beside collectstatic"
# The replica first: it then follows the migration through the WAL stream, as it would in production,
# and its base backup of an empty cluster takes a moment instead of copying the migrated database.
pg_replica_start || die "the streaming replica could not be set up"
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" collectstatic --noinput -v 0 >"$WORK/collectstatic.log" 2>&1 &
COLLECT_PID=$!
PIDS+=("$COLLECT_PID")
prod_env "${MANAGE[@]}" migrate --noinput -v 0
PROD_ENV+=(DATABASE_REPLICA_URL="$PG_REPLICA_URL")
# WhiteNoise lists the static files when a process starts: the servers wait for collectstatic.
wait "$COLLECT_PID" || die "collectstatic failed: $(cat "$WORK/collectstatic.log")"

PORT_A="$(free_port)"
PORT_B="$(free_port)"
PORTS+=("$PORT_A" "$PORT_B")
phase "gunicorn A on :$PORT_A, B on :$PORT_B (2 workers each), RQ worker; meanwhile units, accounts"
for name in a b; do
    port="$PORT_A"; [[ "$name" == b ]] && port="$PORT_B"
    env -i "${PROD_ENV[@]}" "$VENV/bin/gunicorn" tuyenquang_pcmt.wsgi:application --bind "127.0.0.1:$port" \
        --workers 2 --timeout 60 --graceful-timeout 5 --no-control-socket >"$WORK/app-$name.log" 2>&1 &
    PIDS+=($!)
    eval "PID_${name^^}=$!"
done
env -i "${PROD_ENV[@]}" "${MANAGE[@]}" rqworker --job-class django_tasks_rq.Job --worker-ttl 30 default \
    >"$WORK/rqworker.log" 2>&1 &
PIDS+=($!)
RQ_PID=$!
# The servers boot while the data they serve is loaded (nothing reaches them before the journey).
prod_env "${MANAGE[@]}" check --deploy --fail-level WARNING
prod_env "${MANAGE[@]}" load_units >/dev/null
prod_env PCMT_PW="$PASSWORD" "${MANAGE[@]}" create_account scaleout.xa --role commune_officer \
    --unit 2458 --full-name "Cán bộ Xã Mở Rộng" --password-env PCMT_PW >/dev/null
prod_env PCMT_PW="$PASSWORD" "${MANAGE[@]}" create_account scaleout.tinh --role province_staff \
    --full-name "Cán bộ Tỉnh Mở Rộng" --password-env PCMT_PW >/dev/null
wait_port "$REDIS_PORT" "$REDIS_PID" "$WORK/redis.log"
wait_port "$PORT_A" "$PID_A" "$WORK/app-a.log"
wait_port "$PORT_B" "$PID_B" "$WORK/app-b.log"

phase "journey over HTTP through both instances"
prod_env SCALEOUT_OFFICER=scaleout.xa SCALEOUT_PROVINCE=scaleout.tinh SCALEOUT_PASSWORD="$PASSWORD" \
    SCALEOUT_RQ_LOG="$WORK/rqworker.log" \
    "$VENV_PY" scripts/scaleout_journey.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B"
kill -0 "$RQ_PID" 2>/dev/null || die "the RQ worker exited"
phase "done"
