# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_sme_value_selections import (
    ABC_CLASSES,
    LIFECYCLE_STAGES,
    RFM_CLASSES,
    RFM_SEGMENTS,
    VALUE_TIERS,
)


class CrmSmeCustomerValue(models.Model):
    """The inputs and ranks behind a customer's value scores in one company.

    One row per commercial partner and company, written by the value job
    (``res.partner._crm_sme_recompute_values``, set-based SQL upserts; rows
    that do not change are not written), never by hand. The explainable card
    of the customer form reads it, so it shows why a customer is in its tier
    without recomputing anything. Percentile ranks are 0-100 within the
    company (customers without the figure rank 0).
    """

    _name = "crm.sme.customer.value"
    _description = "Customer Value Inputs"
    _order = "current_value desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    # The customer's salesperson and team (written by the job, for the rules).
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, index="btree_not_null"
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index="btree_not_null"
    )
    # Inputs of the current value (last 12 months)
    revenue_12m = fields.Monetary("Net Revenue (12 months)", readonly=True)
    margin_12m = fields.Monetary("Gross Margin (12 months)", readonly=True)
    invoice_count_12m = fields.Integer("Invoices (12 months)", readonly=True)
    product_count_12m = fields.Integer("Products Bought (12 months)", readonly=True)
    avg_days_to_pay = fields.Float("Average Days to Pay", readonly=True, digits=(16, 1))
    max_days_overdue = fields.Integer("Oldest Overdue (days)", readonly=True)
    first_invoice_date = fields.Date(readonly=True)
    last_invoice_date = fields.Date(readonly=True)
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    # Inputs of the potential value
    purchase_potential = fields.Monetary("Annual Purchasing Potential", readonly=True)
    wallet_gap = fields.Monetary("Share-of-Wallet Gap", readonly=True)
    growth_rating = fields.Float("Industry Growth Rating", readonly=True, digits=(5, 2))
    pipeline_weighted = fields.Monetary("Weighted Open Pipeline", readonly=True)
    # Percentile ranks (0-100) within the company
    rank_revenue = fields.Float(readonly=True, digits=(5, 2))
    rank_margin = fields.Float(readonly=True, digits=(5, 2))
    rank_frequency = fields.Float(readonly=True, digits=(5, 2))
    rank_variety = fields.Float(readonly=True, digits=(5, 2))
    rank_recency = fields.Float(readonly=True, digits=(5, 2))
    rank_payment = fields.Float(readonly=True, digits=(5, 2))
    rank_gap = fields.Float(readonly=True, digits=(5, 2))
    rank_pipeline = fields.Float(readonly=True, digits=(5, 2))
    # Results
    current_value = fields.Float(readonly=True, digits=(5, 2), aggregator="avg")
    potential_value = fields.Float(readonly=True, digits=(5, 2), aggregator="avg")
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    revenue_share_before = fields.Float(
        "Revenue Share of Larger Customers (%)",
        readonly=True,
        digits=(5, 2),
        help="Share of the company's 12 months' net revenue made by the customers above this one "
        "(the Pareto rank behind the ABC class).",
    )
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    rfm_r = fields.Integer("Recency Score", readonly=True)
    rfm_f = fields.Integer("Frequency Score", readonly=True)
    rfm_m = fields.Integer("Monetary Score", readonly=True)
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment", readonly=True)
    rfm_class = fields.Selection(RFM_CLASSES, string="RFM Class", readonly=True)
    lifecycle_computed = fields.Selection(
        LIFECYCLE_STAGES,
        string="Computed Lifecycle",
        readonly=True,
        help="The stage from the purchase dates, before a manual override.",
    )
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique (partner_id, company_id)",
            "One value row per customer and company.",
        ),
    ]
