# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from .plan_common import PlanCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestChurnWatch(PlanCommon):
    """Scenario 7: a customer without orders past the at-risk threshold is in
    the churn watch with one win-back activity, closed when it buys again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Watch = cls.env["crm.sme.churn.watch"]
        cls.activity_type = cls.env.ref("crm_sme.mail_activity_type_winback")
        cls.quiet = cls._customer(
            "Quiet Mart (churn)", tier="grow", value=60.0, lifecycle="at_risk"
        )
        cls._invoice(cls.quiet, 1000.0, 500)
        cls._invoice(cls.quiet, 400.0, 200)
        cls._visit(cls.quiet, 100)
        cls._feedback(cls.quiet)
        cls.active = cls._customer("Busy Mart (churn)", lifecycle="active")
        cls.product = cls.env["product.product"].create({"name": "Pens (churn)", "list_price": 5.0})

    def _winbacks(self, customer):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _watch(self, customer):
        self.env.invalidate_all()  # a live view: read it again
        return self.Watch.search(
            [("partner_id", "=", customer.id), ("company_id", "=", self.company.id)]
        )

    def test_scenario_7(self):
        row = self._watch(self.quiet)
        self.assertEqual(len(row), 1)
        self.assertFalse(self._watch(self.active), "active customers are not watched")
        self.assertEqual(row.lifecycle, "at_risk")
        self.assertEqual(row.user_id, self.user_salesman)
        self.assertEqual((self.today - row.last_invoice_date).days, 200)
        self.assertEqual((self.today - row.last_contact_date).days, 100)
        self.assertFalse(row.last_order_date)
        self.assertAlmostEqual(row.revenue_12m, 400.0)
        self.assertAlmostEqual(row.revenue_prev_12m, 1000.0)
        self.assertAlmostEqual(row.revenue_trend, -60.0)
        self.assertEqual(row.open_feedback_count, 1)
        self.assertFalse(row.has_winback)

        self.assertGreaterEqual(self.Watch._create_winback_activities(self.company), 1)
        activity = self._winbacks(self.quiet)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertTrue(self._watch(self.quiet).has_winback)
        # re-running adds none
        self.Watch._create_winback_activities(self.company)
        self.Watch._cron_winback()
        self.assertEqual(self._winbacks(self.quiet), activity)

        # buying again closes it and logs it
        order = self.env["sale.order"].create(
            {
                "partner_id": self.quiet.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        self.assertFalse(self._winbacks(self.quiet))
        self.assertIn("Won back", self.quiet.message_ids[0].body)
        # the lifecycle is not recomputed yet: the recent purchase keeps it off
        self.Watch._create_winback_activities(self.company)
        self.assertFalse(self._winbacks(self.quiet))

    def test_posted_invoice_closes_winback(self):
        self.Watch._create_winback_activities(self.company)
        self.assertTrue(self._winbacks(self.quiet))
        self._invoice(self.quiet, 50.0, 0)
        self.assertFalse(self._winbacks(self.quiet))

    def test_marked_done_ends_the_episode(self):
        self.Watch._create_winback_activities(self.company)
        self._winbacks(self.quiet).action_feedback(feedback="Called, no need for now")
        self.Watch._create_winback_activities(self.company)
        self.assertFalse(self._winbacks(self.quiet), "not per run: the episode is handled")

    def test_dormant_without_purchase_ever(self):
        never = self._customer("Never Bought (churn)", lifecycle="dormant")
        self.Watch._create_winback_activities(self.company)
        self.assertEqual(len(self._winbacks(never)), 1)
        self.assertFalse(self._watch(never).last_purchase_date)

    def test_other_company_lifecycle(self):
        """The lifecycle is per company: at risk in the other company only."""
        other = self._customer(
            "Other Co Client (churn)",
            lifecycle="at_risk",
            user=self.user_other_company,
            company=self.company_other,
        )
        self.assertFalse(self._watch(other))
        self.assertEqual(
            self.Watch.search([("partner_id", "=", other.id)]).company_id, self.company_other
        )
        self.assertFalse(
            self.Watch.with_user(self.user_salesman).search([("partner_id", "=", other.id)])
        )
