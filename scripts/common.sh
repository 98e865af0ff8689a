#!/usr/bin/env bash
# Shared set-up for the run/test/lint commands: checks the Odoo 18 tree given by
# ODOO_PATH, installs the Debian packages and the Python virtualenv, and makes
# sure a local PostgreSQL answers. Every step is idempotent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
VAR=$ROOT/.var
mkdir -p "$VAR"

log() { printf '[crm_sme] %s\n' "$*"; }
die() { printf '[crm_sme] ERROR: %s\n' "$*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root (or sudo) for: $*"; fi
}

ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo}
ODOO_BRANCH=18.0

# fetch_odoo: no Odoo at ODOO_PATH -> a shallow clone of Odoo 18.0 community
# from ODOO_GIT_URL (a local mirror works: file:///path/to/odoo.git).
fetch_odoo() {
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        die "ODOO_PATH=$ODOO_PATH exists but holds no Odoo source tree (no odoo-bin, odoo/release.py): empty it or point ODOO_PATH to Odoo 18.0 (see README.md)."
    fi
    if ! command -v git >/dev/null; then
        command -v apt-get >/dev/null || die "no Odoo at ODOO_PATH=$ODOO_PATH and no git to fetch it: install git"
        log "installing git to fetch Odoo"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq git >/dev/null
    fi
    log "no Odoo at ODOO_PATH=$ODOO_PATH: fetching Odoo $ODOO_BRANCH community from $ODOO_GIT_URL"
    log "  git clone --depth 1 -b $ODOO_BRANCH $ODOO_GIT_URL $ODOO_PATH  (from GitHub: about 1 GB, some minutes)"
    if ! mkdir -p "$ODOO_PATH" 2>/dev/null || [ ! -w "$ODOO_PATH" ]; then
        as_root mkdir -p "$ODOO_PATH"
        as_root chown "$(id -u):$(id -g)" "$ODOO_PATH"
    fi
    git clone --quiet --depth 1 --single-branch -b "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_PATH" \
        || { rmdir "$ODOO_PATH" 2>/dev/null || true; die "could not clone $ODOO_GIT_URL (branch $ODOO_BRANCH) into $ODOO_PATH"; }
    log "Odoo $ODOO_BRANCH fetched into $ODOO_PATH"
}

require_odoo() {
    local rel=$ODOO_PATH/odoo/release.py
    if [ ! -f "$ODOO_PATH/odoo-bin" ] && [ ! -f "$rel" ]; then
        fetch_odoo
    fi
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -f "$rel" ]; then
        die "no Odoo 18 source tree at ODOO_PATH=$ODOO_PATH. Get Odoo 18.0 community (git clone -b 18.0 --depth 1 https://github.com/odoo/odoo) and export ODOO_PATH=/path/to/it (see README.md)."
    fi
    if ! grep -qE '^version_info = \(18, 0,' "$rel"; then
        die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0 ($(grep -E '^version_info' "$rel"))"
    fi
    ADDONS_PATH=$ODOO_PATH/odoo/addons
    [ -d "$ODOO_PATH/addons" ] && ADDONS_PATH=$ODOO_PATH/addons,$ADDONS_PATH
    ADDONS_PATH=$ADDONS_PATH,$ROOT
    export ODOO_PATH ADDONS_PATH
}

# Debian packages: build headers for psycopg2/python-ldap, PostgreSQL,
# wkhtmltopdf with CJK fonts for Odoo's PDF reports, and (with "test")
# Chromium for the tours and poppler-utils (pdftotext: the PDF reports' text in tests).
ensure_debs() {
    local want=(libpq-dev libldap2-dev libsasl2-dev postgresql postgresql-client wkhtmltopdf fonts-noto-cjk)
    [ "${1:-}" = test ] && want+=(chromium poppler-utils)
    local missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them by hand"
        log "installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_venv() {
    local stamp=$VENV/.crm_sme-requirements
    local want
    want=$(cat "$ODOO_PATH/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" \
        "$ROOT/constraints.txt" | sha256sum | cut -c1-16)
    if [ -x "$PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
    log "installing Python packages into $VENV (first time: a few minutes)"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    export PIP_CONSTRAINT=$ROOT/constraints.txt   # also reaches pip's isolated build envs
    "$PY" -m pip install -q --disable-pip-version-check -U "pip<26" wheel "setuptools<81"
    "$PY" -m pip install -q --disable-pip-version-check \
        -r "$ODOO_PATH/requirements.txt" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
    echo "$want" > "$stamp"
}

ensure_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        command -v pg_lsclusters >/dev/null || ensure_debs
        local cluster
        cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1" "$2}')
        [ -n "$cluster" ] || die "PostgreSQL is installed but has no cluster: run 'pg_createcluster 15 main'"
        log "starting PostgreSQL cluster $cluster"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start
        for _ in $(seq 20); do pg_isready -q && break; sleep 0.5; done
        pg_isready -q || die "PostgreSQL does not answer on its socket (see /var/log/postgresql/)"
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        log "creating PostgreSQL role $me"
        as_root su postgres -c "createuser --superuser '$me'" \
            || die "could not create PostgreSQL role $me"
    fi
}

# What make run / make test install: crm_sme with Odoo's Chinese chart of accounts
# and taxes (l10n_cn), which crm_sme's demo data loads on its Ningbo company.
# crm_sme itself does not depend on l10n_cn: a database of another country keeps
# its own chart.
INSTALL_MODULES=l10n_cn,crm_sme

# demo_lang: the language of make run's demo: DEMO_LANG, or LANG when it is
# exactly zh_CN (LANG=zh_CN make run); English (en_US) by default.
demo_lang() {
    local want=${DEMO_LANG:-}
    if [ -z "$want" ] && [ "${LANG:-}" = zh_CN ]; then want=zh_CN; fi
    case "${want:-en_US}" in
        en|en_US) echo en_US ;;
        zh|zh_CN|zh_CN.*) echo zh_CN ;;
        *) die "DEMO_LANG=$want: the demo speaks en_US (default) or zh_CN" ;;
    esac
}

db_exists() { psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# odoo [shell] ARGS...: odoo-bin with our addons path and data dir.
odoo() {
    local sub=()
    if [ "${1:-}" = shell ]; then sub=(shell); shift; fi
    "$PY" "$ODOO_PATH/odoo-bin" "${sub[@]}" --addons-path="$ADDONS_PATH" --data-dir="$VAR/filestore" "$@"
}

setup_all() {
    require_odoo
    ensure_debs "${1:-}"
    ensure_venv
    ensure_postgres
}
