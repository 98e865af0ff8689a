# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .plan_common import PlanCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestVisitPlan(PlanCommon):
    """Ranked weekly visit plan: score, reason, accept / dismiss, capacity,
    regeneration and the 'Visit due' activity of an overdue customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls._customer("Key Mart (plan)", tier="key", value=90.0)
        cls._visit(cls.key, 40)  # key: every 14 days -> 26 days late
        cls.grow = cls._customer("Grow Shop (plan)", tier="grow", value=50.0)  # never visited
        cls.fresh = cls._customer("Fresh Store (plan)", tier="maintain", value=30.0)
        cls._visit(cls.fresh, 5)  # maintain: every 60 days -> not due
        cls.risky = cls._customer(
            "Risky Retail (plan)", tier="basic", value=10.0, lifecycle="at_risk"
        )
        cls._feedback(cls.risky)
        cls.lost = cls._customer("Lost Ltd (plan)", tier="key", value=80.0, lifecycle="lost")

    def test_ranking_and_reason(self):
        self.Plan._generate(self.company)
        lines = self._lines()
        self.assertEqual(lines.partner_id, self.key | self.grow | self.risky, "due customers only")
        self.assertEqual(lines.mapped("rank"), [1, 2, 3])
        self.assertEqual(lines[0].partner_id, self.key)
        # key: 90 x 1 x (1 + 26 / 14) x 1; grow: 50 x 1 x 2 (never visited) x 1;
        # risky: 10 x 2 (at risk) x 2 x 1.5 (one open feedback)
        self.assertAlmostEqual(lines[0].score, round(90 * (1 + 26 / 14), 2), places=2)
        self.assertEqual(lines[1].partner_id, self.grow)
        self.assertAlmostEqual(lines[1].score, 100.0)
        self.assertEqual(lines[2].partner_id, self.risky)
        self.assertAlmostEqual(lines[2].score, 60.0)
        self.assertIn("visit overdue by 26 days (every 14 days)", lines[0].reason)
        self.assertIn("never visited", lines[1].reason)
        self.assertIn("1 open feedback", lines[2].reason)
        self.assertIn("At Risk", lines[2].reason)
        self.assertTrue(all(line.state == "proposed" for line in lines))
        self.assertEqual(lines[0].planned_date, lines[0].week_start, "one visit a day")
        self.assertEqual((lines[1].planned_date - lines[1].week_start).days, 1)

    def test_accept_dismiss_and_regenerate(self):
        self.Plan._generate(self.company)
        key_line, grow_line, risky_line = self._lines()
        key_line.with_user(self.user_salesman).action_accept()
        self.assertEqual(key_line.state, "accepted")
        visit = key_line.interaction_id
        self.assertEqual(
            (visit.interaction_type, visit.state, visit.partner_id, visit.user_id),
            ("visit", "planned", self.key, self.user_salesman),
        )
        grow_line.with_user(self.user_salesman).dismiss_reason = "Shop closed for works"
        grow_line.with_user(self.user_salesman).action_dismiss()
        self.assertEqual(grow_line.state, "dismissed")
        for _run in range(2):
            self.Plan._generate(self.company)
        lines = self._lines()
        self.assertEqual(len(lines), 3, "no duplicate line")
        self.assertEqual(grow_line.state, "dismissed", "a dismissed line stays dismissed")
        self.assertEqual(key_line.state, "accepted")
        self.assertEqual(key_line.interaction_id, visit)
        self.assertEqual(
            self.env["crm.sme.interaction"].search_count(
                [("partner_id", "=", self.key.id), ("state", "=", "planned")]
            ),
            1,
        )
        self.assertEqual(
            lines.filtered(lambda line: line.state != "dismissed").mapped("rank"), [1, 2]
        )
        with self.assertRaises(UserError):
            key_line.with_user(self.user_salesman).action_accept()

    def test_capacity(self):
        extra = [self._customer(f"Extra {i} (plan)", tier="grow", value=20.0 + i) for i in range(8)]
        self.Plan._generate(self.company)
        lines = self._lines()
        self.assertEqual(len(lines), self.days, "one visit a day times the working days")
        self.assertEqual(lines[0].partner_id, self.key)
        self.assertNotIn(extra[0], lines.partner_id, "the lowest scores drop out")
        # more capacity: the plan grows; less: the proposed lines that drop out go
        member = self.env["crm.team.member"].search([("user_id", "=", self.user_salesman.id)])
        member.crm_sme_daily_visit_capacity = 2
        self.Plan._generate(self.company)
        self.assertEqual(len(self._lines()), min(2 * self.days, 11))
        member.crm_sme_daily_visit_capacity = 0
        self.Plan._generate(self.company)
        self.assertFalse(self._lines())

    def test_dismiss_without_reason(self):
        self.Plan._generate(self.company)
        line = self._lines()[0]
        with self.assertRaises(UserError):
            line.with_user(self.user_salesman).action_dismiss()
        line.dismiss_reason = "   "
        with self.assertRaises(UserError):
            line.with_user(self.user_salesman).action_dismiss()
        with self.assertRaises(AccessError):
            line.with_user(self.user_salesman).write({"state": "dismissed"})
        with self.assertRaises(AccessError):
            line.with_user(self.user_salesman).write({"score": 1000.0})
        self.assertEqual(line.state, "proposed")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_accept_someone_elses_line(self):
        self.Plan._generate(self.company)
        line = self._lines()[0]
        interactions = self.env["crm.sme.interaction"].search_count([])
        for user in (self.user_salesman_2, self.user_other_company, self.user_accountant):
            with self.assertRaises(AccessError):
                line.with_user(user).action_accept()
        self.assertEqual(line.state, "proposed")
        self.assertEqual(self.env["crm.sme.interaction"].search_count([]), interactions)
        line.with_user(self.user_sales_manager).action_accept()
        self.assertEqual(line.interaction_id.user_id, self.user_salesman)

    def test_salesperson_refreshes_own_plan(self):
        sam_customer = self._customer("Sam's Mart (plan)", user=self.user_salesman_2)
        self.Plan.with_user(self.user_salesman).action_generate()
        self.assertEqual(len(self._lines()), 3)
        self.assertFalse(self._lines(self.user_salesman_2), "only the user's own plan")
        self.Plan.with_user(self.user_sales_manager).action_generate()
        self.assertEqual(self._lines(self.user_salesman_2).partner_id, sam_customer)

    def test_query_count_constant(self):
        """Generation costs the same number of queries for 4 or 40 customers."""

        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Plan._generate(self.company)
            return self.env.cr.sql_log_count - before

        count()
        small = count()
        for i in range(36):
            self._customer(f"Bulk {i} (plan)", tier="grow", value=float(i))
        self.env.flush_all()
        count()
        self.assertEqual(count(), small)
        self.assertLessEqual(small, 6)

    def test_overdue_activity_once_per_episode(self):
        Due = self.env["crm.sme.visit.due"]
        activity_type = self.env.ref("crm_sme.mail_activity_type_visit_due")

        def activities(customer):
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", customer.id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

        Due._create_activities(self.company)
        Due._create_activities(self.company)
        self.assertEqual(len(activities(self.key)), 1, "one activity, not one per run")
        self.assertEqual(activities(self.key).user_id, self.user_salesman)
        self.assertFalse(activities(self.fresh), "not overdue")
        # the visit is done: the activity goes, no new one while not overdue
        self._visit(self.key, 0)
        self.assertFalse(activities(self.key))
        Due._create_activities(self.company)
        self.assertFalse(activities(self.key))
        # marking the activity done without visiting ends the episode too
        other = self._customer("Late Visit Co (plan)", tier="key", value=40.0)
        self._visit(other, 30)
        Due._create_activities(self.company)
        activities(other).action_feedback(feedback="Called instead")
        Due._create_activities(self.company)
        self.assertFalse(activities(other))

    def test_planned_visit_done_reported(self):
        self.Plan._generate(self.company)
        line = self._lines()[0]
        line.with_user(self.user_salesman).action_accept()
        line.interaction_id.write(
            {"expense_amount": 80.0, "date": line.interaction_id.date.replace(year=2020)}
        )
        line.interaction_id.action_done()
        Report = self.env["crm.sme.sales.expense.report"]
        groups = Report.read_group(
            [("partner_id", "=", self.key.id), ("interaction_type", "=", "visit")],
            ["visit_planned:sum", "visit_done:sum", "cost_per_visit"],
            ["value_tier"],
        )
        self.assertEqual(groups[0]["value_tier"], "key")
        self.assertEqual(groups[0]["visit_planned"], 1)
        self.assertEqual(groups[0]["visit_done"], 2, "the old visit and the planned one")
        self.assertAlmostEqual(groups[0]["cost_per_visit"], 40.0)

    def test_capacity_bad_input(self):
        member = self.env["crm.team.member"].search([("user_id", "=", self.user_salesman.id)])
        with self.assertRaises(ValidationError):
            member.crm_sme_daily_visit_capacity = -1
        with self.assertRaises(ValidationError):
            member.write({"crm_sme_daily_visit_capacity": float("nan")})
        self.assertEqual(member.crm_sme_daily_visit_capacity, 1)

    def test_activities_query_count_constant(self):
        """Filing 'Visit due' activities costs the same queries for 1 or 30 customers."""
        Due = self.env["crm.sme.visit.due"]

        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            filed = Due._create_activities(self.company)
            return self.env.cr.sql_log_count - before, filed

        self.assertEqual(count()[1], 1, "the key customer (caches warm up)")
        self._visit(self._customer("Late (plan)", tier="key", value=10.0), 30)
        self.env.flush_all()
        small, filed = count()
        self.assertEqual(filed, 1)
        for i in range(30):
            self._visit(self._customer(f"Late {i} (plan)", tier="key", value=10.0), 30)
        self.env.flush_all()
        large, filed = count()
        self.assertEqual(filed, 30)
        self.assertEqual(large, small)
        self.assertEqual(count()[1], 0, "not again")

    def test_rerun_writes_nothing(self):
        """Regenerating on unchanged data rewrites no line (same row versions)."""
        self.Plan._generate(self.company)

        def versions():
            self.env.cr.execute(
                "SELECT id, ctid::text FROM crm_sme_visit_plan_line WHERE user_id = %s",
                [self.user_salesman.id],
            )
            return dict(self.env.cr.fetchall())

        before = versions()
        self.Plan._generate(self.company)
        self.assertEqual(versions(), before)
        # a changed input rewrites that line only
        self._feedback(self.key)
        self.Plan._generate(self.company)
        after = versions()
        changed = {line_id for line_id in before if after[line_id] != before[line_id]}
        self.assertEqual(self.Plan.browse(changed).partner_id, self.key)
