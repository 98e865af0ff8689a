# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the customer dynamic analysis report (PDF and xlsx) for a year.

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench,
after bench_customer_position.py (whose generator it reuses when the scale is
not there yet: 20 000 customers, ~400 000 invoice lines over 24 months):
1. once: 10 salespeople over the customers, 13 monthly value snapshots per
   customer (crm.sme.customer.value.history, random tiers and lifecycles,
   one INSERT ... SELECT) and 2 000 rated feedback records, committed;
2. time, as the administrator, for the last 12 months:
   - reference: the raw SQL facts query alone (one row per customer),
   - the sections (facts + interactions + grouping in Python),
   - the xlsx (tools/xlsx.py, constant memory) from the sections,
   - the PDF (QWeb + wkhtmltopdf) from the sections,
   - the whole generation as the user's button runs it (both files stored),
   with the peak of Python allocations (tracemalloc) and the growth of the
   process's peak RSS for each output;
3. print medians of BENCH_RUNS runs.  Everything of step 2 is rolled back.
"""

from datetime import timedelta
import os
import pathlib
import resource
import statistics
import time
import tracemalloc

from dateutil.relativedelta import relativedelta

from odoo import fields

RUNS = int(os.environ.get("BENCH_RUNS", 3))
TAG = "crm_sme bench customer"
USERS = 10
FEEDBACK = 2000


def ensure_scale():
    env.cr.execute("SELECT COUNT(*) FROM res_partner WHERE name LIKE %s", [TAG + "%"])
    if env.cr.fetchone()[0] >= int(os.environ.get("BENCH_CUSTOMERS", 20000)):
        return
    # reuse the generator of bench_customer_position.py (its functions only)
    source = pathlib.Path(os.environ.get("ROOT", ".")) / "bench" / "bench_customer_position.py"
    code = source.read_text().split("\nseed_partners = seed()")[0]
    scope = {"env": env, "__name__": "bench_generator"}
    exec(compile(code, str(source), "exec"), scope)  # noqa: S102 - our own bench file
    scope["replicate"](scope["seed"]())


def ensure_history(partners):
    company = env.company
    env.cr.execute(
        "SELECT COUNT(*) FROM crm_sme_customer_value_history WHERE company_id = %s",
        [company.id],
    )
    if env.cr.fetchone()[0] >= len(partners) * 12:
        return
    users = env["res.users"].search([("login", "=like", "bench_sales_%")])
    if len(users) < USERS:
        users |= env["res.users"].create(
            [
                {"name": f"Bench Salesperson {i}", "login": f"bench_sales_{i}"}
                for i in range(len(users), USERS)
            ]
        )
    env.cr.execute(
        "UPDATE res_partner SET user_id = (%s::int[])[1 + id %% %s] WHERE id = ANY(%s)",
        [users.ids, len(users), partners.ids],
    )
    first = fields.Date.today().replace(day=1)
    env.cr.execute(
        """
        INSERT INTO crm_sme_customer_value_history
               (partner_id, company_id, period, user_id, value_tier, lifecycle, revenue,
                create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, m.period, p.user_id,
               (ARRAY['key', 'grow', 'maintain', 'basic'])[1 + (p.id + m.n / 4) %% 4],
               (ARRAY['new', 'active', 'active', 'active', 'at_risk', 'dormant', 'lost'])
                   [1 + (p.id + m.n) %% 7],
               (p.id %% 1000) * 10, 1, 1, now(), now()
          FROM res_partner p
    CROSS JOIN (SELECT n, (%(first)s::date - make_interval(months => n))::date AS period
                  FROM generate_series(0, 12) n) m
         WHERE p.id = ANY(%(ids)s)
        ON CONFLICT (partner_id, company_id, period) DO NOTHING
        """,
        {"company": company.id, "first": first, "ids": partners.ids},
    )
    complaint = env.ref("crm_sme.feedback_type_complaint")
    vals = [
        {
            "name": f"Bench feedback {i}",
            "partner_id": partners[i * 7 % len(partners)].id,
            "type_id": complaint.id,
            "date_received": fields.Datetime.now() - timedelta(days=i % 360),
        }
        for i in range(FEEDBACK)
    ]
    feedback = (
        env["crm.sme.feedback"]
        .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        .create(vals)
    )
    env.cr.execute(
        "UPDATE crm_sme_feedback SET csat_score = 1 + id %% 5, nps_score = id %% 11, "
        "date_nps = date_received WHERE id = ANY(%s)",
        [feedback.ids],
    )
    env.cr.commit()


def measured(func):
    """(seconds, tracemalloc peak MB, peak RSS growth MB) of func()."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    __, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    return seconds, peak / 2**20, rss_growth / 1024, result


def timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


ensure_scale()
partners = env["res.partner"].search([("name", "=like", TAG + "%")], order="id")
ensure_history(partners)
env.cr.execute(
    "SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
    "WHERE l.display_type = 'product' AND m.commercial_partner_id = ANY(%s)",
    [partners.ids],
)
lines = env.cr.fetchone()[0]
admin = env.ref("base.user_admin")
admin_env = env(user=admin)
date_from = fields.Date.today().replace(day=1) - relativedelta(months=12)
report = admin_env["crm.sme.dynamic.report"].create(
    {"company_id": env.company.id, "period_type": "year", "date_from": date_from}
)
data = admin_env["crm.sme.dynamic.report.data"]
company = env.company

samples = {
    "reference: raw SQL facts query": [],
    "sections": [],
    "xlsx": [],
    "pdf": [],
    "generate (both)": [],
}
memory = {}
for _run in range(RUNS):
    samples["reference: raw SQL facts query"].append(
        timed(lambda: data._dynamic_facts(company, report.date_from, report.date_to))
    )
    seconds, peak, rss, sections = measured(report._sections)
    samples["sections"].append(seconds)
    memory.setdefault("sections", (peak, rss))
    seconds, peak, rss, xlsx = measured(lambda sections=sections: report._xlsx_bytes(sections))
    samples["xlsx"].append(seconds)
    memory.setdefault("xlsx", (peak, rss))
    seconds, peak, rss, pdf = measured(
        lambda sections=sections: admin_env["ir.actions.report"]._render_qweb_pdf(
            "crm_sme.crm_sme_dynamic_report_action_pdf",
            report.ids,
            data={"crm_sme_sections": {report.id: sections}},
        )[0]
    )
    samples["pdf"].append(seconds)
    memory.setdefault("pdf", (peak, rss))
    samples["generate (both)"].append(timed(report._generate_files))
period_from, period_to = report.date_from, report.date_to
facts = data._dynamic_facts(company, period_from, period_to)
env.cr.rollback()

print(
    f"\ncrm_sme dynamic report bench: {len(partners)} customers, {lines} posted invoice lines, "
    f"period {period_from} - {period_to} ({len(facts)} customers with facts), "
    f"median of {RUNS} runs"
)
base = statistics.median(samples["reference: raw SQL facts query"])
for name, values in samples.items():
    seconds = statistics.median(values)
    line = f"  {name:<34} {seconds:8.3f} s   {seconds / base:6.2f} x reference"
    if name in memory:
        peak, rss = memory[name]
        line += f"   python peak {peak:7.1f} MB, peak RSS growth {rss:7.1f} MB"
    print(line)
print(f"  xlsx size {len(xlsx) / 2**20:.2f} MB, PDF size {len(pdf) / 2**20:.2f} MB")
print(
    f"  wkhtmltopdf peak RSS (children): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
)
