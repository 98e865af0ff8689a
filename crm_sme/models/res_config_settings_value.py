# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .res_company_value import VALUE_SETTINGS


class ResConfigSettings(models.TransientModel):
    """Customer value settings of the current company.

    Not related fields: the weights are written to the company in one write,
    so that changing several weights at once is checked as a whole (they must
    sum to 100 %), not weight by weight.
    """

    _inherit = "res.config.settings"

    crm_sme_value_w_revenue = fields.Float("Net Revenue (%)", digits=(5, 2))
    crm_sme_value_w_margin = fields.Float("Gross Margin (%)", digits=(5, 2))
    crm_sme_value_w_frequency = fields.Float("Order Frequency (%)", digits=(5, 2))
    crm_sme_value_w_variety = fields.Float("Product Variety (%)", digits=(5, 2))
    crm_sme_value_w_recency = fields.Float("Recency (%)", digits=(5, 2))
    crm_sme_value_w_payment = fields.Float("Payment Behaviour (%)", digits=(5, 2))
    crm_sme_value_w_gap = fields.Float("Share-of-Wallet Gap (%)", digits=(5, 2))
    crm_sme_value_w_growth = fields.Float("Industry Growth (%)", digits=(5, 2))
    crm_sme_value_w_pipeline = fields.Float("Weighted Pipeline (%)", digits=(5, 2))
    crm_sme_value_current_bound = fields.Float("High Current Value From", digits=(5, 2))
    crm_sme_value_potential_bound = fields.Float("High Potential Value From", digits=(5, 2))
    crm_sme_abc_a_share = fields.Float("Class A: Revenue Share (%)", digits=(5, 2))
    crm_sme_abc_b_share = fields.Float("Class B: Revenue Share (%)", digits=(5, 2))
    crm_sme_lifecycle_new_days = fields.Integer("New for (days)")
    crm_sme_lifecycle_at_risk_days = fields.Integer("At Risk after (days)")
    crm_sme_lifecycle_dormant_days = fields.Integer("Dormant after (days)")
    crm_sme_lifecycle_lost_days = fields.Integer("Lost after (days)")

    def get_values(self):
        res = super().get_values()
        company = self.env.company
        res.update({name: company[name] for name in VALUE_SETTINGS})
        return res

    def set_values(self):
        res = super().set_values()
        company = self.company_id or self.env.company
        vals = {name: self[name] for name in VALUE_SETTINGS if self[name] != company[name]}
        if vals:
            company.write(vals)
        return res

    def action_crm_sme_recompute_values(self):
        return self.env["res.partner"].action_crm_sme_recompute_values()
