# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .plan_common import PlanCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestSalesExpenseReport(PlanCommon):
    """Sales-expense input/output ratio = expenses / net invoiced revenue, per
    customer, tier, salesperson and year, and budget use against the policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["crm.sme.sales.expense.report"]
        cls.year = str(cls.today.year)
        cls.key = cls._customer("Key Mart (expense)", tier="key")
        cls._visit(cls.key, 0, expense=300.0)
        cls._visit(cls.key, 0, expense=100.0, interaction_type="call")
        cls._invoice(cls.key, 5000.0, 0)
        cls._invoice(cls.key, 1000.0, 0, move_type="out_refund")
        cls.sam_key = cls._customer("Sam Key (expense)", tier="key", user=cls.user_salesman_2)
        cls._visit(cls.sam_key, 0, expense=600.0)
        cls._invoice(cls.sam_key, 2000.0, 0)
        cls.other = cls._customer(
            "Other Co (expense)", tier="key", user=cls.user_other_company, company=cls.company_other
        )
        cls._visit(cls.other, 0, expense=50.0)
        cls.env.flush_all()

    def _group(self, domain, groupby, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        return Report.read_group(
            domain,
            [
                "expense:sum",
                "revenue:sum",
                "budget:sum",
                "expense_ratio",
                "budget_use",
                "cost_per_visit",
            ],
            groupby,
        )

    def test_ratio_per_customer(self):
        (group,) = self._group([("partner_id", "=", self.key.id)], ["partner_id"])
        self.assertAlmostEqual(group["expense"], 400.0)
        self.assertAlmostEqual(group["revenue"], 4000.0, msg="invoice minus credit note")
        self.assertAlmostEqual(group["expense_ratio"], 10.0)
        self.assertAlmostEqual(group["budget"], self.policies["key"].yearly_budget)
        self.assertAlmostEqual(
            group["budget_use"], 400.0 / self.policies["key"].yearly_budget * 100
        )
        self.assertAlmostEqual(group["cost_per_visit"], 300.0)

    def test_ratio_per_tier_and_salesperson(self):
        domain = [("partner_id", "in", (self.key | self.sam_key).ids)]
        (tier,) = self._group(domain, ["value_tier"])
        self.assertEqual(tier["value_tier"], "key")
        self.assertAlmostEqual(tier["expense_ratio"], 1000.0 / 6000.0 * 100, msg="ratio of sums")
        self.assertAlmostEqual(tier["budget"], 2 * self.policies["key"].yearly_budget)
        per_user = {g["user_id"][0]: g for g in self._group(domain, ["user_id"])}
        self.assertAlmostEqual(per_user[self.user_salesman_2.id]["expense_ratio"], 30.0)
        years = self._group(domain, ["date:year"])
        self.assertEqual(len(years), 1)
        self.assertIn(self.year, years[0]["date:year"])

    def test_drill_down_to_interactions(self):
        rows = self.Report.search(
            [("partner_id", "=", self.key.id), ("interaction_id", "!=", False)]
        )
        self.assertEqual(len(rows), 2)
        action = rows[0].action_open_document()
        self.assertEqual(action["res_model"], "crm.sme.interaction")
        self.assertIn(action["res_id"], rows.interaction_id.ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access(self):
        customers = (self.key | self.sam_key | self.other).ids
        domain = [("partner_id", "in", customers)]
        seen = {
            role: set(self.Report.with_user(user).search(domain).partner_id.ids)
            for role, user in {
                "sally": self.user_salesman,
                "sam": self.user_salesman_2,
                "leader": self.user_team_leader,
                "manager": self.user_sales_manager,
                "accountant": self.user_accountant,
                "other": self.user_other_company,
            }.items()
        }
        self.assertEqual(seen["sally"], {self.key.id})
        self.assertEqual(seen["sam"], {self.sam_key.id})
        self.assertEqual(seen["leader"], {self.key.id}, "Tina leads Sally's team")
        self.assertEqual(seen["manager"], {self.key.id, self.sam_key.id})
        self.assertEqual(seen["accountant"], {self.key.id, self.sam_key.id})
        self.assertEqual(seen["other"], {self.other.id})
        (group,) = self._group(domain, [], user=self.user_salesman)
        self.assertAlmostEqual(group["expense"], 400.0, msg="read_group honours the rules")
        rows = self.Report.with_user(self.user_salesman).search(domain)
        rows.export_data(["partner_id", "expense"])
        sam_row = self.Report.search([("partner_id", "=", self.sam_key.id)], limit=1)
        with self.assertRaises(AccessError):
            sam_row.with_user(self.user_salesman).read(["expense"])
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user_employee).search(domain)
