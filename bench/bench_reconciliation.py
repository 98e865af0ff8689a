# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the sales reconciliation (crm.sme.reconciliation).

Run it through odoo shell on a database with crm_sme installed; everything it
creates is rolled back at the end:

    cd $WT && export VENV=/work/main/.venv && source scripts/common.sh && require_odoo
    BENCH_RECON_LINES=100000 odoo shell -d crm_sme_dev_recon --log-level=warn --no-http \
        < bench/bench_reconciliation.py

Builds BENCH_RECON_LINES order lines: a few orders made through Odoo's flows
(confirmed, delivered, invoiced with a due date in the past, half paid), then
copied by SQL (orders, lines and their invoice links) to the volume. As the
administrator (record rules apply), median of BENCH_RUNS interleaved runs:

* the first page of the default view (open exceptions, 80 rows, sorted by
  amount at risk) through ``web_search_read`` against the same view query with
  LIMIT 80 in raw SQL;
* the totals line (``_crm_sme_totals``) against one raw SQL SUM of the view;
* the xlsx of every row: seconds, rows per second, peak memory growth (RSS high
  water mark and Python allocations measured by tracemalloc).
"""

from datetime import timedelta
import os
import resource
import statistics
import time
import tracemalloc

from odoo import Command, fields
from odoo.tools import SQL

N_LINES = int(os.environ.get("BENCH_RECON_LINES", 100000))
LINES_PER_ORDER = int(os.environ.get("BENCH_RECON_LINES_PER_ORDER", 10))
RUNS = int(os.environ.get("BENCH_RUNS", 3))
SEED_ORDERS = 20

env = env  # noqa: F821 (provided by odoo shell)


def build():
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    products = env["product.product"].create(
        [
            {
                "name": f"Recon bench product {i}",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "order" if i % 2 else "delivery",
                "list_price": 10.0 + i,
                "taxes_id": [Command.clear()],
            }
            for i in range(LINES_PER_ORDER)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10000.0)
    partners = env["res.partner"].create(
        [{"name": f"Recon bench customer {i}", "is_company": True} for i in range(SEED_ORDERS)]
    )
    today = fields.Date.today()
    orders = env["sale.order"]
    for i in range(SEED_ORDERS):
        order = env["sale.order"].create(
            {
                "partner_id": partners[i].id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 5.0}) for p in products
                ],
            }
        )
        order.action_confirm()
        if i % 2:
            for move in order.picking_ids.move_ids:
                move.quantity = 5.0 if i % 4 == 1 else 3.0
                move.picked = True
            order.picking_ids.with_context(skip_backorder=True).button_validate()
        if i % 3:
            invoice = order._create_invoices()
            due = today - timedelta(days=10 * i)
            invoice.write(
                {"invoice_date": due, "invoice_date_due": due, "invoice_payment_term_id": False}
            )
            invoice.action_post()
            if i % 3 == 2:
                env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create({"amount": invoice.amount_total / 2})._create_payments()
        orders |= order
    env.flush_all()
    copies = max(0, N_LINES // LINES_PER_ORDER - SEED_ORDERS)
    # copy orders, their lines and their invoice links by SQL
    env.cr.execute(
        """
        CREATE TEMP TABLE bench_order_map AS
        SELECT so.id AS src, nextval('sale_order_id_seq') AS dst, g.n
          FROM generate_series(1, %s) g(n)
          JOIN LATERAL (SELECT id FROM sale_order WHERE id = ANY(%s) ORDER BY id
                         OFFSET (g.n %% %s) LIMIT 1) so ON TRUE
        """,
        (copies, orders.ids, SEED_ORDERS),
    )
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order'"
    )
    so_cols = [c for (c,) in env.cr.fetchall() if c not in ("id", "name")]
    env.cr.execute(
        SQL(
            "INSERT INTO sale_order (id, name, %s) SELECT m.dst, 'BENCH/' || m.dst, %s "
            "FROM bench_order_map m JOIN sale_order so ON so.id = m.src",
            SQL(", ").join(SQL.identifier(c) for c in so_cols),
            SQL(", ").join(SQL.identifier("so", c) for c in so_cols),
        )
    )
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order_line'"
    )
    sol_cols = [c for (c,) in env.cr.fetchall() if c not in ("id", "order_id")]
    env.cr.execute(
        """
        CREATE TEMP TABLE bench_line_map AS
        SELECT sol.id AS src, nextval('sale_order_line_id_seq') AS dst, m.dst AS order_id
          FROM bench_order_map m JOIN sale_order_line sol ON sol.order_id = m.src
        """
    )
    env.cr.execute(
        SQL(
            "INSERT INTO sale_order_line (id, order_id, %s) SELECT lm.dst, lm.order_id, %s "
            "FROM bench_line_map lm JOIN sale_order_line sol ON sol.id = lm.src",
            SQL(", ").join(SQL.identifier(c) for c in sol_cols),
            SQL(", ").join(SQL.identifier("sol", c) for c in sol_cols),
        )
    )
    env.cr.execute(
        """
        INSERT INTO sale_order_line_invoice_rel (order_line_id, invoice_line_id)
        SELECT lm.dst, rel.invoice_line_id
          FROM bench_line_map lm JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = lm.src
        """
    )
    env.cr.execute(
        "ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE sale_order_line_invoice_rel"
    )
    env.invalidate_all()
    env.cr.execute("SELECT COUNT(*) FROM sale_order_line")
    return env.cr.fetchone()[0]


def main():
    lines = build()
    admin = env.ref("base.user_admin")
    report = env["crm.sme.reconciliation"].with_user(admin).with_context(lang="en_US")
    spec = {
        name: {}
        for name in (
            "date",
            "kind",
            "value_tier",
            "picking_refs",
            "invoice_refs",
            "payment_refs",
            "amount_ordered",
            "amount_delivered",
            "amount_invoiced",
            "amount_paid",
            "amount_residual",
            "overdue_days",
            "amount_at_risk",
            "has_exception",
            "is_explained",
            "currency_id",
        )
    }
    spec.update(
        {
            name: {"fields": {"display_name": {}}}
            for name in (
                "partner_id",
                "user_id",
                "lead_id",
                "order_id",
                "product_id",
                "assigned_user_id",
            )
        }
    )
    domain = [("has_exception", "=", True), ("is_explained", "=", False)]
    view_sql = report._table_query

    def page_orm():
        return report.web_search_read(domain, spec, limit=80, count_limit=10001)

    def page_raw():
        env.cr.execute(
            SQL(
                "SELECT * FROM (%s) r WHERE r.has_exception AND NOT r.is_explained "
                "AND r.company_id = %s ORDER BY r.amount_at_risk DESC, r.date DESC, r.id LIMIT 80",
                view_sql,
                env.company.id,
            )
        )
        rows = env.cr.fetchall()
        env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM (SELECT 1 FROM (%s) r WHERE r.has_exception AND NOT r.is_explained "
                "AND r.company_id = %s LIMIT 10001) c",
                view_sql,
                env.company.id,
            )
        )
        return rows

    def totals_orm():
        return report._crm_sme_totals([])

    def totals_raw():
        env.cr.execute(
            SQL(
                "SELECT SUM(qty_ordered), SUM(qty_delivered), SUM(qty_invoiced), SUM(amount_ordered), "
                "SUM(amount_delivered), SUM(amount_invoiced), SUM(amount_invoiced_total), SUM(amount_paid), "
                "SUM(amount_residual), SUM(amount_overdue), SUM(amount_at_risk), COUNT(*) "
                "FROM (%s) r WHERE r.company_id = %s",
                view_sql,
                env.company.id,
            )
        )
        return env.cr.fetchone()

    print(f"order lines in the database: {lines}")
    results = {}
    for _run in range(RUNS):
        for label, func in (
            ("first page (ORM web_search_read)", page_orm),
            ("first page (raw SQL)", page_raw),
            ("totals (ORM _crm_sme_totals)", totals_orm),
            ("totals (raw SQL)", totals_raw),
        ):
            env.invalidate_all()
            start = time.perf_counter()
            func()
            results.setdefault(label, []).append(time.perf_counter() - start)
    med = {label: statistics.median(values) for label, values in results.items()}
    for label, value in med.items():
        print(f"{label:<40} {value * 1000:9.1f} ms")
    print(
        f"first page ratio ORM / raw: {med['first page (ORM web_search_read)'] / med['first page (raw SQL)']:.2f}x"
    )
    print(
        f"totals ratio ORM / raw:     {med['totals (ORM _crm_sme_totals)'] / med['totals (raw SQL)']:.2f}x"
    )

    count = report.search_count([])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    content = report._crm_sme_xlsx([])
    elapsed = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"xlsx of {count} rows: {elapsed:.1f} s, {count / elapsed:,.0f} rows/s, "
        f"{len(content) / 1e6:.1f} MB file, RSS high-water growth {(rss_after - rss_before) / 1024:.1f} MB"
    )
    del content
    tracemalloc.start()
    report._crm_sme_xlsx([])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"xlsx peak Python allocations (tracemalloc, second run): {peak / 1e6:.1f} MB")


try:
    main()
finally:
    env.cr.rollback()
