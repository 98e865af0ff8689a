#!/usr/bin/env bash
# The run command (make run): set-up, database crm_sme_demo with crm_sme and
# demo data if it does not exist, then the web client on 127.0.0.1:8069.
# LANG=zh_CN make run (or DEMO_LANG=zh_CN): the demo in Simplified Chinese;
# plain `make run` gives the demo users English again.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DEMO_LANG=$(demo_lang) || exit 2
[ "${LANG:-}" = zh_CN ] && export LANG=C.UTF-8  # not a locale of this machine
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
    log "creating database $DB with $INSTALL_MODULES and demo data (5-10 minutes)"
    odoo -d "$DB" -i "$INSTALL_MODULES" --stop-after-init --log-level=warn
    echo "$code_hash" > "$stamp"
    rm -f "$VAR/$DB.lang"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$code_hash" ]; then
    log "crm_sme changed since $DB was last updated: upgrading it (-u crm_sme)"
    odoo -d "$DB" -u crm_sme --stop-after-init --log-level=warn
    echo "$code_hash" > "$stamp"
fi
# The demo users' language (loading Chinese takes a minute the first time).
if [ "$(cat "$VAR/$DB.lang" 2>/dev/null || echo en_US)" != "$DEMO_LANG" ]; then
    log "demo language: $DEMO_LANG"
    out=$(CRM_SME_DEMO_LANG=$DEMO_LANG odoo shell -d "$DB" --log-level=warn < "$ROOT/scripts/demo_lang.py" 2>&1)
    printf '%s\n' "$out" | grep -q "^DEMO_LANG $DEMO_LANG: ok" \
        || { printf '%s\n' "$out" | tail -20; die "could not set the demo language $DEMO_LANG"; }
    echo "$DEMO_LANG" > "$VAR/$DB.lang"
fi

"$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" --data-dir="$VAR/filestore" \
    -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" "$@" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server"' INT TERM
# Once the server answers: where to go, who to log in as, how to switch language.
for _ in $(seq 120); do
    kill -0 "$server" 2>/dev/null || break
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/web/health', timeout=2)" 2>/dev/null; then
        other=zh_CN; how="LANG=zh_CN make run"
        if [ "$DEMO_LANG" = zh_CN ]; then other=en_US; how="make run"; fi
        cat <<INFO
[crm_sme] ------------------------------------------------------------------
[crm_sme] SME CRM is ready: http://127.0.0.1:$PORT/odoo   (database $DB, language $DEMO_LANG)
[crm_sme] Demo company 宁波文华文具有限公司 (Ningbo Wenhua Stationery), logins (password = login):
[crm_sme]   admin                  administrator (also sees Odoo's own demo company)
[crm_sme]   wangfang               sales manager
[crm_sme]   chenjie                team leader, Ningbo Sales
[crm_sme]   liming, zhaohui        salespeople: land on their customers
[crm_sme]   sunli                  service agent: lands on the feedback queue
[crm_sme]   zhoumin                accountant
[crm_sme] Language: stop (Ctrl-C) and start again with '$how' for $other;
[crm_sme]   each user can also pick it in My Preferences.
[crm_sme] ------------------------------------------------------------------
INFO
        break
    fi
    sleep 1
done
wait "$server"
