# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .plan_common import PlanCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestTierPolicy(PlanCommon):
    """Tier policies: defaults per company, manager-only write, bad input,
    the green channel priority of new feedback."""

    def test_defaults_per_company(self):
        self.assertEqual(set(self.policies), {"key", "grow", "maintain", "basic"})
        new_company = self.env["res.company"].create({"name": "New Co (policy)"})
        policies = self.env["crm.sme.tier.policy"].search([("company_id", "=", new_company.id)])
        self.assertEqual(len(policies), 4)
        self.assertEqual(policies.filtered(lambda p: p.tier == "key").visit_interval_days, 14)

    def test_green_channel_priority_from_policy(self):
        self.policies["grow"].service_priority = "3"
        self.policies["basic"].service_priority = "0"
        grow = self._customer("Grow Client (policy)", tier="grow")
        basic = self._customer("Basic Client (policy)", tier="basic")
        no_tier = self.env["res.partner"].create({"name": "No tier (policy)", "is_company": True})
        feedback = (
            self.env["crm.sme.feedback"]
            .with_user(self.user_salesman)
            .create(
                [
                    {"name": "Late delivery", "partner_id": grow.id},
                    {"name": "Wrong colour", "partner_id": basic.id},
                    {"name": "Question", "partner_id": no_tier.id},
                ]
            )
        )
        self.assertEqual(feedback.mapped("priority"), ["3", "1", "1"])
        self.assertEqual(feedback.mapped("is_green_channel"), [True, False, False])
        # key accounts keep their green channel
        basic.is_key_account = True
        key_feedback = self.env["crm.sme.feedback"].create(
            {"name": "Broken box", "partner_id": basic.id}
        )
        self.assertEqual(key_feedback.priority, "2")
        self.assertTrue(key_feedback.is_green_channel)
        # the tier of the feedback's company counts (a customer of both companies)
        grow.company_id = False
        grow.sudo().with_company(self.company_other).crm_sme_value_tier = "basic"
        other = (
            self.env["crm.sme.feedback"]
            .with_company(self.company_other)
            .create(
                {
                    "name": "Other company",
                    "partner_id": grow.id,
                    "company_id": self.company_other.id,
                }
            )
        )
        self.assertEqual(other.priority, "1")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access(self):
        policy = self.policies["key"]
        for user in (
            self.user_salesman,
            self.user_team_leader,
            self.user_accountant,
            self.user_service_agent,
        ):
            Policy = self.env["crm.sme.tier.policy"].with_user(user)
            self.assertEqual(Policy.search([("id", "in", policy.ids)]), policy)
            self.assertEqual(
                Policy.read_group([("id", "=", policy.id)], ["__count"], [])[0]["__count"], 1
            )
            self.assertTrue(Policy.name_search("Key", [("id", "=", policy.id)]))
            policy.with_user(user).export_data(["tier", "visit_interval_days"])
            with self.assertRaises(AccessError):
                policy.with_user(user).visit_interval_days = 3
            with self.assertRaises(AccessError):
                Policy.create({"tier": "key", "company_id": self.company_other.id})
        Other = self.env["crm.sme.tier.policy"].with_user(self.user_other_company)
        self.assertFalse(Other.search([("company_id", "=", self.company.id)]))
        with self.assertRaises(AccessError):
            policy.with_user(self.user_other_company).read(["tier"])
        with self.assertRaises(AccessError):
            policy.with_user(self.user_employee).read(["tier"])
        policy.with_user(self.user_sales_manager).visit_interval_days = 21
        self.assertEqual(policy.visit_interval_days, 21)

    def test_bad_input(self):
        policy = self.policies["grow"].with_user(self.user_sales_manager)
        for vals in (
            {"visit_interval_days": 0},
            {"visit_interval_days": -5},
            {"yearly_budget": -1.0},
            {"yearly_budget": float("nan")},
            {"service_priority": "9"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                policy.write(vals)
        self.assertEqual(policy.visit_interval_days, 30)
        self.assertEqual(policy.yearly_budget, 8000.0)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["crm.sme.tier.policy"].create({"tier": "grow", "company_id": self.company.id})
