# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackScenario(FeedbackCommon):
    """Spec scenario 5, end to end, each step by the role that does it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The service agent also works in the warehouse and sells replacements.
        cls.user_service_agent.groups_id = [
            Command.link(cls.env.ref("stock.group_stock_user").id),
            Command.link(cls.env.ref("sales_team.group_sale_salesman").id),
        ]
        cls.order, cls.picking, cls.invoice = cls._delivered_and_invoiced_order(cls.key_customer)

    def test_scenario_5(self):
        agent = self.user_service_agent
        # 1. A key-account complaint about a defective product from a delivery.
        with freeze_time(datetime(2026, 11, 23, 9, 0)):
            with Form(self.Feedback.with_user(agent)) as form:
                form.name = "Half the gel pens leak"
                form.type_id = self.type_defective
                form.partner_id = self.key_customer
                form.contact_id = self.key_contact
                form.picking_id = self.picking
                self.assertEqual(form.product_id, self.product)
                self.assertEqual(form.sale_order_id, self.order)
                self.assertEqual(form.invoice_id, self.invoice)
            feedback = form.save()
        # ...gets high priority (green channel).
        self.assertEqual(feedback.priority, "2")
        self.assertTrue(feedback.is_green_channel)
        self.assertEqual(feedback.team_id, self.team)
        # 2. Nobody answers within 4 working hours: breached, the team leader is alerted.
        with freeze_time(datetime(2026, 11, 23, 14, 30)):
            self.Feedback._cron_flag_breaches()
        self.assertTrue(feedback.is_breached)
        alert = feedback.activity_ids.filtered(lambda a: a.user_id == self.user_team_leader)
        self.assertEqual(len(alert), 1)
        self.assertIn(
            feedback,
            self.Feedback.with_user(self.user_team_leader).search(
                [("is_breached", "=", True), ("is_closed", "=", False)]
            ),
        )
        feedback.with_user(agent).stage_id = self.stage_progress
        # 3. Return of the goods through Odoo's return wizard on the delivery.
        action = feedback.with_user(agent).action_return_goods()
        self.assertEqual(action["res_model"], "stock.return.picking")
        wizard = Form(
            self.env["stock.return.picking"].with_user(agent).with_context(**action["context"])
        )
        wizard = wizard.save()
        wizard.product_return_moves.quantity = 10
        result = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(result["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        feedback.invalidate_recordset()
        self.assertEqual(feedback.return_picking_ids, returned)
        self.assertEqual(feedback.return_count, 1)
        self.assertEqual(feedback.action_view_returns()["res_id"], returned.id)
        # 4. Credit note through Odoo's reversal wizard, by the accountant.
        action = feedback.with_user(self.user_accountant).action_credit_note()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(**action["context"])
            .create({"journal_id": self.invoice.journal_id.id})
        )
        self.assertIn(feedback.reference, reversal.reason)
        reversal.refund_moves()
        credit = self.invoice.reversal_move_ids
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.amount_total, self.invoice.amount_total)
        feedback.invalidate_recordset()
        self.assertEqual(feedback.credit_note_ids, credit)
        # 5. Resolved and closed with a resolution: the customer is asked to rate.
        with freeze_time(datetime(2026, 11, 24, 10, 0)):
            feedback.with_user(agent).write(
                {
                    "resolution": "<p>Goods taken back and credited; new batch checked.</p>",
                    "root_cause_id": self.env.ref("crm_sme.feedback_root_cause_quality").id,
                    "stage_id": self.stage_resolved.id,
                }
            )
            feedback.with_user(agent).stage_id = self.stage_closed
        self.assertTrue(feedback.is_closed)
        # Monday 9-17 (7 h) + Tuesday 8-10 (2 h).
        self.assertEqual(feedback.resolution_hours, 9.0)
        request = feedback.rating_ids
        self.assertEqual(len(request), 1, "a rating request went to the contact")
        self.assertEqual(request.partner_id, self.key_contact)
        self.assertFalse(request.consumed)
        mail = self.env["mail.mail"].search(
            [("model", "=", feedback._name), ("res_id", "=", feedback.id)]
        )
        self.assertTrue(any(f"/rate/{request.access_token}/5" in m.body_html for m in mail))
        portal_link = f"/my/feedback/{feedback.id}?access_token={feedback.access_token}"
        self.assertTrue(any(portal_link in m.body_html for m in mail))
        # 6. The customer rates it (the public /rate link applies it as superuser).
        feedback.sudo().rating_apply(5, token=request.access_token, feedback="Quick and fair")
        self.assertEqual(feedback.csat_score, 5)
        self.assertTrue(feedback.date_csat)
        self.assertEqual(self.key_customer.crm_sme_last_csat, 5)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackRemedies(FeedbackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.picking, cls.invoice = cls._delivered_and_invoiced_order(cls.customer)

    def _feedback(self):
        return self._new_feedback(
            picking_id=self.picking.id,
            invoice_id=self.invoice.id,
            sale_order_id=self.order.id,
            product_id=self.product.id,
        )

    def test_lots_of_the_customer(self):
        """Only serials delivered to the customer can be picked."""
        tracked = self.env["product.product"].create(
            {"name": "Label printer", "is_storable": True, "tracking": "serial"}
        )
        stock = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        lots = self.env["stock.lot"].create(
            [{"name": f"SN-{i}", "product_id": tracked.id} for i in range(2)]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                tracked, stock.lot_stock_id, 1, lot_id=lot
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": tracked.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.lot_id = lots[0]
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        feedback = self._new_feedback(product_id=tracked.id)
        other = self._new_feedback(partner_id=self.other_customer.id, product_id=tracked.id)
        self.assertEqual(feedback.allowed_lot_ids, lots[0])
        self.assertFalse(other.allowed_lot_ids)

    def test_replacement_order(self):
        feedback = self._feedback()
        action = feedback.action_replacement_order()
        order = feedback.replacement_order_ids
        self.assertEqual(action["res_id"], order.id)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.origin, feedback.reference)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 10)
        self.assertEqual(order.amount_untaxed, 0.0)
        self.assertEqual(feedback.replacement_order_count, 1)

    def test_technician_visit(self):
        feedback = self._feedback()
        action = feedback.action_technician_visit()
        visit = feedback.interaction_ids
        self.assertEqual(action["res_id"], visit.id)
        self.assertEqual(visit.feedback_id, feedback)
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.interaction_type, "visit")
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(feedback.interaction_count, 1)

    def test_remedy_on_unfinished_documents(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        draft_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id})],
            }
        )
        feedback = self._new_feedback(picking_id=order.picking_ids.id, invoice_id=draft_invoice.id)
        with self.assertRaisesText(UserError, "not done"):
            feedback.action_return_goods()
        with self.assertRaisesText(UserError, "not posted"):
            feedback.action_credit_note()
        self.assertFalse(order.picking_ids.return_ids)
        self.assertFalse(draft_invoice.reversal_move_ids)
