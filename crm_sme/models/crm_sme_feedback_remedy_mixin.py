# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_sme_customer_figures_mixin import CRM_GROUPS


class CrmSmeFeedbackRemedyMixin(models.AbstractModel):
    """Remedies of a feedback, made from the documents it links to.

    Odoo's return of the delivery, Odoo's reversal of the invoice, a free
    replacement quotation and a technician visit (a planned interaction);
    the resulting documents show as smart buttons. The concrete model
    provides the links (crm.sme.feedback.document.mixin), ``partner_id``,
    ``contact_id``, ``company_id``, ``team_id``, ``user_id`` and ``reference``.
    """

    _name = "crm.sme.feedback.remedy.mixin"
    _description = "Feedback Remedies"

    # Remedies: the resulting ERP documents.
    return_picking_ids = fields.Many2many(
        "stock.picking",
        compute="_compute_return_picking_ids",
        string="Returns",
        compute_sudo=True,
        groups=CRM_GROUPS,
    )
    return_count = fields.Integer(
        compute="_compute_return_picking_ids", compute_sudo=True, groups=CRM_GROUPS
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        compute="_compute_credit_note_ids",
        string="Credit Notes",
        compute_sudo=True,
        groups=CRM_GROUPS,
    )
    credit_note_count = fields.Integer(
        compute="_compute_credit_note_ids", compute_sudo=True, groups=CRM_GROUPS
    )
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
    # ACTIONS
    # ------------------------------------------------------------------
    def action_return_goods(self):
        """Return of the delivery the feedback is about.

        Users of the warehouse get Odoo's return wizard. A service agent (no
        stock rights) gets the return made for them: after the explicit checks
        of :meth:`_check_remedy_access`, Odoo's same wizard runs as superuser
        for everything delivered and not yet returned (only the feedback's
        product if set); the return waits in the warehouse for reception.
        """
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
        if not self.env.user.has_group("stock.group_stock_user"):
            return self._return_goods_for_agent()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.act_stock_return_picking")
        action["context"] = {
            "active_id": self.picking_id.id,
            "active_ids": self.picking_id.ids,
            "active_model": "stock.picking",
        }
        return action

    def action_credit_note(self):
        """Credit note of the invoice the feedback is about.

        Invoicing users get Odoo's reversal wizard. A service agent gets a
        draft credit note of the whole invoice, made by Odoo's same wizard as
        superuser after the checks of :meth:`_check_remedy_access`; the
        accountant reviews and posts it.
        """
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
        if not self.env.user.has_group("account.group_account_invoice"):
            return self._credit_note_for_agent()
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
    def _check_remedy_access(self, document):
        """Explicit checks before a remedy runs as superuser for a service agent.

        The user may write this feedback (ACL and record rules), reads the
        document (the service agent's read rules: documents of the company's
        customers), the document belongs to the feedback's customer and to one
        of the user's allowed companies, and the user is a service agent.
        """
        self.ensure_one()
        if not self.env.user.has_group("crm_sme.group_crm_sme_service_agent"):
            raise AccessError(
                _("Only service agents, warehouse and invoicing users can run this remedy.")
            )
        self.check_access("write")
        document.check_access("read")
        document_sudo = document.sudo()
        customer = self.partner_id.commercial_partner_id
        if (
            document_sudo.partner_id.commercial_partner_id != customer
            or document_sudo.company_id not in self.env.companies
            or document_sudo.company_id != self.company_id
        ):
            raise AccessError(
                _(
                    "%(document)s does not belong to the customer and company of %(feedback)s.",
                    document=document_sudo.display_name,
                    feedback=self.display_name,
                )
            )

    def _return_goods_for_agent(self):
        self._check_remedy_access(self.picking_id)
        picking_sudo = self.picking_id.sudo()
        # sudo: checked above; the agent has no stock rights, the warehouse
        # receives and validates the return.
        wizard_sudo = (
            self.env["stock.return.picking"]
            .sudo()
            .with_context(
                active_id=picking_sudo.id,
                active_ids=picking_sudo.ids,
                active_model="stock.picking",
            )
            .create({"picking_id": picking_sudo.id})
        )
        for line in wizard_sudo.product_return_moves:
            move = line.move_id
            returned = move.returned_move_ids.filtered(lambda m: m.state != "cancel")
            left = move.quantity - sum(returned.mapped("quantity"))
            wanted = not self.product_id or line.product_id == self.product_id
            line.quantity = left if wanted and left > 0 else 0.0
        if not any(wizard_sudo.product_return_moves.mapped("quantity")):
            raise UserError(
                _(
                    "Everything of delivery %(picking)s was already returned.",
                    picking=picking_sudo.name,
                )
            )
        result = wizard_sudo.action_create_returns()
        returned = self.env["stock.picking"].browse(result["res_id"])
        self.message_post(
            body=_(
                "Return %(picking)s created for the warehouse.",
                picking=returned.sudo()._get_html_link(),
            )
        )
        return self._action_open(returned)

    def _credit_note_for_agent(self):
        self._check_remedy_access(self.invoice_id)
        invoice_sudo = self.invoice_id.sudo()
        before = invoice_sudo.reversal_move_ids
        # sudo: checked above; the agent has no invoicing rights, the credit
        # note stays a draft for the accountant.
        reversal_sudo = (
            self.env["account.move.reversal"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoice_sudo.ids)
            .create(
                {
                    "move_ids": [fields.Command.set(invoice_sudo.ids)],
                    "journal_id": invoice_sudo.journal_id.id,
                    "reason": _("Feedback %(ref)s", ref=self.display_name),
                }
            )
        )
        reversal_sudo.refund_moves()
        credit = invoice_sudo.reversal_move_ids - before
        self.message_post(
            body=_(
                "Draft credit note %(move)s created for the accountant.",
                move=credit._get_html_link(),
            )
        )
        return self._action_open(credit.with_env(self.env))

    def _prepare_replacement_lines(self):
        self.ensure_one()
        moves = self.picking_id.move_ids.filtered(
            lambda m: m.state == "done" and (not self.product_id or m.product_id == self.product_id)
        )
        if moves:
            return [
                {
                    "product_id": m.product_id.id,
                    "product_uom_qty": m.quantity,
                    "crm_sme_is_free": True,
                }
                for m in moves
            ]
        if self.product_id:
            return [
                {"product_id": self.product_id.id, "product_uom_qty": 1.0, "crm_sme_is_free": True}
            ]
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
