# shellcheck shell=bash
# Disposable PostgreSQL cluster for the test suite.
#
# Source this file, then:
#     pg_cluster_start            # sets PG_CLUSTER_URL (postgres://postgres@127.0.0.1:PORT/pcmt)
#     ...                         # run things against "$PG_CLUSTER_URL"
#     pg_cluster_stop             # idempotent; safe to call from an EXIT trap (stops the replica too)
#     pg_replica_start            # optional: a streaming replica of it (pg_basebackup -R), sets
#                                 # PG_REPLICA_URL (same database name, another port, read-only)
#
# The cluster lives in a mktemp directory, listens on 127.0.0.1 only (random free port), keeps its unix
# socket inside that directory, trusts every local connection and runs with fsync off. The superuser is
# `postgres` (needed for CREATE EXTENSION unaccent / pg_trgm). As root, initdb/pg_ctl run as the system
# user `postgres` (created if missing) because initdb refuses to run as root.
# Missing server binaries or contrib extensions are installed with apt-get when running as root.

PG_CLUSTER_DIR=""
PG_CLUSTER_BIN=""
PG_CLUSTER_PORT=""
PG_CLUSTER_URL=""
PG_REPLICA_PORT=""
PG_REPLICA_URL=""

_pg_log() { printf '[pg_cluster] %s\n' "$*" >&2; }

_pg_is_root() { [[ "$(id -u)" -eq 0 ]]; }

_pg_apt_install() {
    # Install Debian packages (root + apt only); runs `apt-get update` first if the plain install fails.
    _pg_is_root && command -v apt-get >/dev/null 2>&1 || return 1
    _pg_log "installing with apt-get: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "$@" >&2 \
        || { apt-get update >&2 && apt-get install -y --no-install-recommends "$@" >&2; }
}

_pg_find_bin() {
    # Print the directory holding initdb + pg_ctl: PATH first, else the newest /usr/lib/postgresql/*/bin.
    local initdb pg_ctl dir
    initdb="$(command -v initdb 2>/dev/null || true)"
    pg_ctl="$(command -v pg_ctl 2>/dev/null || true)"
    if [[ -n "$initdb" && -n "$pg_ctl" ]]; then
        dirname "$(readlink -f "$initdb")"
        return 0
    fi
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    return 1
}

_pg_has_contrib() {
    # True when the unaccent and pg_trgm extensions are installed for the server in $1.
    local bindir="$1" sharedir=""
    if [[ -x "$bindir/pg_config" ]]; then
        sharedir="$("$bindir/pg_config" --sharedir 2>/dev/null || true)"
    fi
    if [[ -n "$sharedir" ]]; then
        [[ -f "$sharedir/extension/unaccent.control" && -f "$sharedir/extension/pg_trgm.control" ]]
        return
    fi
    compgen -G '/usr/share/postgresql/*/extension/unaccent.control' >/dev/null \
        && compgen -G '/usr/share/postgresql/*/extension/pg_trgm.control' >/dev/null
}

_pg_as_owner() {
    # Run a command as the cluster owner (postgres when we are root), from inside the cluster directory.
    if ! _pg_is_root; then
        (cd "$PG_CLUSTER_DIR" && "$@")
        return
    fi
    local runuser
    runuser="$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser || true)"
    if [[ -n "$runuser" ]]; then
        (cd "$PG_CLUSTER_DIR" && "$runuser" -u postgres -- "$@")
    else
        # shellcheck disable=SC2016 # $0/$@ are expanded by the inner shell
        (cd "$PG_CLUSTER_DIR" && su postgres -s /bin/sh -c 'exec "$0" "$@"' "$@")
    fi
}

_pg_free_port() {
    local py
    py="${PYTHON:-$(command -v python3 || command -v python)}"
    "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_cluster_start() {
    if [[ -n "$PG_CLUSTER_DIR" ]]; then
        _pg_log "cluster already running in $PG_CLUSTER_DIR"
        return 0
    fi

    local bindir
    if ! bindir="$(_pg_find_bin)"; then
        _pg_log "initdb/pg_ctl not found; trying to install Debian's postgresql package"
        _pg_apt_install postgresql postgresql-contrib || true
        bindir="$(_pg_find_bin)" || {
            _pg_log "ERROR: PostgreSQL server binaries (initdb, pg_ctl) not found. Install PostgreSQL" \
                "(Debian: apt-get install postgresql postgresql-contrib) or set DATABASE_URL to a postgres URL."
            return 1
        }
    fi
    if ! _pg_has_contrib "$bindir"; then
        _pg_log "unaccent/pg_trgm extensions missing; trying to install postgresql-contrib"
        _pg_apt_install postgresql-contrib || true
        _pg_has_contrib "$bindir" || {
            _pg_log "ERROR: extensions unaccent/pg_trgm not available (install postgresql-contrib)."
            return 1
        }
    fi
    PG_CLUSTER_BIN="$bindir"
    _pg_log "using $("$bindir/postgres" --version 2>/dev/null || echo "$bindir")"

    if _pg_is_root; then
        if ! id -u postgres >/dev/null 2>&1; then
            _pg_log "creating system user postgres"
            PATH="$PATH:/usr/sbin:/sbin" useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin postgres
        fi
        # /tmp rather than $TMPDIR: every parent directory must be traversable by postgres.
        PG_CLUSTER_DIR="$(mktemp -d /tmp/pcmt-pg.XXXXXX)"
        chown postgres: "$PG_CLUSTER_DIR"
    else
        PG_CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pcmt-pg.XXXXXX")"
    fi
    chmod 700 "$PG_CLUSTER_DIR"

    # C.UTF-8 (not plain C) so that UPPER()/LOWER()/ILIKE handle Vietnamese letters.
    local locale_opt=(--locale=C.UTF-8)
    if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale_opt=(--no-locale)
    fi
    if ! _pg_as_owner "$bindir/initdb" -D "$PG_CLUSTER_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 "${locale_opt[@]}" --no-sync >"$PG_CLUSTER_DIR/initdb.log" 2>&1; then
        _pg_log "ERROR: initdb failed:"
        cat "$PG_CLUSTER_DIR/initdb.log" >&2
        pg_cluster_stop
        return 1
    fi
    _pg_as_owner mkdir -p "$PG_CLUSTER_DIR/run"

    local attempt
    for attempt in 1 2 3; do
        PG_CLUSTER_PORT="$(_pg_free_port)"
        if _pg_as_owner "$bindir/pg_ctl" -D "$PG_CLUSTER_DIR/data" -l "$PG_CLUSTER_DIR/postgres.log" \
            -w -t 60 -s -o "-p $PG_CLUSTER_PORT -c listen_addresses=127.0.0.1 \
-c unix_socket_directories=$PG_CLUSTER_DIR/run -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off" start >&2; then
            break
        fi
        _pg_log "pg_ctl start failed on port $PG_CLUSTER_PORT (attempt $attempt):"
        tail -n 20 "$PG_CLUSTER_DIR/postgres.log" >&2 || true
        if [[ "$attempt" -eq 3 ]]; then
            pg_cluster_stop
            return 1
        fi
    done

    if ! _pg_as_owner "$bindir/createdb" -h 127.0.0.1 -p "$PG_CLUSTER_PORT" -U postgres pcmt; then
        _pg_log "ERROR: could not create database pcmt"
        pg_cluster_stop
        return 1
    fi
    PG_CLUSTER_URL="postgres://postgres@127.0.0.1:${PG_CLUSTER_PORT}/pcmt"
    _pg_log "PostgreSQL ready at $PG_CLUSTER_URL (data in $PG_CLUSTER_DIR)"
}

pg_replica_start() {
    # A hot standby of the running cluster, as production would set one up: a base backup of the
    # primary over the replication protocol (-R writes primary_conninfo and standby.signal), then the
    # server started on its own port; it streams the primary's WAL from then on. The data folder is
    # inside the cluster's directory, so pg_cluster_stop removes it.
    [[ -n "$PG_CLUSTER_DIR" ]] || { _pg_log "ERROR: start the primary first"; return 1; }
    if ! _pg_as_owner "$PG_CLUSTER_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_CLUSTER_PORT" -U postgres \
        -D "$PG_CLUSTER_DIR/replica" -R -X stream -c fast --no-sync >"$PG_CLUSTER_DIR/basebackup.log" 2>&1; then
        _pg_log "ERROR: pg_basebackup failed:"
        cat "$PG_CLUSTER_DIR/basebackup.log" >&2
        return 1
    fi
    PG_REPLICA_PORT="$(_pg_free_port)"
    if ! _pg_as_owner "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/replica" -l "$PG_CLUSTER_DIR/replica.log" \
        -w -t 60 -s -o "-p $PG_REPLICA_PORT -c listen_addresses=127.0.0.1 \
-c unix_socket_directories=$PG_CLUSTER_DIR/run -c hot_standby=on -c fsync=off" start >&2; then
        _pg_log "ERROR: the replica did not start:"
        tail -n 20 "$PG_CLUSTER_DIR/replica.log" >&2 || true
        return 1
    fi
    PG_REPLICA_URL="postgres://postgres@127.0.0.1:${PG_REPLICA_PORT}/pcmt"
    _pg_log "streaming replica ready at $PG_REPLICA_URL"
}

pg_cluster_stop() {
    [[ -n "$PG_CLUSTER_DIR" ]] || return 0
    local dir="$PG_CLUSTER_DIR" pidfile="$PG_CLUSTER_DIR/data/postmaster.pid" pid=""
    if [[ -f "$dir/replica/postmaster.pid" ]]; then
        _pg_log "stopping the replica"
        _pg_as_owner "$PG_CLUSTER_BIN/pg_ctl" -D "$dir/replica" -m immediate -w -t 30 -s stop >&2 || true
        pid="$(head -n 1 "$dir/replica/postmaster.pid" 2>/dev/null || true)"
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        pid=""
    fi
    if [[ -f "$pidfile" ]]; then
        _pg_log "stopping PostgreSQL ($dir)"
        # Immediate: the cluster is deleted next, so the shutdown checkpoint (seconds of writes after
        # a migrate on a loaded machine) would be wasted.
        _pg_as_owner "$PG_CLUSTER_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop >&2 || true
        if [[ -f "$pidfile" ]]; then
            # pg_ctl could not stop it: end that postmaster (ours, by its pid) directly.
            pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf -- "$dir"
    PG_CLUSTER_DIR=""
    PG_CLUSTER_PORT=""
    PG_CLUSTER_URL=""
    PG_REPLICA_PORT=""
    PG_REPLICA_URL=""
}
