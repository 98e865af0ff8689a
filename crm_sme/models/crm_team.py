# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "crm.sme.input.mixin"]

    crm_sme_auto_win = fields.Selection(
        [
            ("order", "When an order is confirmed"),
            ("invoice", "At the first posted invoice"),
            ("payment", "At full payment"),
            ("never", "Never"),
        ],
        string="Mark Opportunities Won",
        default="order",
        required=True,
        help="When an opportunity of this team is marked won automatically. When every "
        "order of a won opportunity is cancelled, the opportunity is reopened.",
    )
