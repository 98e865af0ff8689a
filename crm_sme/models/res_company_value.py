# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Weights of the current value (percent, summing to 100) and their defaults.
CURRENT_WEIGHTS = {
    "crm_sme_value_w_revenue": 30.0,
    "crm_sme_value_w_margin": 20.0,
    "crm_sme_value_w_frequency": 15.0,
    "crm_sme_value_w_variety": 10.0,
    "crm_sme_value_w_recency": 15.0,
    "crm_sme_value_w_payment": 10.0,
}
# Weights of the potential value (percent, summing to 100).
POTENTIAL_WEIGHTS = {
    "crm_sme_value_w_gap": 50.0,
    "crm_sme_value_w_growth": 20.0,
    "crm_sme_value_w_pipeline": 30.0,
}
# Lifecycle thresholds in days since the last purchase (increasing).
LIFECYCLE_DAYS = (
    "crm_sme_lifecycle_at_risk_days",
    "crm_sme_lifecycle_dormant_days",
    "crm_sme_lifecycle_lost_days",
)
VALUE_SETTINGS = (
    *CURRENT_WEIGHTS,
    *POTENTIAL_WEIGHTS,
    "crm_sme_value_current_bound",
    "crm_sme_value_potential_bound",
    "crm_sme_abc_a_share",
    "crm_sme_abc_b_share",
    "crm_sme_lifecycle_new_days",
    *LIFECYCLE_DAYS,
)


def _weight(string, default, help_text):
    return fields.Float(string=string, default=default, digits=(5, 2), help=help_text)


class ResCompany(models.Model):
    """Settings of the customer value job (per company)."""

    _inherit = "res.company"

    # Current value
    crm_sme_value_w_revenue = _weight(
        "Weight: Net Revenue (%)",
        30.0,
        "Share of the last 12 months' net revenue in the current value.",
    )
    crm_sme_value_w_margin = _weight(
        "Weight: Gross Margin (%)",
        20.0,
        "Share of the last 12 months' gross margin (revenue less product cost) in the current value.",
    )
    crm_sme_value_w_frequency = _weight(
        "Weight: Order Frequency (%)",
        15.0,
        "Share of the number of invoices of the last 12 months.",
    )
    crm_sme_value_w_variety = _weight(
        "Weight: Product Variety (%)",
        10.0,
        "Share of the number of different products bought in the last 12 months.",
    )
    crm_sme_value_w_recency = _weight(
        "Weight: Recency (%)", 15.0, "Share of how recent the last invoice is."
    )
    crm_sme_value_w_payment = _weight(
        "Weight: Payment Behaviour (%)",
        10.0,
        "Share of the payment behaviour (average days to pay plus the oldest overdue days; "
        "fewer is better).",
    )
    # Potential value
    crm_sme_value_w_gap = _weight(
        "Weight: Share-of-Wallet Gap (%)",
        50.0,
        "Share of the annual purchasing potential not yet bought from us.",
    )
    crm_sme_value_w_growth = _weight(
        "Weight: Industry Growth (%)",
        20.0,
        "Share of the growth rating of the customer's industry.",
    )
    crm_sme_value_w_pipeline = _weight(
        "Weight: Weighted Pipeline (%)",
        30.0,
        "Share of the open opportunities (expected revenue x probability).",
    )
    # Grid and classes
    crm_sme_value_current_bound = fields.Float(
        string="High Current Value From",
        default=50.0,
        digits=(5, 2),
        help="Customers with a current value at or above this bound are high on the current axis "
        "of the grid (Key or Maintain).",
    )
    crm_sme_value_potential_bound = fields.Float(
        string="High Potential Value From",
        default=50.0,
        digits=(5, 2),
        help="Customers with a potential value at or above this bound are high on the potential "
        "axis of the grid (Key or Grow).",
    )
    crm_sme_abc_a_share = fields.Float(
        string="Class A: Revenue Share (%)",
        default=80.0,
        digits=(5, 2),
        help="The largest customers making this share of the 12 months' net revenue are class A.",
    )
    crm_sme_abc_b_share = fields.Float(
        string="Class B: Revenue Share (%)",
        default=15.0,
        digits=(5, 2),
        help="The next customers making this share are class B; the rest class C.",
    )
    crm_sme_lifecycle_new_days = fields.Integer(
        string="New for (days)",
        default=90,
        help="A customer whose first purchase is at most this many days old is New.",
    )
    crm_sme_lifecycle_at_risk_days = fields.Integer(
        string="At Risk after (days)",
        default=90,
        help="A customer without purchase for more than this many days is At Risk.",
    )
    crm_sme_lifecycle_dormant_days = fields.Integer(
        string="Dormant after (days)",
        default=180,
        help="A customer without purchase for more than this many days is Dormant.",
    )
    crm_sme_lifecycle_lost_days = fields.Integer(
        string="Lost after (days)",
        default=365,
        help="A customer without purchase for more than this many days is Lost.",
    )

    @api.constrains(*VALUE_SETTINGS)
    def _check_crm_sme_value_settings(self):
        for company in self:
            for name in VALUE_SETTINGS:
                value = company[name]
                if math.isnan(value) or math.isinf(value) or value < 0:
                    raise ValidationError(
                        _(
                            "%(setting)s must be a number of zero or more (%(company)s).",
                            setting=self._fields[name].get_description(self.env)["string"],
                            company=company.name,
                        )
                    )
            for weights, label in (
                (CURRENT_WEIGHTS, _("current value")),
                (POTENTIAL_WEIGHTS, _("potential value")),
            ):
                total = sum(company[name] for name in weights)
                if abs(total - 100.0) > 0.005:
                    raise ValidationError(
                        _(
                            "The weights of the %(score)s must sum to 100 %% (now %(total)s %%, "
                            "%(company)s).",
                            score=label,
                            total=round(total, 2),
                            company=company.name,
                        )
                    )
            for name in ("crm_sme_value_current_bound", "crm_sme_value_potential_bound"):
                if not 0 < company[name] <= 100:
                    raise ValidationError(
                        _(
                            "The tier bounds must lie above 0 and at most 100 (%(company)s).",
                            company=company.name,
                        )
                    )
            if company.crm_sme_abc_a_share <= 0 or (
                company.crm_sme_abc_a_share + company.crm_sme_abc_b_share > 100
            ):
                raise ValidationError(
                    _(
                        "The revenue shares of classes A and B overlap: A must be above 0 and A + B "
                        "at most 100 %% (%(company)s).",
                        company=company.name,
                    )
                )
            at_risk, dormant, lost = (company[name] for name in LIFECYCLE_DAYS)
            if not 0 < at_risk < dormant < lost or company.crm_sme_lifecycle_new_days <= 0:
                raise ValidationError(
                    _(
                        "The lifecycle thresholds overlap: they must be above 0 days and "
                        "at risk < dormant < lost (%(company)s).",
                        company=company.name,
                    )
                )
