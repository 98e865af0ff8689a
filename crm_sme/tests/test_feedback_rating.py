# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackRating(FeedbackCommon):
    def _closed(self, partner=None):
        feedback = self._new_feedback(
            partner_id=(partner or self.customer).id, user_id=self.user_service_agent.id
        )
        feedback.write({"stage_id": self.stage_closed.id, "resolution": "<p>Done</p>"})
        return feedback

    def test_csat_through_rating_mixin(self):
        feedback = self._closed(self.contact)
        token = feedback._rating_get_access_token()
        feedback.rating_apply(4, token=token)
        self.assertEqual(feedback.csat_score, 4)
        self.assertEqual(feedback.rating_last_value, 4)
        self.assertFalse(feedback.activity_ids)

    def test_low_csat_creates_follow_up(self):
        feedback = self._closed()
        feedback.rating_apply(2, token=feedback._rating_get_access_token())
        self.assertEqual(feedback.csat_score, 2)
        self.assertEqual(len(feedback.activity_ids), 1)
        self.assertEqual(feedback.activity_ids.user_id, self.user_service_agent)

    def test_rating_out_of_range(self):
        feedback = self._closed()
        token = feedback._rating_get_access_token()
        for bad in (0, 6, -1):
            with self.assertRaisesText(UserError, "1 to 5"):
                feedback.rating_apply(bad, token=token)
        self.assertFalse(feedback.csat_score)
        self.assertFalse(feedback.rating_ids.filtered("consumed"))
        with self.assertRaises(ValidationError):
            feedback.write({"csat_score": 7})

    def test_nps(self):
        promoter = self._closed()
        promoter.action_set_nps(10)
        self.assertEqual(promoter.nps_category, "promoter")
        self.assertFalse(promoter.activity_ids)
        passive = self._closed()
        passive.action_set_nps(7)
        self.assertEqual(passive.nps_category, "passive")
        detractor = self._closed(self.other_customer)
        detractor.action_set_nps(0)
        self.assertEqual(detractor.nps_category, "detractor")
        self.assertEqual(len(detractor.activity_ids), 1)
        for bad in (-1, 11):
            with self.assertRaisesText(UserError, "0 to 10"):
                passive.action_set_nps(bad)
        self.assertEqual(passive.nps_score, 7)
        # NPS = % promoters - % detractors, per team / salesperson in the report.
        report = self.env["crm.sme.feedback.report"]
        self.env.flush_all()
        rows = report._read_group(
            [("feedback_id", "in", (promoter | passive | detractor).ids)], [], ["nps:avg"]
        )
        self.assertAlmostEqual(rows[0][0], (1 - 1) / 3 * 100)
        by_salesperson = dict(
            report._read_group(
                [("feedback_id", "in", (promoter | passive | detractor).ids)],
                ["salesperson_id"],
                ["nps:avg"],
            )
        )
        self.assertEqual(by_salesperson[self.user_salesman], 50.0)
        self.assertEqual(by_salesperson[self.user_salesman_2], -100.0)

    def test_nps_typed_in_the_form(self):
        """An agent types the customer's answer: dated, categorised, detractor followed up."""
        feedback = self._closed()
        feedback.write({"nps_score": 3})
        self.assertTrue(feedback.date_nps)
        self.assertEqual(feedback.nps_category, "detractor")
        self.assertEqual(len(feedback.activity_ids), 1)
        with self.assertRaisesText(UserError, "0 to 10"):
            feedback.write({"nps_score": 42})
        self.assertEqual(feedback.nps_score, 3)

    def test_report_rates(self):
        fb1 = self._closed()
        fb1.rating_apply(5, token=fb1._rating_get_access_token())
        fb2 = self._new_feedback()
        fb2.sudo().write({"is_breached": True})
        self.env.flush_all()
        report = self.env["crm.sme.feedback.report"]
        [[nbr, breach, csat]] = report._read_group(
            [("feedback_id", "in", (fb1 | fb2).ids)], [], ["nbr:sum", "breach_rate:avg", "csat:avg"]
        )
        self.assertEqual(nbr, 2)
        self.assertEqual(breach, 50.0)
        self.assertEqual(csat, 5.0)
        # The salesperson sees the analysis of their own customers only.
        self.assertEqual(
            report.with_user(self.user_salesman_2).search_count([("feedback_id", "=", fb1.id)]), 0
        )
        self.assertEqual(
            report.with_user(self.user_salesman).search_count([("feedback_id", "=", fb1.id)]), 1
        )
