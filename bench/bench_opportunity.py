# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the opportunity figures (financial trail + availability).

Run it through odoo shell on a database with crm_sme installed; everything it
creates is rolled back at the end:

    cd $WT && export VENV=/work/main/.venv && source scripts/common.sh && require_odoo
    BENCH_LEADS=2000 BENCH_LINES=4 odoo shell -d crm_sme_dev_opp --log-level=warn \
        < bench/bench_opportunity.py

It reports the time to compute the trail and the availability of every
opportunity through the ORM (in pages of 80, like the kanban, and in one
batch), against a raw SQL baseline computing comparable sums in the same run.
"""

import os
import time

from odoo import Command, fields

N_LEADS = int(os.environ.get("BENCH_LEADS", 2000))
N_LINES = int(os.environ.get("BENCH_LINES", 4))
N_ORDERS = int(os.environ.get("BENCH_ORDERS", N_LEADS // 4))
PAGE = 80

env = env  # noqa: F821 (provided by odoo shell)


def timed(label, func):
    env.invalidate_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(
        f"{label:<55} {elapsed * 1000:9.1f} ms  {env.cr.sql_log_count - start_queries:6d} queries"
    )
    return result


def build():
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    vals = {
        "type": "consu",
        "is_storable": True,
        "invoice_policy": "order",
        "taxes_id": [Command.clear()],
    }
    products = env["product.product"].create(
        [
            dict(vals, name=f"Bench product {i}", list_price=10.0 + i, standard_price=5.0 + i)
            for i in range(20)
        ]
    )
    for i, product in enumerate(products):
        if i % 3:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 50.0 * i)
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i}", "is_company": True} for i in range(100)]
    )
    today = fields.Date.today()
    dates = [fields.Date.add(today, days=7 * i) for i in range(8)]
    leads = env["crm.lead"].create(
        [
            {
                "name": f"Bench opportunity {i}",
                "type": "opportunity",
                "partner_id": partners[i % 100].id,
                "date_deadline": dates[i % 8],
                "crm_sme_line_ids": [
                    Command.create(
                        {
                            "product_id": products[(i + j) % 20].id,
                            "product_uom_qty": 1.0 + (i + j) % 7,
                        }
                    )
                    for j in range(N_LINES)
                ],
            }
            for i in range(N_LEADS)
        ]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": lead.partner_id.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.product_uom_qty,
                            "price_unit": 10.0,
                        }
                    )
                    for line in lead.crm_sme_line_ids
                ],
            }
            for lead in leads[:N_ORDERS]
        ]
    )
    # a fifth of the orders confirmed and invoiced (no deliveries: keeps the set-up short)
    confirmed = orders[: max(1, N_ORDERS // 5)]
    env.company.crm_sme_credit_gate = "none"
    confirmed.action_confirm()
    invoices = confirmed[: len(confirmed) // 2]._create_invoices()
    invoices.action_post()
    env.flush_all()
    return leads


BASELINE_TRAIL = """
    SELECT so.opportunity_id,
           SUM(so.amount_untaxed) FILTER (WHERE so.state IN ('draft', 'sent')),
           SUM(so.amount_untaxed) FILTER (WHERE so.state = 'sale'),
           (SELECT SUM(am.amount_total_signed - am.amount_residual_signed)
              FROM account_move am
             WHERE am.state = 'posted'
               AND am.id IN (SELECT aml.move_id FROM account_move_line aml
                               JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                               JOIN sale_order_line sol ON sol.id = rel.order_line_id
                              WHERE sol.order_id = ANY(ARRAY_AGG(so.id))))
      FROM sale_order so
     WHERE so.opportunity_id = ANY(%s)
     GROUP BY so.opportunity_id
"""

BASELINE_STOCK = """
    SELECT line.id, COALESCE(SUM(quant.quantity - quant.reserved_quantity), 0)
      FROM crm_sme_lead_line line
      LEFT JOIN stock_quant quant ON quant.product_id = line.product_id
      LEFT JOIN stock_location loc ON loc.id = quant.location_id AND loc.usage = 'internal'
     WHERE line.lead_id = ANY(%s)
     GROUP BY line.id
"""

start = time.perf_counter()
leads = build()
print(
    f"set-up: {N_LEADS} opportunities x {N_LINES} lines, {N_ORDERS} orders: {time.perf_counter() - start:.1f} s"
)
print(f"{'measure':<55} {'time':>12}  {'SQL':>14}")

TRAIL = [
    "crm_sme_amount_quoted",
    "crm_sme_amount_ordered",
    "crm_sme_amount_paid",
    "crm_sme_payment_status",
]
AVAIL = ["crm_sme_availability", "crm_sme_shortfall_count"]


def by_pages(fnames):
    for i in range(0, len(leads), PAGE):
        leads[i : i + PAGE].read(fnames)


timed("ORM trail, all opportunities in one batch", lambda: leads.read(TRAIL))
timed(f"ORM trail, pages of {PAGE} (kanban)", lambda: by_pages(TRAIL))
timed("ORM availability, all opportunities in one batch", lambda: leads.read(AVAIL))
timed(f"ORM availability, pages of {PAGE} (kanban)", lambda: by_pages(AVAIL))
timed(f"ORM trail + availability, pages of {PAGE} (kanban)", lambda: by_pages(TRAIL + AVAIL))


def baseline():
    env.cr.execute(BASELINE_TRAIL, [leads.ids])
    env.cr.fetchall()
    env.cr.execute(BASELINE_STOCK, [leads.ids])
    env.cr.fetchall()


timed("raw SQL baseline (trail sums + on-hand stock), one batch", baseline)
# check: the ORM trail equals a direct sum over order_ids for a sample
sample = leads[:N_ORDERS:37]
env.invalidate_all()
for lead in sample:
    ordered = sum(lead.order_ids.filtered(lambda o: o.state == "sale").mapped("amount_untaxed"))
    assert abs(lead.crm_sme_amount_ordered - ordered) < 0.01, (
        lead,
        lead.crm_sme_amount_ordered,
        ordered,
    )
print(f"checked {len(sample)} opportunities against direct sums: ok")
env.cr.rollback()
