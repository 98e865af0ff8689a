# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_sme_team_scope_ids = fields.Many2many(
        "crm.team",
        compute="_compute_crm_sme_team_scope_ids",
        string="Teams in Scope",
        help="Sales teams whose records a team leader sees: the teams they lead and those they belong to.",
    )

    @api.depends("crm_team_ids")
    def _compute_crm_sme_team_scope_ids(self):
        led = (
            self.env["crm.team"]
            .sudo()
            ._read_group([("user_id", "in", self.ids)], ["user_id"], ["id:array_agg"])
        )
        led_by_user = {user.id: team_ids for user, team_ids in led}
        for user in self:
            user.crm_sme_team_scope_ids = user.crm_team_ids | self.env["crm.team"].browse(
                led_by_user.get(user.id, [])
            )
