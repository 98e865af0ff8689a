# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_opportunity_common import OpportunityCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestCreditGate(OpportunityCommon):
    """Scenario 4: a customer over its credit limit with a 45-day overdue invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "account_use_credit_limit": True,
                "crm_sme_credit_gate": "block",
                "crm_sme_overdue_days": 30,
            }
        )
        cls.customer.with_company(cls.company).credit_limit = 1000.0
        today = fields.Date.today()
        cls.overdue_invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": today - timedelta(days=75),
                "invoice_date_due": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_stocked.id,
                            "quantity": 8,
                            "price_unit": 100.0,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        cls.overdue_invoice.action_post()

    def _new_order(self, user=None, qty=5.0):
        return (
            self.env["sale.order"]
            .with_user(user or self.user_salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_stocked.id,
                                "product_uom_qty": qty,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )

    def test_exposure_matches_odoo(self):
        exposure = self.env["sale.order"]._crm_sme_credit_exposure(self.customer, self.company)[
            self.customer.id
        ]
        partner = self.customer.with_company(self.company)
        self.assertAlmostEqual(exposure["receivable"], partner.credit)
        self.assertAlmostEqual(exposure["receivable"], 800.0)
        self.assertAlmostEqual(exposure["credit_limit"], 1000.0)
        self.assertAlmostEqual(exposure["overdue_amount"], 800.0)
        self.assertEqual(exposure["overdue_days"], 45)
        # a confirmed, uninvoiced order counts like Odoo's credit_to_invoice
        self.company.crm_sme_credit_gate = "none"
        self.product_stocked.invoice_policy = "order"
        order = self._new_order(user=self.user_sales_manager, qty=2.0)
        order.action_confirm()
        exposure = self.env["sale.order"]._crm_sme_credit_exposure(self.customer, self.company)[
            self.customer.id
        ]
        self.assertAlmostEqual(exposure["to_invoice"], partner.credit_to_invoice)
        self.assertAlmostEqual(exposure["to_invoice"], 2.0 * order.order_line.price_unit)
        # per company: nothing in the other company
        other = self.env["sale.order"]._crm_sme_credit_exposure(self.customer, self.company_other)[
            self.customer.id
        ]
        self.assertEqual(
            (other["receivable"], other["to_invoice"], other["overdue_amount"]), (0.0, 0.0, 0.0)
        )

    def test_exposure_is_set_based(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Shop {i} (test)", "is_company": True} for i in range(10)]
        )
        SaleOrder = self.env["sale.order"]
        SaleOrder._crm_sme_credit_exposure(self.customer, self.company)
        with self.assertQueryCount(1):
            SaleOrder._crm_sme_credit_exposure(self.customer, self.company)
        self.env.invalidate_all()
        SaleOrder._crm_sme_credit_exposure(
            partners | self.customer, self.company
        )  # warm the partner cache
        with self.assertQueryCount(1):
            result = SaleOrder._crm_sme_credit_exposure(partners | self.customer, self.company)
        self.assertEqual(len(result), 11)

    def test_scenario_4_blocked_for_salesperson(self):
        order = self._new_order()
        self.assertIn("credit limit", order.crm_sme_credit_warning)
        self.assertIn("overdue", order.crm_sme_credit_warning)
        with self.assertRaisesRegex(UserError, "ask a sales manager"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # the salesperson can neither use the wizard nor write the override
        wizard = (
            self.env["crm.sme.credit.override"]
            .with_user(self.user_salesman)
            .create({"order_ids": [Command.set(order.ids)], "reason": "I know them"})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            order.write({"crm_sme_credit_override_reason": "I know them"})
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.crm_sme_credit_override_reason)

    def test_scenario_4_manager_overrides_with_reason(self):
        lead = self._create_opportunity(lines=[(self.product_stocked, 5.0)])
        # the opportunity shows the same warning before the quotation is made
        self.assertTrue(lead.crm_sme_is_credit_blocked)
        self.assertIn("credit limit", lead.crm_sme_credit_warning)
        self.assertIn(lead, self.env["crm.lead"].search([("crm_sme_is_credit_blocked", "=", True)]))
        order = self._quotation_from(lead)
        action = order.with_user(self.user_sales_manager).action_confirm()
        self.assertEqual(action["res_model"], "crm.sme.credit.override")
        self.assertEqual(order.state, "draft")
        wizard_form = Form(
            self.env["crm.sme.credit.override"]
            .with_user(self.user_sales_manager)
            .with_context(**action["context"])
        )
        self.assertIn("overdue", wizard_form.warning)
        # no reason (the form requires one; a direct call is refused too): nothing written
        wizard = (
            self.env["crm.sme.credit.override"]
            .with_user(self.user_sales_manager)
            .with_context(**action["context"])
            .create({})
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_confirm()
        wizard.reason = "   "
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.crm_sme_credit_override_reason)
        # with a reason: confirmed, logged on the order and the opportunity
        wizard.reason = "Paid by bank transfer yesterday, not yet reconciled"
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.crm_sme_credit_override_user_id, self.user_sales_manager)
        self.assertIn("Paid by bank transfer", order.crm_sme_credit_override_reason)
        self.assertTrue(
            any("Paid by bank transfer" in body for body in order.message_ids.mapped("body"))
        )
        self.assertTrue(
            any("Paid by bank transfer" in body for body in lead.message_ids.mapped("body"))
        )
        self.assertTrue(lead.stage_id.is_won)

    def test_warn_mode_confirms_and_logs(self):
        self.company.crm_sme_credit_gate = "warn"
        order = self._new_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            any("Credit gate warning" in body for body in order.message_ids.mapped("body"))
        )

    def test_within_limit_passes(self):
        self.overdue_invoice.button_draft()
        self.overdue_invoice.button_cancel()
        order = self._new_order(qty=2.0)
        self.assertFalse(order.crm_sme_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_overdue_only(self):
        """Within the credit limit but 45 days overdue with a 30-day tolerance."""
        self.customer.with_company(self.company).credit_limit = 100000.0
        order = self._new_order(qty=1.0)
        with self.assertRaisesRegex(UserError, "overdue"):
            order.action_confirm()
        self.company.crm_sme_overdue_days = 60
        order.action_confirm()
        self.assertEqual(order.state, "sale")
