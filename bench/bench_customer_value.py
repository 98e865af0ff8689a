# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer value job (res.partner._crm_sme_recompute_values).

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench,
after bench_customer_position.py, whose generated customers it reuses
(BENCH_CUSTOMERS customers, default 20 000, ~400 000 posted invoice lines;
generated here the same way when missing). Products with a cost are set on
the invoice lines once, so margin and product variety have data.

Times, in the same process and on the same rows (interleaved rounds):
- reference: one raw SQL pass reading the same rows as the job (posted
  invoices and their product lines with the product cost, open receivable
  items, reconciliations of the settled invoices, confirmed orders, open
  opportunities), aggregated per customer, nothing written;
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

from odoo import fields

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

# One raw pass over the same rows as the job, per customer, nothing written.
REFERENCE = """
    WITH moves AS (
        SELECT m.commercial_partner_id AS pid,
               SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date > %(year_ago)s) AS revenue,
               COUNT(*) FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date > %(year_ago)s) AS n,
               MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_date,
               MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_date
          FROM account_move m
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
      GROUP BY 1
    ), lines AS (
        SELECT m.commercial_partner_id AS pid,
               SUM(-l.balance - l.quantity * COALESCE((pp.standard_price ->> %(ckey)s)::numeric, 0)) AS margin,
               COUNT(DISTINCT l.product_id) AS variety
          FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
          LEFT JOIN product_product pp ON pp.id = l.product_id
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.invoice_date > %(year_ago)s
      GROUP BY 1
    ), open_items AS (
        SELECT p.commercial_partner_id AS pid, SUM(l.amount_residual) AS receivable,
               MAX(%(today)s - COALESCE(l.date_maturity, l.date)) AS oldest
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
          JOIN res_partner p ON p.id = l.partner_id
         WHERE l.company_id = %(c)s AND l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
           AND l.amount_residual <> 0
      GROUP BY 1
    ), paid AS (
        SELECT m.commercial_partner_id AS pid, AVG(apr.max_date - m.invoice_date) AS days_to_pay
          FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id AND l.reconciled
          JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
         WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type = 'out_invoice'
           AND m.payment_state IN ('paid', 'in_payment') AND m.invoice_date > %(year_ago)s
      GROUP BY 1
    ), orders AS (
        SELECT p.commercial_partner_id AS pid, MIN(so.date_order) AS first_order, MAX(so.date_order) AS last_order
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.company_id = %(c)s AND so.state = 'sale'
      GROUP BY 1
    ), pipe AS (
        SELECT p.commercial_partner_id AS pid, SUM(l.expected_revenue * l.probability / 100) AS amount
          FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
         WHERE l.company_id = %(c)s AND l.active AND l.type = 'opportunity'
      GROUP BY 1
    )
    SELECT * FROM moves
      FULL JOIN lines USING (pid) FULL JOIN open_items USING (pid) FULL JOIN paid USING (pid)
      FULL JOIN orders USING (pid) FULL JOIN pipe USING (pid)
"""


def reference():
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
    start = time.perf_counter()
    recompute()
    rewrite.append(time.perf_counter() - start)


def timed_rounds(cases):
    samples = {name: [] for name in cases}
    for _ in range(RUNS):
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
