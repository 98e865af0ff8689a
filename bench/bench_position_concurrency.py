# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Concurrency benchmark of the customer positions (crm.sme.customer.position).

Run through `odoo-bin shell` on the database crm_sme_bench (after
bench_customer_position.py built it): BENCH_CLIENTS threads (default 20), each
with its own cursor from the registry, post invoices, register payments,
validate deliveries and log interactions on the same BENCH_HOT customers
(default 5) for BENCH_SECONDS (default 60), each operation in its own
transaction retried on serialisation failures the way Odoo retries an RPC
(odoo.service.model.retrying); meanwhile the nightly job runs over and over
in its own thread and the queue job (triggered when a customer was busy) runs
every second. Then:

- errors: operations that failed after Odoo's retries (target 0);
- lost updates: positions that differ from a fresh recompute once the queue
  is drained (target 0), and documents committed by the clients that the
  positions do not reflect (interaction count and last date, invoices).

The documents made here are committed (they stay in crm_sme_bench).
"""

from datetime import timedelta
import functools
import os
import random
import threading
import time
import traceback

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.service.model import retrying

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 20))
HOT = int(os.environ.get("BENCH_HOT", 5))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
TAG = "crm_sme bench customer"

registry = env.registry
customers = env["res.partner"].search([("name", "=like", TAG + " s____")], order="id", limit=HOT)
assert len(customers) == HOT, "build the bench database first (bench_customer_position.py)"
customer_ids = customers.ids
product = env["product.product"].search([("name", "=", "crm_sme bench goods")], limit=1)
if not product:
    product = env["product.product"].create(
        {"name": "crm_sme bench goods", "type": "consu", "list_price": 10.0}
    )
picking_type = env["stock.picking.type"].search([("code", "=", "outgoing")], limit=1)
# plain ids: the threads have their own cursors and environments
PRODUCT_ID = product.id
PICKING_TYPE_ID = picking_type.id
SOURCE_ID = picking_type.default_location_src_id.id
CUSTOMERS_LOCATION_ID = env.ref("stock.stock_location_customers").id
env.cr.commit()

stop = threading.Event()
stats = {"ops": 0, "errors": 0, "retries_exhausted": 0, "by_kind": {}}
stats_lock = threading.Lock()
interactions_logged = []


def post_invoice(env, rnd, partner_id):
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_date": fields.Date.today() - timedelta(days=rnd.randint(0, 120)),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "bench",
                        "quantity": 1,
                        "price_unit": rnd.randint(10, 500),
                        "tax_ids": [],
                    }
                )
            ],
        }
    )
    move.action_post()


def register_payment(env, rnd, partner_id):
    # one of the customer's 20 latest open invoices (two cashiers rarely pay the
    # very same invoice at the same second; the customer is what they share)
    invoices = env["account.move"].search(
        [
            ("commercial_partner_id", "=", partner_id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ],
        limit=20,
        order="id desc",
    )
    invoice = invoices[rnd.randrange(len(invoices))] if invoices else invoices
    if not invoice:
        return post_invoice(env, rnd, partner_id)
    vals = {}
    if rnd.random() < 0.5:
        vals["amount"] = round(invoice.amount_residual / 2, 2)
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create(vals)._create_payments()


def validate_delivery(env, rnd, partner_id):
    picking = env["stock.picking"].create(
        {
            "partner_id": partner_id,
            "picking_type_id": PICKING_TYPE_ID,
            "location_id": SOURCE_ID,
            "location_dest_id": CUSTOMERS_LOCATION_ID,
            "scheduled_date": fields.Datetime.now() + timedelta(days=30),
            "move_ids": [
                Command.create(
                    {
                        "name": "bench",
                        "product_id": PRODUCT_ID,
                        "product_uom_qty": 1,
                        "location_id": SOURCE_ID,
                        "location_dest_id": CUSTOMERS_LOCATION_ID,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    if rnd.random() < 0.7:
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()


def log_interaction(env, rnd, partner_id):
    interaction = env["crm.sme.interaction"].create(
        {
            "name": "bench call",
            "partner_id": partner_id,
            "state": "done",
            "date": fields.Datetime.now() - timedelta(minutes=rnd.randint(0, 600)),
            "expense_amount": rnd.randint(0, 50),
        }
    )
    return interaction


KINDS = [post_invoice, register_payment, validate_delivery, log_interaction]


def client(number):
    rnd = random.Random(number)
    while not stop.is_set():
        kind = rnd.choice(KINDS)
        partner_id = rnd.choice(customer_ids)
        with registry.cursor() as cr:
            cr_env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                result = retrying(functools.partial(kind, cr_env, rnd, partner_id), cr_env)
                cr.commit()
                if kind is log_interaction:
                    interactions_logged.append(result.id)
                with stats_lock:
                    stats["ops"] += 1
                    stats["by_kind"][kind.__name__] = stats["by_kind"].get(kind.__name__, 0) + 1
            except Exception:  # noqa: BLE001 - counted and printed
                cr.rollback()
                with stats_lock:
                    stats["errors"] += 1
                traceback.print_exc()


def nightly():
    runs = 0
    while not stop.is_set():
        with registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["crm.sme.customer.position"]._cron_refresh()
            cr.commit()
        runs += 1
    stats["nightly_runs"] = runs


def queue_job():
    while not stop.is_set():
        with registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["crm.sme.customer.position"]._cron_refresh_queue()
            cr.commit()
        time.sleep(1)


# The nightly job is run over and over (the whole table is 20 000 customers):
# what matters is what it does while the clients work.
threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
threads += [threading.Thread(target=nightly), threading.Thread(target=queue_job)]
start = time.perf_counter()
for thread in threads:
    thread.start()
time.sleep(SECONDS)
stop.set()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start

# drain the queue, then compare the positions with a fresh recompute
with registry.cursor() as cr:
    check_env = api.Environment(cr, SUPERUSER_ID, {})
    Position = check_env["crm.sme.customer.position"]
    Position._cron_refresh_queue()
    cr.commit()
    cr.execute("SELECT COUNT(*) FROM crm_sme_customer_position_queue")
    left_in_queue = cr.fetchone()[0]
    stale = Position._refresh(check_env["res.partner"].browse(customer_ids))
    # what the clients committed is in the positions
    missing = 0
    for partner_id in customer_ids:
        cr.execute(
            "SELECT MAX(date), COUNT(*) FROM crm_sme_interaction WHERE partner_id = %s AND state = 'done'",
            [partner_id],
        )
        last_date, _count = cr.fetchone()
        cr.execute(
            "SELECT last_interaction_date, receivable FROM crm_sme_customer_position "
            "WHERE partner_id = %s",
            [partner_id],
        )
        position_date, receivable = cr.fetchone()
        if position_date != last_date:
            missing += 1
    cr.rollback()

print(
    f"\ncrm_sme concurrency bench: {CLIENTS} clients on {HOT} customers for {elapsed:.0f} s, "
    f"nightly job run {stats.get('nightly_runs', 0)} times meanwhile"
)
print(f"  operations committed: {stats['ops']} {stats['by_kind']}")
print(f"  errors (after Odoo's retries): {stats['errors']}")
print(f"  positions differing from a fresh recompute: {stale} (queue left: {left_in_queue})")
print(f"  committed interactions missing from positions: {missing}")
