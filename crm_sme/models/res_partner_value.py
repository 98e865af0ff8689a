# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_sme_customer_figures_mixin import CRM_GROUPS
from .crm_sme_value_selections import (
    ABC_CLASSES,
    LIFECYCLE_STAGES,
    RFM_CLASSES,
    RFM_SEGMENTS,
    VALUE_TIERS,
)


class ResPartner(models.Model):
    """Customer value and segmentation of a commercial partner.

    Company-dependent: a customer shared between companies has the tier, ABC
    class, RFM scores and lifecycle of each company it buys from.  Written by
    the value recompute (set-based, per company), never by hand except the
    documented overrides.
    """

    _inherit = "res.partner"

    crm_sme_value_tier = fields.Selection(
        VALUE_TIERS,
        string="Value Tier",
        company_dependent=True,
        groups=CRM_GROUPS,
        help="From the grid of current value x potential value.",
    )
    crm_sme_current_value = fields.Float(
        string="Current Value",
        company_dependent=True,
        groups=CRM_GROUPS,
        aggregator="avg",
        help="0-100: weighted percentile ranks of the last 12 months' revenue, margin, "
        "order frequency, product variety, recency and payment behaviour.",
    )
    crm_sme_potential_value = fields.Float(
        string="Potential Value",
        company_dependent=True,
        groups=CRM_GROUPS,
        aggregator="avg",
        help="0-100: share-of-wallet gap, industry growth and weighted open pipeline.",
    )
    crm_sme_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        company_dependent=True,
        groups=CRM_GROUPS,
        help="Pareto class of the last 12 months' net revenue.",
    )
    crm_sme_rfm_r = fields.Integer(
        string="Recency Score", company_dependent=True, groups=CRM_GROUPS
    )
    crm_sme_rfm_f = fields.Integer(
        string="Frequency Score", company_dependent=True, groups=CRM_GROUPS
    )
    crm_sme_rfm_m = fields.Integer(
        string="Monetary Score", company_dependent=True, groups=CRM_GROUPS
    )
    crm_sme_rfm_segment = fields.Selection(
        RFM_SEGMENTS, string="RFM Segment", company_dependent=True, groups=CRM_GROUPS
    )
    crm_sme_rfm_class = fields.Selection(
        RFM_CLASSES,
        string="RFM Class",
        company_dependent=True,
        groups=CRM_GROUPS,
        help="Recency, frequency and monetary value each above or below the company mean.",
    )
    crm_sme_lifecycle = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle",
        company_dependent=True,
        groups=CRM_GROUPS,
        help="From the first and last posted invoice and order dates.",
    )
