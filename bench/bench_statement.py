# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer statement of a customer with many documents.

Run by `make bench` through `odoo-bin shell` (any database with crm_sme and a
chart of accounts):
1. generate (once) BENCH_STATEMENT_DOCS posted documents for one customer over
   the last two years: invoices, one in ten paid (journal entry on the bank
   journal), one in twenty a credit note;
2. time the statement figures (crm.sme.statement._statements: two queries),
   the xlsx (crm_sme/tools/xlsx.py, constant memory) and the PDF (QWeb +
   wkhtmltopdf) of the whole period, with the Python peak memory growth
   (tracemalloc) and the peak memory of wkhtmltopdf (the largest child process).
"""

from datetime import timedelta
import os
import random
import resource
import time
import tracemalloc

from odoo import Command, fields

DOCS = int(os.environ.get("BENCH_STATEMENT_DOCS", 10000))
TAG = "crm_sme bench statement customer"
REPORT = "crm_sme.action_report_customer_statement"


def generate():
    Partner = env["res.partner"].with_context(tracking_disable=True)
    customer = Partner.search([("name", "=", TAG)], limit=1) or Partner.create(
        {"name": TAG, "is_company": True}
    )
    Move = env["account.move"].with_context(tracking_disable=True)
    done = Move.search_count([("partner_id", "=", customer.id), ("state", "=", "posted")])
    rnd = random.Random(12)
    today = fields.Date.today()
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
    )
    for start in range(done, DOCS, 500):
        count = min(500, DOCS - start)
        moves = Move.create(
            [
                {
                    "move_type": "out_refund" if (start + i) % 20 == 19 else "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=rnd.randint(1, 700)),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Paper", "price_unit": rnd.randint(10, 500), "tax_ids": []}
                        )
                    ],
                }
                for i in range(count)
            ]
        )
        moves.action_post()
        to_pay = moves.filtered(lambda m: m.move_type == "out_invoice")[::10]
        if bank and to_pay:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=to_pay.ids
            ).create({"journal_id": bank.id, "group_payment": False})._create_payments()
        env.cr.commit()
        print(f"generated {start + count} documents")
    return customer


def run():
    customer = generate()
    Statement = env["crm.sme.statement"]
    date_from = fields.Date.today() - timedelta(days=730)
    date_to = fields.Date.today()
    tracemalloc.start()

    def timed(name, fn):
        env.invalidate_all()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
        print(f"{name}: {elapsed:.2f} s, Python peak memory growth {peak:.1f} MB")
        return result

    statements = timed(
        "statement figures", lambda: Statement._statements(customer, date_from, date_to)
    )
    lines = len(statements[customer.id]["lines"])
    print(f"statement lines: {lines}")
    xlsx = timed("xlsx", lambda: Statement._xlsx(statements))
    print(f"xlsx: {len(xlsx) / 2**20:.1f} MB")
    pdf, _type = timed(
        "pdf (QWeb + wkhtmltopdf)",
        lambda: env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(
            REPORT,
            customer.ids,
            data={"date_from": str(date_from), "date_to": str(date_to)},
        ),
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"pdf: {len(pdf) / 2**20:.1f} MB; wkhtmltopdf peak RSS {children:.0f} MB")
    tracemalloc.stop()


run()
