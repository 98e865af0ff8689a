# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeFeedbackStage(models.Model):
    """A step of the feedback workflow; folded stages are closed."""

    _name = "crm.sme.feedback.stage"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Feedback Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string="Closed",
        help="Feedback in a folded stage is closed: it leaves the deadlines and needs a resolution "
        "(unless the stage cancels it).",
    )
    is_waiting = fields.Boolean(
        string="Waiting on Customer",
        help="While feedback sits in this stage its deadlines are paused.",
    )
    is_resolved = fields.Boolean(
        string="Resolved",
        help="Reaching this stage resolves the feedback: it needs a resolution and stops the "
        "resolution clock.",
    )
    is_cancel = fields.Boolean(
        string="Cancelled", help="A closed stage for feedback dropped without a resolution."
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        string="Rating Email Template",
        domain="[('model', '=', 'crm.sme.feedback')]",
        help="When feedback reaches this stage, this email asks the customer to rate the outcome.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
