# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeFeedbackRootCause(models.Model):
    """Why the problem happened (product quality, logistics, billing...), for analysis."""

    _name = "crm.sme.feedback.root.cause"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Feedback Root Cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A root cause with this name already exists."),
    ]
