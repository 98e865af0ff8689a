# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartnerIndustry(models.Model):
    _inherit = "res.partner.industry"

    crm_sme_growth_rating = fields.Float(
        string="Growth Rating",
        default=50.0,
        digits=(5, 2),
        help="0-100: how fast the industry segment grows (50 = average). Part of the potential "
        "value of its customers; customers without an industry count as 50.",
    )

    @api.constrains("crm_sme_growth_rating")
    def _check_crm_sme_growth_rating(self):
        for industry in self:
            rating = industry.crm_sme_growth_rating
            if math.isnan(rating) or not 0 <= rating <= 100:
                raise ValidationError(
                    _(
                        "The growth rating of %(industry)s must lie between 0 and 100.",
                        industry=industry.display_name,
                    )
                )
