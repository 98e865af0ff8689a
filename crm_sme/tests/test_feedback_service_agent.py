# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackServiceAgent(FeedbackCommon):
    """Spec scenario 5 by the service agent alone (no sales, stock or
    invoicing rights): they choose the documents on the feedback and run
    Return Goods and Credit Note through its buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.user_service_agent
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Gel pens for 2027", "type": "opportunity", "partner_id": cls.key_customer.id}
        )
        cls.order, cls.picking, cls.invoice = cls._delivered_and_invoiced_order(cls.key_customer)
        cls.order.opportunity_id = cls.lead
        cls.lot_product = cls.env["product.product"].create(
            {"name": "Fountain pen (lot)", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "LOT-2026-11", "product_id": cls.lot_product.id, "company_id": cls.company.id}
        )
        vendor = cls.env["res.partner"].create({"name": "Ink supplier (test)"})
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": vendor.id,
                "invoice_line_ids": [Command.create({"name": "ink", "price_unit": 10.0})],
            }
        )

    def test_agent_has_no_other_rights(self):
        for group in (
            "sales_team.group_sale_salesman",
            "stock.group_stock_user",
            "account.group_account_invoice",
        ):
            self.assertFalse(self.agent.has_group(group))

    def test_choose_documents(self):
        """The dropdowns of the feedback form search as the agent."""
        env = self.env(user=self.agent)
        customer = [("partner_id", "child_of", self.key_customer.id)]
        self.assertIn(
            self.picking.id,
            [
                r[0]
                for r in env["stock.picking"].name_search(
                    "", customer + [("picking_type_code", "=", "outgoing")]
                )
            ],
        )
        self.assertIn(self.order.id, [r[0] for r in env["sale.order"].name_search("", customer)])
        self.assertIn(
            self.invoice.id,
            [
                r[0]
                for r in env["account.move"].name_search(
                    "", customer + [("move_type", "=", "out_invoice")]
                )
            ],
        )
        self.assertIn(self.lead.id, [r[0] for r in env["crm.lead"].name_search("", customer)])
        self.assertIn(self.lot.id, [r[0] for r in env["stock.lot"].name_search("LOT-2026")])
        # Customer documents only: no vendor bill, and read only.
        self.assertFalse(env["account.move"].search([("id", "=", self.bill.id)]))
        with self.assertRaises(AccessError):
            self.bill.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.order.with_user(self.agent).write({"client_order_ref": "changed"})
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.agent).write({"ref": "changed"})

    def test_scenario_5_as_agent(self):
        agent = self.agent
        with Form(self.Feedback.with_user(agent)) as form:
            form.name = "Half the gel pens leak"
            form.type_id = self.type_defective
            form.partner_id = self.key_customer
            form.contact_id = self.key_contact
            form.picking_id = self.picking
            self.assertEqual(form.product_id, self.product)
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.invoice_id, self.invoice)
            self.assertEqual(form.lead_id, self.lead)
        feedback = form.save().with_user(agent)
        feedback.stage_id = self.stage_progress
        # Return Goods: Odoo's return, made for the agent, waits for the warehouse.
        action = feedback.action_return_goods()
        self.assertEqual(action["res_model"], "stock.picking")
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(returned.return_id, self.picking)
        self.assertEqual(returned.move_ids.product_uom_qty, 10.0)
        self.assertIn(returned.state, ("assigned", "confirmed"))
        self.assertEqual(feedback.return_picking_ids, returned)
        self.assertTrue(returned.with_user(agent).display_name)
        with self.assertRaisesText(UserError, "already returned"):
            feedback.action_return_goods()
        # Credit Note: Odoo's reversal, a draft for the accountant.
        action = feedback.action_credit_note()
        self.assertEqual(action["res_model"], "account.move")
        credit = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.state, "draft")
        self.assertEqual(credit.reversed_entry_id, self.invoice)
        self.assertEqual(credit.amount_total, self.invoice.amount_total)
        self.assertIn(feedback.reference, credit.ref)
        self.assertEqual(feedback.credit_note_ids, credit)
        self.assertTrue(credit.with_user(agent).display_name)
        self.assertTrue(feedback.message_ids.filtered(lambda m: "credit note" in (m.body or "")))
        # Resolved and closed by the agent.
        feedback.write(
            {
                "resolution": "<p>Goods taken back and credited.</p>",
                "stage_id": self.stage_closed.id,
            }
        )
        self.assertTrue(feedback.is_closed)

    def test_remedy_checks(self):
        """The superuser part runs only after the explicit checks."""
        feedback = self._new_feedback(
            partner_id=self.key_customer.id,
            picking_id=self.picking.id,
            invoice_id=self.invoice.id,
        )
        # A plain employee cannot even open the feedback.
        with self.assertRaises(AccessError):
            feedback.with_user(self.user_employee).action_credit_note()
        # A salesperson of another customer cannot use it to reach the documents.
        with self.assertRaises(AccessError):
            feedback.with_user(self.user_salesman_2).action_return_goods()
        self.assertFalse(self.picking.return_ids)
        self.assertFalse(self.invoice.reversal_move_ids)
