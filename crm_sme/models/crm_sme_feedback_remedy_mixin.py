# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmSmeFeedbackRemedyMixin(models.AbstractModel):
    """The ERP documents a feedback is about and the remedies made from them.

    Links: opportunity, sales order, delivery, invoice, product, lot. Remedies:
    Odoo's return of the delivery, Odoo's reversal of the invoice, a free
    replacement quotation and a technician visit (a planned interaction).
    The concrete model provides ``partner_id``, ``contact_id``, ``company_id``,
    ``team_id``, ``user_id``, ``reference`` and ``interaction_ids``.
    """

    _name = "crm.sme.feedback.remedy.mixin"
    _description = "Feedback Documents and Remedies"

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
        help="Lots/serials delivered to the customer (in the linked delivery if any).",
    )
    # Remedies: the resulting ERP documents.
    return_picking_ids = fields.Many2many(
        "stock.picking", compute="_compute_return_picking_ids", string="Returns", compute_sudo=True
    )
    return_count = fields.Integer(compute="_compute_return_picking_ids", compute_sudo=True)
    credit_note_ids = fields.Many2many(
        "account.move",
        compute="_compute_credit_note_ids",
        string="Credit Notes",
        compute_sudo=True,
    )
    credit_note_count = fields.Integer(compute="_compute_credit_note_ids", compute_sudo=True)
    replacement_order_ids = fields.Many2many(
        "sale.order",
        "crm_sme_feedback_replacement_order_rel",
        "feedback_id",
        "order_id",
        string="Replacement Orders",
        copy=False,
        readonly=True,
    )
    replacement_order_count = fields.Integer(compute="_compute_replacement_order_count")

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

    @api.depends("picking_id.return_ids")
    def _compute_return_picking_ids(self):
        for feedback in self:
            feedback.return_picking_ids = feedback.picking_id.return_ids
            feedback.return_count = len(feedback.picking_id.return_ids)

    @api.depends("invoice_id.reversal_move_ids")
    def _compute_credit_note_ids(self):
        for feedback in self:
            feedback.credit_note_ids = feedback.invoice_id.reversal_move_ids
            feedback.credit_note_count = len(feedback.invoice_id.reversal_move_ids)

    @api.depends("replacement_order_ids")
    def _compute_replacement_order_count(self):
        for feedback in self:
            feedback.replacement_order_count = len(feedback.replacement_order_ids)

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

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_return_goods(self):
        """Odoo's return wizard on the delivery the feedback is about."""
        self.ensure_one()
        if not self.picking_id:
            raise UserError(_("Link the delivery first: a return is made from a delivery."))
        if self.picking_id.state != "done":
            raise UserError(
                _(
                    "Delivery %(picking)s is not done yet: nothing can be returned.",
                    picking=self.picking_id.name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.act_stock_return_picking")
        action["context"] = {
            "active_id": self.picking_id.id,
            "active_ids": self.picking_id.ids,
            "active_model": "stock.picking",
        }
        return action

    def action_credit_note(self):
        """Odoo's reversal wizard on the invoice the feedback is about."""
        self.ensure_one()
        if not self.invoice_id:
            raise UserError(_("Link the invoice first: a credit note reverses an invoice."))
        if self.invoice_id.state != "posted":
            raise UserError(
                _(
                    "Invoice %(invoice)s is not posted: it cannot be credited.",
                    invoice=self.invoice_id.display_name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_view_account_move_reversal"
        )
        action["context"] = {
            "active_id": self.invoice_id.id,
            "active_ids": self.invoice_id.ids,
            "active_model": "account.move",
            "default_reason": _("Feedback %(ref)s", ref=self.display_name),
        }
        return action

    def action_replacement_order(self):
        """A free replacement quotation for the product(s) concerned."""
        self.ensure_one()
        lines = self._prepare_replacement_lines()
        if not lines:
            raise UserError(_("Set the product or link the delivery first: nothing to replace."))
        order = self.env["sale.order"].create(
            {
                "partner_id": (self.contact_id or self.partner_id).id,
                "company_id": self.company_id.id,
                "team_id": self.team_id.id,
                "user_id": (self.partner_id.user_id or self.user_id or self.env.user).id,
                "origin": self.reference,
                "opportunity_id": self.lead_id.id,
                "order_line": [fields.Command.create(line) for line in lines],
            }
        )
        self.replacement_order_ids = [fields.Command.link(order.id)]
        self.message_post(
            body=_("Replacement order %(order)s created.", order=order._get_html_link())
        )
        return self._action_open(order)

    def action_technician_visit(self):
        """Plans a technician visit (an interaction) for tomorrow."""
        self.ensure_one()
        visit = self.env["crm.sme.interaction"].create(
            {
                "name": _("Technician visit: %(ref)s", ref=self.display_name),
                "interaction_type": "visit",
                "state": "planned",
                "date": fields.Datetime.now() + timedelta(days=1),
                "partner_id": self.partner_id.id,
                "contact_id": self.contact_id.id,
                "user_id": (self.user_id or self.env.user).id,
                "company_id": self.company_id.id,
                "lead_id": self.lead_id.id,
                "feedback_id": self.id,
            }
        )
        return self._action_open(visit)

    def action_view_returns(self):
        return self._action_open(self.return_picking_ids)

    def action_view_credit_notes(self):
        return self._action_open(self.credit_note_ids)

    def action_view_replacement_orders(self):
        return self._action_open(self.replacement_order_ids)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _prepare_replacement_lines(self):
        self.ensure_one()
        moves = self.picking_id.move_ids.filtered(
            lambda m: m.state == "done" and (not self.product_id or m.product_id == self.product_id)
        )
        if moves:
            return [
                {"product_id": m.product_id.id, "product_uom_qty": m.quantity, "price_unit": 0.0}
                for m in moves
            ]
        if self.product_id:
            return [{"product_id": self.product_id.id, "product_uom_qty": 1.0, "price_unit": 0.0}]
        return []

    def _action_open(self, records):
        if not records:
            return False
        action = {
            "type": "ir.actions.act_window",
            "res_model": records._name,
            "name": records._description,
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=records.id)
        else:
            action.update(
                view_mode="list,form",
                views=[(False, "list"), (False, "form")],
                domain=[("id", "in", records.ids)],
            )
        return action
