# ruff: noqa: F821  (env is given by odoo-bin shell)
"""Benchmark of the manager analytics (crm_sme/report/): each report's first
page and totals as the web client asks for them, against the equivalent raw
SQL in the same run.

Run by `make bench` through `odoo-bin shell` on the database crm_sme_bench
(BENCH_DB): uses the data set of bench_customer_position.py (20 000 customers,
~400 000 invoice lines over 24 months; its generator is executed here when
the data is missing, so this bench also runs alone), then once:
- gives the bench customers a district, customer type, source, one of ten
  salespeople, a value tier, ABC class and lifecycle (by SQL, as the value job
  would);
- two monthly value snapshots per customer (this month and a year before)
  and two interactions each (a visit with an expense, a call);
- refreshes the customer positions (the 12-month revenue of the reports).

Cases (as a sales manager, record rules applied; medians of BENCH_RUNS
interleaved rounds):
- distribution: pivot by district, count and share + its total row;
- revenue by tier x ABC class: pivot tier (rows) x class (columns), count,
  revenue, share + row, column and grand totals (the report's pivot asks
  for the four groupings in one crm_sme_read_groups request; the raw SQL
  computes the same with GROUPING SETS; Odoo's own pivot, 4 read_group, is
  timed too for comparison);
- 80/20 curve: graph by customer percentile, cumulative share of revenue;
- customer analysis list: first page of 80 rows + count;
- tier moves: matrix pivot tier before (rows) x tier after (columns), count
  and revenue + row, column and grand totals (idem);
- salesperson performance: list first page + count (12 months).
"""

from datetime import timedelta
import importlib.util
import os
import statistics
import time

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.modules.module import get_module_path

RUNS = int(os.environ.get("BENCH_RUNS", 5))
BENCH_DIR = os.environ.get("BENCH_DIR", "bench")
SALESPEOPLE = 10

_spec = importlib.util.spec_from_file_location(
    "crm_sme_web_client", os.path.join(get_module_path("crm_sme"), "tests", "web_client.py")
)
web_client = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_client)

# the generator of bench_customer_position.py (its definitions, not its timings)
with open(os.path.join(BENCH_DIR, "bench_customer_position.py"), encoding="utf-8") as _file:
    _source = _file.read().split("\nseed_partners = seed()")[0]
exec(compile(_source, "bench_customer_position.py", "exec"), globals())  # noqa: S102
replicate(seed())
env.cr.commit()
cr = env.cr
company = env.ref("base.main_company")
today = fields.Date.today()
month = today.replace(day=1)
month_before = month - relativedelta(months=12)


def enrich():
    """Segmentation, snapshots and interactions of the bench customers (once)."""
    cr.execute(
        "SELECT COUNT(*) FROM res_partner WHERE name LIKE %s AND customer_type_id IS NULL",
        [TAG + "%"],
    )
    if not cr.fetchone()[0]:
        return
    users = env["res.users"].search([("login", "=like", "bench_analytics_%")], order="id")
    if not users:
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench salesperson {i}",
                    "login": f"bench_analytics_{i}",
                    "groups_id": [Command.link(env.ref("sales_team.group_sale_salesman").id)],
                }
                for i in range(SALESPEOPLE)
            ]
        )
    regions = env["crm.sme.region"].search([], limit=6) or env["crm.sme.region"].create(
        [{"name": f"Bench district {i}"} for i in range(6)]
    )
    types = env["crm.sme.customer.type"].search([])
    sources = env["utm.source"].search([], limit=5)
    env.flush_all()
    cr.execute(
        """
        UPDATE res_partner p
           SET customer_type_id = (%(types)s::int[])[1 + p.id %% %(n_types)s],
               region_id = (%(regions)s::int[])[1 + p.id %% %(n_regions)s],
               source_id = (%(sources)s::int[])[1 + (p.id / 7) %% %(n_sources)s],
               user_id = (%(users)s::int[])[1 + (p.id / 3) %% %(n_users)s],
               crm_sme_value_tier = jsonb_build_object(%(company)s,
                   (ARRAY['key', 'grow', 'maintain', 'basic'])[1 + p.id %% 4]),
               crm_sme_abc_class = jsonb_build_object(%(company)s,
                   (ARRAY['a', 'b', 'c', 'c', 'c'])[1 + p.id %% 5]),
               crm_sme_lifecycle = jsonb_build_object(%(company)s,
                   (ARRAY['new', 'active', 'active', 'at_risk', 'dormant', 'lost'])[1 + p.id %% 6])
         WHERE p.name LIKE %(tag)s AND p.parent_id IS NULL
        """,
        {
            "types": types.ids,
            "n_types": len(types),
            "regions": regions.ids,
            "n_regions": len(regions),
            "sources": sources.ids,
            "n_sources": len(sources),
            "users": users.ids,
            "n_users": len(users),
            "company": str(company.id),
            "tag": TAG + "%",
        },
    )
    cr.execute(
        """
        INSERT INTO crm_sme_customer_value_history
               (partner_id, company_id, period, user_id, value_tier, lifecycle, revenue,
                create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, s.period, p.user_id,
               (ARRAY['key', 'grow', 'maintain', 'basic'])[1 + (p.id + s.shift) %% 4],
               (ARRAY['new', 'active', 'active', 'at_risk', 'dormant', 'lost'])[1 + (p.id + s.shift) %% 6],
               (p.id %% 97) * 100, 1, 1, now(), now()
          FROM res_partner p
         CROSS JOIN (VALUES (%(month)s::date, 0), (%(month_before)s::date, 1)) s(period, shift)
         WHERE p.name LIKE %(tag)s AND p.parent_id IS NULL
        ON CONFLICT DO NOTHING
        """,
        {"company": company.id, "month": month, "month_before": month_before, "tag": TAG + "%"},
    )
    cr.execute(
        """
        INSERT INTO crm_sme_interaction
               (name, interaction_type, state, date, company_id, partner_id, user_id,
                expense_amount, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench ' || k.kind, k.kind, CASE WHEN p.id %% 5 = 0 THEN 'planned' ELSE 'done' END,
               now() - ((p.id %% 360) || ' days')::interval, %(company)s, p.id, p.user_id,
               k.expense, 1, 1, now(), now()
          FROM res_partner p
         CROSS JOIN (VALUES ('visit', 80.0), ('call', 0.0)) k(kind, expense)
         WHERE p.name LIKE %(tag)s AND p.parent_id IS NULL
        """,
        {"company": company.id, "tag": TAG + "%"},
    )
    env.invalidate_all()
    env["crm.sme.customer.position"].sudo()._refresh()
    cr.commit()


enrich()
manager = env.ref("base.user_admin")
uenv = web_client.web_client_env(env(user=manager, su=False), company)
Analysis = uenv["crm.sme.customer.analysis"]
Moves = uenv["crm.sme.tier.move.report"]
Performance = uenv["crm.sme.salesperson.performance"]
analysis_spec = web_client.list_spec(Analysis, "crm_sme.crm_sme_customer_analysis_view_list")
performance_spec = web_client.list_spec(
    Performance, "crm_sme.crm_sme_salesperson_performance_view_list"
)

# The customers of the company, in the fastest raw forms found: its own and
# the shared ones (no company) in two branches, each reading its partial
# covering index (an OR join to res_company reads the partner table); each
# raw query is also timed in a second form (LATERAL below) and the faster
# of the two is the reference.
CUSTOMER_WHERE = """p.is_company AND p.parent_id IS NULL AND p.active
                  AND (p.customer_type_id IS NOT NULL OR p.customer_rank > 0)"""
CUSTOMER_COLUMNS = """p.id, p.region_id, p.customer_type_id, p.source_id, p.user_id,
                      p.crm_sme_value_tier, p.crm_sme_abc_class, p.crm_sme_lifecycle"""
CUSTOMER = f"""
    FROM (SELECT {CUSTOMER_COLUMNS}, p.company_id AS cid FROM res_partner p
           WHERE p.company_id = %(company)s AND {CUSTOMER_WHERE}
          UNION ALL
          SELECT {CUSTOMER_COLUMNS}, %(company)s FROM res_partner p
           WHERE p.company_id IS NULL AND {CUSTOMER_WHERE}) p
    JOIN res_company c ON c.id = p.cid
   WHERE NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)
"""
# the second form: the branches LATERAL to the company row (the planner
# then hash-joins the customers' positions instead of probing them one by one)
CUSTOMER_HEAD = CUSTOMER.split("JOIN res_company c ON c.id = p.cid")[0] + (
    "JOIN res_company c ON c.id = p.cid"
)
CUSTOMER_TAIL = "WHERE NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)"
LATERAL_HEAD = f"""
    FROM res_company c
   CROSS JOIN LATERAL (
          SELECT {CUSTOMER_COLUMNS} FROM res_partner p
           WHERE p.company_id = c.id AND {CUSTOMER_WHERE}
             AND NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)
          UNION ALL
          SELECT {CUSTOMER_COLUMNS} FROM res_partner p
           WHERE p.company_id IS NULL AND {CUSTOMER_WHERE}
             AND NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)) p"""


def lateral(query):
    """The query with its customers in the LATERAL form (None if it reads none)."""
    if CUSTOMER_HEAD not in query:
        return None
    return query.replace(CUSTOMER_HEAD, LATERAL_HEAD).replace(
        CUSTOMER_TAIL, "WHERE c.id = %(company)s"
    )


RAW = {
    "distribution": f"""
        SELECT p.region_id, COUNT(*), 100.0 * COUNT(*) / SUM(COUNT(*)) OVER ()
        {CUSTOMER} GROUP BY 1 ORDER BY 1""",
    "revenue": f"""
        SELECT p.crm_sme_value_tier ->> c.id::text AS tier, p.crm_sme_abc_class ->> c.id::text AS abc,
               COUNT(*), SUM(COALESCE(pos.invoiced_12m, 0)),
               100.0 * SUM(COALESCE(pos.invoiced_12m, 0))
                   / NULLIF(SUM(SUM(COALESCE(pos.invoiced_12m, 0))) OVER (
                       PARTITION BY GROUPING(p.crm_sme_value_tier ->> c.id::text,
                                             p.crm_sme_abc_class ->> c.id::text)), 0)
        {
        CUSTOMER.replace(
            "JOIN res_company c ON c.id = p.cid",
            "JOIN res_company c ON c.id = p.cid "
            "LEFT JOIN crm_sme_customer_position pos "
            "ON pos.partner_id = p.id AND pos.company_id = c.id",
        )
    }
        GROUP BY GROUPING SETS ((1, 2), (1), (2), ())""",
    "curve": f"""
        SELECT CEIL(100.0 * rank / total)::int, MAX(running / NULLIF(revenue, 0) * 100)
          FROM (SELECT ROW_NUMBER() OVER w AS rank, COUNT(*) OVER () AS total,
                       SUM(COALESCE(pos.invoiced_12m, 0)) OVER w AS running,
                       SUM(COALESCE(pos.invoiced_12m, 0)) OVER () AS revenue
                {
        CUSTOMER.replace(
            "JOIN res_company c ON c.id = p.cid",
            "JOIN res_company c ON c.id = p.cid "
            "LEFT JOIN crm_sme_customer_position pos "
            "ON pos.partner_id = p.id AND pos.company_id = c.id",
        )
    }
                WINDOW w AS (ORDER BY COALESCE(pos.invoiced_12m, 0) DESC, p.id
                             ROWS UNBOUNDED PRECEDING)) x
         GROUP BY 1 ORDER BY 1""",
    "list": f"""
        SELECT x.*, n.name
          FROM (SELECT p.id, p.region_id, p.customer_type_id, p.source_id, p.user_id,
                       p.crm_sme_value_tier ->> c.id::text, p.crm_sme_abc_class ->> c.id::text,
                       p.crm_sme_lifecycle ->> c.id::text,
                       COALESCE(pos.invoiced_12m, 0) AS revenue,
                       ROW_NUMBER() OVER w,
                       -- the cumulative shares of customers and revenue (of the
                       -- company's totals)
                       100.0 * ROW_NUMBER() OVER w / COUNT(*) OVER (),
                       100.0 * SUM(COALESCE(pos.invoiced_12m, 0)) OVER w
                           / NULLIF(SUM(COALESCE(pos.invoiced_12m, 0)) OVER (), 0)
                {
        CUSTOMER.replace(
            "JOIN res_company c ON c.id = p.cid",
            "JOIN res_company c ON c.id = p.cid "
            "LEFT JOIN crm_sme_customer_position pos "
            "ON pos.partner_id = p.id AND pos.company_id = c.id",
        )
    }
                WINDOW w AS (ORDER BY COALESCE(pos.invoiced_12m, 0) DESC, p.id ROWS UNBOUNDED PRECEDING)
                ORDER BY COALESCE(pos.invoiced_12m, 0) DESC, p.id LIMIT 80) x
          JOIN res_partner n ON n.id = x.id
         ORDER BY x.revenue DESC, x.id""",
    "list count": f"SELECT COUNT(*) {CUSTOMER}",
    "moves": """
        SELECT COALESCE(b.value_tier, 'none'), COALESCE(a.value_tier, 'none'), COUNT(*),
               SUM(COALESCE(a.revenue, 0))
          FROM (SELECT * FROM crm_sme_customer_value_history
                 WHERE period = %(month)s AND company_id = %(company)s) a
          FULL JOIN (SELECT * FROM crm_sme_customer_value_history
                      WHERE period = %(month_before)s AND company_id = %(company)s) b
            ON b.partner_id = a.partner_id
         GROUP BY GROUPING SETS ((1, 2), (1), (2), ())""",
    # the same figures as the view (customers as in the analysis, new ones by
    # first posted invoice, lost ones from the snapshots, signed cost, visits
    # planned / done, expense of the done ones, feedback, CSAT, NPS, target)
    "performance": f"""
        WITH own AS (
            SELECT COALESCE(p.user_id, 0) AS user_id, COUNT(*) AS customers,
                   COUNT(*) FILTER (WHERE f.day BETWEEN %(period_from)s AND %(today)s) AS new
            {
        CUSTOMER.replace(
            "JOIN res_company c ON c.id = p.cid",
            "JOIN res_company c ON c.id = p.cid "
            "LEFT JOIN (SELECT commercial_partner_id, MIN(invoice_date) AS day "
            "FROM account_move WHERE state = 'posted' AND move_type = 'out_invoice' "
            "AND company_id = %(company)s GROUP BY 1) f ON f.commercial_partner_id = p.id",
        )
    }
          GROUP BY 1
        ), lost AS (
            SELECT COALESCE(user_id, 0) AS user_id, COUNT(DISTINCT partner_id) AS lost
              FROM (SELECT h.*, LAG(h.lifecycle) OVER (PARTITION BY h.partner_id
                                                       ORDER BY h.period) AS previous
                      FROM crm_sme_customer_value_history h
                     WHERE h.company_id = %(company)s AND h.period <= %(today)s) h
             WHERE lifecycle = 'lost' AND previous IS DISTINCT FROM 'lost'
               AND period >= %(period_from)s
          GROUP BY 1
        ), inv AS (
            SELECT COALESCE(invoice_user_id, 0) AS user_id, SUM(amount_untaxed_signed) AS revenue
              FROM account_move
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
               AND company_id = %(company)s AND invoice_date BETWEEN %(period_from)s AND %(today)s
          GROUP BY 1
        ), cost AS (
            SELECT COALESCE(m.invoice_user_id, 0) AS user_id,
                   SUM(CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END * l.quantity
                       * COALESCE((pp.standard_price ->> %(company_text)s)::numeric, 0)) AS cost
              FROM account_move m
              JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
              JOIN product_product pp ON pp.id = l.product_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = %(company)s
               AND m.invoice_date BETWEEN %(period_from)s AND %(today)s
          GROUP BY 1
        ), act AS (
            SELECT COALESCE(user_id, 0) AS user_id,
                   COUNT(*) FILTER (WHERE interaction_type = 'visit'
                                      AND state IN ('planned', 'done')) AS planned,
                   COUNT(*) FILTER (WHERE interaction_type = 'visit' AND state = 'done') AS done,
                   COALESCE(SUM(expense_amount) FILTER (WHERE state = 'done'), 0) AS expense
              FROM crm_sme_interaction
             WHERE company_id = %(company)s
               AND date >= %(period_from)s AND date < %(today)s::date + 1
          GROUP BY 1
        ), fb AS (
            SELECT COALESCE(p.user_id, 0) AS user_id, COUNT(*) AS feedback,
                   AVG(f.csat_score) FILTER (WHERE f.csat_score BETWEEN 1 AND 5) AS csat,
                   AVG(CASE WHEN f.nps_score >= 9 THEN 100.0 WHEN f.nps_score <= 6 THEN -100.0
                            ELSE 0.0 END) FILTER (WHERE f.date_nps IS NOT NULL) AS nps
              FROM crm_sme_feedback f
              JOIN res_partner fp ON fp.id = f.partner_id
              JOIN res_partner p ON p.id = fp.commercial_partner_id
             WHERE f.company_id = %(company)s
               AND f.date_received >= %(period_from)s AND f.date_received < %(today)s::date + 1
          GROUP BY 1
        ), k AS (
            SELECT user_id FROM own UNION SELECT user_id FROM lost UNION SELECT user_id FROM inv
            UNION SELECT user_id FROM act UNION SELECT user_id FROM fb
        )
        SELECT k.user_id, u.sale_team_id, own.customers, own.new, lost.lost, inv.revenue,
               inv.revenue - COALESCE(cost.cost, 0), act.planned, act.done, act.expense,
               act.expense / NULLIF(inv.revenue, 0), fb.feedback, fb.csat, fb.nps,
               tm.invoiced_target * %(months)s
          FROM k
          LEFT JOIN res_users u ON u.id = k.user_id
          LEFT JOIN crm_team tm ON tm.id = u.sale_team_id
          LEFT JOIN own ON own.user_id = k.user_id
          LEFT JOIN lost ON lost.user_id = k.user_id
          LEFT JOIN inv ON inv.user_id = k.user_id
          LEFT JOIN cost ON cost.user_id = k.user_id
          LEFT JOIN act ON act.user_id = k.user_id
          LEFT JOIN fb ON fb.user_id = k.user_id
         ORDER BY inv.revenue DESC NULLS LAST LIMIT 80""",
}
PARAMS = {
    "company": company.id,
    "company_text": str(company.id),
    "month": month,
    "month_before": month_before,
    "today": today,
    "year_ago": today - timedelta(days=365),
    # the performance view's default period: the 12 months up to today
    "period_from": today - relativedelta(months=12) + relativedelta(days=1),
}
PARAMS["months"] = Performance._months(PARAMS["period_from"], today)


class RawForms(list):
    """The runners of a raw reference's forms, with their queries (forms)."""

    forms = ()


def raw(*names):
    """The raw queries ``names`` in both forms: (branches, LATERAL); the
    faster form is the reference (a form the query has not: None)."""

    def run(queries):
        def execute():
            for query in queries:
                cr.execute(query, PARAMS)
                cr.fetchall()

        return execute

    forms = [[RAW[name] for name in names]]
    if all(lateral(RAW[name]) for name in names):
        forms.append([lateral(RAW[name]) for name in names])
    runs = RawForms(run(queries) for queries in forms)
    runs.forms = forms
    return runs


def pivot(model, rows, cols, measures):
    """What the pivot view of crm_sme's reports asks for (js_class
    crm_sme_pivot, static/src/views/crm_sme_pivot_model.js): one
    crm_sme_read_groups request with all the groupings of the table, one per
    prefix of the row group-bys x prefix of the column group-bys (a matrix:
    cells, row totals, column totals, grand total), answered from one query."""
    groupbys = [rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)]
    return lambda: model.crm_sme_read_groups([], measures, groupbys, lazy=False)


def odoo_pivot(model, rows, cols, measures):
    """What Odoo's own pivot view asks for the same table
    (web/static/src/views/pivot/pivot_model.js, _loadData): one read_group
    per grouping, the total first (for comparison)."""
    groupbys = [rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)]

    def run():
        for groupby in groupbys:
            model.read_group([], measures, groupby, lazy=False)

    return run


def first_page(model, spec):
    return lambda: model.web_search_read([], spec, limit=80)


CASES = {
    "customer distribution (pivot by district + total)": (
        pivot(Analysis, ["district_id"], [], ["nbr:sum", "customer_share:sum"]),
        raw("distribution"),
    ),
    "  distribution, Odoo's pivot (2 read_group)": (
        odoo_pivot(Analysis, ["district_id"], [], ["nbr:sum", "customer_share:sum"]),
        raw("distribution"),
    ),
    "revenue by tier x ABC class (pivot + totals)": (
        pivot(
            Analysis,
            ["value_tier"],
            ["abc_class"],
            ["nbr:sum", "revenue_12m:sum", "revenue_share:sum"],
        ),
        raw("revenue"),
    ),
    "  revenue, Odoo's pivot (4 read_group)": (
        odoo_pivot(
            Analysis,
            ["value_tier"],
            ["abc_class"],
            ["nbr:sum", "revenue_12m:sum", "revenue_share:sum"],
        ),
        raw("revenue"),
    ),
    "80/20 curve (graph by percentile)": (
        lambda: Analysis.read_group(
            [], ["revenue_cum_share:max"], ["customer_percentile"], lazy=False
        ),
        raw("curve"),
    ),
    "customer analysis list (80 rows + count)": (
        first_page(Analysis, analysis_spec),
        raw("list", "list count"),
    ),
    "tier moves (matrix pivot + totals)": (
        pivot(Moves, ["tier_from"], ["tier_to"], ["nbr:sum", "revenue:sum"]),
        raw("moves"),
    ),
    "  tier moves, Odoo's pivot (4 read_group)": (
        odoo_pivot(Moves, ["tier_from"], ["tier_to"], ["nbr:sum", "revenue:sum"]),
        raw("moves"),
    ),
    "salesperson performance (list, 12 months)": (
        first_page(Performance, performance_spec),
        raw("performance"),
    ),
}


def timed_rounds(cases):
    samples = {name: [] for name in cases}
    for _ in range(RUNS):
        for name, fn in cases.items():
            env.invalidate_all()
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


flat = {}
for name, (report, references) in CASES.items():
    flat[name] = report
    for index, reference in enumerate(references):
        flat[f"{name} [raw SQL {index}]"] = reference
results = timed_rounds(flat)
# the raw forms give the same figures
for name, (__, references) in CASES.items():
    for queries in zip(*references.forms, strict=True):
        outputs = []
        for query in queries:
            cr.execute(query, PARAMS)
            outputs.append(sorted(map(repr, cr.fetchall())))
        assert all(output == outputs[0] for output in outputs), f"raw forms of {name} differ"
for name, (__, references) in CASES.items():
    results[name + " [raw SQL]"] = min(
        results[f"{name} [raw SQL {index}]"] for index in range(len(references))
    )
cr.execute(
    "SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
    "WHERE l.display_type = 'product' AND m.state = 'posted' "
    "AND m.move_type IN ('out_invoice', 'out_refund')"
)
lines = cr.fetchone()[0]
customers = Analysis.search_count([])
env.cr.rollback()
print(
    f"\ncrm_sme analytics bench: {customers} customers in the report, {lines} posted invoice "
    f"lines, median of {RUNS} runs (sales manager, record rules applied)"
)
for name in CASES:
    report, reference = results[name], results[name + " [raw SQL]"]
    line = (
        f"  {name:<52} {report:7.3f} s   raw SQL {reference:7.3f} s   {report / reference:5.2f} x"
    )
    print(line)
