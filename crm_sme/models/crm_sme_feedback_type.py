# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeFeedbackType(models.Model):
    """Kind of feedback: complaint, suggestion, praise, service request..."""

    _name = "crm.sme.feedback.type"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Feedback Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_complaint = fields.Boolean(
        help="Negative feedback (complaint, dispute, defective goods...): counted in complaint rates."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A feedback type with this name already exists."),
    ]
