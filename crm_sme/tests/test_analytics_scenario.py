# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged, users, warmup

from .analytics_common import AnalyticsCommon
from .web_client import list_spec, web_client_env


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_analytics")
class TestScenario10(TransactionCase):
    """Scenario 10: the distribution report reproduces the shares of
    customers by district, type and source of the demo data, counted here by
    raw SQL over the demo's customers (whatever the demo holds)."""

    def test_distribution_reproduces_demo_shares(self):
        self.env.flush_all()
        self.cr.execute(
            """SELECT p.id FROM res_partner p
                 JOIN ir_model_data d ON d.model = 'res.partner' AND d.res_id = p.id
                                     AND d.module = 'crm_sme'
                WHERE p.is_company AND p.parent_id IS NULL AND p.active
                  AND p.customer_type_id IS NOT NULL"""
        )
        demo_ids = [row[0] for row in self.cr.fetchall()]
        if not demo_ids:
            self.skipTest("no demo customers in this database")
        # the demo's customers belong to its company (the Ningbo stationery maker)
        company = self.env["res.partner"].browse(demo_ids).company_id[:1] or self.env.ref(
            "base.main_company"
        )
        demo_ids = (
            self.env["res.partner"]
            .browse(demo_ids)
            .filtered(lambda p: p.company_id in (company, self.env["res.company"]))
            .ids
        )
        Analysis = self.env["crm.sme.customer.analysis"].with_company(company)
        domain = [("company_id", "=", company.id), ("partner_id", "in", demo_ids)]
        for column, field in (
            ("region_id", "district_id"),
            ("customer_type_id", "customer_type_id"),
            ("source_id", "source_id"),
        ):
            self.cr.execute(
                f"SELECT {column}, COUNT(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1",  # noqa: S608
                [demo_ids],
            )
            raw = {key or False: count for key, count in self.cr.fetchall()}
            report = {
                group.id: (count, share)
                for group, count, share in Analysis._read_group(
                    domain, [field], ["__count", "customer_share:sum"]
                )
            }
            self.assertEqual({key: count for key, (count, __) in report.items()}, raw, field)
            for key, (__, share) in report.items():
                self.assertAlmostEqual(share, 100.0 * raw[key] / len(demo_ids), msg=field)
            self.assertAlmostEqual(sum(share for __, share in report.values()), 100.0)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_analytics")
class TestAnalyticsQueries(AnalyticsCommon):
    """First page of each report, as the web client asks for it: a constant
    number of queries (the view does the work)."""

    def _first_page(self, model, view, groupby, measures):
        Report = web_client_env(self.env)[model]
        spec = list_spec(Report, view)
        Report.web_search_read([], spec, limit=80)  # warm the view and rule caches
        Report.read_group([], measures, [groupby], lazy=False)
        self.env.flush_all()
        self.env.invalidate_all()
        return Report, spec

    @users("an_mona")
    @warmup
    def test_first_page_queries(self):
        self._history()
        cases = (
            (
                "crm.sme.customer.analysis",
                "crm_sme.crm_sme_customer_analysis_view_list",
                "district_id",
                ["nbr:sum", "customer_share:sum"],
                # names of the many2one columns; the pivot orders its districts
                # by reading their ids in order (not joined to every row)
                (8, 3),
            ),
            (
                "crm.sme.tier.move.report",
                "crm_sme.crm_sme_tier_move_report_view_list",
                "tier_from",
                ["nbr:sum", "revenue:sum"],
                (7, 4),  # + the latest snapshot month, per query
            ),
            (
                "crm.sme.salesperson.performance",
                "crm_sme.crm_sme_salesperson_performance_view_list",
                "user_id",
                ["revenue:sum", "margin:sum"],
                (4, 2),
            ),
        )
        for model, view, groupby, measures, (page, pivot) in cases:
            Report, spec = self._first_page(model, view, groupby, measures)
            with self.assertQueryCount(an_mona=page):
                result = Report.web_search_read([], spec, limit=80)
            self.assertTrue(result["length"])
            with self.assertQueryCount(an_mona=pivot):
                Report.read_group([], measures, [groupby], lazy=False)
                Report.read_group([], measures, [], lazy=False)

    def _history(self):
        for key in ("c01", "c02", "c06"):
            self._snapshot(key, self.month, "basic", "active", 10.0)
            self._snapshot(key, self.month_before, "key", "active", 10.0)
