# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import http
from odoo.tests import HttpCase, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackPortalPickers(HttpCase, FeedbackCommon):
    """The portal form lets the customer pick the order, delivery and product the
    feedback is about, among their own only (checked on the server), and shows
    times in the customer's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.user_portal.partner_id
        cls.portal_partner.parent_id = cls.customer
        cls.order, cls.picking, _invoice = cls._delivered_and_invoiced_order(cls.customer, qty=3.0)
        cls.other_order, cls.other_picking, _other_invoice = cls._delivered_and_invoiced_order(
            cls.other_customer, qty=2.0
        )
        cls.other_product = cls.env["product.product"].create({"name": "Secret stapler of Sam"})

    def setUp(self):
        super().setUp()
        self.authenticate("crm_sme_portal", "crm_sme_portal")

    def _submit(self, **documents):
        data = {
            "name": "Wrong colour",
            "description": "Blue instead of black.",
            "type_id": self.type_complaint.id,
            "csrf_token": http.Request.csrf_token(self),
        }
        data.update(documents)
        return self.url_open("/my/feedback/submit", data=data)

    def test_form_offers_own_documents_only(self):
        res = self.url_open("/my/feedback/new")
        self.assertEqual(res.status_code, 200)
        for text in (self.order.name, self.picking.name, self.product.display_name):
            self.assertIn(text, res.text)
        for text in (self.other_order.name, self.other_picking.name, self.other_product.name):
            self.assertNotIn(text, res.text)

    def test_submit_with_own_documents(self):
        res = self._submit(
            sale_order_id=self.order.id, picking_id=self.picking.id, product_id=self.product.id
        )
        self.assertEqual(res.status_code, 200)
        feedback = self.Feedback.search([("name", "=", "Wrong colour")])
        self.assertEqual(
            (feedback.sale_order_id, feedback.picking_id, feedback.product_id),
            (self.order, self.picking, self.product),
        )
        self.assertIn(self.picking.name, res.text, "the detail page names the delivery")

    def test_forged_documents_refused(self):
        """Ids of another customer's documents posted by hand: a form error, nothing saved."""
        before = self.Feedback.search_count([])
        for documents in (
            {"sale_order_id": self.other_order.id},
            {"picking_id": self.other_picking.id},
            {"product_id": self.other_product.id},
            {"sale_order_id": "abc"},
            {"picking_id": "9" * 30},
        ):
            res = self._submit(**documents)
            self.assertEqual(res.status_code, 200, documents)
            self.assertIn("Choose one of your own documents from the list.", res.text, documents)
        self.assertEqual(self.Feedback.search_count([]), before)

    def test_times_in_customer_time_zone(self):
        self.portal_partner.tz = "Asia/Shanghai"
        self._submit()
        feedback = self.Feedback.search([("name", "=", "Wrong colour")])
        res = self.url_open(feedback.get_portal_url())
        local = pytz.utc.localize(feedback.create_date).astimezone(pytz.timezone("Asia/Shanghai"))
        utc_time = feedback.create_date.strftime("%H:%M:%S")
        self.assertIn(local.strftime("%H:%M"), res.text)
        self.assertNotIn(utc_time, res.text)
        self.assertNotIn(local.strftime("%H:%M:%S"), res.text, "minutes suffice")
