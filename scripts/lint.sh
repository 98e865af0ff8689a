#!/usr/bin/env bash
# make lint: ruff (lint + format check) and pylint-odoo on crm_sme and our scripts.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_odoo
ensure_venv
cd "$ROOT"
targets=(crm_sme bench scripts)
"$VENV/bin/ruff" check "${targets[@]}"
"$VENV/bin/ruff" format --check "${targets[@]}"
"$VENV/bin/pylint" --rcfile=.pylintrc crm_sme
log "lint: no findings"
