#!/usr/bin/env bash
# Full check, stopping at the first failure:
#   setup       .venv + requirements-dev.txt, WeasyPrint libs, compilemessages, npm ci (axe-core)
#   lint        ruff check . && ruff format --check .
#   migrations  manage.py makemigrations --check --dry-run (settings.test)
#   pg          pytest -m "not browser" on PostgreSQL ($DATABASE_URL if it is a postgres URL,
#               otherwise a disposable local cluster, see scripts/lib/pg_cluster.sh)
#   sqlite      pytest -m "not browser" on SQLite (DATABASE_URL=sqlite:///<repo>/db.sqlite3; tests use in-memory)
#   browser     pytest -m browser tests/browser on SQLite (Playwright + /usr/bin/chromium)
#   prodstack   the app as production runs it (settings.production, gunicorn, WhiteNoise, the task worker,
#               proxy headers) on a fresh PostgreSQL database, a journey over HTTP, then backup → restore
#               → verify (scripts/prodstack.sh; runnable alone)
#   scaleout    two gunicorn instances sharing PostgreSQL, Redis (cache) and an RQ worker, with a
#               streaming replica for dashboard reads (scripts/scaleout.sh; runnable alone)
#
# Extra arguments are passed to every pytest call, e.g. scripts/run_tests.sh -k login -x
# (pytest exit code 5, "no tests collected", counts as a failure in every step.)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=run_app.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run_app.sh"
# shellcheck source=lib/pg_cluster.sh
source "$REPO_ROOT/scripts/lib/pg_cluster.sh"

cd "$REPO_ROOT"
export DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.test
export PYTHONUNBUFFERED=1
export PYTHON="$VENV_PY" # used by pg_cluster.sh to pick a free port
CHROMIUM=/usr/bin/chromium
# SQLite steps set this explicitly (same as the settings' default) rather than unsetting DATABASE_URL,
# so that a DATABASE_URL in a developer's .env (read by the settings) cannot take over.
SQLITE_URL="sqlite:///$REPO_ROOT/db.sqlite3"

PYTEST_EXTRA=("$@")
SUMMARY=()
CURRENT_STEP=""
FAILED_STEP=""
STEP_START=""
RUN_START=$SECONDS

banner() {
    printf '\n%s\n### %s\n%s\n' "$(printf '#%.0s' {1..78})" "$*" "$(printf '#%.0s' {1..78})"
}

print_summary() {
    local rc="$1" status="OK" steps="" item
    [[ "$rc" -eq 0 ]] || status="FAILED (exit $rc${FAILED_STEP:+ in step $FAILED_STEP})"
    for item in "${SUMMARY[@]}"; do
        steps+="${steps:+, }$item"
    done
    printf '\nrun_tests summary: %s | total %ss | %s\n' "${steps:-no step finished}" \
        "$((SECONDS - RUN_START))" "$status"
}

on_exit() {
    local rc=$?
    trap - EXIT
    pg_cluster_stop || true
    if [[ -n "$CURRENT_STEP" ]]; then
        # Left by `exit` inside a step (die) or by a signal.
        SUMMARY+=("$CURRENT_STEP $((SECONDS - STEP_START))s ABORTED")
        FAILED_STEP="$CURRENT_STEP"
    fi
    print_summary "$rc"
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# run_step NAME TITLE FUNCTION [ARGS...]: banner, timing, stop the whole run on failure.
run_step() {
    local name="$1" title="$2" rc=0
    shift 2
    banner "$name: $title"
    CURRENT_STEP="$name"
    STEP_START=$SECONDS
    set +e
    "$@"
    rc=$?
    set -e
    CURRENT_STEP=""
    if [[ "$rc" -eq 0 ]]; then
        SUMMARY+=("$name $((SECONDS - STEP_START))s OK")
    else
        SUMMARY+=("$name $((SECONDS - STEP_START))s FAILED")
        FAILED_STEP="$name"
        printf '\nERROR: step "%s" failed (exit %s)\n' "$name" "$rc" >&2
        exit "$rc"
    fi
}

# Every step prints its 25 slowest test phases (set-up, call, tear-down): .ci/run has a 15-minute
# budget, and this table is where a new slow fixture or render shows first.
run_pytest() {
    local rc=0
    "$VENV_PY" -m pytest -p no:cacheprovider --create-db --durations=25 "$@" "${PYTEST_EXTRA[@]}" || rc=$?
    if [[ "$rc" -eq 5 ]]; then
        printf 'ERROR: pytest collected no tests (exit 5); this counts as a failure.\n' >&2
    fi
    return "$rc"
}

step_setup() {
    ensure_venv requirements-dev.txt || return
    ensure_weasyprint_libs || true
    # The report tests read the generated PDFs with poppler (pdftotext, pdffonts, pdfinfo).
    command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils || {
        printf 'ERROR: poppler-utils (pdftotext) is needed by tests/reports: apt-get install poppler-utils\n' >&2
        return 1
    }
    if have_po_files; then
        ensure_msgfmt || {
            printf 'ERROR: msgfmt (gettext) is needed to compile translations: apt-get install gettext\n' >&2
            return 1
        }
        compile_messages || return
    fi
    # axe-core (pinned in package-lock.json) is injected by tests/browser/test_accessibility.py from
    # node_modules: a local file, never a CDN. Reinstalled only when the lock file changed.
    if [[ ! -f node_modules/axe-core/axe.min.js || package-lock.json -nt node_modules/.package-lock.json ]]; then
        command -v npm >/dev/null 2>&1 || apt_install nodejs npm || {
            printf 'ERROR: npm is needed for the accessibility tests (axe-core): apt-get install nodejs npm\n' >&2
            return 1
        }
        npm ci --no-audit --no-fund || return
    fi
    "$VENV_PY" --version && "$VENV_PY" -m pytest --version
}

step_lint() {
    local rc=0
    "$VENV/bin/ruff" --version
    "$VENV/bin/ruff" check . || rc=$?
    if ! "$VENV/bin/ruff" format --check .; then
        printf 'HINT: run "%s format ." to fix formatting.\n' ".venv/bin/ruff" >&2
        rc=1
    fi
    return "$rc"
}

step_migrations() {
    DATABASE_URL="$SQLITE_URL" "$VENV_PY" manage.py makemigrations --check --dry-run || {
        printf 'ERROR: models changed without a migration: run "manage.py makemigrations".\n' >&2
        return 1
    }
}

is_postgres_url() { [[ "${1:-}" =~ ^(postgres|postgresql|psql|pgsql)(\+[A-Za-z0-9_]+)?:// ]]; }

# The database suites run on every core (pytest-xdist, one test database per worker);
# PCMT_TEST_WORKERS=1 runs them in one process, e.g. to read a failure in order.
TEST_WORKERS="${PCMT_TEST_WORKERS:-$(nproc 2>/dev/null || echo 1)}"
parallel_args() {
    if [[ "$TEST_WORKERS" -gt 1 ]]; then
        printf '%s\n' -n "$TEST_WORKERS"
    fi
}

step_pytest_postgres() {
    local url rc=0 parallel
    if is_postgres_url "${DATABASE_URL:-}"; then
        url="$DATABASE_URL"
        printf 'Using PostgreSQL from DATABASE_URL.\n'
    else
        pg_cluster_start || return
        url="$PG_CLUSTER_URL"
    fi
    mapfile -t parallel < <(parallel_args)
    DATABASE_URL="$url" run_pytest -m "not browser" "${parallel[@]}" || rc=$?
    pg_cluster_stop || true
    return "$rc"
}

step_pytest_sqlite() {
    local parallel
    mapfile -t parallel < <(parallel_args)
    DATABASE_URL="$SQLITE_URL" run_pytest -m "not browser" "${parallel[@]}"
}

step_pytest_browser() {
    if [[ ! -x "$CHROMIUM" ]]; then
        printf 'Chromium not found at %s.\n' "$CHROMIUM"
        apt_install chromium || true
    fi
    if [[ ! -x "$CHROMIUM" ]]; then
        printf 'ERROR: browser tests need Chromium at %s (Debian: apt-get install chromium).\n' "$CHROMIUM" >&2
        return 1
    fi
    "$CHROMIUM" --version 2>/dev/null || true
    # Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
    DATABASE_URL="$SQLITE_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true run_pytest -m browser tests/browser
}

step_prodstack() {
    # Its own process: it has its own EXIT trap (gunicorn, worker, databases, cluster).
    "$REPO_ROOT/scripts/prodstack.sh"
}

step_scaleout() {
    # About 40 s on a quiet machine: cheap enough to prove the scale-out path on every run.
    "$REPO_ROOT/scripts/scaleout.sh"
}

run_step setup "virtualenv, system libraries, compilemessages" step_setup
run_step lint "ruff check + ruff format --check" step_lint
run_step migrations "makemigrations --check --dry-run" step_migrations
run_step pg "pytest -m 'not browser' on PostgreSQL" step_pytest_postgres
run_step sqlite "pytest -m 'not browser' on SQLite" step_pytest_sqlite
run_step browser "pytest -m browser tests/browser (Chromium, SQLite)" step_pytest_browser
run_step prodstack "production stack journey + backup/restore (gunicorn, PostgreSQL)" step_prodstack
run_step scaleout "two instances + Redis + RQ worker + streaming replica" step_scaleout
