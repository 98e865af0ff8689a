#!/usr/bin/env bash
# The run command (make run): set-up, database crm_sme_demo with crm_sme and
# demo data if it does not exist, then the web client on 127.0.0.1:8069.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
DB=${DB:-crm_sme_demo}
PORT=${PORT:-8069}
if "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
    die "port $PORT is already in use (another Odoo?): stop it or run PORT=8070 make run"
fi
# The add-on's code as installed in the database: upgrade when it changed.
code_hash=$(cd "$ROOT" && find crm_sme -type f -not -name '*.pyc' | sort | xargs sha256sum | sha256sum | cut -c1-16)
stamp=$VAR/$DB.crm_sme-code
if ! db_exists "$DB"; then
    log "creating database $DB with crm_sme and demo data (2-4 minutes)"
    odoo -d "$DB" -i crm_sme --stop-after-init --log-level=warn
    echo "$code_hash" > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$code_hash" ]; then
    log "crm_sme changed since $DB was last updated: upgrading it (-u crm_sme)"
    odoo -d "$DB" -u crm_sme --stop-after-init --log-level=warn
    echo "$code_hash" > "$stamp"
fi
log "SME CRM: http://127.0.0.1:$PORT/odoo  login admin / password admin (database $DB)"
exec "$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" --data-dir="$VAR/filestore" \
    -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" "$@"
