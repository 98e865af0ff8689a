# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .analytics_common import AnalyticsCommon

DISTRIBUTION = ["__count", "customer_share:sum", "revenue_12m:sum", "revenue_share:sum"]
# what a pivot of rows x columns asks (pivot_model.js: cartesian(sections(rows),
# sections(cols))): each prefix of the rows x each prefix of the columns
MATRIX = [[], ["abc_class"], ["value_tier"], ["value_tier", "abc_class"]]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_analytics")
class TestGroupingSets(AnalyticsCommon):
    """``crm_sme_read_groups``: all the groupings of a pivot from one query,
    the same results as one ``read_group`` per grouping."""

    def _both(self, model, domain, fields, groupbys, **kwargs):
        expected = [
            model.read_group(domain, fields, groupby, lazy=False, **kwargs) for groupby in groupbys
        ]
        self.env.invalidate_all()
        batched = model.crm_sme_read_groups(domain, fields, groupbys, **kwargs)
        self.assertEqual(batched, expected)
        return batched

    def test_same_as_read_group(self):
        """Groups, order, values, shares and drill-down domains of each
        grouping are read_group's, for matrices, many2one groups in their
        model's order (not the ids'), dates by month, empty values."""
        # many2one groups whose names are not in the ids' order, an empty one
        self.districts["haishu"].name = "zhenhai (analytics)"
        self.customers["c10"].region_id = False
        self.env.flush_all()
        analysis = self.env["crm.sme.customer.analysis"].with_user(self.mona)
        domain = [("partner_id", "in", self.mine.ids)]
        matrix = self._both(analysis, domain, DISTRIBUTION, MATRIX)
        self.assertEqual(matrix[0][0]["__count"], 10)
        self.assertAlmostEqual(sum(g["customer_share"] for g in matrix[1]), 100.0)
        self.assertAlmostEqual(sum(g["revenue_share"] for g in matrix[3]), 100.0)
        districts = self._both(
            analysis,
            domain,
            ["nbr:sum", "revenue_12m:sum"],
            [[], ["district_id"], ["customer_type_id"], ["district_id", "customer_type_id"]],
        )
        self.assertEqual(
            [group["district_id"] and group["district_id"][0] for group in districts[1]],
            [self.districts["jiangbei"].id, self.districts["haishu"].id, False],
        )
        # cells: a group's domain selects its rows (the drill-down)
        cell = districts[3][0]
        rows = analysis.search(cell["__domain"])
        self.assertEqual(len(rows), cell["nbr"])
        self.assertTrue(rows)
        self.assertEqual(rows.district_id, self.districts["jiangbei"])
        # a date by month and a three-level row grouping
        self._both(
            analysis,
            domain,
            ["__count"],
            [[], ["source_id"], ["source_id", "date_acquired:month"], ["user_id"]],
        )
        self._both(
            analysis,
            domain,
            ["__count"],
            [[], ["lifecycle"], ["lifecycle", "team_id"], ["lifecycle", "team_id", "value_tier"]],
        )

    def test_one_query(self):
        """A matrix pivot's four groupings cost one query on the report,
        where read_group makes one each."""
        analysis = self.env["crm.sme.customer.analysis"].with_user(self.mona)
        domain = [("partner_id", "in", self.mine.ids)]
        analysis.crm_sme_read_groups(domain, DISTRIBUTION, MATRIX)  # warm the caches
        for groupby in MATRIX:
            analysis.read_group(domain, DISTRIBUTION, groupby, lazy=False)
        with self.assertQueryCount(1):
            analysis.crm_sme_read_groups(domain, DISTRIBUTION, MATRIX)
        with self.assertQueryCount(4):
            for groupby in MATRIX:
                analysis.read_group(domain, DISTRIBUTION, groupby, lazy=False)

    def test_tier_moves(self):
        """The tier-move matrix of the period wizard's context."""
        self._history()
        moves, domain = self._tier_moves(self.mona, self.month_before)
        groupbys = [[], ["tier_to"], ["tier_from"], ["tier_from", "tier_to"]]
        result = self._both(moves, domain, ["__count", "revenue:sum"], groupbys)
        self.assertEqual(result[0][0]["__count"], 6)
        self.assertEqual(result[0][0]["revenue"], 9800.0)
        cell = next(
            group
            for group in result[3]
            if (group["tier_from"], group["tier_to"]) == ("grow", "key")
        )
        self.assertEqual(moves.search(cell["__domain"]).partner_id, self.customers["c02"])

    def test_record_rules(self):
        """Each user's batch holds the rows they may read: a salesperson
        their customers', a team leader their team's, another company's
        salesperson none of these."""
        domain = [("partner_id", "in", self.mine.ids)]
        counts = {}
        for user in (self.sally, self.sam, self.tina, self.mona, self.anna, self.otto):
            analysis = self.env["crm.sme.customer.analysis"].with_user(user)
            self._both(analysis, domain, DISTRIBUTION, MATRIX)
            counts[user.login] = analysis.crm_sme_read_groups(domain, ["__count"], [[]])[0][0][
                "__count"
            ]
        self.assertEqual(
            counts,
            {"an_sally": 5, "an_sam": 5, "an_tina": 5, "an_mona": 10, "an_anna": 10, "an_otto": 0},
        )
        for user in (self.eddie, self.env.ref("base.public_user")):
            with self.assertRaises(AccessError):
                self.env["crm.sme.customer.analysis"].with_user(user).crm_sme_read_groups(
                    [], ["__count"], [[]]
                )

    def test_no_rows_and_fallbacks(self):
        """No rows: the total with zeros and no groups, as read_group;
        an explicit order or a grouping out of the others' order is read
        one by one, with the same results."""
        analysis = self.env["crm.sme.customer.analysis"].with_user(self.mona)
        empty = self._both(analysis, [("id", "=", 0)], DISTRIBUTION, MATRIX)
        self.assertEqual(empty[0][0]["__count"], 0)
        self.assertEqual(empty[1:], [[], [], []])
        self._both(analysis, [("id", "in", [])], ["__count"], MATRIX)
        domain = [("partner_id", "in", self.mine.ids)]
        self._both(analysis, domain, ["__count"], MATRIX, orderby="__count desc")
        self._both(analysis, domain, ["__count"], [["abc_class", "value_tier"], ["value_tier"]])
        self.assertFalse(analysis._crm_sme_batchable([("value_tier", "value_tier")]))
        self._both(
            analysis,
            domain,
            DISTRIBUTION,
            [
                ["value_tier"],
                [],
                ["value_tier", "abc_class"],
                ["abc_class"],
                ["abc_class", "value_tier"],
            ],
        )
        self.assertTrue(
            analysis._crm_sme_batchable([(), ("value_tier",), ("value_tier", "abc_class")])
        )

    def test_bad_input(self):
        """Anything but lists of field names gets a clear error, nothing is
        read."""
        analysis = self.env["crm.sme.customer.analysis"].with_user(self.mona)
        for domain, fields, groupbys, kwargs in (
            ("[]", ["__count"], [[]], {}),
            ([], "__count", [[]], {}),
            ([], ["__count"], "value_tier", {}),
            ([], ["__count"], [], {}),
            ([], ["__count"], [[]] * 65, {}),
            ([], ["__count"], [["value_tier"] * 9], {}),
            ([], ["__count"], [["nope"]], {}),
            ([], ["__count"], [[None]], {}),
            ([], ["__count"], [["value\x00tier"]], {}),
            ([], ["__count"], [["x" * 10_000]], {}),
            ([], ["__count"], [[1.5]], {}),
            ([], [None], [[]], {}),
            ([], ["__count"], [[]], {"orderby": 5}),
            ([], ["nope:sum"], [[]], {}),
            ([], ["nbr:drop"], [[]], {}),
            ([], ["nbr;drop"], [[]], {}),
            ([], ["__count"], [["value tier"]], {}),
            ([], ["__count"], [["value_tier:month"]], {}),
            ([], ["__count"], [["date_acquired:fortnight"]], {}),
        ):
            with (
                self.subTest(groupbys=repr(groupbys)[:40], fields=fields),
                self.assertRaises(UserError),
            ):
                analysis.crm_sme_read_groups(domain, fields, groupbys, **kwargs)
        # a client's context naming the batch is ignored (JSON has no tuples)
        forged = analysis.with_context(crm_sme_grouping_sets=["token", [["value_tier"]]])
        self.assertEqual(
            forged.read_group([], ["__count"], ["value_tier"], lazy=False),
            analysis.read_group([], ["__count"], ["value_tier"], lazy=False),
        )


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestGroupingSetsTour(HttpCase):
    def test_pivot_tour(self):
        """The revenue matrix loads with one request and drills down."""
        self.env["res.partner"].create(
            {
                "name": "Tour Pivot Co",
                "is_company": True,
                "customer_rank": 1,
                "company_id": self.env.company.id,
            }
        )
        self.start_tour("/odoo", "crm_sme_pivot_tour", login="admin")
