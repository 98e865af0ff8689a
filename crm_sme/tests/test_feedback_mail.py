# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import mute_logger

from .feedback_common import FeedbackCommon

RAW = """Return-Path: <{email}>
From: {sender} <{email}>
To: feedback@example.com
Subject: {subject}
Message-ID: <{msgid}@example.com>
Content-Type: text/plain; charset="utf-8"

The last box of markers was half empty.
"""


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackMail(FeedbackCommon):
    def _process(self, email, sender="Someone", subject="Markers", msgid="m1"):
        raw = RAW.format(email=email, sender=sender, subject=subject, msgid=msgid)
        return self.env["mail.thread"].message_process("crm.sme.feedback", raw)

    def test_alias_exists(self):
        alias = self.env.ref("crm_sme.mail_alias_feedback")
        self.assertEqual(alias.alias_model_id.model, "crm.sme.feedback")

    def test_routed_by_the_alias(self):
        """An email to feedback@<alias domain> lands in feedback, with no model forced."""
        alias = self.env.ref("crm_sme.mail_alias_feedback")
        alias.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "fb-test.example.com"}
        )
        raw = RAW.format(
            email=self.contact.email, sender="Li Wei", subject="Routed", msgid="r1"
        ).replace("To: feedback@example.com", "To: feedback@fb-test.example.com")
        feedback = self.Feedback.browse(self.env["mail.thread"].message_process(False, raw))
        self.assertEqual(feedback._name, "crm.sme.feedback")
        self.assertEqual(feedback.name, "Routed")
        self.assertEqual(feedback.partner_id, self.customer)

    def test_known_sender(self):
        feedback = self.Feedback.browse(self._process(self.contact.email))
        self.assertEqual(feedback.partner_id, self.customer)
        self.assertEqual(feedback.contact_id, self.contact)
        self.assertEqual(feedback.channel, "email")
        self.assertEqual(feedback.name, "Markers")
        self.assertIn("half empty", feedback.message_ids[-1].body)
        self.assertIn(self.contact, feedback.message_partner_ids)

    def test_unknown_sender_creates_contact(self):
        feedback = self.Feedback.browse(
            self._process("new.buyer@unknown-shop.example.com", sender="New Buyer", msgid="m2")
        )
        self.assertEqual(feedback.partner_id.email, "new.buyer@unknown-shop.example.com")
        self.assertEqual(feedback.partner_id.name, "New Buyer")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_unknown_sender_rejected(self):
        self.env["ir.config_parameter"].set_param("crm_sme.feedback_alias_unknown_sender", "reject")
        before = self.Feedback.search_count([])
        partners = self.env["res.partner"].search_count([])
        with self.assertRaisesText(ValueError, "unknown sender"):
            self._process("spam@nowhere.example.com", msgid="m3")
        self.assertEqual(self.Feedback.search_count([]), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        # Known senders still get through.
        self.assertTrue(self._process(self.customer.email, msgid="m4"))
