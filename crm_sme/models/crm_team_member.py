# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_DAILY_VISITS = 4


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "crm.sme.input.mixin"]

    crm_sme_daily_visit_capacity = fields.Integer(
        string="Visits per Day",
        default=DEFAULT_DAILY_VISITS,
        help="Customer visits this salesperson can make a working day: their weekly visit "
        "plan holds this number times the working days of the company's calendar "
        "(the highest figure of their teams in the company counts).",
    )

    @api.constrains("crm_sme_daily_visit_capacity")
    def _check_crm_sme_daily_visit_capacity(self):
        failing = self.filtered(lambda m: m.crm_sme_daily_visit_capacity < 0)
        if failing:
            raise ValidationError(
                _(
                    "The visits per day cannot be negative (0: no visit plan): %(names)s",
                    names=", ".join(failing.mapped("user_id.name")),
                )
            )
