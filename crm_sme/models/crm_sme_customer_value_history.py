# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_sme_value_selections import (
    ABC_CLASSES,
    LIFECYCLE_STAGES,
    RFM_CLASSES,
    RFM_SEGMENTS,
    VALUE_TIERS,
)


class CrmSmeCustomerValueHistory(models.Model):
    """Monthly snapshot of a customer's value and segmentation in one company.

    One row per commercial partner, company and month (upserted by the value
    recompute), so tier moves and lifecycle transitions can be reported.
    """

    _name = "crm.sme.customer.value.history"
    _description = "Customer Value History"
    _order = "period desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    period = fields.Date(
        required=True, readonly=True, index=True, help="First day of the month of the snapshot."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        index="btree_not_null",
        help="The customer's salesperson when the snapshot was taken.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index="btree_not_null"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment", readonly=True)
    rfm_class = fields.Selection(RFM_CLASSES, string="RFM Class", readonly=True)
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    current_value = fields.Float(readonly=True, aggregator="avg")
    potential_value = fields.Float(readonly=True, aggregator="avg")
    revenue = fields.Monetary(
        string="Revenue (12 Months)",
        readonly=True,
        help="Net invoiced revenue of the 12 months up to the snapshot, in company currency.",
    )

    _sql_constraints = [
        (
            "partner_company_period_uniq",
            "unique(partner_id, company_id, period)",
            "One snapshot per customer, company and month.",
        ),
    ]
