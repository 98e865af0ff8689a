# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_sme_feedback_sla import FEEDBACK_PRIORITIES
from .crm_sme_value_selections import VALUE_TIERS

# Defaults of a new company: (tier, visit interval in days, yearly budget, priority)
DEFAULT_POLICIES = [
    ("key", 14, 20000.0, "2"),
    ("grow", 30, 8000.0, "1"),
    ("maintain", 60, 3000.0, "1"),
    ("basic", 120, 500.0, "0"),
]


class CrmSmeTierPolicy(models.Model):
    """How much of the sales resources a value tier gets, per company.

    Read by the visit plan (visit interval), the sales expense report (yearly
    budget per customer) and the feedback green channel (service priority).
    """

    _name = "crm.sme.tier.policy"
    _description = "Value Tier Policy"
    _inherit = ["crm.sme.input.mixin"]
    _order = "company_id, sequence, id"
    _rec_name = "tier"
    _check_company_auto = True

    tier = fields.Selection(VALUE_TIERS, required=True, index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)",
        default=30,
        required=True,
        help="A customer of this tier not visited for longer is overdue for a visit: "
        "the visit plan ranks it higher and its salesperson gets one 'Visit due' activity.",
    )
    yearly_budget = fields.Monetary(
        string="Yearly Sales-Expense Budget",
        currency_field="currency_id",
        help="Sales expenses (interaction expenses) planned per customer of this tier "
        "and year; the Sales Expense report compares the expenses with it.",
    )
    service_priority = fields.Selection(
        FEEDBACK_PRIORITIES,
        default="1",
        required=True,
        help="New feedback of a customer of this tier gets at least this priority "
        "(feedback green channel).",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Responsible Team",
        check_company=True,
        help="The sales team in charge of the customers of this tier.",
    )

    _sql_constraints = [
        (
            "tier_company_unique",
            "UNIQUE(tier, company_id)",
            "A company has one policy per value tier.",
        ),
    ]

    @api.depends("tier")
    def _compute_display_name(self):
        tiers = dict(self._fields["tier"]._description_selection(self.env))
        for policy in self:
            policy.display_name = tiers.get(policy.tier) or ""

    @api.constrains("visit_interval_days", "yearly_budget")
    def _check_figures(self):
        failing = self.filtered(
            lambda p: p.visit_interval_days <= 0
            or p.yearly_budget < 0
            or p.yearly_budget != p.yearly_budget  # NaN
        )
        if failing:
            raise ValidationError(
                _(
                    "A tier policy needs a visit interval of at least one day and a budget "
                    "that is not negative: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.model
    def _create_defaults(self, companies=None):
        """The default policy of every tier for companies that have none."""
        companies = companies or self.env["res.company"].sudo().search([])
        existing = {
            (p.company_id.id, p.tier)
            for p in self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        }
        vals_list = [
            {
                "company_id": company.id,
                "tier": tier,
                "sequence": sequence,
                "visit_interval_days": interval,
                "yearly_budget": budget,
                "service_priority": priority,
            }
            for company in companies
            for sequence, (tier, interval, budget, priority) in enumerate(DEFAULT_POLICIES)
            if (company.id, tier) not in existing
        ]
        return self.sudo().create(vals_list)

    @api.model
    def _policies_by_tier(self, company):
        """{tier: policy} of a company (sudo: every role reads the policies)."""
        policies = self.sudo().search([("company_id", "=", company.id)])
        return {policy.tier: policy for policy in policies}


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["crm.sme.tier.policy"]._create_defaults(companies)
        return companies
