# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .analytics_common import AnalyticsCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_analytics")
class TestAnalytics(AnalyticsCommon):
    """Distribution, revenue by tier / ABC, 80/20 curve, tier moves and
    salesperson performance on data with known figures."""

    def _groups(self, model, domain, groupby, aggregates):
        return {
            group: values
            for group, *values in self.env[model]._read_group(domain, [groupby], aggregates)
        }

    # ------------------------------------------------------------------
    # DISTRIBUTION
    # ------------------------------------------------------------------
    def test_distribution_shares(self):
        """Counts and shares by type, district and source; the share follows
        the filters and sums to 100 under any group-by."""
        domain = [("partner_id", "in", self.mine.ids)]
        model = "crm.sme.customer.analysis"
        by_type = self._groups(model, domain, "customer_type_id", ["__count", "customer_share:sum"])
        self.assertEqual(
            {t: tuple(v) for t, v in by_type.items()},
            {
                self.types["supermarket"]: (6, 60.0),
                self.types["retail"]: (3, 30.0),
                self.types["online"]: (1, 10.0),
            },
        )
        by_district = self._groups(model, domain, "district_id", ["customer_share:sum"])
        self.assertEqual(by_district[self.districts["haishu"]], [40.0])
        self.assertEqual(by_district[self.districts["jiangbei"]], [60.0])
        by_region = self._groups(model, domain, "region_id", ["customer_share:sum", "__count"])
        self.assertEqual(by_region, {self.ningbo: [100.0, 10]})
        by_source = self._groups(model, domain, "source_id", ["customer_share:sum"])
        self.assertEqual(
            {s: v[0] for s, v in by_source.items()},
            {
                self.sources["newspaper"]: 20.0,
                self.sources["referral"]: 50.0,
                self.sources["website"]: 20.0,
                self.sources["tv"]: 10.0,
            },
        )
        # filtered by tier (the shares are of the selected customers) and salesperson
        basic = self._groups(
            model,
            domain + [("value_tier", "=", "basic")],
            "customer_type_id",
            ["customer_share:sum"],
        )
        self.assertEqual(basic[self.types["retail"]], [60.0])
        self.assertEqual(sum(v[0] for v in basic.values()), 100.0)
        sally = self._groups(
            model, domain + [("user_id", "=", self.sally.id)], "customer_type_id", ["__count"]
        )
        self.assertEqual(sally, {self.types["supermarket"]: [5]})
        # acquisition period: first invoice date; c10 never invoiced
        acquired = self.env[model].search(domain + [("date_acquired", "!=", False)])
        self.assertEqual(len(acquired), 9)
        self.assertEqual(
            acquired.filtered(lambda r: r.partner_id == self.customers["c01"]).date_acquired,
            self.today - timedelta(days=400),
        )
        # unfiltered: shares of all the company's customers, summing to 100
        company = [("company_id", "=", self.company.id)]
        total = self.env[model].search_count(company)
        shares = self.env[model].read_group(company, ["customer_share:sum"], ["customer_type_id"])
        self.assertAlmostEqual(sum(g["customer_share"] for g in shares), 100.0)
        supermarkets = next(
            g
            for g in shares
            if g["customer_type_id"] and g["customer_type_id"][0] == self.types["supermarket"].id
        )
        self.assertAlmostEqual(
            supermarkets["customer_share"], 100.0 * supermarkets["customer_type_id_count"] / total
        )
        # every figure drills down to its customers
        drill = self.env[model].search(supermarkets["__domain"])
        self.assertEqual(len(drill), supermarkets["customer_type_id_count"])
        self.assertIn(self.customers["c01"], drill.partner_id)
        action = drill.filtered(
            lambda r: r.partner_id == self.customers["c01"]
        ).action_open_customer()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.customers["c01"].id)
        )

    def test_distribution_group_order(self):
        """Groups of many2one values come in their model's order, as the
        ORM's read_group orders them, also when the ids' order differs (the
        query groups by id, the order is applied after it); no value last."""
        self.districts["haishu"].name = "zhenhai (analytics)"
        self.customers["c10"].region_id = False
        self.env.flush_all()
        analysis = self.env["crm.sme.customer.analysis"]
        domain = [("partner_id", "in", self.mine.ids)]
        groups = analysis.read_group(domain, ["nbr:sum"], ["district_id"], lazy=False)
        self.assertEqual(
            [group["district_id"] and group["district_id"][0] for group in groups],
            [self.districts["jiangbei"].id, self.districts["haishu"].id, False],
        )
        for groupby in (["district_id"], ["district_id", "user_id"]):
            # an explicit order is left to the ORM (joins the values' tables)
            orm_order = ", ".join(f"{name} ASC" for name in groupby)
            self.assertEqual(
                analysis._read_group(domain, groupby, ["__count"], order=",".join(groupby)),
                analysis._read_group(domain, groupby, ["__count"], order=orm_order),
            )

    def test_customer_pivot_measures(self):
        """The customer pivot / graph count customers by default and no longer
        offer Bounce, Color Index or Geo Latitude as measures."""
        action = self.env.ref("crm_sme.action_crm_sme_customer")
        views = (
            self.env["res.partner"]
            .with_user(self.mona)
            .get_views(
                [
                    (v.view_id.id, v.view_mode)
                    for v in action.view_ids
                    if v.view_mode in ("pivot", "graph")
                ]
            )["views"]
        )
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(views[view_type]["arch"])
            hidden = {f.get("name") for f in arch.iter("field") if f.get("invisible") == "1"}
            self.assertTrue({"message_bounce", "color", "partner_latitude"} <= hidden, view_type)
            measures = [f.get("name") for f in arch.iter("field") if f.get("type") == "measure"]
            self.assertNotIn("purchase_potential", measures)

    # ------------------------------------------------------------------
    # REVENUE, 80/20
    # ------------------------------------------------------------------
    def test_revenue_by_tier_and_pareto(self):
        domain = [("partner_id", "in", self.mine.ids)]
        Analysis = self.env["crm.sme.customer.analysis"]
        rows = {r.partner_id: r for r in Analysis.search(domain)}
        # net of the credit note, without the invoice older than 12 months
        self.assertEqual(rows[self.customers["c01"]].revenue_12m, 5000.0)
        by_tier = self._groups(
            "crm.sme.customer.analysis",
            domain,
            "value_tier",
            ["revenue_12m:sum", "revenue_share:sum"],
        )
        self.assertEqual(by_tier["key"], [8000.0, 80.0])
        self.assertEqual(by_tier["grow"], [1000.0, 10.0])
        self.assertEqual(by_tier["maintain"], [800.0, 8.0])
        self.assertEqual(by_tier["basic"], [200.0, 2.0])
        # the curve: ranked by revenue in the company (the demo's shared
        # customers have no revenue in this company and close the ranking)
        total = Analysis.search_count([("company_id", "=", self.company.id)])
        c02 = rows[self.customers["c02"]]
        self.assertEqual(c02.revenue_rank, 2)
        self.assertAlmostEqual(c02.revenue_cum_share, 80.0)
        self.assertAlmostEqual(c02.customer_cum_share, 200.0 / total)
        self.assertAlmostEqual(rows[self.customers["c04"]].revenue_cum_share, 95.0)
        self.assertAlmostEqual(rows[self.customers["c10"]].revenue_cum_share, 100.0)
        # a page of the list (search with a limit: company totals joined
        # instead of windows) reads the same ranking
        ranking = ["revenue_rank", "customer_cum_share", "customer_percentile", "revenue_cum_share"]
        self.env.invalidate_all()
        page = Analysis.web_search_read(
            [("company_id", "=", self.company.id)], {name: {} for name in ranking}, limit=5
        )["records"]
        self.env.invalidate_all()
        full = Analysis.search_read([("company_id", "=", self.company.id)], ranking, limit=None)
        self.assertEqual([row["revenue_rank"] for row in page], [1, 2, 3, 4, 5])
        self.assertEqual(page, full[:5])
        # cut points: where each ABC class ends on the curve
        cuts = self._groups(
            "crm.sme.customer.analysis",
            domain,
            "abc_class",
            ["revenue_cum_share:max", "customer_cum_share:max", "revenue_share:sum"],
        )
        self.assertAlmostEqual(cuts["a"][0], 80.0)
        self.assertAlmostEqual(cuts["b"][0], 95.0)
        self.assertAlmostEqual(cuts["c"][0], 100.0)
        self.assertAlmostEqual(cuts["a"][1], 200.0 / total)
        self.assertAlmostEqual(cuts["a"][2], 80.0)
        # the curve's x axis: percentiles, increasing revenue share
        curve = Analysis._read_group(
            [("company_id", "=", self.company.id)],
            ["customer_percentile"],
            ["revenue_cum_share:max"],
        )
        values = [share for __, share in curve]
        self.assertEqual(values, sorted(values))
        self.assertAlmostEqual(values[-1], 100.0)

    # ------------------------------------------------------------------
    # TIER MOVES
    # ------------------------------------------------------------------
    def test_tier_move_matrix(self):
        self._history()
        Moves, domain = self._tier_moves(self.mona, self.month_before + timedelta(days=14))
        matrix = {
            (tier_from, tier_to): (count, revenue)
            for tier_from, tier_to, count, revenue in Moves._read_group(
                domain, ["tier_from", "tier_to"], ["__count", "revenue:sum"]
            )
        }
        self.assertEqual(
            matrix,
            {
                ("key", "key"): (1, 5000.0),
                ("grow", "key"): (1, 3000.0),
                ("none", "grow"): (1, 1000.0),
                ("maintain", "maintain"): (1, 500.0),
                ("basic", "maintain"): (1, 300.0),
                ("basic", "none"): (1, 0.0),
            },
        )
        moves = {r.partner_id: r.lifecycle_move for r in Moves.search(domain)}
        self.assertEqual(moves[self.customers["c03"]], "new")
        self.assertEqual(moves[self.customers["c04"]], "lost")
        self.assertEqual(moves[self.customers["c05"]], "reactivated")
        self.assertEqual(moves[self.customers["c01"]], "unchanged")
        # the default periods: the latest snapshot against a year before
        default = self.env["crm.sme.tier.move.report"]._read_group(
            [("company_id", "=", self.company.id)], ["is_tier_moved"], ["__count"]
        )
        self.assertEqual(dict(default), {True: 4, False: 2})
        # drill-down: a cell's rows are its customers
        cell = Moves.search(domain + [("tier_from", "=", "grow"), ("tier_to", "=", "key")])
        self.assertEqual(cell.partner_id, self.customers["c02"])
        self.assertEqual(cell.action_open_customer()["res_id"], self.customers["c02"].id)

    def test_lifecycle_move_new(self):
        """A customer without a snapshot (or a prospect) before and active or
        at risk after counts as new; one lost after stays lost."""
        self._history()
        self._snapshot("c07", self.month, "basic", "active", 100.0)
        self._snapshot("c08", self.month_before, "basic", "prospect", 0.0)
        self._snapshot("c08", self.month, "basic", "at_risk", 50.0)
        self._snapshot("c09", self.month, "basic", "lost", 0.0)
        Moves, domain = self._tier_moves(self.mona, self.month_before)
        moves = {r.partner_id: r.lifecycle_move for r in Moves.search(domain)}
        self.assertEqual(moves[self.customers["c07"]], "new")
        self.assertEqual(moves[self.customers["c08"]], "new")
        self.assertEqual(moves[self.customers["c09"]], "lost")
        self.assertEqual(moves[self.customers["c03"]], "new")

    # ------------------------------------------------------------------
    # SALESPERSON PERFORMANCE
    # ------------------------------------------------------------------
    def test_salesperson_performance(self):
        self._history()
        ago = fields.Datetime.now() - timedelta(days=5)
        Interaction = self.env["crm.sme.interaction"]
        for state, kind, expense in (
            ("done", "visit", 100.0),
            ("done", "visit", 50.0),
            ("planned", "visit", 0.0),
            ("cancel", "visit", 0.0),
            ("done", "call", 20.0),
        ):
            Interaction.create(
                {
                    "name": f"{kind} {state}",
                    "partner_id": self.customers["c01"].id,
                    "user_id": self.sally.id,
                    "company_id": self.company.id,
                    "interaction_type": kind,
                    "state": state,
                    "date": ago,
                    "expense_amount": expense,
                }
            )
        Feedback = self.env["crm.sme.feedback"]
        for csat, nps in ((4, 9), (5, 7)):
            Feedback.create(
                {
                    "name": "Pens arrived late",
                    "partner_id": self.customers["c02"].id,
                    "company_id": self.company.id,
                    "csat_score": csat,
                    "nps_score": nps,
                }
            )
        Performance = self.env["crm.sme.salesperson.performance"]
        rows = {r.user_id: r for r in Performance.search([("company_id", "=", self.company.id)])}
        sally, sam = rows[self.sally], rows[self.sam]
        self.assertEqual(
            (sally.customer_count, sally.new_customer_count, sally.lost_customer_count),
            (5, 4, 1),
        )
        self.assertEqual((sam.customer_count, sam.new_customer_count), (5, 4))
        self.assertEqual(sally.revenue, 9800.0)
        self.assertEqual(sally.margin, 8000.0)
        self.assertEqual(sam.revenue, 200.0)
        self.assertEqual((sally.visit_planned_count, sally.visit_done_count), (3, 2))
        self.assertEqual(sally.expense, 170.0)
        self.assertAlmostEqual(sally.expense_ratio, 100.0 * 170.0 / 9800.0)
        self.assertEqual(sally.feedback_count, 2)
        self.assertAlmostEqual(sally.csat, 4.5)
        self.assertAlmostEqual(sally.nps, 50.0)
        date_from, date_to = Performance._analysis_period()
        self.assertAlmostEqual(sally.team_target, 1000.0 * Performance._months(date_from, date_to))
        self.assertEqual(sally.team_id, self.team)
        # drill-down to the records behind the figures
        invoices = self.env["account.move"].search(sally.action_open_invoices()["domain"])
        self.assertEqual(sum(invoices.mapped("amount_untaxed_signed")), 9800.0)
        visits = Interaction.search(sally.action_open_visits()["domain"])
        self.assertEqual(len(visits), 5)
        feedback = Feedback.search(sally.action_open_feedback()["domain"])
        self.assertEqual(len(feedback), 2)
        customers = self.env["res.partner"].search(sally.action_open_customers()["domain"])
        self.assertEqual(customers, self.mine.filtered(lambda p: p.user_id == self.sally))
        # a shorter period: only what falls in it (rows are per request: a
        # new period in the same transaction needs a fresh cache)
        self.env.invalidate_all()
        week = Performance.with_context(
            crm_sme_date_from=fields.Date.to_string(self.today - timedelta(days=15)),
            crm_sme_date_to=fields.Date.to_string(self.today),
        ).search([("company_id", "=", self.company.id), ("user_id", "=", self.sally.id)])
        self.assertEqual(week.revenue, -500.0)  # the credit note only
        self.assertEqual(week.new_customer_count, 0)

    # ------------------------------------------------------------------
    # BAD INPUT
    # ------------------------------------------------------------------
    def test_bad_input(self):
        Wizard = self.env["crm.sme.analysis.period.wizard"].with_user(self.mona)
        count = Wizard.search_count([])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Wizard.create({"date_from": self.today, "date_to": self.today - timedelta(days=1)})
        self.assertEqual(Wizard.search_count([]), count)
        for model in ("crm.sme.tier.move.report", "crm.sme.salesperson.performance"):
            reversed_period = self.env[model].with_context(
                crm_sme_date_from="2026-05-01", crm_sme_date_to="2026-01-01"
            )
            with self.assertRaises(UserError):
                reversed_period.search([])
            with self.assertRaises(UserError):
                self.env[model].with_context(crm_sme_date_from="soon").search([])
        # another company than the user's
        wizard = Wizard.create({"date_from": self.today, "date_to": self.today})
        wizard.sudo().company_id = self.company_2
        with self.assertRaises(ValidationError):
            wizard.action_open_performance()

    def test_no_data(self):
        """An empty company and a period without data: empty, well-formed
        results, nothing written."""
        empty = self.env["res.company"].create({"name": "Empty Co (analytics)"})
        self.env.user.company_ids |= empty
        self.env.flush_all()
        self.cr.execute("SELECT COUNT(*) FROM crm_sme_customer_value_history")
        history = self.cr.fetchone()[0]
        scope = [("company_id", "=", empty.id), ("partner_id", "in", self.mine.ids)]
        Analysis = self.env["crm.sme.customer.analysis"]
        self.assertFalse(Analysis.search(scope))
        [total] = Analysis.read_group(scope, ["customer_share:sum", "revenue_share:sum"], [])
        self.assertEqual(
            (total["__count"], total["customer_share"], total["revenue_share"]), (0, 0.0, 0.0)
        )
        old = {"crm_sme_date_from": "2001-01-01", "crm_sme_date_to": "2001-12-31"}
        self.assertFalse(self.env["crm.sme.tier.move.report"].with_context(**old).search([]))
        performance = self.env["crm.sme.salesperson.performance"].with_context(**old)
        rows = performance.search(
            [("company_id", "=", self.company.id), ("user_id", "=", self.sally.id)]
        )
        self.assertEqual((rows.revenue, rows.visit_done_count, rows.feedback_count), (0.0, 0, 0))
        self.assertFalse(performance.search([("company_id", "=", empty.id), ("revenue", "!=", 0)]))
        self.cr.execute("SELECT COUNT(*) FROM crm_sme_customer_value_history")
        self.assertEqual(self.cr.fetchone()[0], history)
