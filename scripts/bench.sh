#!/usr/bin/env bash
# make bench: benchmarks of bench/ on the database crm_sme_bench (created once,
# crm_sme without demo data; generated rows are kept between runs).
# BENCH_CUSTOMERS, BENCH_INVOICES (4 lines each), BENCH_RUNS tune the volume.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
DB=${BENCH_DB:-crm_sme_bench}
if ! db_exists "$DB"; then
    log "creating database $DB (crm_sme, no demo data)"
    odoo -d "$DB" -i crm_sme,l10n_generic_coa --without-demo=all --stop-after-init --log-level=warn
fi
for bench in "$ROOT"/bench/bench_*.py; do
    log "running $(basename "$bench")"
    odoo shell -d "$DB" --log-level=warn --no-http < "$bench"
done
