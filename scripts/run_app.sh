#!/usr/bin/env bash
# Start the app for local development: venv + requirements, translations, migrations, admin units,
# demo data, demo logins, then `manage.py runserver 127.0.0.1:${PORT:-8000}` (settings.dev, DEBUG off).
#
# Usage: scripts/run_app.sh            (PORT=8001 scripts/run_app.sh for another port;
#                                       PCMT_DEV_DEBUG=1 scripts/run_app.sh for Django's debug page)
#
# The helper functions below are also used by scripts/run_tests.sh, which sources this file
# (sourcing defines the functions and does not start anything). They return non-zero on failure
# rather than relying on `set -e`, because run_tests.sh calls them with errexit off.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
VENV_PY="$VENV/bin/python"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }
can_apt() { is_root && command -v apt-get >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
    # apt-get install (root only); `apt-get update` once per run if the package lists are stale/empty.
    can_apt || return 1
    export DEBIAN_FRONTEND=noninteractive
    log "apt-get install $*"
    if apt-get install -y --no-install-recommends "$@"; then
        return 0
    fi
    [[ "$APT_UPDATED" -eq 0 ]] || return 1
    APT_UPDATED=1
    apt-get update && apt-get install -y --no-install-recommends "$@"
}

find_python() {
    # python3.11, or python3 when it is 3.11+.
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

requirements_hash() {
    # sha256 of a requirements file plus the files it includes with -r (one level deep).
    local req="$1" inc
    {
        cat "$req"
        while read -r inc; do
            if [[ -f "$(dirname "$req")/$inc" ]]; then cat "$(dirname "$req")/$inc"; fi
        done < <(sed -nE 's/^[[:space:]]*(-r|--requirement)[[:space:]=]+([^[:space:]#]+).*/\2/p' "$req")
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    # Create .venv if missing (or broken) and install $1 (requirements file) when it changed since the
    # last successful install. The sha256 stamp is kept in .venv/.stamp-<file>.sha256.
    local req="$1" py stamp want
    if [[ ! -x "$VENV_PY" ]] || ! "$VENV_PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        py="$(find_python)" || die "Python 3.11+ not found (need python3.11 or python3 >= 3.11)."
        log "creating virtualenv .venv with $py ($("$py" --version 2>&1))"
        rm -rf "$VENV" || return
        if ! "$py" -m venv "$VENV"; then
            # Debian's python3 ships venv/ensurepip separately.
            rm -rf "$VENV" || return
            apt_install python3-venv || die "'$py -m venv' failed; install the python3-venv package."
            "$py" -m venv "$VENV" || return
        fi
    fi
    stamp="$VENV/.stamp-$(basename "$req").sha256"
    want="$(requirements_hash "$REPO_ROOT/$req")" || return
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    log "installing $req into .venv"
    "$VENV_PY" -m pip install --disable-pip-version-check -q -r "$REPO_ROOT/$req" || return
    printf '%s\n' "$want" >"$stamp" || return
    # requirements-dev.txt includes requirements.txt: mark that one as installed too.
    if [[ "$req" != requirements.txt ]] && grep -qE '^[[:space:]]*(-r|--requirement)[[:space:]=]+requirements\.txt' "$REPO_ROOT/$req"; then
        requirements_hash "$REPO_ROOT/requirements.txt" >"$VENV/.stamp-requirements.txt.sha256"
    fi
}

ensure_weasyprint_libs() {
    # WeasyPrint loads pango/harfbuzz/fontconfig with dlopen at import time.
    local missing=() lib pkg pair
    for pair in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
        libharfbuzz.so.0:libharfbuzz0b libfontconfig.so.1:libfontconfig1; do
        lib="${pair%%:*}"
        pkg="${pair#*:}"
        if ! ldconfig -p 2>/dev/null | grep -qF "$lib"; then
            missing+=("$pkg")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if apt_install "${missing[@]}"; then
        return 0
    fi
    warn "WeasyPrint system libraries missing (${missing[*]}); PDF export will not work." \
        "Install them with: apt-get install ${missing[*]}"
    return 1
}

have_po_files() { compgen -G "$REPO_ROOT/locale/*/LC_MESSAGES/*.po" >/dev/null; }

ensure_msgfmt() {
    command -v msgfmt >/dev/null 2>&1 && return 0
    apt_install gettext && command -v msgfmt >/dev/null 2>&1
}

compile_messages() {
    # Compile locale/**/*.po to .mo (the .mo files are not committed).
    "$VENV_PY" "$REPO_ROOT/manage.py" compilemessages --ignore=.venv --ignore=node_modules --verbosity=0
}

app_environment() {
    # The users' run command shows the Vietnamese error pages: Django's debug page would echo the
    # posted form (names, ID numbers) to whoever is at the screen. Developers opt in to the debug
    # page with PCMT_DEV_DEBUG=1. Static files stay served by WhiteNoise (finders) without DEBUG.
    export DJANGO_SETTINGS_MODULE=tuyenquang_pcmt.settings.dev
    export PYTHONUNBUFFERED=1
    case "${PCMT_DEV_DEBUG:-0}" in
        1 | true | yes | on) export DJANGO_DEBUG=true ;;
        *) export DJANGO_DEBUG=false ;;
    esac
}

run_app_main() {
    cd "$REPO_ROOT"
    app_environment

    ensure_venv requirements.txt
    ensure_weasyprint_libs || true

    if have_po_files; then
        if ensure_msgfmt; then
            log "compilemessages"
            compile_messages
        else
            warn "gettext (msgfmt) not available: translations not compiled. Install the gettext package."
        fi
    fi

    local manage=("$VENV_PY" manage.py)
    log "migrate"
    "${manage[@]}" migrate --noinput
    log "load_units"
    "${manage[@]}" load_units
    log "seed_demo"
    "${manage[@]}" seed_demo
    "${manage[@]}" demo_logins

    # Province PDF reports are rendered by a background worker (django-tasks, database queue).
    log "requeue reports left unfinished, start the background worker (manage.py run_worker)"
    "${manage[@]}" reports_requeue_stale --minutes 0
    "${manage[@]}" run_worker --interval 1 &
    local worker_pid=$!
    trap 'kill "$worker_pid" 2>/dev/null || true' EXIT INT TERM

    local port="${PORT:-8000}"
    log "starting http://127.0.0.1:${port}/ (Ctrl-C to stop)"
    "${manage[@]}" runserver "127.0.0.1:${port}"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    run_app_main "$@"
fi
