# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeCompetitor(models.Model):
    _name = "crm.sme.competitor"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Competitor"
    _order = "name"

    name = fields.Char(required=True, translate=False)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    website = fields.Char()
    note = fields.Text(string="Strengths / Weaknesses")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A competitor with this name already exists.",
        ),
    ]
