# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.sale_order import OVERRIDE_CONTEXT_KEY


class CrmSmeCreditOverride(models.TransientModel):
    _name = "crm.sme.credit.override"
    _description = "Override the Credit / Overdue Gate"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    warning = fields.Text(readonly=True)
    reason = fields.Text(help="Why the order may be confirmed anyway; written to the chatter.")

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only a sales manager can override the credit gate."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for overriding the credit gate."))
        orders = self.order_ids
        # sudo with the wizard's key: the only way the override fields are written
        orders.sudo().with_context(**{OVERRIDE_CONTEXT_KEY: True}).write(
            {
                "crm_sme_credit_override_reason": reason,
                "crm_sme_credit_override_user_id": self.env.user.id,
            }
        )
        body = _(
            "Credit gate overridden by %(user)s: %(reason)s",
            user=self.env.user.name,
            reason=reason,
        )
        for order in orders:
            order.message_post(body=body)
        for lead in orders.opportunity_id:
            lead.message_post(body=body)
        orders.action_confirm()
        return {"type": "ir.actions.act_window_close"}
