# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Visit plan and churn watch generation for 20 000 customers: time and queries.

Run inside ``odoo shell`` on a database with crm_sme (the ``env`` global is Odoo's):

    cd $WT && export VENV=/work/main/.venv && source scripts/common.sh && require_odoo
    odoo shell -d crm_sme_dev_plan --log-level=warn < bench/bench_visit_plan.py

It inserts BENCH_CUSTOMERS (20 000) customers of 20 salespeople by SQL, with
a value tier, current value and lifecycle (a third at risk or dormant), one
to three done visits each and an open feedback for one in ten, then times,
BENCH_RUNS times (medians):

- reference: one raw SQL pass reading the same rows (customers with their
  jsonb scores, last done visit, open feedback) and ranking them per
  salesperson, without writing;
- crm_sme: ``crm.sme.visit.plan.line._generate`` (first run: every line
  inserted; next runs: unchanged lines upserted in place), with its queries;
- crm_sme: the 'Visit due' activities (first run creates them, next runs none);
- crm_sme: the churn watch read (every at-risk/dormant customer of the
  company) and its win-back activities (first run creates them).
Everything is rolled back: the database is left as it was.
"""

import os
import statistics
import time

from odoo.tools import SQL

N = int(os.environ.get("BENCH_CUSTOMERS", 20_000))
RUNS = int(os.environ.get("BENCH_RUNS", 3))
USERS = 20
env = globals()["env"]  # noqa: F821 - provided by odoo shell
cr = env.cr
company = env.company
cid = str(company.id)
Plan = env["crm.sme.visit.plan.line"]
Watch = env["crm.sme.churn.watch"]


def timed(func):
    env.invalidate_all()
    before = cr.sql_log_count
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, cr.sql_log_count - before, result


users = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        [
            {
                "name": f"Bench salesperson {i}",
                "login": f"bench_plan_{i}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
            for i in range(USERS)
        ]
    )
)
team = env["crm.team"].create({"name": "Bench plan team", "company_id": company.id})
team.member_ids = users
env.flush_all()
t0 = time.perf_counter()
cr.execute(
    SQL(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type, user_id, team_id,
                                 company_id, crm_sme_value_tier, crm_sme_current_value,
                                 crm_sme_lifecycle, create_date, write_date)
        SELECT 'Bench plan ' || g, 'Bench plan ' || g, TRUE, TRUE, 'contact',
               (%(users)s::int[])[1 + g %% %(nusers)s], %(team)s, %(company)s,
               jsonb_build_object(%(cid)s, (ARRAY['key','grow','maintain','basic'])[1 + g %% 4]),
               jsonb_build_object(%(cid)s, (g * 37) %% 100),
               jsonb_build_object(%(cid)s, (ARRAY['active','active','at_risk','dormant','new','active'])[1 + g %% 6]),
               now(), now()
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        users=users.ids,
        nusers=USERS,
        team=team.id,
        company=company.id,
        cid=cid,
        n=N,
    )
)
partner_ids = [r[0] for r in cr.fetchall()]
cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
cr.execute(
    SQL(
        """
        INSERT INTO crm_sme_interaction (name, interaction_type, state, date, company_id,
                                         partner_id, user_id, team_id, create_date, write_date)
        SELECT 'Bench visit', 'visit', 'done', now() - make_interval(days => (p.id * 7 + k * 11) %% 200),
               %(company)s, p.id, p.user_id, p.team_id, now(), now()
          FROM res_partner p, generate_series(1, 3) k
         WHERE p.id = ANY(%(ids)s) AND k <= 1 + p.id %% 3
        """,
        company=company.id,
        ids=partner_ids,
    )
)
stage = env["crm.sme.feedback.stage"].search([("fold", "=", False)], limit=1)
cr.execute(
    SQL(
        """
        INSERT INTO crm_sme_feedback (name, reference, partner_id, company_id, stage_id, is_closed,
                                      priority, date_received, create_date, write_date)
        SELECT 'Bench feedback', 'BENCH' || p.id, p.id, %(company)s, %(stage)s, FALSE, '1', now(), now(), now()
          FROM res_partner p WHERE p.id = ANY(%(ids)s) AND p.id %% 10 = 0
        """,
        company=company.id,
        stage=stage.id,
        ids=partner_ids,
    )
)
cr.execute("ANALYZE res_partner; ANALYZE crm_sme_interaction; ANALYZE crm_sme_feedback")
print(f"generated {N} customers in {time.perf_counter() - t0:.1f}s", flush=True)

week_start, today = Plan._week_start(company)


def reference():
    cr.execute(
        SQL(
            """
            SELECT COUNT(*) FROM (
                SELECT c.partner_id, ROW_NUMBER() OVER (PARTITION BY c.user_id
                       ORDER BY c.value_score * (1 + c.feedback_count) DESC) AS pos
                  FROM (%(candidates)s) c) r
             WHERE r.pos <= 20
            """,
            candidates=Plan._candidates_sql(company, today),
        )
    )
    return cr.fetchone()[0]


def churn_read():
    return len(
        Watch.search_read([("company_id", "=", company.id)], ["partner_id", "revenue_trend"])
    )


figures = {}
for run in range(RUNS):
    for name, func in (
        ("reference: raw SQL pass", reference),
        ("visit plan: generate", lambda: Plan._generate(company)),
        ("visit due: activities", lambda: env["crm.sme.visit.due"]._create_activities(company)),
        ("churn watch: read all", churn_read),
        ("churn watch: win-back activities", lambda: Watch._create_winback_activities(company)),
    ):
        seconds, queries, result = timed(func)
        figures.setdefault(name, []).append((seconds, queries, result))
        print(
            f"run {run + 1} {name}: {seconds:.3f}s, {queries} queries, result {result}", flush=True
        )

ref = statistics.median(s for s, _q, _r in figures["reference: raw SQL pass"])
print(f"\n{N} customers, {USERS} salespeople, medians of {RUNS} runs (first run in brackets):")
for name, runs in figures.items():
    median = statistics.median(s for s, _q, _r in runs)
    first = runs[0]
    print(
        f"  {name:38s} {median:8.3f}s  x{median / ref:5.2f} of the reference  "
        f"[first {first[0]:.3f}s, {first[1]} queries, result {first[2]}]"
    )
cr.rollback()
print("rolled back")
