# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackRateRoute(HttpCase, FeedbackCommon):
    """Rated once, never when cancelled: enforced in the model, so Odoo's own
    ``/rate/<token>/<n>`` links of the rating email obey it too."""

    def _closed_with_token(self):
        feedback = self._new_feedback(partner_id=self.customer.id, user_id=self.user_salesman.id)
        feedback.write({"stage_id": self.stage_closed.id, "resolution": "<p>Replaced</p>"})
        return feedback, feedback._rating_get_access_token()

    def _rate(self, token, rate):
        """The customer's answer as Odoo's rating page posts it (every 18.0
        build; builds of 2024 also rate on the email's GET link, see below)."""
        self.authenticate(None, None)  # the customer's (public) session and its CSRF token
        return self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": rate, "csrf_token": http.Request.csrf_token(self)},
        )

    def test_rate_link_rates_once(self):
        feedback, token = self._closed_with_token()
        res = self._rate(token, 5)
        self.assertEqual(res.status_code, 200)
        feedback.invalidate_recordset()
        self.assertEqual(feedback.csat_score, 5)
        rated_on = feedback.date_csat
        # A second answer cannot overwrite it ...
        with mute_logger("odoo.http"):
            res = self._rate(token, 1)
        self.assertEqual(res.status_code, 400)
        self.assertIn("already rated", res.text)
        # ... nor a second link of the same email or a mail scanner (refused by
        # the model where the build still rates on GET, a page where it does not)
        with mute_logger("odoo.http"):
            res = self.url_open(f"/rate/{token}/1")
        self.assertIn(res.status_code, (200, 400))
        feedback.invalidate_recordset()
        self.assertEqual(feedback.csat_score, 5)
        self.assertEqual(feedback.date_csat, rated_on)
        self.assertEqual(feedback.rating_ids.rating, 5)
        self.assertFalse(feedback.activity_ids, "no low-satisfaction follow-up")
        # The same answer again (Odoo's "tell us more" page) is accepted, unchanged.
        res = self._rate(token, 5)
        self.assertEqual(res.status_code, 200)
        feedback.invalidate_recordset()
        self.assertEqual(feedback.csat_score, 5)
        self.assertEqual(feedback.date_csat, rated_on)

    def test_rate_link_cancelled_feedback(self):
        feedback, token = self._closed_with_token()
        feedback.stage_id = self.stage_cancelled
        with mute_logger("odoo.http"):
            res = self._rate(token, 1)
        self.assertEqual(res.status_code, 400)
        self.assertIn("cancelled", res.text)
        with mute_logger("odoo.http"):
            res = self.url_open(f"/rate/{token}/1")
        self.assertIn(res.status_code, (200, 400))
        feedback.invalidate_recordset()
        self.assertFalse(feedback.csat_score)
        self.assertFalse(feedback.rating_ids.filtered("consumed"))
        self.assertFalse(feedback.activity_ids)

    def test_rating_apply_in_the_model(self):
        """The same rules for any caller of rating_apply (RPC, other modules)."""
        feedback, token = self._closed_with_token()
        feedback.rating_apply(4, token=token)
        with self.assertRaisesText(UserError, "already rated"):
            feedback.rating_apply(2, token=token)
        self.assertEqual(feedback.csat_score, 4)
        cancelled = self._new_feedback()
        cancelled_token = cancelled._rating_get_access_token()
        cancelled.stage_id = self.stage_cancelled
        with self.assertRaisesText(UserError, "cancelled"):
            cancelled.rating_apply(5, token=cancelled_token)
        self.assertFalse(cancelled.csat_score)
        for bad in (None, "abc", float("nan"), float("inf"), [5], 4.5, True):
            with self.assertRaisesText(UserError, "1 to 5"):
                cancelled.rating_apply(bad, token=cancelled_token)
        with self.assertRaisesText(UserError, "not valid"):
            feedback.rating_apply(5, token="no-such-token")
