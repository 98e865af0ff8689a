# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer money/delivery position (crm.sme.customer.position).

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench:
1. generate (once) the scale of ../shared/spec/performance-facts.md:
   BENCH_SEED customers get 5 invoices of 4 lines each over 24 months through
   Odoo's own flows (posting, ~10 % credit notes, ~70 % paid through the
   payment wizard, some partially), then that seed is copied by SQL, row for
   row with new ids (partners, moves, journal items, reconciliations,
   payments), until BENCH_CUSTOMERS customers (default 20 000, ~400 000
   invoice lines);
2. time, in the same process and on the same rows (interleaved rounds):
   - reference: the line-level raw SQL pass of the eight core KPIs (12-month
     net invoiced, invoice count, last invoice date, receivable, overdue
     1-30/31-60/61-90/>90) from journal items,
   - crm_sme: the full refresh (upsert of every position; unchanged rows are
     not written),
   - crm_sme: the full refresh when every row changes (first night after a
     day of work: all rows rewritten),
   - crm_sme: the nightly job (committed batches),
   - crm_sme: the refresh of 1 and of 100 customers (what posting costs),
   - Odoo core: res.partner.total_invoiced through the ORM for 1 000 customers;
3. print medians of BENCH_RUNS runs and the ratios to the reference.
"""

from datetime import timedelta
import os
import random
import statistics
import time

from odoo import Command, fields
from odoo.tools import SQL

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 20000))
SEED = int(os.environ.get("BENCH_SEED", 200))
RUNS = int(os.environ.get("BENCH_RUNS", 5))
TAG = "crm_sme bench customer"
INVOICES_PER_SEED = 5


def seed():
    partners = env["res.partner"].search([("name", "=like", TAG + " s____")], order="id")
    if partners:
        return partners
    rnd = random.Random(1)
    partners = env["res.partner"].create(
        [{"name": f"{TAG} s{i:04d}", "is_company": True} for i in range(SEED)]
    )
    env.cr.commit()
    today = fields.Date.today()
    for chunk_start in range(0, SEED, 50):
        vals = []
        for partner in partners[chunk_start : chunk_start + 50]:
            for _n in range(INVOICES_PER_SEED):
                date = today - timedelta(days=rnd.randint(1, 730))
                vals.append(
                    {
                        "move_type": "out_refund" if rnd.random() < 0.1 else "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": date,
                        "invoice_date_due": date + timedelta(days=30),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": f"Line {n}",
                                    "quantity": rnd.randint(1, 20),
                                    "price_unit": rnd.randint(5, 200),
                                    "tax_ids": [],
                                }
                            )
                            for n in range(4)
                        ],
                    }
                )
        moves = env["account.move"].with_context(tracking_disable=True).create(vals)
        moves.action_post()
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        to_pay = invoices.filtered(lambda m: rnd.random() < 0.7)
        if to_pay:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=to_pay.ids
            ).create({"group_payment": False})._create_payments()
        for move in (invoices - to_pay).filtered(lambda m: rnd.random() < 0.2):
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"amount": move.amount_residual / 2})._create_payments()
        env.cr.commit()
        print(f"seeded {chunk_start + 50}/{SEED} customers", flush=True)
    return partners


# Tables copied for each replica: table -> {column: table whose id it holds}.
COPIED = {
    "res_partner": {"id": "res_partner", "commercial_partner_id": "res_partner"},
    "account_move": {
        "id": "account_move",
        "partner_id": "res_partner",
        "commercial_partner_id": "res_partner",
        "origin_payment_id": "account_payment",
        "reversed_entry_id": "account_move",
    },
    "account_payment": {
        "id": "account_payment",
        "move_id": "account_move",
        "partner_id": "res_partner",
    },
    "account_full_reconcile": {"id": "account_full_reconcile"},
    "account_move_line": {
        "id": "account_move_line",
        "move_id": "account_move",
        "partner_id": "res_partner",
        "full_reconcile_id": "account_full_reconcile",
        "payment_id": "account_payment",
    },
    "account_partial_reconcile": {
        "id": "account_partial_reconcile",
        "debit_move_id": "account_move_line",
        "credit_move_id": "account_move_line",
        "full_reconcile_id": "account_full_reconcile",
    },
    "account_move__account_payment": {
        "invoice_id": "account_move",
        "payment_id": "account_payment",
    },
}
# Which rows of each table belong to the seed (:seed = seed partner ids).
SEED_ROWS = {
    "res_partner": "id = ANY(%(seed)s)",
    "account_move": "commercial_partner_id = ANY(%(seed)s)",
    "account_payment": "partner_id = ANY(%(seed)s)",
    "account_move_line": "move_id IN (SELECT id FROM account_move WHERE commercial_partner_id = ANY(%(seed)s))",
    "account_full_reconcile": "id IN (SELECT full_reconcile_id FROM account_move_line l JOIN account_move m ON m.id = l.move_id WHERE m.commercial_partner_id = ANY(%(seed)s))",
    "account_partial_reconcile": "debit_move_id IN (SELECT l.id FROM account_move_line l JOIN account_move m ON m.id = l.move_id WHERE m.commercial_partner_id = ANY(%(seed)s))",
    "account_move__account_payment": "invoice_id IN (SELECT id FROM account_move WHERE commercial_partner_id = ANY(%(seed)s))",
}
# Columns that must stay unique: suffixed with the replica number.
UNIQUE_TEXT = {"account_move": ["name"], "res_partner": ["name"]}


def replicate(seed_partners):
    """Copy the seed's rows by SQL (new ids, same figures) until CUSTOMERS customers."""
    cr = env.cr
    env.flush_all()
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE name LIKE %s", [TAG + " s____ r%"])
    done = cr.fetchone()[0]
    replicas = CUSTOMERS // len(seed_partners) - 1
    start = done // len(seed_partners)
    if start >= replicas:
        return
    offsets = {}
    for table in {t for cols in COPIED.values() for t in cols.values()}:
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM %s", SQL.identifier(table)))
        offsets[table] = cr.fetchone()[0]
    columns = {}
    for table in COPIED:
        cr.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        columns[table] = cr.fetchall()
    # offsets must not move between runs: anchor them on the seed copy number
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'crm_sme.bench_offsets'")
    row = cr.fetchone()
    if row:
        offsets = eval(row[0])  # noqa: S307 (own bench parameter)
    else:
        cr.execute(
            "INSERT INTO ir_config_parameter (key, value) VALUES ('crm_sme.bench_offsets', %s)",
            [repr(offsets)],
        )
    params = {"seed": seed_partners.ids}
    for k in range(start + 1, replicas + 1):
        for table, mapped in COPIED.items():
            names, exprs = [], []
            for column, dtype in columns[table]:
                names.append(SQL.identifier(column))
                if column in mapped:
                    exprs.append(
                        SQL("%s + %s", SQL.identifier(column), k * offsets[mapped[column]])
                    )
                elif column in UNIQUE_TEXT.get(table, ()):
                    if dtype == "jsonb":
                        exprs.append(SQL("%s", SQL.identifier(column)))
                    else:
                        exprs.append(SQL("%s || %s", SQL.identifier(column), f" r{k:03d}"))
                else:
                    exprs.append(SQL.identifier(column))
            cr.execute(
                SQL(
                    "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s",
                    SQL.identifier(table),
                    SQL(", ").join(names),
                    SQL(", ").join(exprs),
                    SQL.identifier(table),
                    SQL(SEED_ROWS[table], **params),
                )
            )
        cr.commit()
        print(f"replica {k}/{replicas}", flush=True)
    # journal entry numbers: the copies continue each sequence (Odoo's next number
    # is read from the last one), instead of keeping the seed's number + suffix
    cr.execute(RENUMBER)
    for table in offsets:
        cr.execute(
            SQL(
                "SELECT setval(%s, (SELECT MAX(id) FROM %s))",
                f"{table}_id_seq",
                SQL.identifier(table),
            )
        )
    cr.execute("ANALYZE")
    cr.commit()


RENUMBER = """
    WITH seed AS (
        SELECT journal_id, sequence_prefix, MAX(sequence_number) AS mx
          FROM account_move WHERE name NOT LIKE '%% r%%' AND sequence_prefix IS NOT NULL
      GROUP BY 1, 2
    ), renum AS (
        SELECT m.id, COALESCE(s.mx, 0) + ROW_NUMBER() OVER (
                   PARTITION BY m.journal_id, m.sequence_prefix ORDER BY m.id) AS n
          FROM account_move m
          LEFT JOIN seed s ON s.journal_id = m.journal_id AND s.sequence_prefix = m.sequence_prefix
         WHERE m.name LIKE '%% r%%' AND m.sequence_prefix IS NOT NULL
    )
    UPDATE account_move m SET sequence_number = r.n, name = m.sequence_prefix || LPAD(r.n::text, 5, '0')
      FROM renum r WHERE r.id = m.id
"""


# The reference of ../shared/spec/performance-facts.md: eight core KPIs per
# customer from journal items, one raw pass (12-month net invoiced from the
# product lines, invoice count and last date, receivable and four overdue
# buckets from the open receivable lines).
EIGHT_KPIS = """
    SELECT m.commercial_partner_id, l.company_id,
           -SUM(l.balance) FILTER (WHERE l.display_type = 'product' AND m.invoice_date > %(year_ago)s),
           COUNT(DISTINCT m.id) FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date > %(year_ago)s),
           MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice'),
           SUM(l.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled),
           SUM(l.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND %(today)s - l.date_maturity BETWEEN 1 AND 30),
           SUM(l.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND %(today)s - l.date_maturity BETWEEN 31 AND 60),
           SUM(l.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND %(today)s - l.date_maturity BETWEEN 61 AND 90),
           SUM(l.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND %(today)s - l.date_maturity > 90)
      FROM account_move_line l
      JOIN account_move m ON m.id = l.move_id
      JOIN account_account a ON a.id = l.account_id
     WHERE l.parent_state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund', 'entry')
       AND m.commercial_partner_id IS NOT NULL
  GROUP BY 1, 2
"""


def timed_rounds(cases):
    """Median time of each case, the cases interleaved round by round so that
    load on the machine weighs on all of them alike."""
    samples = {name: [] for name in cases}
    for _ in range(RUNS):
        for name, fn in cases.items():
            env.invalidate_all()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
            env.cr.commit()
    return {name: statistics.median(values) for name, values in samples.items()}


seed_partners = seed()
replicate(seed_partners)
partners = env["res.partner"].search([("name", "=like", TAG + "%")], order="id")
Position = env["crm.sme.customer.position"].sudo()
today = fields.Date.today()
params = {"today": today, "year_ago": today - timedelta(days=365)}
env.cr.execute(
    "SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
    "WHERE l.display_type = 'product' AND m.commercial_partner_id = ANY(%s)",
    [partners.ids],
)
lines = env.cr.fetchone()[0]
Position._refresh()
env.cr.commit()


def reference():
    env.cr.execute(EIGHT_KPIS, params)
    env.cr.fetchall()


def all_rows_change():
    # a day later every 12-month figure and bucket may move: force a rewrite of all rows
    env.cr.execute("UPDATE crm_sme_customer_position SET invoiced_12m = invoiced_12m + 1")
    start = time.perf_counter()
    Position._refresh()
    return time.perf_counter() - start


rewrite = []


def full_rewrite():
    rewrite.append(all_rows_change())


results = timed_rounds(
    {
        "raw SQL, 8 KPIs from journal items (reference)": reference,
        "crm_sme full refresh (nothing changed)": lambda: Position._refresh(),
        "crm_sme nightly job (committed batches)": lambda: Position._cron_refresh(),
        "crm_sme refresh of 100 customers": lambda: Position._refresh(partners[:100]),
        "crm_sme refresh of 1 customer (an invoice posted)": (
            lambda: Position._refresh(partners[:1])
        ),
        "Odoo core total_invoiced, 1 000 customers (ORM)": (
            lambda: partners[:1000].with_context(prefetch_fields=False).mapped("total_invoiced")
        ),
        "(rewrite setup)": full_rewrite,
    }
)
results.pop("(rewrite setup)")
results["crm_sme full refresh, every row rewritten"] = statistics.median(rewrite)
env.cr.rollback()
print(
    f"\ncrm_sme bench: {len(partners)} customers, {lines} posted invoice lines, median of {RUNS} runs"
)
base = results["raw SQL, 8 KPIs from journal items (reference)"]
for name, seconds in results.items():
    print(f"  {name:<52} {seconds:8.3f} s   {seconds / base:6.2f} x reference")
