# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmLeadLost(models.TransientModel):
    """Where a person marks opportunities lost: the lost reason is required here
    when the company wants it. Odoo's ``crm.lead.action_set_lost()`` keeps its
    contract (other modules and integrations call it without a reason)."""

    _inherit = "crm.lead.lost"

    crm_sme_lost_reason_required = fields.Boolean(
        string="Lost Reason Required", compute="_compute_crm_sme_lost_reason_required"
    )

    @api.depends("lead_ids")
    def _compute_crm_sme_lost_reason_required(self):
        for wizard in self:
            wizard.crm_sme_lost_reason_required = any(
                (lead.company_id or self.env.company).crm_sme_lost_reason_required
                for lead in wizard.lead_ids
            )

    def action_lost_reason_apply(self):
        missing = self.filtered(
            lambda wizard: wizard.crm_sme_lost_reason_required and not wizard.lost_reason_id
        )
        if missing:
            raise UserError(
                _(
                    "Give a lost reason to mark these opportunities lost: %(names)s",
                    names=", ".join(missing.lead_ids.mapped("name")),
                )
            )
        return super().action_lost_reason_apply()
