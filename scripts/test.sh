#!/usr/bin/env bash
# The test command (make test): a throw-away database, crm_sme installed with
# its tests (unit, access, tours in headless Chromium), then the lifecycle
# checks (upgrade twice, uninstall keeps Odoo's data, reinstall). Prints one
# closing line "N passed, N failed"; exits non-zero on any failure or when no
# test ran. TEST_TAGS narrows the Odoo tests (default: Odoo's crm and sale_crm
# suites with crm_sme's, installed together as Odoo's CI does);
# LIFECYCLE=0 skips the lifecycle checks (fast loop). ODOO_PATH_2: a second
# Odoo 18.0 tree (e.g. a later build) on which the same tests also run, on
# their own fresh database; the closing line sums both trees.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all test

TEST_TAGS=${TEST_TAGS:-/crm,/sale_crm,/crm_sme}
LIFECYCLE=${LIFECYCLE:-1}
DB=crm_sme_test_$(date +%Y%m%d%H%M%S)_$$
LOG=$VAR/test.log
PORT=$(free_port)
: > "$LOG"

cleanup() {
    for db in "$DB" "${DB}_2"; do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true; rm -rf "$VAR/filestore/filestore/$db"
    done
}
trap cleanup EXIT

check() {  # check NAME ok|fail
    if [ "$2" = ok ]; then passed=$((passed + 1)); log "check $1: ok";
    else failed=$((failed + 1)); log "check $1: FAILED"; fi
}

# Odoo's log lines worth showing: problems and test progress.
show() { grep -E ' (WARNING|ERROR|CRITICAL) |odoo\.tests\.stats|post-tests in|Starting post tests|LIFECYCLE|^(Traceback|  File |[A-Za-z.]*Error)' || true; }

log "database $DB, test tags $TEST_TAGS, full log in $LOG"
start=$(date +%s)
set +e
odoo -d "$DB" -i "$INSTALL_MODULES" --test-enable --test-tags "$TEST_TAGS" --stop-after-init \
    --http-interface=127.0.0.1 --http-port="$PORT" --log-level=info >>"$LOG" 2>&1
rc=$?
set -e
show < "$LOG"
log "install + tests: exit $rc in $(( $(date +%s) - start )) s"

# Odoo's own summaries: "odoo.tests.result: F failed, E error(s) of N tests when
# loading database" (at-install and post-install runs of the tagged suites).
read -r ran bad < <(grep -oE 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" \
    | awk '{f += $2; e += $4; n += $7} END {print n + 0, f + e}')
warnings=$(grep -E ' WARNING [^ ]+ [^ ]+: .*crm_sme|WARNING [^ ]+ odoo\.addons\.crm_sme' "$LOG" | grep -vcE 'Running as user' || true)
passed=$((ran - bad)); failed=$bad
if [ "$passed" -lt 0 ]; then passed=0; fi
if [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
    log "Odoo exited with $rc although no test reported a failure (install error?)"; failed=$((failed + 1))
fi
if [ "$warnings" != 0 ]; then
    log "$warnings WARNING line(s) about crm_sme in the log (listed above): counted as a failure"
    failed=$((failed + 1))
fi
if [ "$ran" = 0 ]; then log "no crm_sme test ran"; fi

count_checks() {  # the "LIFECYCLE <check>: ok|FAILED <why>" lines of stdin
    local line name lines
    lines=$(grep -E '^LIFECYCLE ' || true)
    if [ -z "$lines" ]; then return 1; fi
    while IFS= read -r line; do
        name=${line#LIFECYCLE }; name=${name%%:*}
        case "$line" in *": ok") check "$name" ok ;; *) log "$line"; check "$name" fail ;; esac
    done <<< "$lines"
}

if [ "$LIFECYCLE" = 1 ] && [ "$rc" = 0 ]; then
    # set-up: Odoo fetched from a local mirror, make run's language option
    count_checks < <(bash "$ROOT/scripts/check_setup.sh" 2>&1) || check "set-up checks" fail
    # the demo in Chinese, as LANG=zh_CN make run sets it
    out=$(CRM_SME_DEMO_LANG=zh_CN odoo shell -d "$DB" --http-port="$PORT" --log-level=warn \
        < "$ROOT/scripts/demo_lang.py" 2>&1) || true
    if printf '%s\n' "$out" | grep -q '^DEMO_LANG zh_CN: ok'; then
        out=$(CRM_SME_LIFECYCLE_PHASE=lang odoo shell -d "$DB" --http-port="$PORT" --log-level=warn \
            < "$ROOT/scripts/lifecycle.py" 2>&1) || true
        count_checks <<< "$out" || { printf '%s\n' "$out" | tail -20; check "demo in Chinese" fail; }
    else printf '%s\n' "$out" | tail -20; check "demo language zh_CN" fail; fi
    for n in 1 2; do
        start=$(date +%s)
        if odoo -d "$DB" -u crm_sme --stop-after-init --http-port="$PORT" --log-level=warn >"$VAR/upgrade.log" 2>&1 \
            && ! grep -qE ' (ERROR|CRITICAL) ' "$VAR/upgrade.log"; then
            check "upgrade $n ($(( $(date +%s) - start )) s)" ok
        else show < "$VAR/upgrade.log"; check "upgrade $n" fail; fi
    done
    for phase in uninstall reinstalled; do
        if [ "$phase" = reinstalled ]; then
            odoo -d "$DB" -i crm_sme --stop-after-init --http-port="$PORT" --log-level=warn >"$VAR/reinstall.log" 2>&1 \
                || { show < "$VAR/reinstall.log"; check "reinstall command" fail; }
        fi
        out=$(CRM_SME_LIFECYCLE_PHASE=$phase odoo shell -d "$DB" --http-port="$PORT" --log-level=warn \
            < "$ROOT/scripts/lifecycle.py" 2>&1) || true
        count_checks <<< "$out" || { printf '%s\n' "$out" | tail -20; check "lifecycle $phase" fail; }
    done
fi

# The same tests on the second tree (ODOO_PATH_2), on a fresh database.
odoo_build() {  # "Odoo 18.0-20241002 (/opt/odoo18)": the build date of nightly trees
    local day
    day=$(grep -oE "^version \+= '-[0-9]+'" "$1/odoo/release.py" 2>/dev/null | grep -oE '[0-9]+' || true)
    printf 'Odoo 18.0%s (%s)' "${day:+-$day}" "$1"
}
summary="$(odoo_build "$ODOO_PATH"): $passed passed, $failed failed"
if [ -n "${ODOO_PATH_2:-}" ] && [ ! -d "$ODOO_PATH_2" ]; then
    log "ODOO_PATH_2=$ODOO_PATH_2 does not exist: second tree skipped"
elif [ -n "${ODOO_PATH_2:-}" ]; then
    LOG_2=$VAR/test_2.log
    : > "$LOG_2"
    passed_2=0; failed_2=0; ran_2=0; bad_2=0
    if [ -f "$ODOO_PATH_2/odoo-bin" ] && grep -qE '^version_info = \(18, 0,' "$ODOO_PATH_2/odoo/release.py" 2>/dev/null; then
        ADDONS_PATH_2=$ODOO_PATH_2/odoo/addons
        [ -d "$ODOO_PATH_2/addons" ] && ADDONS_PATH_2=$ODOO_PATH_2/addons,$ADDONS_PATH_2
        log "second tree $(odoo_build "$ODOO_PATH_2"): database ${DB}_2, full log in $LOG_2"
        start=$(date +%s)
        set +e
        "$PY" "$ODOO_PATH_2/odoo-bin" --addons-path="$ADDONS_PATH_2,$ROOT" --data-dir="$VAR/filestore" \
            -d "${DB}_2" -i "$INSTALL_MODULES" --test-enable --test-tags "$TEST_TAGS" --stop-after-init \
            --http-interface=127.0.0.1 --http-port="$PORT" --log-level=info >>"$LOG_2" 2>&1
        rc_2=$?
        set -e
        show < "$LOG_2"
        log "second tree, install + tests: exit $rc_2 in $(( $(date +%s) - start )) s"
        read -r ran_2 bad_2 < <(grep -oE 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG_2" \
            | awk '{f += $2; e += $4; n += $7} END {print n + 0, f + e}')
        warnings_2=$(grep -E ' WARNING [^ ]+ [^ ]+: .*crm_sme|WARNING [^ ]+ odoo\.addons\.crm_sme' "$LOG_2" | grep -vcE 'Running as user' || true)
        passed_2=$((ran_2 - bad_2)); failed_2=$bad_2
        if [ "$rc_2" != 0 ] && [ "$bad_2" = 0 ]; then
            log "second tree: Odoo exited with $rc_2 although no test reported a failure"; failed_2=$((failed_2 + 1))
        fi
        if [ "$warnings_2" != 0 ]; then
            log "second tree: $warnings_2 WARNING line(s) about crm_sme (listed above): counted as a failure"
            failed_2=$((failed_2 + 1))
        fi
        if [ "$ran_2" = 0 ]; then log "second tree: no crm_sme test ran"; failed_2=$((failed_2 + 1)); fi
    else
        log "ODOO_PATH_2=$ODOO_PATH_2 is not an Odoo 18.0 source tree: counted as a failure"
        failed_2=1
    fi
    summary="$summary; $(odoo_build "$ODOO_PATH_2"): $passed_2 passed, $failed_2 failed"
    passed=$((passed + passed_2)); failed=$((failed + failed_2)); ran=$((ran + ran_2)); bad=$((bad + bad_2))
fi

log "$summary"
log "$passed passed, $failed failed (Odoo tests: $ran run, $bad failed)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$ran" -gt 0 ]
