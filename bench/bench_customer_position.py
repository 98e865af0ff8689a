# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer money/delivery position (crm.sme.customer.position).

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench:
1. generate (once) BENCH_CUSTOMERS company customers with BENCH_INVOICES posted
   invoices of 4 lines over 24 months, ~10 % credit notes, ~70 % paid;
2. time, in the same process and on the same rows:
   - baseline: one raw SQL pass computing the same figures (the refresh's own
     SELECT, without writing anything),
   - a lighter reference: invoice headers + open receivable only,
   - crm_sme: the full refresh (DELETE + INSERT of every position),
   - crm_sme: the refresh of one batch of 100 customers (what an invoice post costs),
   - Odoo core: res.partner.total_invoiced through the ORM for 1 000 customers;
3. print medians of BENCH_RUNS runs and the ratios to the baseline.
"""

from datetime import timedelta
import os
import random
import re
import statistics
import time

from odoo import Command, fields

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 5000))
RUNS = int(os.environ.get("BENCH_RUNS", 3))
TAG = "crm_sme bench customer"


def generate():
    partners = env["res.partner"].search([("name", "=like", TAG + "%")])
    if len(partners) >= CUSTOMERS:
        return partners
    rnd = random.Random(1)
    partners |= env["res.partner"].create(
        [{"name": f"{TAG} {i:05d}", "is_company": True} for i in range(len(partners), CUSTOMERS)]
    )
    env.cr.commit()
    today = fields.Date.today()
    done = env["account.move"].search_count([("partner_id", "in", partners.ids)])
    batch = 500
    while done < INVOICES:
        vals = []
        for _ in range(min(batch, INVOICES - done)):
            date = today - timedelta(days=rnd.randint(1, 730))
            vals.append(
                {
                    "move_type": "out_refund" if rnd.random() < 0.1 else "out_invoice",
                    "partner_id": rnd.choice(partners).id,
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
        to_pay = moves.filtered(lambda m: m.move_type == "out_invoice" and rnd.random() < 0.7)
        if to_pay:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=to_pay.ids
            ).create({"group_payment": False})._create_payments()
        done += len(moves)
        env.cr.commit()
        print(f"generated {done}/{INVOICES} invoices", flush=True)
    return partners


LIGHT = """
    SELECT p.commercial_partner_id, m.company_id, SUM(m.amount_untaxed_signed),
           SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date > %(year_ago)s), MAX(m.invoice_date)
      FROM account_move m JOIN res_partner p ON p.id = m.commercial_partner_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
  GROUP BY 1, 2;
    SELECT p.commercial_partner_id, l.company_id, SUM(l.amount_residual),
           SUM(l.amount_residual) FILTER (WHERE l.date_maturity < %(today)s)
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
      JOIN res_partner p ON p.id = l.partner_id
     WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
  GROUP BY 1, 2;
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
    return {name: statistics.median(values) for name, values in samples.items()}


partners = generate()
Position = env["crm.sme.customer.position"].sudo()
today = fields.Date.today()
params = {"today": today, "year_ago": today - timedelta(days=365)}
lines = env["account.move.line"].search_count(
    [("partner_id", "in", partners.ids), ("display_type", "=", "product")]
)


REFRESH = Position._refresh_query(None, today)
SAME_FIGURES = re.sub(r"INSERT INTO crm_sme_customer_position \([^)]*\)", "", REFRESH.code)


def baseline():
    env.cr.execute(SAME_FIGURES, REFRESH.params)
    env.cr.fetchall()


def light():
    env.cr.execute(LIGHT, params)
    env.cr.fetchall()


results = timed_rounds(
    {
        "raw SQL pass, same figures (baseline)": baseline,
        "raw SQL, invoice headers + receivable only": light,
        "crm_sme full refresh": lambda: Position._refresh(),
        "crm_sme refresh of 100 customers": lambda: Position._refresh(partners[:100]),
        "crm_sme refresh of 1 customer (an invoice posted)": (
            lambda: Position._refresh(partners[:1])
        ),
        "Odoo core total_invoiced, 1 000 customers (ORM)": (
            lambda: partners[:1000].with_context(prefetch_fields=False).mapped("total_invoiced")
        ),
    }
)
env.cr.rollback()
print(
    f"\ncrm_sme bench: {len(partners)} customers, {lines} posted invoice lines, median of {RUNS} runs"
)
base = results["raw SQL pass, same figures (baseline)"]
for name, seconds in results.items():
    print(f"  {name:<52} {seconds:8.3f} s   {seconds / base:6.2f} x baseline")
