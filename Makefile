# crm_sme — the two commands: `make run` and `make test` (see README.md).
# ODOO_PATH points to an Odoo 18.0 source tree (default /opt/odoo18).
.PHONY: run test lint bench setup screenshot i18n
SHELL := /bin/bash

run:         ## serve the web client on 127.0.0.1:8069 with demo database crm_sme_demo
	@bash scripts/run.sh

test:        ## fresh database, every crm_sme test + lifecycle checks, "N passed, N failed"
	@bash scripts/test.sh

lint:        ## ruff + pylint-odoo on our code
	@bash scripts/lint.sh

bench:       ## benchmarks of bench/ against a raw SQL baseline
	@bash scripts/bench.sh

setup:       ## only the set-up (virtualenv, Debian packages, PostgreSQL)
	@bash -c 'source scripts/common.sh && setup_all test'

i18n:        ## re-export crm_sme.pot and merge zh_CN.po onto it (DB=... to use an existing database)
	@bash scripts/i18n.sh
