# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeReconciliationException(models.Model):
    """The accountant's follow-up of one exception of the sales reconciliation
    (crm.sme.reconciliation): who handles it, a note, and whether it is
    explained. Keyed on the report row (``report_key``, unique) and created on
    first use by an upsert, so the report itself stays a read-only SQL view."""

    _name = "crm.sme.reconciliation.exception"
    _inherit = ["mail.thread", "crm.sme.input.mixin"]
    _description = "Reconciliation Exception Follow-up"
    _order = "id desc"

    name = fields.Char(string="Reference", readonly=True)
    report_key = fields.Integer(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    assigned_user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    note = fields.Text(tracking=True)
    is_explained = fields.Boolean(string="Explained", tracking=True)

    _sql_constraints = [
        ("report_key_unique", "UNIQUE(report_key)", "An exception has one follow-up."),
    ]
