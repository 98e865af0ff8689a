#!/usr/bin/env bash
# Refresh crm_sme/i18n: export the module's terms from a database where the
# current code is installed (DB=..., default: a fresh one without demo data),
# rewrite crm_sme.pot, and merge zh_CN.po onto it (duplicates folded, new
# terms added untranslated, references refreshed; translations kept).
# New translations may be appended to zh_CN.po as plain msgid/msgstr pairs
# before running this: the merge files them under their references.
# Entries with an extracted comment "#. kept: <why>" are not in this tree's
# export but must stay (e.g. the same mail template as a later 18.0 build
# stores it): they are carried over as they are.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo
I18N=$ROOT/crm_sme/i18n
db=${DB:-}
if [ -z "$db" ]; then
    db=crm_sme_i18n_$$
    log "installing crm_sme into $db (no demo) to export its terms"
    odoo -d "$db" -i crm_sme --without-demo=all --stop-after-init --http-port="$(free_port)" \
        --log-level=warn >/dev/null
    trap 'dropdb --if-exists "$db"' EXIT
else
    odoo -d "$db" -u crm_sme --stop-after-init --http-port="$(free_port)" --log-level=warn >/dev/null
fi
tmp=$(mktemp -d)
odoo -d "$db" --i18n-export="$tmp/crm_sme.pot" --modules=crm_sme --http-port="$(free_port)" \
    --log-level=warn --stop-after-init
msguniq --use-first --no-wrap -o "$tmp/zh_CN.uniq.po" "$I18N/zh_CN.po"
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/zh_CN.po" "$tmp/zh_CN.uniq.po" "$tmp/crm_sme.pot"
msgattrib --no-obsolete --no-wrap -o "$tmp/zh_CN.merged.po" "$tmp/zh_CN.po"
msggrep --no-wrap -X -e '^kept: ' -o "$tmp/zh_CN.kept.po" "$tmp/zh_CN.uniq.po"
msgcat --use-first --no-wrap -o "$I18N/zh_CN.po" "$tmp/zh_CN.merged.po" "$tmp/zh_CN.kept.po"
cp "$tmp/crm_sme.pot" "$I18N/crm_sme.pot"
missing=$(msgattrib --untranslated --no-obsolete "$I18N/zh_CN.po" | grep -c '^msgid ' || true)
log "i18n refreshed; untranslated zh_CN entries: $((missing > 0 ? missing - 1 : 0))"
rm -rf "$tmp"
