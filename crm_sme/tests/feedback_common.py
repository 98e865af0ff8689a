# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import Command
from odoo.tests import Form

from .common import CrmSmeCommon


class FeedbackCommon(CrmSmeCommon):
    """Customers of both salespeople, a key account with a delivered and
    invoiced order, and a calendar in UTC so deadlines are predictable."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Office hours (test, UTC)", "tz": "UTC", "company_id": cls.company.id}
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.Feedback = cls.env["crm.sme.feedback"]
        cls.stage_new = cls.env.ref("crm_sme.feedback_stage_new")
        cls.stage_progress = cls.env.ref("crm_sme.feedback_stage_in_progress")
        cls.stage_waiting = cls.env.ref("crm_sme.feedback_stage_waiting")
        cls.stage_resolved = cls.env.ref("crm_sme.feedback_stage_resolved")
        cls.stage_closed = cls.env.ref("crm_sme.feedback_stage_closed")
        cls.stage_cancelled = cls.env.ref("crm_sme.feedback_stage_cancelled")
        cls.type_complaint = cls.env.ref("crm_sme.feedback_type_complaint")
        cls.type_defective = cls.env.ref("crm_sme.feedback_type_defective")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ningbo Supermarket (test)",
                "is_company": True,
                "user_id": cls.user_salesman.id,
                "team_id": cls.team.id,
                "email": "buyer@ningbo-market.example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Li Wei",
                "parent_id": cls.customer.id,
                "email": "li.wei@ningbo-market.example.com",
            }
        )
        cls.key_customer = cls.env["res.partner"].create(
            {
                "name": "Hangzhou Stationery Chain (test)",
                "is_company": True,
                "is_key_account": True,
                "user_id": cls.user_salesman.id,
                "team_id": cls.team.id,
                "email": "service@hz-chain.example.com",
            }
        )
        cls.key_contact = cls.env["res.partner"].create(
            {
                "name": "Zhang Min",
                "parent_id": cls.key_customer.id,
                "email": "zhang.min@hz-chain.example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Sam's Shop (test)",
                "is_company": True,
                "user_id": cls.user_salesman_2.id,
                "email": "sam-shop@example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Gel pen, blue (box of 12)",
                "is_storable": True,
                "list_price": 30.0,
                "invoice_policy": "delivery",
            }
        )

    @classmethod
    def _delivered_and_invoiced_order(cls, partner, qty=10.0):
        """A confirmed order, its validated delivery and its posted invoice."""
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, qty)
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, picking, invoice

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (with its savepoint: nothing half-written) plus the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertIn(text, str(cm.exception))

    def _new_feedback(self, **vals):
        values = {
            "name": "Pens leak",
            "partner_id": self.customer.id,
            "type_id": self.type_complaint.id,
        }
        values.update(vals)
        return self.Feedback.create(values)

    def _form_feedback(self, user, partner):
        with Form(self.Feedback.with_user(user)) as form:
            form.name = "Broken packaging"
            form.partner_id = partner
        return form.save()
