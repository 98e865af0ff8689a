#!/usr/bin/env bash
# Lifecycle checks of make test for the set-up (no network). On a machine without Odoo,
# require_odoo fetches Odoo 18.0 by a shallow clone of ODOO_GIT_URL into
# ODOO_PATH. Here the "remote" is a local repository (file://) holding, on its
# 18.0 branch, only the files require_odoo checks, copied from the real tree.
# Then the language option of make run (LANG=zh_CN / DEMO_LANG).
# Prints "LIFECYCLE <check>: ok|FAILED <why>" lines that test.sh counts.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REAL=${ODOO_PATH:-/opt/odoo18}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report() { if [ "$2" = ok ]; then echo "LIFECYCLE $1: ok"; else echo "LIFECYCLE $1: FAILED $3"; fi; }

mirror=$tmp/mirror
mkdir -p "$mirror/odoo"
cp "$REAL/odoo-bin" "$mirror/odoo-bin"
cp "$REAL/odoo/release.py" "$mirror/odoo/release.py"
git -C "$mirror" init -q -b 18.0
git -C "$mirror" -c user.name=crm_sme -c user.email=crm_sme@example.com add -A
git -C "$mirror" -c user.name=crm_sme -c user.email=crm_sme@example.com commit -qm "Odoo 18.0 (test mirror)"
git -C "$mirror" -c user.name=crm_sme -c user.email=crm_sme@example.com commit -q --allow-empty -m "second commit"

target=$tmp/odoo18
out=$(ODOO_PATH=$target ODOO_GIT_URL=file://$mirror VENV=$tmp/novenv bash -c \
    'source "$0/scripts/common.sh" && require_odoo && echo "ADDONS_PATH=$ADDONS_PATH"' "$ROOT" 2>&1)
rc=$?
if [ $rc = 0 ] && [ -f "$target/odoo-bin" ] && [ -f "$target/odoo/release.py" ]; then
    report "fetch odoo" ok
else
    report "fetch odoo" fail "exit $rc: $(printf '%s' "$out" | tail -3 | tr '\n' ' ')"
fi
case "$out" in
    *"fetching Odoo 18.0 community from file://$mirror"*"git clone --depth 1 -b 18.0"*) report "fetch odoo says what and where" ok ;;
    *) report "fetch odoo says what and where" fail "output: $(printf '%s' "$out" | head -3 | tr '\n' ' ')" ;;
esac
shallow=$(git -C "$target" rev-parse --is-shallow-repository 2>/dev/null)
branch=$(git -C "$target" rev-parse --abbrev-ref HEAD 2>/dev/null)
if [ "$shallow" = true ] && [ "$branch" = 18.0 ]; then report "fetch odoo shallow 18.0" ok
else report "fetch odoo shallow 18.0" fail "shallow=$shallow branch=$branch"; fi
# a second run reuses the tree (no fetch)
out2=$(ODOO_PATH=$target ODOO_GIT_URL=file:///nonexistent VENV=$tmp/novenv bash -c \
    'source "$0/scripts/common.sh" && require_odoo' "$ROOT" 2>&1)
if [ $? = 0 ] && [[ "$out2" != *fetching* ]]; then report "fetch odoo once" ok
else report "fetch odoo once" fail "$out2"; fi
# a non-empty ODOO_PATH that is not Odoo is never overwritten
mkdir -p "$tmp/other" && touch "$tmp/other/keep"
ODOO_PATH=$tmp/other ODOO_GIT_URL=file://$mirror VENV=$tmp/novenv bash -c \
    'source "$0/scripts/common.sh" && require_odoo' "$ROOT" >/dev/null 2>&1
if [ $? != 0 ] && [ -f "$tmp/other/keep" ] && [ ! -e "$tmp/other/odoo-bin" ]; then
    report "fetch odoo keeps a foreign ODOO_PATH" ok
else report "fetch odoo keeps a foreign ODOO_PATH" fail "cloned into a non-empty directory"; fi

# make run's language option (scripts/run.sh reads it through demo_lang)
lang_of() { env -u DEMO_LANG -u LANG "$@" bash -c 'source "$0/scripts/common.sh" && demo_lang' "$ROOT" 2>/dev/null; }
got="$(lang_of) $(lang_of LANG=C.UTF-8) $(lang_of LANG=en_US.UTF-8) $(lang_of LANG=zh_CN) $(lang_of DEMO_LANG=zh_CN) $(lang_of LANG=zh_CN DEMO_LANG=en_US)"
want="en_US en_US en_US zh_CN zh_CN en_US"
if [ "$got" = "$want" ]; then report "run language option" ok
else report "run language option" fail "got '$got', want '$want'"; fi
if lang_of DEMO_LANG=fr_FR >/dev/null; then report "run language option refuses others" fail "fr_FR accepted"
else report "run language option refuses others" ok; fi
