# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.crm_sme_interaction import INTERACTION_TYPES
from ..models.crm_sme_value_selections import VALUE_TIERS

# ratio field: (numerator, denominator, factor)
RATIOS = {
    "expense_ratio": ("expense", "revenue", 100.0),
    "budget_use": ("expense", "budget", 100.0),
    "cost_per_visit": ("visit_expense", "visit_done", 1.0),
}


class CrmSmeSalesExpenseReport(models.Model):
    """Sales expenses against revenue and budget: the sales-expense
    input/output ratio (expenses / net invoiced revenue) per customer, value
    tier, salesperson and year, budget use and visits planned vs done.

    Three kinds of rows: an interaction (its expense if done; a visit counts
    as planned when it came from the visit plan and as done when done), a
    posted customer invoice or credit note (net revenue, untaxed, company
    currency, as the customer positions count it) and, per customer and year
    with a row, the yearly budget of the customer's tier policy. Ratios are
    computed on each group's sums (never averaged).
    """

    _name = "crm.sme.sales.expense.report"
    _inherit = ["crm.sme.grouping.sets.mixin"]
    _description = "Sales Expense Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    interaction_id = fields.Many2one("crm.sme.interaction", string="Interaction", readonly=True)
    interaction_type = fields.Selection(INTERACTION_TYPES, readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    expense = fields.Monetary(readonly=True, currency_field="currency_id")
    revenue = fields.Monetary(string="Net Revenue", readonly=True, currency_field="currency_id")
    budget = fields.Monetary(readonly=True, currency_field="currency_id")
    visit_planned = fields.Integer(string="Visits Planned", readonly=True)
    visit_done = fields.Integer(string="Visits Done", readonly=True)
    visit_expense = fields.Monetary(
        string="Expense of Done Visits", readonly=True, currency_field="currency_id"
    )
    expense_ratio = fields.Float(
        string="Expense / Revenue (%)",
        readonly=True,
        aggregator="avg",
        help="Sales-expense input/output ratio: expenses divided by net invoiced revenue.",
    )
    budget_use = fields.Float(
        string="Budget Used (%)",
        readonly=True,
        aggregator="avg",
        help="Expenses divided by the yearly budget of the customers' tier policies.",
    )
    cost_per_visit = fields.Float(string="Cost per Visit", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH base AS (
                SELECT 'i' AS kind, i.id AS src_id, i.date::date AS date, i.company_id,
                       i.partner_id, i.user_id, i.team_id, i.id AS interaction_id,
                       i.interaction_type, NULL::int AS move_id,
                       CASE WHEN i.state = 'done' THEN COALESCE(i.expense_amount, 0) ELSE 0 END
                           AS expense,
                       0.0 AS revenue,
                       CASE WHEN EXISTS (SELECT 1 FROM crm_sme_visit_plan_line l
                                          WHERE l.interaction_id = i.id) THEN 1 ELSE 0 END
                           AS visit_planned,
                       CASE WHEN i.interaction_type = 'visit' AND i.state = 'done' THEN 1 ELSE 0 END
                           AS visit_done
                  FROM crm_sme_interaction i
                 WHERE i.state <> 'cancel'
                UNION ALL
                SELECT 'm', m.id, m.invoice_date, m.company_id, m.commercial_partner_id,
                       m.invoice_user_id, m.team_id, NULL, NULL, m.id, 0.0,
                       m.amount_untaxed_signed, 0, 0
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
            ),
            years AS (
                SELECT DISTINCT b.partner_id, b.company_id,
                       date_trunc('year', b.date)::date AS date
                  FROM base b
            )
            SELECT CASE b.kind WHEN 'i' THEN b.src_id::bigint * 3 ELSE b.src_id::bigint * 3 + 1 END
                       AS id,
                   b.date, b.company_id, c.currency_id, b.partner_id, b.user_id, b.team_id,
                   p.crm_sme_value_tier->>b.company_id::text AS value_tier,
                   b.interaction_id, b.interaction_type, b.move_id,
                   b.expense, b.revenue, 0.0 AS budget, b.visit_planned, b.visit_done,
                   CASE WHEN b.visit_done = 1 THEN b.expense ELSE 0 END AS visit_expense,
                   CASE WHEN b.revenue <> 0 THEN b.expense / b.revenue * 100 END AS expense_ratio,
                   NULL::float AS budget_use,
                   CASE WHEN b.visit_done = 1 THEN b.expense END AS cost_per_visit
              FROM base b
              JOIN res_company c ON c.id = b.company_id
              JOIN res_partner p ON p.id = b.partner_id
            UNION ALL
            SELECT (ROW_NUMBER() OVER (ORDER BY y.partner_id, y.company_id, y.date))::bigint * 3 + 2,
                   y.date, y.company_id, c.currency_id, y.partner_id, p.user_id, p.team_id,
                   p.crm_sme_value_tier->>y.company_id::text,
                   NULL, NULL, NULL, 0.0, 0.0, pol.yearly_budget, 0, 0, 0.0, NULL, NULL, NULL
              FROM years y
              JOIN res_company c ON c.id = y.company_id
              JOIN res_partner p ON p.id = y.partner_id
              JOIN crm_sme_tier_policy pol ON pol.company_id = y.company_id
                                          AND pol.tier = p.crm_sme_value_tier->>y.company_id::text
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Ratios of each group from its sums, never an average of row ratios."""
        names = {spec.split(":")[0].split("(")[0].strip() for spec in fields}
        wanted = [ratio for ratio in RATIOS if ratio in names]
        extra = []
        for ratio in wanted:
            for part in RATIOS[ratio][:2]:
                if part not in names:
                    extra.append(f"{part}:sum")
        groups = super().read_group(
            domain,
            list(fields) + extra,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        for group in groups:
            for ratio in wanted:
                numerator, denominator, factor = RATIOS[ratio]
                value = group.get(denominator) or 0
                group[ratio] = (group.get(numerator) or 0) / value * factor if value else False
        return groups

    def action_open_document(self):
        self.ensure_one()
        record = self.interaction_id or self.move_id or self.partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }
