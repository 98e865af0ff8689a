# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer value job (res.partner._crm_sme_recompute_values).

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench,
after bench_customer_position.py, whose generated customers it reuses
(BENCH_CUSTOMERS customers, default 20 000, ~400 000 posted invoice lines;
generated here the same way when missing). Products with a cost are set on
the invoice lines once, so margin and product variety have data.

Times, in the same process and on the same rows (interleaved rounds):
- reference: one raw SQL pass computing the same inputs as the job from the
  same rows (posted invoices and their product lines with the product cost,
  open receivable items and payments without entry, reconciliations and
  registered payments of the settled invoices, confirmed orders, open
  opportunities), per customer, nothing written; checked equal to the job's
  stored inputs for every customer;
- crm_sme: the full recompute of every score and this month's snapshot for
  every customer, nothing changed since the last run (compares, writes nothing);
- crm_sme: the same when every row changes (inputs forced stale first);
- Odoo core: res.partner.total_invoiced through the ORM for 1 000 customers.
Prints medians of BENCH_RUNS runs, the ratios to the reference, the queries
per batch and the peak memory of the process.
"""

from datetime import timedelta
import os
import resource
import statistics
import time

import psycopg2

from odoo import fields
from odoo.sql_db import connection_info_for

RUNS = int(os.environ.get("BENCH_RUNS", 5))
POSITION_BENCH = os.path.join(
    os.environ.get("ROOT", os.getcwd()), "bench", "bench_customer_position.py"
)
TAG = "crm_sme bench customer"

partners = env["res.partner"].search([("name", "=like", TAG + "%")], order="id")
if not partners:
    # the generator of the position bench (its definitions only, not its timings)
    source = open(POSITION_BENCH).read().split("\nseed_partners = seed()")[0]  # noqa: SIM115
    scope = {"env": env}
    exec(compile(source, POSITION_BENCH, "exec"), scope)  # noqa: S102 (own bench file)
    scope["replicate"](scope["seed"]())
    partners = env["res.partner"].search([("name", "=like", TAG + "%")], order="id")

# products with a cost on the lines (once)
products = env["product.product"].search([("name", "=like", "crm_sme bench product %")], order="id")
if not products:
    products = env["product.product"].create(
        [
            {
                "name": f"crm_sme bench product {i:02d}",
                "list_price": 100.0,
                "standard_price": 40.0 + i,
            }
            for i in range(20)
        ]
    )
    env.flush_all()
    env.cr.execute(
        "UPDATE account_move_line SET product_id = (%s::int[])[1 + id %% 20] "
        "WHERE display_type = 'product' AND product_id IS NULL",
        [products.ids],
    )
    env.cr.commit()

company = env.company
Partner = env["res.partner"]
Value = env["crm.sme.customer.value"].sudo()
today = fields.Date.today()
params = {
    "c": company.id,
    "ckey": str(company.id),
    "today": today,
    "year_ago": today - timedelta(days=365),
}
env.cr.execute(
    "SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
    "WHERE l.display_type = 'product' AND m.state = 'posted' AND m.commercial_partner_id = ANY(%s)",
    [partners.ids],
)
lines = env.cr.fetchone()[0]

# One raw pass computing the same inputs as the job from the same rows, per
# customer, nothing written: the definitions of crm.sme.money (open items
# without the settled invoices' and with the unmatched payments without
# entry, overdue net of the open credits oldest first, days to pay through
# reconciliations and registered payments), margin with the signed cost,
# variety, first and last invoice, orders, open pipeline of non-won stages.
REFERENCE = """
    WITH moves AS (
        SELECT m.commercial_partner_id AS pid,
               COALESCE(SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date > %(year_ago)s), 0) AS revenue,
               COUNT(*) FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date > %(year_ago)s) AS n,
               MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_date,
               MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_date
          FROM account_move m
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
      GROUP BY 1
    ), lines AS (
        SELECT m.commercial_partner_id AS pid,
               SUM(-l.balance - CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                   * l.quantity * COALESCE((pp.standard_price ->> %(ckey)s)::numeric, 0)) AS margin,
               COUNT(DISTINCT l.product_id) FILTER (WHERE m.move_type = 'out_invoice') AS variety
          FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
          LEFT JOIN product_product pp ON pp.id = l.product_id
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.invoice_date > %(year_ago)s
      GROUP BY 1
    ), items AS (
        SELECT p.commercial_partner_id AS pid, l.id AS item, COALESCE(l.date_maturity, l.date) AS due,
               l.amount_residual AS amount
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
          JOIN account_move m ON m.id = l.move_id
          JOIN res_partner p ON p.id = l.partner_id
         WHERE l.company_id = %(c)s AND l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
           AND l.amount_residual <> 0 AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
        UNION ALL
        SELECT p.commercial_partner_id, -pay.id, pay.date, -pay.amount_company_currency_signed
          FROM account_payment pay
          JOIN res_partner p ON p.id = pay.partner_id
         WHERE pay.company_id = %(c)s AND pay.move_id IS NULL AND pay.state = 'in_process'
           AND pay.partner_type = 'customer'
           AND NOT EXISTS (SELECT 1 FROM account_move__account_payment mp WHERE mp.payment_id = pay.id)
    ), overdue AS (
        SELECT pid, COALESCE(MAX(%(today)s - due) FILTER (WHERE netted > 0), 0) AS max_days
          FROM (SELECT pid, due,
                       CASE WHEN amount > 0 AND due < %(today)s
                            THEN GREATEST(0, LEAST(amount, running - credits)) ELSE 0 END AS netted
                  FROM (SELECT pid, due, amount,
                               -COALESCE(SUM(amount) FILTER (WHERE amount < 0) OVER (PARTITION BY pid), 0)
                                   AS credits,
                               SUM(amount) FILTER (WHERE amount > 0 AND due < %(today)s)
                                   OVER (PARTITION BY pid ORDER BY due, item) AS running
                          FROM items) r) n
      GROUP BY 1
    ), settled AS (
        SELECT m.id, m.commercial_partner_id AS pid, m.invoice_date
          FROM account_move m
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type = 'out_invoice'
           AND m.payment_state IN ('paid', 'in_payment') AND m.invoice_date > %(year_ago)s
    ), paid AS (
        SELECT s.pid, AVG(GREATEST(COALESCE(GREATEST(r.day, g.day), s.invoice_date) - s.invoice_date, 0)) AS days
          FROM settled s
          LEFT JOIN (SELECT l.move_id, MAX(apr.max_date) AS day
                       FROM account_move_line l
                       JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                      WHERE l.reconciled AND l.company_id = %(c)s
                   GROUP BY 1) r ON r.move_id = s.id
          LEFT JOIN (SELECT mp.invoice_id, MAX(pay.date) AS day
                       FROM account_move__account_payment mp
                       JOIN account_payment pay ON pay.id = mp.payment_id AND pay.state IN ('in_process', 'paid')
                   GROUP BY 1) g ON g.invoice_id = s.id
      GROUP BY 1
    ), orders AS (
        SELECT p.commercial_partner_id AS pid, MIN(so.date_order)::date AS first_order,
               MAX(so.date_order)::date AS last_order
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.company_id = %(c)s AND so.state = 'sale'
      GROUP BY 1
    ), pipe AS (
        SELECT p.commercial_partner_id AS pid, SUM(l.expected_revenue * l.probability / 100) AS amount
          FROM crm_lead l
          JOIN res_partner p ON p.id = l.partner_id
          LEFT JOIN crm_stage s ON s.id = l.stage_id
         WHERE l.company_id = %(c)s AND l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
      GROUP BY 1
    )
    SELECT p.id, p.user_id, p.team_id, COALESCE(moves.revenue, 0), ROUND(COALESCE(lines.margin, 0), 2),
           COALESCE(moves.n, 0), COALESCE(lines.variety, 0), COALESCE(ROUND(paid.days, 1), 0),
           COALESCE(overdue.max_days, 0), moves.first_date, moves.last_date,
           orders.first_order, orders.last_order, COALESCE(p.purchase_potential, 0),
           GREATEST(COALESCE(p.purchase_potential, 0) - GREATEST(COALESCE(moves.revenue, 0), 0), 0),
           COALESCE(ind.crm_sme_growth_rating, 50), ROUND(COALESCE(pipe.amount, 0)::numeric, 2)
      FROM moves
      FULL JOIN lines USING (pid) FULL JOIN overdue USING (pid) FULL JOIN paid USING (pid)
      FULL JOIN orders USING (pid) FULL JOIN pipe USING (pid)
      JOIN res_partner p ON p.id = pid
      LEFT JOIN res_partner_industry ind ON ind.id = p.industry_id
"""
# the job's stored inputs, in the reference's column order
STORED = """
    SELECT partner_id, user_id, team_id, revenue_12m, margin_12m, invoice_count_12m, product_count_12m,
           avg_days_to_pay, max_days_overdue, first_invoice_date, last_invoice_date,
           first_order_date, last_order_date, purchase_potential, wallet_gap, growth_rating,
           pipeline_weighted
      FROM crm_sme_customer_value WHERE company_id = %(c)s
"""


def reference():
    # the settings of the job's statements (PostgreSQL's JIT compiles this
    # query for seconds; sorts in memory)
    env.cr.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
    env.cr.execute(REFERENCE, params)
    env.cr.fetchall()


def recompute():
    Partner._crm_sme_recompute_values(company)


rewrite = []


def every_row_changes():
    env.cr.execute(
        "UPDATE crm_sme_customer_value SET revenue_12m = revenue_12m + 1, current_value = -1 WHERE company_id = %s",
        [company.id],
    )
    env.cr.execute(
        "UPDATE res_partner SET crm_sme_current_value = '{}'::jsonb WHERE crm_sme_current_value IS NOT NULL"
    )
    # committed, as changes made by others are (rows a transaction wrote
    # itself make PostgreSQL recheck their foreign keys when it updates them)
    env.cr.commit()
    start = time.perf_counter()
    recompute()
    rewrite.append(time.perf_counter() - start)


def vacuum():
    """VACUUM ANALYZE the tables the job writes (autocommit connection), as
    autovacuum does between two nightly runs: the forced rewrites of this
    bench leave a dead version of every customer and value row per round
    (res_partner grew from 10 to 180 MB over a few runs without it)."""
    env.cr.commit()
    conn = psycopg2.connect(**connection_info_for(env.cr.dbname)[1])
    conn.autocommit = True
    with conn.cursor() as vcr:
        vcr.execute(
            "VACUUM ANALYZE res_partner, crm_sme_customer_value, crm_sme_customer_value_history"
        )
    conn.close()


def timed_rounds(cases):
    samples = {name: [] for name in cases}
    for _ in range(RUNS):
        vacuum()
        for name, fn in cases.items():
            env.invalidate_all()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
            env.cr.commit()
    return {name: statistics.median(values) for name, values in samples.items()}


start = time.perf_counter()
recompute()  # first run: every row inserted
first_run = time.perf_counter() - start
env.cr.commit()
env.flush_all()
count_before = env.cr.sql_log_count
recompute()
queries_unchanged = env.cr.sql_log_count - count_before
env.cr.commit()

# the reference computes the same inputs as the job (checked row by row)
env.cr.execute(REFERENCE, params)
reference_rows = {row[0]: tuple(row) for row in env.cr.fetchall()}
env.cr.execute(STORED, params)
stored_rows = {row[0]: tuple(row) for row in env.cr.fetchall()}
mismatches = [pid for pid in partners.ids if reference_rows.get(pid) != stored_rows.get(pid)]
assert not mismatches, (
    f"reference and job differ for {len(mismatches)} customers, e.g. "
    f"{reference_rows.get(mismatches[0])} != {stored_rows.get(mismatches[0])}"
)

results = timed_rounds(
    {
        "raw SQL pass over the same rows (reference)": reference,
        "crm_sme full recompute + snapshot (nothing changed)": recompute,
        "Odoo core total_invoiced, 1 000 customers (ORM)": (
            lambda: partners[:1000].with_context(prefetch_fields=False).mapped("total_invoiced")
        ),
        "(rewrite setup)": every_row_changes,
    }
)
results.pop("(rewrite setup)")
results["crm_sme full recompute + snapshot, every row rewritten"] = statistics.median(rewrite)
env.cr.execute("SELECT COUNT(*) FROM crm_sme_customer_value WHERE company_id = %s", [company.id])
scored = env.cr.fetchone()[0]
env.cr.rollback()
print(
    f"\ncrm_sme value bench: {len(partners)} customers ({scored} scored), {lines} posted invoice lines, "
    f"median of {RUNS} runs"
)
base = results["raw SQL pass over the same rows (reference)"]
for name, seconds in results.items():
    print(f"  {name:<56} {seconds:8.3f} s   {seconds / base:6.2f} x reference")
print(f"  first run (every row inserted)                           {first_run:8.3f} s")
print(f"  queries of a full recompute (unchanged data): {queries_unchanged}")
print(
    f"  peak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
)
