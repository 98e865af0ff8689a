# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class UtmCampaign(models.Model):
    _name = "utm.campaign"
    _inherit = ["utm.campaign", "crm.sme.input.mixin"]

    crm_sme_cost = fields.Monetary(
        string="Campaign Cost",
        currency_field="currency_id",
        help="What the campaign cost; compared with its won and invoiced revenue in the "
        "campaign return report.",
    )
