# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_sme_customer_figures_mixin import CRM_GROUPS


class CrmSmeFeedbackDocumentMixin(models.AbstractModel):
    """The ERP documents a feedback is about: opportunity, sales order,
    delivery, invoice, product and lot, all of the feedback's customer.

    The concrete model provides ``partner_id`` and ``contact_id``.
    """

    _name = "crm.sme.feedback.document.mixin"
    _description = "Feedback Documents"

    # Links to the ERP documents the feedback is about.
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('picking_type_code', '=', 'outgoing')]",
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('move_type', '=', 'out_invoice')]",
    )
    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        index="btree_not_null",
        domain="[('id', 'in', allowed_lot_ids)]",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_allowed_lot_ids",
        compute_sudo=True,
        groups=CRM_GROUPS,
        help="Lots/serials delivered to the customer (in the linked delivery if any).",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("partner_id", "picking_id", "product_id")
    def _compute_allowed_lot_ids(self):
        """Lots that left for this customer, one search for the whole batch."""
        customers = self.partner_id.commercial_partner_id
        lines = self.env["stock.move.line"].search_fetch(
            [
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("location_dest_id.usage", "=", "customer"),
                ("picking_id.partner_id.commercial_partner_id", "in", customers.ids),
            ],
            ["lot_id", "picking_id", "product_id"],
        )
        for feedback in self:
            customer = feedback.partner_id.commercial_partner_id
            mine = lines.filtered(
                lambda ml, c=customer, f=feedback: ml.picking_id.partner_id.commercial_partner_id
                == c
                and (not f.picking_id or ml.picking_id == f.picking_id)
                and (not f.product_id or ml.product_id == f.product_id)
            )
            feedback.allowed_lot_ids = mine.lot_id

    # ------------------------------------------------------------------
    # CONSTRAINTS / ONCHANGES
    # ------------------------------------------------------------------
    @api.constrains(
        "partner_id", "contact_id", "sale_order_id", "picking_id", "invoice_id", "lead_id"
    )
    def _check_documents_of_customer(self):
        def foreign(feedback):
            feedback = feedback.sudo()  # the links are checked, whoever may open them
            customer = feedback.partner_id.commercial_partner_id
            docs = [
                feedback.contact_id,
                feedback.sale_order_id.partner_id,
                feedback.picking_id.partner_id,
                feedback.invoice_id.partner_id,
                feedback.lead_id.partner_id,
            ]
            return any(p and p.commercial_partner_id != customer for p in docs)

        failing = self.filtered(foreign)
        if failing:
            raise ValidationError(
                _(
                    "The contact and the linked documents must belong to the customer: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        # sudo: a service agent links documents they may not open (links only).
        picking_sudo = self.picking_id.sudo()
        if picking_sudo:
            self.sale_order_id = self.sale_order_id or picking_sudo.sale_id
            if not self.product_id and len(picking_sudo.move_ids.product_id) == 1:
                self.product_id = picking_sudo.move_ids.product_id
            self._onchange_sale_order_id()

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order_sudo = self.sale_order_id.sudo()
        if order_sudo:
            self.lead_id = self.lead_id or order_sudo.opportunity_id
            invoices = order_sudo.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            if not self.invoice_id and len(invoices) == 1:
                self.invoice_id = invoices
