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
# every customer is a copy of one created through the ORM, with its own name,
# salesperson and scores
template = env["res.partner"].create(
    {
        "name": "Bench plan template",
        "is_company": True,
        "company_id": company.id,
        "team_id": team.id,
    }
)
env.flush_all()
cr.execute(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
    " AND column_name NOT IN ('id', 'name', 'complete_name', 'user_id', 'crm_sme_value_tier',"
    " 'crm_sme_current_value', 'crm_sme_lifecycle', 'commercial_partner_id')"
)
copied = [SQL.identifier(row[0]) for row in cr.fetchall()]
cr.execute(
    SQL(
        """
        INSERT INTO res_partner (name, complete_name, user_id, crm_sme_value_tier,
                                 crm_sme_current_value, crm_sme_lifecycle, %(columns)s)
        SELECT 'Bench plan ' || g, 'Bench plan ' || g,
               (%(users)s::int[])[1 + mod(g, %(nusers)s)],
               jsonb_build_object(%(cid)s, (ARRAY['key','grow','maintain','basic'])[1 + mod(g, 4)]),
               jsonb_build_object(%(cid)s, mod(g * 37, 100)),
               jsonb_build_object(%(cid)s, (ARRAY['active','active','at_risk','dormant','new','active'])[1 + mod(g, 6)]),
               %(columns)s
          FROM generate_series(1, %(n)s) g, res_partner t
         WHERE t.id = %(template)s
        RETURNING id
        """,
        columns=SQL(", ").join(copied),
        users=users.ids,
        nusers=USERS,
        cid=cid,
        n=N,
        template=template.id,
    )
)
partner_ids = [r[0] for r in cr.fetchall()]
cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])


def clone(table, template, overrides, source, where):
    """Insert copies of the template row, one per row of ``source``, with
    ``overrides`` (column -> SQL expression) replacing its values."""
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    columns = [row[0] for row in cr.fetchall() if row[0] != "id" and row[0] not in overrides]
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (%(names)s) SELECT %(values)s FROM %(table)s t, %(source)s "
            "WHERE t.id = %(template)s AND %(where)s",
            table=SQL.identifier(table),
            names=SQL(", ").join(SQL.identifier(c) for c in [*overrides, *columns]),
            values=SQL(", ").join(
                [*overrides.values(), *(SQL("t.%s", SQL.identifier(c)) for c in columns)]
            ),
            source=source,
            template=template.id,
            where=where,
        )
    )


Interaction = env["crm.sme.interaction"].with_context(tracking_disable=True)
visit = Interaction.create(
    {"name": "Bench visit", "partner_id": template.id, "user_id": users[0].id}
)
feedback = (
    env["crm.sme.feedback"]
    .with_context(tracking_disable=True)
    .create({"name": "Bench feedback", "partner_id": template.id})
)
env.flush_all()
clone(
    "crm_sme_interaction",
    visit,
    {
        "partner_id": SQL("p.id"),
        "user_id": SQL("p.user_id"),
        "date": SQL("now() - make_interval(days => mod(p.id * 7 + k * 11, 200))"),
    },
    SQL("res_partner p, generate_series(1, 3) k"),
    SQL("p.id = ANY(%s) AND k <= 1 + mod(p.id, 3)", partner_ids),
)
clone(
    "crm_sme_feedback",
    feedback,
    {"partner_id": SQL("p.id"), "reference": SQL("'BENCH' || p.id")},
    SQL("res_partner p"),
    SQL("p.id = ANY(%s) AND mod(p.id, 10) = 0", partner_ids),
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
