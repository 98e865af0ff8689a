# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

# fields of the record rules (own / team / company)
RULE_FIELDS = ("company_id", "user_id", "team_id")


class CrmSmeSalespersonPerformance(models.Model):
    """Salesperson performance over a period (``crm_sme_date_from`` /
    ``crm_sme_date_to`` in the context, set by the period wizard; by default
    the 12 months up to today), one row per salesperson and company.

    * customers owned: the customers (as in ``crm.sme.customer.analysis``)
      whose salesperson they are; new: of those, the ones whose first posted
      invoice in the company falls in the period; lost: customers whose
      monthly snapshot turned "lost" in the period, attributed to the
      salesperson of that snapshot;
    * revenue: net invoiced (``crm.sme.money``: posted invoices minus credit
      notes, untaxed, company currency) dated in the period, by the
      invoice's salesperson as in Odoo's invoice analysis; margin: revenue
      minus quantity x product cost of the company on the invoice lines;
    * visits: interactions of type visit dated in the period and logged by the
      salesperson: planned (planned or done) and done; expense: expenses of
      their done interactions; expense ratio = expense / revenue;
    * feedback received in the period from their customers, CSAT (1-5) and
      NPS (% promoters - % detractors) of the answers;
    * target: the monthly invoicing target of the salesperson's sales team
      (``crm.team.invoiced_target``) times the months of the period, per team
      (grouped by team it shows the team's target, "max").

    Ratios and averages are per row and not aggregated in groups.
    """

    _name = "crm.sme.salesperson.performance"
    _inherit = ["crm.sme.analysis.period.mixin", "crm.sme.grouping.sets.mixin"]
    _description = "Salesperson Performance"
    _auto = False
    _rec_name = "user_id"
    _order = "revenue desc, user_id"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    lost_customer_count = fields.Integer(string="Lost Customers", readonly=True)
    revenue = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    margin_percent = fields.Float(
        string="Margin (%)", readonly=True, digits=(16, 1), aggregator=None
    )
    visit_planned_count = fields.Integer(string="Visits Planned", readonly=True)
    visit_done_count = fields.Integer(string="Visits Done", readonly=True)
    expense = fields.Monetary(string="Sales Expense", readonly=True)
    expense_ratio = fields.Float(
        string="Expense Ratio (%)",
        readonly=True,
        digits=(16, 2),
        aggregator=None,
        help="Sales expense / net revenue of the period.",
    )
    feedback_count = fields.Integer(string="Feedback", readonly=True)
    csat = fields.Float(string="CSAT (1-5)", readonly=True, digits=(16, 2), aggregator=None)
    nps = fields.Float(string="NPS", readonly=True, digits=(16, 1), aggregator=None)
    team_target = fields.Monetary(
        readonly=True,
        aggregator="max",
        help="The sales team's monthly invoicing target times the months of the period.",
    )

    @api.model
    def _months(self, date_from, date_to):
        """Months of the period (fractional), to scale the monthly targets."""
        return round(((date_to - date_from).days + 1) / (365.25 / 12), 2)

    @property
    def _table_query(self):
        date_from, date_to = self._analysis_period()
        months = self._months(date_from, date_to)
        return SQL(
            """
            WITH customer AS MATERIALIZED (
                SELECT p.id AS partner_id, c.id AS company_id, COALESCE(p.user_id, 0) AS user_id
                  FROM res_partner p
                  JOIN res_company c ON c.id = p.company_id OR p.company_id IS NULL
                 WHERE p.is_company AND p.parent_id IS NULL AND p.active
                   AND (p.customer_type_id IS NOT NULL OR p.customer_rank > 0)
                   AND NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)
            ), first_invoice AS MATERIALIZED (
                SELECT commercial_partner_id AS partner_id, company_id, MIN(invoice_date) AS day
                  FROM account_move
                 WHERE state = 'posted' AND move_type = 'out_invoice'
              GROUP BY 1, 2
            ), owned AS MATERIALIZED (
                SELECT cu.user_id, cu.company_id, COUNT(*) AS customer_count,
                       COUNT(*) FILTER (WHERE f.day BETWEEN %(date_from)s AND %(date_to)s)
                           AS new_customer_count
                  FROM customer cu
                  LEFT JOIN first_invoice f
                    ON f.partner_id = cu.partner_id AND f.company_id = cu.company_id
              GROUP BY 1, 2
            ), lost AS MATERIALIZED (
                SELECT COALESCE(user_id, 0) AS user_id, company_id,
                       COUNT(DISTINCT partner_id) AS lost_customer_count
                  FROM (SELECT h.*, LAG(h.lifecycle) OVER (PARTITION BY h.partner_id, h.company_id
                                                            ORDER BY h.period) AS previous
                          FROM crm_sme_customer_value_history h
                         WHERE h.period <= %(date_to)s) h
                 WHERE h.lifecycle = 'lost' AND h.previous IS DISTINCT FROM 'lost'
                   AND h.period >= %(date_from)s
              GROUP BY 1, 2
            ), invoiced AS MATERIALIZED (
                SELECT COALESCE(m.invoice_user_id, 0) AS user_id, m.company_id,
                       SUM(m.amount_untaxed_signed) AS revenue
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY 1, 2
            ), cost AS MATERIALIZED (
                SELECT COALESCE(m.invoice_user_id, 0) AS user_id, m.company_id,
                       SUM(CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END * l.quantity
                           * COALESCE((pp.standard_price ->> m.company_id::text)::numeric, 0)) AS cost
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
                  JOIN product_product pp ON pp.id = l.product_id
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY 1, 2
            ), activity AS MATERIALIZED (
                SELECT COALESCE(i.user_id, 0) AS user_id, i.company_id,
                       COUNT(*) FILTER (WHERE i.interaction_type = 'visit'
                                          AND i.state IN ('planned', 'done')) AS visit_planned_count,
                       COUNT(*) FILTER (WHERE i.interaction_type = 'visit' AND i.state = 'done')
                           AS visit_done_count,
                       COALESCE(SUM(i.expense_amount) FILTER (WHERE i.state = 'done'), 0) AS expense
                  FROM crm_sme_interaction i
                 WHERE i.date >= %(date_from)s AND i.date < %(date_to)s::date + 1
              GROUP BY 1, 2
            ), feedback AS MATERIALIZED (
                SELECT COALESCE(p.user_id, 0) AS user_id, f.company_id, COUNT(*) AS feedback_count,
                       AVG(f.csat_score) FILTER (WHERE f.csat_score BETWEEN 1 AND 5) AS csat,
                       AVG(CASE WHEN f.nps_score >= 9 THEN 100.0 WHEN f.nps_score <= 6 THEN -100.0
                                ELSE 0.0 END) FILTER (WHERE f.date_nps IS NOT NULL) AS nps
                  FROM crm_sme_feedback f
                  JOIN res_partner fp ON fp.id = f.partner_id
                  JOIN res_partner p ON p.id = fp.commercial_partner_id
                 WHERE f.date_received >= %(date_from)s AND f.date_received < %(date_to)s::date + 1
              GROUP BY 1, 2
            ), keys AS (
                SELECT user_id, company_id FROM owned UNION SELECT user_id, company_id FROM lost
                UNION SELECT user_id, company_id FROM invoiced
                UNION SELECT user_id, company_id FROM activity
                UNION SELECT user_id, company_id FROM feedback
            )
            SELECT ROW_NUMBER() OVER (ORDER BY k.company_id, k.user_id NULLS LAST) AS id,
                   NULLIF(k.user_id, 0) AS user_id, u.sale_team_id AS team_id, k.company_id, c.currency_id,
                   %(date_from)s::date AS date_from, %(date_to)s::date AS date_to,
                   COALESCE(o.customer_count, 0) AS customer_count,
                   COALESCE(o.new_customer_count, 0) AS new_customer_count,
                   COALESCE(lo.lost_customer_count, 0) AS lost_customer_count,
                   COALESCE(inv.revenue, 0) AS revenue,
                   COALESCE(inv.revenue, 0) - COALESCE(co.cost, 0) AS margin,
                   CASE WHEN inv.revenue > 0
                        THEN 100.0 * (inv.revenue - COALESCE(co.cost, 0)) / inv.revenue END
                       AS margin_percent,
                   COALESCE(a.visit_planned_count, 0) AS visit_planned_count,
                   COALESCE(a.visit_done_count, 0) AS visit_done_count,
                   COALESCE(a.expense, 0) AS expense,
                   CASE WHEN inv.revenue > 0 THEN 100.0 * COALESCE(a.expense, 0) / inv.revenue END
                       AS expense_ratio,
                   COALESCE(fb.feedback_count, 0) AS feedback_count, fb.csat, fb.nps,
                   tm.invoiced_target * %(months)s AS team_target
              FROM keys k
              JOIN res_company c ON c.id = k.company_id
              LEFT JOIN res_users u ON u.id = k.user_id
              LEFT JOIN crm_team tm ON tm.id = u.sale_team_id
              LEFT JOIN owned o ON o.user_id = k.user_id AND o.company_id = k.company_id
              LEFT JOIN lost lo ON lo.user_id = k.user_id
                                AND lo.company_id = k.company_id
              LEFT JOIN invoiced inv ON inv.user_id = k.user_id
                                     AND inv.company_id = k.company_id
              LEFT JOIN cost co ON co.user_id = k.user_id
                                AND co.company_id = k.company_id
              LEFT JOIN activity a ON a.user_id = k.user_id
                                   AND a.company_id = k.company_id
              LEFT JOIN feedback fb ON fb.user_id = k.user_id
                                    AND fb.company_id = k.company_id
            """,
            date_from=date_from,
            date_to=date_to,
            months=months,
        )

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # the record rules' fields are read with the page: the access check
        # that follows the search reads them otherwise, with another
        # evaluation of the whole view
        field_names = list(field_names)
        field_names += [name for name in RULE_FIELDS if name not in field_names]
        return super().search_fetch(domain, field_names, offset, limit, order)

    # ------------------------------------------------------------------
    # ACTIONS (drill-down to the records behind each figure)
    # ------------------------------------------------------------------
    def _drill_down(self, xmlid, domain, name=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = {"create": False}
        if name:
            action["name"] = name
        return action

    def _period_datetimes(self):
        return (
            fields.Datetime.to_datetime(self.date_from),
            fields.Datetime.to_datetime(fields.Date.add(self.date_to, days=1)),
        )

    def action_open_customers(self):
        return self._drill_down(
            "crm_sme.action_crm_sme_customer",
            [("is_company", "=", True), ("user_id", "=", self.user_id.id)],
        )

    def action_open_invoices(self):
        return self._drill_down(
            "account.action_move_out_invoice_type",
            [
                ("invoice_user_id", "=", self.user_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", self.date_from),
                ("invoice_date", "<=", self.date_to),
            ],
        )

    def action_open_visits(self):
        start, end = self._period_datetimes()
        return self._drill_down(
            "crm_sme.action_crm_sme_interaction",
            [
                ("user_id", "=", self.user_id.id),
                ("company_id", "=", self.company_id.id),
                ("date", ">=", start),
                ("date", "<", end),
            ],
        )

    def action_open_feedback(self):
        start, end = self._period_datetimes()
        return self._drill_down(
            "crm_sme.action_crm_sme_feedback",
            [
                ("partner_id.commercial_partner_id.user_id", "=", self.user_id.id),
                ("company_id", "=", self.company_id.id),
                ("date_received", ">=", start),
                ("date_received", "<", end),
            ],
        )
