# What the stack scripts (scripts/prodstack.sh, loadtest.sh, scaleout.sh) share. Sourced right after
# run_app.sh (which defines REPO_ROOT, VENV, VENV_PY, log and die): it sources pg_cluster.sh, moves to
# the repository, exports the Python the cluster helpers use, and defines MANAGE and the functions below.
# shellcheck shell=bash

# shellcheck source=pg_cluster.sh
source "$REPO_ROOT/scripts/lib/pg_cluster.sh"
cd "$REPO_ROOT"
export PYTHON="$VENV_PY"
export PYTHONUNBUFFERED=1
MANAGE=("$VENV_PY" "$REPO_ROOT/manage.py")

is_postgres_url() { [[ "${1:-}" =~ ^(postgres|postgresql|psql|pgsql)(\+[A-Za-z0-9_]+)?:// ]]; }

# URL of database $2 on the server of URL $1.
db_url() { printf '%s/%s' "${1%/*}" "$2"; }

free_port() { "$VENV_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# A secret key, and a password the validators accept (both random, for this run only).
random_secret() { "$VENV_PY" -c 'import secrets; print(secrets.token_urlsafe(50))'; }
random_password() { "$VENV_PY" -c 'import secrets; print("Pc" + secrets.token_urlsafe(12) + "-9x")'; }

# on_exit FUNCTION: run FUNCTION when the script ends, also on Ctrl-C, TERM or HUP (turned into exits so
# the EXIT trap runs), so no gunicorn, worker or cluster outlives a stack script.
on_exit() {
    # shellcheck disable=SC2064  # the function name is fixed when the trap is set
    trap "$1" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# phase TEXT: a log line stamped with the seconds since the script started ($STARTED).
phase() { log "[$((SECONDS - STARTED))s] $*"; }

# stop_pids: TERM every process in $PIDS, give each 10 s (gunicorn's master takes its workers with it),
# then KILL what is left.
stop_pids() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# True when something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp: no Python start-up).
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT PID LOGFILE: wait up to 60 s for PORT to answer; die when process PID exits first.
wait_port() {
    local port="$1" pid="$2" logfile="$3"
    for _ in $(seq 1 240); do
        answers "$port" && return 0
        kill -0 "$pid" 2>/dev/null || die "process $pid exited: $(tail -n 20 "$logfile")"
        sleep 0.25
    done
    die "nothing answers on 127.0.0.1:$port: $(tail -n 20 "$logfile")"
}

# database_server: SERVER_URL := the server of $DATABASE_URL when it is a postgres URL (fresh databases
# are made there), else a disposable local cluster (pg_cluster.sh; $PG_CLUSTER_DIR is then set).
database_server() {
    if is_postgres_url "${DATABASE_URL:-}"; then
        SERVER_URL="$DATABASE_URL"
        log "PostgreSQL from DATABASE_URL (fresh databases on that server)"
    else
        pg_cluster_start || die "no PostgreSQL: set DATABASE_URL to a postgres URL or install PostgreSQL"
        SERVER_URL="$PG_CLUSTER_URL"
    fi
}

# prod_env_init WORK DATABASE_URL: PROD_ENV := the production environment of a stack whose files live in
# WORK; nothing from a developer's .env may take part. Scripts append their own entries (PROD_ENV+=).
prod_env_init() {
    local work="$1" database_url="$2"
    PROD_ENV=(
        PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 PYTHONUNBUFFERED=1
        DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.production
        DJANGO_SECRET_KEY="$(random_secret)"
        DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
        DATABASE_URL="$database_url"
        DJANGO_MEDIA_ROOT="$work/media"
        DJANGO_STATIC_ROOT="$work/static"
        IMPORT_TMP_DIR="$work/imports"
        PCMT_BACKUP_DIR="$work/backups"
        PCMT_TRUSTED_PROXIES=1
        PCMT_LOG_FORMAT=json
        PCMT_HEALTH_MIN_FREE_DISK_MB=50
    )
}

# Background processes are started with `env -i "${PROD_ENV[@]}" ... &`, not through this function:
# a backgrounded function runs in a subshell, so $! would be that subshell and killing it would
# leave gunicorn running.
prod_env() { env -i "${PROD_ENV[@]}" "$@"; }
