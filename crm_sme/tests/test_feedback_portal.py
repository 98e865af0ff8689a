# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackPortal(HttpCase, FeedbackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.user_portal.partner_id
        cls.portal_partner.parent_id = cls.customer
        cls.own = cls.env["crm.sme.feedback"].create(
            {
                "name": "Own pens leak",
                "partner_id": cls.customer.id,
                "description": "<p>Ink everywhere</p>",
            }
        )
        cls.others = cls.env["crm.sme.feedback"].create(
            {"name": "Secret of Sam's shop", "partner_id": cls.other_customer.id}
        )
        cls.own_token = cls.own._portal_ensure_token()
        cls.others_token = cls.others._portal_ensure_token()

    def setUp(self):
        super().setUp()
        self.authenticate("crm_sme_portal", "crm_sme_portal")

    def _post(self, url, data, csrf=True):
        if csrf:
            data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data)

    def test_list_and_counter(self):
        res = self.url_open("/my/feedback")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.own.reference, res.text)
        self.assertNotIn(self.others.reference, res.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["crm_sme_feedback_count"]}
        )
        self.assertEqual(counters["crm_sme_feedback_count"], 1)

    def test_detail_own(self):
        res = self.url_open(f"/my/feedback/{self.own.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Own pens leak", res.text)
        self.assertIn("Ink everywhere", res.text)
        # Internal information never reaches the portal page.
        self.assertNotIn("Deadline", res.text)

    def test_detail_of_another_customer(self):
        for url in (
            f"/my/feedback/{self.others.id}",
            f"/my/feedback/{self.others.id}?access_token={self.own_token}",
            f"/my/feedback/{self.others.id}?access_token=forged",
            "/my/feedback/999999",
        ):
            res = self.url_open(url)
            self.assertNotIn("Secret of Sam", res.text, url)
            self.assertTrue(res.url.endswith("/my"), url)

    def test_token_link_without_login(self):
        self.logout()
        res = self.url_open(f"/my/feedback/{self.own.id}?access_token={self.own_token}")
        self.assertIn("Own pens leak", res.text)
        res = self.url_open(f"/my/feedback/{self.own.id}?access_token={self.others_token}")
        self.assertNotIn("Own pens leak", res.text)

    def test_submit(self):
        res = self._post(
            "/my/feedback/submit",
            {
                "name": "<script>alert('x')</script>Dented boxes",
                "description": "Boxes <b>crushed</b><script>alert('y')</script>",
                "type_id": self.type_defective.id,
            },
        )
        self.assertEqual(res.status_code, 200)
        created = self.env["crm.sme.feedback"].search([("name", "ilike", "Dented boxes")])
        self.assertEqual(len(created), 1)
        self.assertEqual(created.partner_id, self.customer)
        self.assertEqual(created.contact_id, self.portal_partner)
        self.assertEqual(created.channel, "portal")
        self.assertEqual(created.type_id, self.type_defective)
        self.assertIn("&lt;script&gt;", created.description)
        self.assertNotIn("<script>", created.description)
        self.assertNotIn("<script>alert", res.text)
        self.assertIn("Dented boxes", res.text)

    def test_submit_bad_input(self):
        before = self.env["crm.sme.feedback"].search_count([])
        res = self._post("/my/feedback/submit", {"name": "", "description": "x"})
        self.assertIn("Give your feedback a subject", res.text)
        res = self._post("/my/feedback/submit", {"name": "Long", "description": "x" * 5001})
        self.assertIn("limited to 5000", res.text)
        res = self._post("/my/feedback/submit", {"name": "y" * 201, "description": "x"})
        self.assertIn("limited to 200", res.text)
        res = self._post(
            "/my/feedback/submit", {"name": "Bad type", "description": "x", "type_id": "abc"}
        )
        self.assertIn("Choose a type", res.text)
        with mute_logger("odoo.http"):
            res = self._post(
                "/my/feedback/submit", {"name": "No csrf", "description": "x"}, csrf=False
            )
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.env["crm.sme.feedback"].search_count([]), before)

    def test_submit_nul_byte_and_missing_type(self):
        """A NUL byte and a missing type are form errors (re-rendered form), not 500/400."""
        before = self.env["crm.sme.feedback"].search_count([])
        res = self._post(
            "/my/feedback/submit",
            {"name": "Bad\x00name", "description": "x", "type_id": self.type_defective.id},
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("The subject contains an invalid character", res.text)
        self.assertIn("Badname", res.text, "the form keeps what was typed")
        res = self._post(
            "/my/feedback/submit",
            {"name": "Nul text", "description": "a\x00b", "type_id": self.type_defective.id},
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("The description contains an invalid character", res.text)
        res = self._post("/my/feedback/submit", {"name": "No type", "description": "x"})
        self.assertEqual(res.status_code, 200)
        self.assertIn("Choose a type", res.text)
        res = self._post(
            "/my/feedback/submit",
            {"name": "Huge type id", "description": "x", "type_id": "9" * 30},
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("Choose a type", res.text)
        self.assertEqual(self.env["crm.sme.feedback"].search_count([]), before)

    def test_rate(self):
        self.own.write({"stage_id": self.stage_closed.id, "resolution": "<p>Replaced</p>"})
        url = f"/my/feedback/{self.own.id}/rate"
        res = self._post(url, {"csat": "9", "access_token": self.own_token})
        self.assertIn("rating_error", res.url)
        self.assertFalse(self.own.csat_score)
        res = self._post(url, {"csat": "4", "nps": "11"})
        self.assertIn("rating_error", res.url)
        res = self._post(url, {"csat": "4", "nps": "9", "comment": "<b>ok</b>"})
        self.assertIn("rated=1", res.url)
        self.own.invalidate_recordset()
        self.assertEqual(self.own.csat_score, 4)
        self.assertEqual(self.own.nps_score, 9)
        self.assertEqual(self.own.nps_category, "promoter")
        self.assertIn("Your rating", res.text)
        # Once only.
        res = self._post(url, {"csat": "1"})
        self.assertIn("rating_error", res.url)
        self.own.invalidate_recordset()
        self.assertEqual(self.own.csat_score, 4)
        self.assertFalse(self.own.activity_ids)

    def test_rate_other_or_open(self):
        # Open feedback cannot be rated yet, cancelled feedback never.
        res = self._post(f"/my/feedback/{self.own.id}/rate", {"csat": "5"})
        self.assertIn("rating_error", res.url)
        self.own.stage_id = self.stage_cancelled
        res = self._post(f"/my/feedback/{self.own.id}/rate", {"csat": "5"})
        self.assertIn("rating_error", res.url)
        self.assertFalse(self.own.csat_score)
        self.others.write({"stage_id": self.stage_closed.id, "resolution": "<p>x</p>"})
        res = self._post(f"/my/feedback/{self.others.id}/rate", {"csat": "1"})
        self.assertTrue(res.url.endswith("/my"))
        self.others.invalidate_recordset()
        self.assertFalse(self.others.csat_score)
        self.assertFalse(self.others.activity_ids)

    def test_reply_in_history(self):
        """The portal chatter posts as the customer with the feedback's token, never elsewhere."""
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.sme.feedback",
                "thread_id": self.own.id,
                "post_data": {
                    "body": "Photos attached <script>x</script>",
                    "message_type": "comment",
                },
                "token": self.own_token,
            },
        )
        message = self.own.message_ids[0]
        self.assertEqual(message.author_id, self.portal_partner)
        self.assertNotIn("<script>", message.body)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "crm.sme.feedback",
                    "thread_id": self.others.id,
                    "post_data": {"body": "intrusion", "message_type": "comment"},
                    "token": self.own_token,
                },
            )
        self.assertNotIn("intrusion", "".join(self.others.message_ids.mapped("body")))
