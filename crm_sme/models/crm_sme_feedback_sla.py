# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

FEEDBACK_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]


class CrmSmeFeedbackSla(models.Model):
    """Deadline policy: hours to first response and to resolution for a priority.

    Hours are working hours of the policy's calendar (the company's by default).
    A policy of a team wins over a policy without team.
    """

    _name = "crm.sme.feedback.sla"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Feedback Deadline Policy"
    _order = "priority desc, team_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    priority = fields.Selection(FEEDBACK_PRIORITIES, required=True, default="1")
    team_id = fields.Many2one(
        "crm.team", string="Team", check_company=True, help="Empty: every team."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    first_response_hours = fields.Float(
        string="First Response (working hours)", required=True, default=8.0
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)", required=True, default=40.0
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Empty: the company's working hours.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("first_response_hours", "resolution_hours")
    def _check_hours(self):
        failing = self.filtered(
            lambda s: not math.isfinite(s.first_response_hours)
            or not math.isfinite(s.resolution_hours)
            or s.first_response_hours <= 0
            or s.resolution_hours <= 0
            or s.resolution_hours < s.first_response_hours
        )
        if failing:
            raise ValidationError(
                _(
                    "Deadlines must be positive and the resolution cannot come before the first "
                    "response: %(names)s",
                    names=", ".join(failing.mapped("name")),
                )
            )

    def _get_calendar(self, company):
        self.ensure_one()
        return self.resource_calendar_id or company.resource_calendar_id
