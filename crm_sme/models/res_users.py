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
    crm_sme_dynamic_report_monthly = fields.Boolean(
        string="Monthly Customer Dynamic Analysis",
        help="Receive last month's customer dynamic analysis (PDF and Excel) by email "
        "on the first day of every month, for each of your companies.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["crm_sme_dynamic_report_monthly"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["crm_sme_dynamic_report_monthly"]

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
