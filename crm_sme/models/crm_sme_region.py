# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmSmeRegion(models.Model):
    """Sales region or district, nested (region > district)."""

    _name = "crm.sme.region"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Sales Region"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    parent_id = fields.Many2one(
        "crm.sme.region", string="Parent Region", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("crm.sme.region", "parent_id", string="Districts")
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        help="Default salesperson of the region, used by the reassignment wizard.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    company_id = fields.Many2one("res.company", string="Company", index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = f"{region.parent_id.complete_name} / {region.name}"
            else:
                region.complete_name = region.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A region cannot be inside itself."))
