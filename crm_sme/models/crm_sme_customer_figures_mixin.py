# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import operator as py_operator

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OPERATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
}
# Position figures shown on the partner: partner field -> position field.
POSITION_FIELDS = {
    "crm_sme_invoiced_total": "invoiced_total",
    "crm_sme_invoiced_12m": "invoiced_12m",
    "crm_sme_receivable": "receivable",
    "crm_sme_overdue_30": "overdue_30",
    "crm_sme_overdue_60": "overdue_60",
    "crm_sme_overdue_90": "overdue_90",
    "crm_sme_overdue_over_90": "overdue_over_90",
    "crm_sme_overdue_total": "overdue_total",
    "crm_sme_avg_days_to_pay": "avg_days_to_pay",
    "crm_sme_open_delivery_count": "open_delivery_count",
    "crm_sme_late_delivery_count": "late_delivery_count",
    "crm_sme_backorder_count": "backorder_count",
    "crm_sme_last_delivery_date": "last_delivery_date",
    "crm_sme_last_interaction_date": "last_interaction_date",
    "crm_sme_expense_12m": "interaction_expense_12m",
}


class CrmSmeCustomerFiguresMixin(models.AbstractModel):
    """The 360° figures of a customer (res.partner): counts of its interactions,
    contacts, invoices and payments, and its money and delivery position in the
    current company, read from crm.sme.customer.position in one query per
    batch (no accounting rights needed), with search methods for filters."""

    _name = "crm.sme.customer.figures.mixin"
    _description = "Customer 360° figures"

    crm_sme_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_crm_sme_currency_id",
        string="Company Currency",
    )
    # ------------------------------------------------------------------
    # 360° figures
    # ------------------------------------------------------------------
    crm_sme_interaction_count = fields.Integer(
        string="Interactions",
        compute="_compute_crm_sme_counts",
        compute_sudo=True,
    )
    crm_sme_contact_count = fields.Integer(
        string="Contacts",
        compute="_compute_crm_sme_counts",
        compute_sudo=True,
    )
    crm_sme_payment_count = fields.Integer(
        string="Payments",
        compute="_compute_crm_sme_counts",
        compute_sudo=True,
    )
    crm_sme_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_crm_sme_counts",
        compute_sudo=True,
    )
    crm_sme_feedback_open_count = fields.Integer(
        string="Open Feedback", compute="_compute_crm_sme_counts", compute_sudo=True
    )
    crm_sme_feedback_closed_count = fields.Integer(
        string="Closed Feedback", compute="_compute_crm_sme_counts", compute_sudo=True
    )
    crm_sme_last_csat = fields.Integer(
        string="Last CSAT", compute="_compute_crm_sme_counts", compute_sudo=True
    )
    crm_sme_last_nps = fields.Integer(
        string="Last NPS", compute="_compute_crm_sme_counts", compute_sudo=True
    )
    # Money and delivery position in the current company, read from
    # crm.sme.customer.position (one query per batch, no accounting rights needed).
    crm_sme_invoiced_total = fields.Monetary(
        "Net Invoiced",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        help="Invoices minus credit notes, untaxed, since the first invoice.",
    )
    crm_sme_invoiced_12m = fields.Monetary(
        "Net Invoiced 12 Months",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        search="_search_crm_sme_invoiced_12m",
        help="Invoices minus credit notes, untaxed, last 365 days.",
    )
    crm_sme_receivable = fields.Monetary(
        "Open Receivable",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        search="_search_crm_sme_receivable",
    )
    crm_sme_overdue_30 = fields.Monetary(
        "Overdue 1-30 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_overdue_60 = fields.Monetary(
        "Overdue 31-60 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_overdue_90 = fields.Monetary(
        "Overdue 61-90 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_overdue_over_90 = fields.Monetary(
        "Overdue > 90 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_overdue_total = fields.Monetary(
        "Overdue",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        search="_search_crm_sme_overdue_total",
    )
    crm_sme_avg_days_to_pay = fields.Float(
        "Average Days to Pay",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        digits=(16, 1),
    )
    crm_sme_credit_limit = fields.Monetary(
        "Credit Limit (this company)",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        help="Odoo's credit limit of the customer in this company (0: none).",
    )
    crm_sme_credit_use = fields.Float(
        "Credit Limit Use (%)",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        digits=(16, 1),
        help="Open receivable as a percentage of the credit limit.",
    )
    crm_sme_open_delivery_count = fields.Integer(
        "Open Deliveries",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_late_delivery_count = fields.Integer(
        "Late Deliveries",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        search="_search_crm_sme_late_delivery_count",
    )
    crm_sme_backorder_count = fields.Integer(
        "Back-orders",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_last_delivery_date = fields.Datetime(
        "Last Delivery",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
    )
    crm_sme_last_interaction_date = fields.Datetime(
        "Last Contact",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        search="_search_crm_sme_last_interaction_date",
    )
    crm_sme_days_since_contact = fields.Integer(
        "Days Since Contact",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        help="Days since the last done interaction (visit, call...); -1: never contacted.",
    )
    crm_sme_expense_12m = fields.Monetary(
        "Sales Expense 12 Months",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        compute_sudo=True,
        help="Expenses of the interactions of the last 365 days.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_crm_sme_currency_id(self):
        self.crm_sme_currency_id = self.env.company.currency_id

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_crm_sme_counts(self):
        """Interactions, contacts, posted invoices and payments (current company),
        open/closed feedback and last CSAT/NPS of the customer (company): one
        indexed query per batch for all of them, constant in the number of
        documents."""
        customer_ids = self.commercial_partner_id._origin.ids  # new records have none
        counts = {}
        if customer_ids:
            self._crm_sme_flush_count_sources()
            self.env.cr.execute(self._crm_sme_counts_query(customer_ids, self.env.company.id))
            counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            (
                partner.crm_sme_interaction_count,
                partner.crm_sme_contact_count,
                partner.crm_sme_invoice_count,
                partner.crm_sme_payment_count,
                partner.crm_sme_feedback_open_count,
                partner.crm_sme_feedback_closed_count,
                partner.crm_sme_last_csat,
                partner.crm_sme_last_nps,
            ) = counts.get(partner.commercial_partner_id._origin.id, (0,) * 8)

    def _crm_sme_flush_count_sources(self):
        for model, fnames in (
            ("crm.sme.interaction", ["partner_id"]),
            ("res.partner", ["parent_id", "type", "active", "commercial_partner_id"]),
            ("account.move", ["commercial_partner_id", "move_type", "state", "company_id"]),
            ("account.payment", ["partner_id", "partner_type", "state", "company_id"]),
            (
                "crm.sme.feedback",
                ["partner_id", "is_closed", "csat_score", "date_csat", "nps_score", "date_nps"],
            ),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _crm_sme_counts_query(self, customer_ids, company_id):
        """One row per customer: the same figures as the ORM counts (sudo:
        no record rules; archived contacts not counted), each table read once
        for the whole batch through an index on its customer column."""
        return SQL(
            """
            WITH customer AS (SELECT unnest(%(customers)s::int[]) AS id),
            interaction AS (
                SELECT partner_id, COUNT(*) AS n FROM crm_sme_interaction
                 WHERE partner_id = ANY(%(customers)s::int[]) GROUP BY partner_id
            ), contact AS (
                SELECT parent_id, COUNT(*) AS n FROM res_partner
                 WHERE parent_id = ANY(%(customers)s::int[]) AND type = 'contact' AND active
                 GROUP BY parent_id
            ), invoice AS (
                SELECT commercial_partner_id, COUNT(*) AS n FROM account_move
                 WHERE commercial_partner_id = ANY(%(customers)s::int[])
                   AND company_id = %(company)s AND state = 'posted'
                   AND move_type IN ('out_invoice', 'out_refund')
                 GROUP BY commercial_partner_id
            ), payment AS (
                SELECT pp.commercial_partner_id, COUNT(*) AS n
                  FROM res_partner pp
                  JOIN account_payment pay ON pay.partner_id = pp.id
                 WHERE pp.commercial_partner_id = ANY(%(customers)s::int[])
                   AND pay.company_id = %(company)s AND pay.partner_type = 'customer'
                   AND pay.state NOT IN ('draft', 'canceled')
                 GROUP BY pp.commercial_partner_id
            ), feedback AS (
                SELECT partner_id,
                       COUNT(*) FILTER (WHERE is_closed IS NOT TRUE) AS open_count,
                       COUNT(*) FILTER (WHERE is_closed) AS closed_count,
                       (ARRAY_AGG(csat_score ORDER BY date_csat DESC)
                            FILTER (WHERE date_csat IS NOT NULL))[1] AS last_csat,
                       (ARRAY_AGG(nps_score ORDER BY date_nps DESC)
                            FILTER (WHERE date_nps IS NOT NULL))[1] AS last_nps
                  FROM crm_sme_feedback
                 WHERE partner_id = ANY(%(customers)s::int[])
                 GROUP BY partner_id
            )
            SELECT c.id, COALESCE(i.n, 0), COALESCE(ct.n, 0), COALESCE(inv.n, 0),
                   COALESCE(pay.n, 0), COALESCE(f.open_count, 0), COALESCE(f.closed_count, 0),
                   COALESCE(f.last_csat, 0), COALESCE(f.last_nps, 0)
              FROM customer c
              LEFT JOIN interaction i ON i.partner_id = c.id
              LEFT JOIN contact ct ON ct.parent_id = c.id
              LEFT JOIN invoice inv ON inv.commercial_partner_id = c.id
              LEFT JOIN payment pay ON pay.commercial_partner_id = c.id
              LEFT JOIN feedback f ON f.partner_id = c.id
            """,
            customers=list(customer_ids),
            company=company_id,
        )

    @api.depends_context("company")
    def _compute_crm_sme_position(self):
        company = self.env.company
        # search_fetch: ids and figures in one query
        positions = self.env["crm.sme.customer.position"].search_fetch(
            [
                ("partner_id", "in", self.commercial_partner_id._origin.ids),
                ("company_id", "=", company.id),
            ],
            ["partner_id", *POSITION_FIELDS.values()],
        )
        by_partner = {position.partner_id.id: position for position in positions}
        now = fields.Datetime.now()
        for partner in self:
            position = by_partner.get(partner.commercial_partner_id.id, positions.browse())
            for partner_field, position_field in POSITION_FIELDS.items():
                partner[partner_field] = position[position_field]
            limit = partner.commercial_partner_id.with_company(company).credit_limit
            partner.crm_sme_credit_limit = limit
            partner.crm_sme_credit_use = 100.0 * position.receivable / limit if limit else 0.0
            partner.crm_sme_days_since_contact = (
                (now - position.last_interaction_date).days
                if position.last_interaction_date
                else -1
            )

    def _search_crm_sme_invoiced_12m(self, operator, value):
        return self._crm_sme_search_position("invoiced_12m", operator, value)

    def _search_crm_sme_receivable(self, operator, value):
        return self._crm_sme_search_position("receivable", operator, value)

    def _search_crm_sme_overdue_total(self, operator, value):
        return self._crm_sme_search_position("overdue_total", operator, value)

    def _search_crm_sme_late_delivery_count(self, operator, value):
        return self._crm_sme_search_position("late_delivery_count", operator, value)

    def _search_crm_sme_last_interaction_date(self, operator, value):
        return self._crm_sme_search_position("last_interaction_date", operator, value)

    def _crm_sme_search_position(self, fname, operator, value):
        """Search the stored, indexed positions of the current company.

        A customer without a position row counts as 0 (amounts, counts) or as
        never (dates: "not contacted since" matches customers never contacted).
        """
        if operator not in OPERATORS:
            raise UserError(
                _("Operation not supported on this field: %(operator)s", operator=operator)
            )
        positions_sudo = self.env["crm.sme.customer.position"].sudo()
        company_leaf = ("company_id", "=", self.env.company.id)
        if positions_sudo._fields[fname].type in ("date", "datetime"):
            neutral_matches = operator in ("<", "<=", "!=") or (operator == "=" and not value)
        else:
            neutral_matches = OPERATORS[operator](0, value or 0)
        if neutral_matches:
            excluded = positions_sudo.search_fetch(
                [company_leaf, "!", (fname, operator, value)], ["partner_id"]
            )
            return [("commercial_partner_id", "not in", excluded.partner_id.ids)]
        matching = positions_sudo.search_fetch(
            [company_leaf, (fname, operator, value)], ["partner_id"]
        )
        return [("commercial_partner_id", "in", matching.partner_id.ids)]

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _crm_sme_refresh_positions(self):
        self.env["crm.sme.customer.position"].sudo()._refresh(self)
