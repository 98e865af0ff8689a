# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "crm.sme.input.mixin"]

    crm_sme_credit_gate = fields.Selection(
        [("none", "No check"), ("warn", "Warn"), ("block", "Block")],
        string="Credit / Overdue Gate",
        default="warn",
        required=True,
        help="What happens when a sale order is confirmed for a customer over its credit "
        "limit or with invoices overdue for too long: nothing, a warning logged on the "
        "order, or a block that only a sales manager can override with a reason.",
    )
    crm_sme_overdue_days = fields.Integer(
        string="Overdue Days Tolerance",
        default=30,
        help="Invoices overdue by more than this number of days trigger the credit gate "
        "(0 disables the overdue check).",
    )
    crm_sme_lost_reason_required = fields.Boolean(
        string="Lost Reason Required",
        default=True,
        help="An opportunity can only be marked lost with a lost reason.",
    )
    crm_sme_revenue_from_lines = fields.Boolean(
        string="Expected Revenue from Product Lines",
        default=True,
        help="The expected revenue of an opportunity with product lines follows the "
        "untaxed total of its lines.",
    )
    crm_sme_share_customers = fields.Boolean(
        string="Share Customers with All Companies",
        help="Off (default): a customer created by a user of this company belongs to this "
        "company and other companies do not see it. On: new customers are shared.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The partner Odoo creates for a new company stays shared, as in Odoo
        # (crm_sme gives the company partners a user creates the creating company).
        return super(ResCompany, self.with_context(crm_sme_new_company=True)).create(vals_list)

    @api.constrains("crm_sme_overdue_days")
    def _check_crm_sme_overdue_days(self):
        failing = self.filtered(lambda c: c.crm_sme_overdue_days < 0)
        if failing:
            raise ValidationError(
                _(
                    "The overdue days tolerance cannot be negative (0 disables it): %(names)s",
                    names=", ".join(failing.mapped("name")),
                )
            )
