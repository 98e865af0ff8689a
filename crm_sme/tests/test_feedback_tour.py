# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour", "crm_sme_feedback")
class TestFeedbackTour(HttpCase, FeedbackCommon):
    def test_back_office_tour(self):
        self.start_tour("/odoo", "crm_sme_feedback_tour", login="crm_sme_service")
        feedback = self.env["crm.sme.feedback"].search([("name", "=", "Tour: gel pens leak")])
        self.assertEqual(feedback.partner_id, self.key_customer)
        self.assertEqual(feedback.priority, "2")
        self.assertTrue(feedback.is_green_channel)
        self.assertEqual(feedback.stage_id, self.stage_resolved)
        self.assertIn("Replaced the batch", feedback.resolution)
        self.assertTrue(feedback.date_first_response)

    def test_portal_tour(self):
        self.user_portal.partner_id.parent_id = self.customer
        self.start_tour("/my/feedback", "crm_sme_feedback_portal_tour", login="crm_sme_portal")
        feedback = self.env["crm.sme.feedback"].search(
            [("name", "=", "Portal tour: missing cartons")]
        )
        self.assertEqual(feedback.partner_id, self.customer)
        self.assertEqual(feedback.channel, "portal")
