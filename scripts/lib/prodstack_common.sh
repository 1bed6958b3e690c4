# Helpers shared by scripts/prodstack.sh and scripts/loadtest.sh (sourced after run_app.sh, which
# defines VENV_PY). Sourcing defines functions only.

is_postgres_url() { [[ "${1:-}" =~ ^(postgres|postgresql|psql|pgsql)(\+[A-Za-z0-9_]+)?:// ]]; }

# URL of database $2 on the server of URL $1.
db_url() { printf '%s/%s' "${1%/*}" "$2"; }

free_port() { "$VENV_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

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
