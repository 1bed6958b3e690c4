# Helpers shared by scripts/prodstack.sh and scripts/loadtest.sh (sourced after run_app.sh, which
# defines VENV_PY). Sourcing defines functions only.

is_postgres_url() { [[ "${1:-}" =~ ^(postgres|postgresql|psql|pgsql)(\+[A-Za-z0-9_]+)?:// ]]; }

# URL of database $2 on the server of URL $1.
db_url() { printf '%s/%s' "${1%/*}" "$2"; }

free_port() { "$VENV_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
