# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_sme_credit_gate = fields.Selection(related="company_id.crm_sme_credit_gate", readonly=False)
    crm_sme_overdue_days = fields.Integer(related="company_id.crm_sme_overdue_days", readonly=False)
    crm_sme_lost_reason_required = fields.Boolean(
        related="company_id.crm_sme_lost_reason_required", readonly=False
    )
    crm_sme_revenue_from_lines = fields.Boolean(
        related="company_id.crm_sme_revenue_from_lines", readonly=False
    )
    crm_sme_share_customers = fields.Boolean(
        related="company_id.crm_sme_share_customers", readonly=False
    )
