# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer form and list as the web client reads them.

Run by `make bench` through `odoo-bin shell` (any database with crm_sme):
1. generate (once) BENCH_FORM_CUSTOMERS company customers with their
   classification (region, type, source, team, salesperson) and a contact, and
   BENCH_FORM_INVOICES posted invoices on one of them ("big"), another one with
   a single invoice ("small");
2. build the web client's field specification from the views' arch
   (crm_sme/tests/web_client.py, as getFieldsSpec does) and the same
   specification without the fields crm_sme adds (Odoo's own fields alone);
3. as BENCH_FORM_LOGIN (default admin) in the web client's context, count the
   queries and time (median of BENCH_RUNS interleaved runs) of web_read of the
   form for both customers, and web_search_read of the customer list (80 rows).
Targets (issue 9): form <= 45 queries, time within 10 % of Odoo's own fields
alone, and the same count for both customers.
"""

from datetime import timedelta
import importlib.util
import os
import random
import statistics
import time

from odoo import Command, fields
from odoo.modules.module import get_module_path

CUSTOMERS = int(os.environ.get("BENCH_FORM_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_FORM_INVOICES", 200))
RUNS = int(os.environ.get("BENCH_RUNS", 9))
LOGIN = os.environ.get("BENCH_FORM_LOGIN", "admin")
TAG = "crm_sme bench form customer"

# the test helper, loaded by path: importing the tests package would load the
# test framework into the shell
_spec = importlib.util.spec_from_file_location(
    "crm_sme_web_client", os.path.join(get_module_path("crm_sme"), "tests", "web_client.py")
)
web_client = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_client)


def generate():
    Partner = env["res.partner"].with_context(tracking_disable=True)
    partners = Partner.search([("name", "=like", TAG + "%")], order="id")
    rnd = random.Random(9)
    if len(partners) < CUSTOMERS:
        regions = env["crm.sme.region"].search([]) or env["crm.sme.region"].create(
            [{"name": f"Bench region {i}"} for i in range(6)]
        )
        types = env["crm.sme.customer.type"].search([])
        sources = env["utm.source"].search([], limit=10)
        teams = env["crm.team"].search([])
        users = env.ref("base.user_admin")
        for start in range(len(partners), CUSTOMERS, 1000):
            partners |= Partner.create(
                [
                    {
                        "name": f"{TAG} {i:05d}",
                        "is_company": True,
                        "email": f"buyer{i}@bench-form.example.com",
                        "user_id": users.id,
                        "team_id": rnd.choice(teams).id if teams else False,
                        "region_id": rnd.choice(regions).id,
                        "customer_type_id": rnd.choice(types).id if types else False,
                        "source_id": rnd.choice(sources).id if sources else False,
                        "child_ids": [Command.create({"name": f"Buyer {i}"})],
                    }
                    for i in range(start, min(start + 1000, CUSTOMERS))
                ]
            )
            env.cr.commit()
    big, small = partners[0], partners[1]
    today = fields.Date.today()
    Move = env["account.move"].with_context(tracking_disable=True)
    for customer, count in ((small, 1), (big, INVOICES)):
        done = Move.search_count([("partner_id", "=", customer.id), ("state", "=", "posted")])
        if done >= count:
            continue
        moves = Move.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=rnd.randint(1, 700)),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Paper", "price_unit": rnd.randint(10, 500), "tax_ids": []}
                        )
                    ],
                }
                for _ in range(count - done)
            ]
        )
        moves.action_post()
        env.cr.commit()
    return partners, big, small


def measure(cases):
    """Queries of each case (warm registry caches, cold record cache) and its
    median time, the cases interleaved round by round."""
    queries, samples = {}, {name: [] for name in cases}
    for name, fn in cases.items():
        fn()
        env.invalidate_all()
        before = env.cr.sql_log_count
        fn()
        queries[name] = env.cr.sql_log_count - before
    for _ in range(RUNS):
        for name, fn in cases.items():
            env.invalidate_all()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: (queries[name], statistics.median(samples[name])) for name in cases}


partners, big, small = generate()
user = env["res.users"].search([("login", "=", LOGIN)])
uenv = web_client.web_client_env(env(user=user))
Partner = uenv["res.partner"]
form = web_client.form_spec(Partner)
form_odoo = web_client.spec_without_module(Partner, form, "crm_sme")
listed = web_client.list_spec(Partner, "crm_sme.view_partner_customer_list")
list_odoo = web_client.spec_without_module(Partner, listed, "crm_sme")
list_domain = [("is_company", "=", True), ("id", "in", partners[:80].ids)]
invoices = {
    customer: env["account.move"].search_count([("partner_id", "=", customer.id)])
    for customer in (small, big)
}
print(
    f"{env['res.partner'].search_count([])} partners, {len(partners)} bench customers; "
    f"form as {LOGIN}; small customer {invoices[small]} invoice(s), big one {invoices[big]}"
)
results = measure(
    {
        "form, small customer (crm_sme)": lambda: small.with_env(uenv).web_read(form),
        "form, small customer (Odoo's fields alone)": lambda: small.with_env(uenv).web_read(
            form_odoo
        ),
        "form, big customer (crm_sme)": lambda: big.with_env(uenv).web_read(form),
        "form, big customer (Odoo's fields alone)": lambda: big.with_env(uenv).web_read(form_odoo),
        "list, 80 customers (crm_sme)": lambda: Partner.web_search_read(
            list_domain, listed, limit=80
        ),
        "list, 80 customers (Odoo's fields alone)": lambda: Partner.web_search_read(
            list_domain, list_odoo, limit=80
        ),
    }
)
for name, (count, seconds) in results.items():
    print(f"{name:<45} {count:>4} queries  {seconds * 1000:8.1f} ms")
for what in ("form, small customer", "form, big customer", "list, 80 customers"):
    (ours_q, ours_t), (odoo_q, odoo_t) = (
        results[f"{what} (crm_sme)"],
        results[f"{what} (Odoo's fields alone)"],
    )
    print(f"{what}: +{ours_q - odoo_q} queries, time x{ours_t / odoo_t:.2f} of Odoo's own fields")
env.cr.rollback()
