# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour", "crm_sme_feedback")
class TestFeedbackTour(HttpCase, FeedbackCommon):
    def test_back_office_tour(self):
        """Scenario 5 in the browser (the breach itself is the cron's, see the tests)."""
        # The agent also handles the warehouse return and the credit note here.
        self.user_service_agent.groups_id = [
            Command.link(self.env.ref("stock.group_stock_user").id),
            Command.link(self.env.ref("account.group_account_invoice").id),
        ]
        order, picking, invoice = self._delivered_and_invoiced_order(self.key_customer)
        self.start_tour("/odoo", "crm_sme_feedback_tour", login="crm_sme_service")
        feedback = self.env["crm.sme.feedback"].search([("name", "=", "Tour: gel pens leak")])
        self.assertEqual(feedback.partner_id, self.key_customer)
        self.assertEqual(feedback.priority, "2")
        self.assertTrue(feedback.is_green_channel)
        self.assertEqual(feedback.picking_id, picking)
        self.assertEqual(feedback.sale_order_id, order)
        self.assertEqual(feedback.invoice_id, invoice)
        self.assertEqual(len(feedback.return_picking_ids), 1)
        self.assertEqual(feedback.return_picking_ids.move_ids.product_uom_qty, 10)
        self.assertEqual(feedback.credit_note_ids.reversed_entry_id, invoice)
        self.assertEqual(feedback.stage_id, self.stage_closed)
        self.assertIn("Replaced the batch", feedback.resolution)
        self.assertTrue(feedback.date_first_response)
        self.assertEqual(len(feedback.rating_ids), 1, "the customer was asked to rate")

    def test_service_agent_tour(self):
        """Scenario 5 in the browser as the service agent alone (issue 8, point 6)."""
        agent = self.user_service_agent
        for group in ("stock.group_stock_user", "account.group_account_invoice"):
            self.assertFalse(agent.has_group(group))
        order, picking, invoice = self._delivered_and_invoiced_order(self.key_customer)
        order.opportunity_id = self.env["crm.lead"].create(
            {"name": "Agent tour opportunity", "partner_id": self.key_customer.id}
        )
        self.start_tour("/odoo", "crm_sme_feedback_agent_tour", login="crm_sme_service")
        feedback = self.env["crm.sme.feedback"].search([("name", "=", "Agent tour: pens leak")])
        self.assertEqual(feedback.picking_id, picking)
        self.assertEqual(feedback.invoice_id, invoice)
        self.assertEqual(feedback.lead_id, order.opportunity_id)
        self.assertEqual(feedback.return_picking_ids.return_id, picking)
        self.assertEqual(feedback.return_picking_ids.move_ids.product_uom_qty, 10)
        self.assertEqual(feedback.credit_note_ids.reversed_entry_id, invoice)
        self.assertEqual(feedback.credit_note_ids.state, "draft")
        self.assertEqual(feedback.stage_id, self.stage_resolved)

    def test_portal_tour(self):
        self.user_portal.partner_id.parent_id = self.customer
        closed = self._new_feedback(name="Pens leak")
        closed.write({"stage_id": self.stage_closed.id, "resolution": "<p>Replaced</p>"})
        self.start_tour("/my/feedback", "crm_sme_feedback_portal_tour", login="crm_sme_portal")
        feedback = self.env["crm.sme.feedback"].search(
            [("name", "=", "Portal tour: missing cartons")]
        )
        self.assertEqual(feedback.partner_id, self.customer)
        self.assertEqual(feedback.channel, "portal")
        self.assertEqual(closed.csat_score, 4)
        self.assertEqual(closed.nps_score, 9)
