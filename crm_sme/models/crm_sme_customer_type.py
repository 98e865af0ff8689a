# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeCustomerType(models.Model):
    """Customer type / channel role: supermarket, online shop, distributor..."""

    _name = "crm.sme.customer.type"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Customer Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique (name, company_id)",
            "A customer type with this name already exists.",
        ),
    ]
