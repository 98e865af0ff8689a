# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
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
# Who sees the figures of a customer (on the customers they may read): money and
# delivery figures for sales (salespeople, team leaders, managers) and accounting;
# the CRM counters also for service agents.
FIGURES_GROUPS = "sales_team.group_sale_salesman,account.group_account_invoice"
CRM_GROUPS = (
    "sales_team.group_sale_salesman,crm_sme.group_crm_sme_service_agent,"
    "account.group_account_invoice"
)
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
    _inherit = "crm.sme.position.mixin"

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
        groups=CRM_GROUPS,
    )
    crm_sme_contact_count = fields.Integer(
        string="Contacts",
        compute="_compute_crm_sme_counts",
        groups=CRM_GROUPS,
    )
    crm_sme_payment_count = fields.Integer(
        string="Payments",
        compute="_compute_crm_sme_counts",
        groups=FIGURES_GROUPS,
    )
    crm_sme_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_crm_sme_counts",
        groups=FIGURES_GROUPS,
    )
    crm_sme_feedback_open_count = fields.Integer(
        string="Open Feedback", compute="_compute_crm_sme_counts", groups=CRM_GROUPS
    )
    crm_sme_feedback_closed_count = fields.Integer(
        string="Closed Feedback", compute="_compute_crm_sme_counts", groups=CRM_GROUPS
    )
    crm_sme_last_csat = fields.Integer(
        string="Last CSAT", compute="_compute_crm_sme_counts", groups=CRM_GROUPS
    )
    crm_sme_last_nps = fields.Integer(
        string="Last NPS", compute="_compute_crm_sme_counts", groups=CRM_GROUPS
    )
    # Money and delivery position in the current company, read from
    # crm.sme.customer.position (one query per batch, no accounting rights needed).
    crm_sme_invoiced_total = fields.Monetary(
        "Net Invoiced",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        help="Invoices minus credit notes, untaxed, since the first invoice.",
    )
    crm_sme_invoiced_12m = fields.Monetary(
        "Net Invoiced 12 Months",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_invoiced_12m",
        help="Invoices minus credit notes, untaxed, last 365 days.",
    )
    crm_sme_receivable = fields.Monetary(
        "Open Receivable",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_receivable",
    )
    crm_sme_overdue_30 = fields.Monetary(
        "Overdue 1-30 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_overdue_60 = fields.Monetary(
        "Overdue 31-60 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_overdue_90 = fields.Monetary(
        "Overdue 61-90 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_overdue_over_90 = fields.Monetary(
        "Overdue > 90 d",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_overdue_total = fields.Monetary(
        "Overdue",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_overdue_total",
    )
    crm_sme_avg_days_to_pay = fields.Float(
        "Average Days to Pay",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        digits=(16, 1),
        help="Settled invoices of the last 365 days: days from invoice date to payment.",
    )
    crm_sme_credit_limit = fields.Monetary(
        "Credit Limit (this company)",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        help="Odoo's credit limit of the customer in this company (0: none).",
    )
    crm_sme_credit_use = fields.Float(
        "Credit Limit Use (%)",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        digits=(16, 1),
        help="Open receivable as a percentage of the credit limit.",
    )
    crm_sme_open_delivery_count = fields.Integer(
        "Open Deliveries",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_late_delivery_count = fields.Integer(
        "Late Deliveries",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_late_delivery_count",
    )
    crm_sme_backorder_count = fields.Integer(
        "Back-orders",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_last_delivery_date = fields.Datetime(
        "Last Delivery",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
    )
    crm_sme_last_interaction_date = fields.Datetime(
        "Last Contact",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_last_interaction_date",
    )
    crm_sme_days_since_contact = fields.Integer(
        "Days Since Contact",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        help="Days since the last done interaction (visit, call...); -1: never contacted.",
    )
    crm_sme_expense_12m = fields.Monetary(
        "Sales Expense 12 Months",
        currency_field="crm_sme_currency_id",
        compute="_compute_crm_sme_position",
        groups=FIGURES_GROUPS,
        help="Expenses of the interactions of the last 365 days.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    # The figures are computed in the user's environment: only for the partners
    # the user may read (and when they hold the figures' groups); the aggregates
    # behind them run as superuser but return plain values (ids, numbers), so
    # that no partner field the user may not read lands in their record cache.
    @api.depends_context("company")
    def _compute_crm_sme_currency_id(self):
        self.crm_sme_currency_id = self.env.company.currency_id

    def _crm_sme_readable_sql(self, groups):
        """SQL selecting (partner id, commercial partner id) of the partners of
        ``self`` whose figures the current user may see: they hold one of
        ``groups`` and may read the partner (record rules applied in SQL, no
        record fetched). The superuser sees every partner. None: no partner."""
        ids = [partner._origin.id for partner in self if partner._origin.id]
        Partner = self.env["res.partner"].with_context(active_test=False)
        if not ids or not (
            self.env.su
            or (self.env.user.has_groups(groups) and Partner.browse().has_access("read"))
        ):
            return None
        Partner.flush_model(["commercial_partner_id"])
        query = Partner._search([("id", "in", ids)])
        query.order = None
        return query.select(
            SQL.identifier(query.table, "id"),
            Partner._field_to_sql(query.table, "commercial_partner_id", query),
        )

    def _crm_sme_fetch_figures(self, groups, select):
        """{partner id: row} of ``select`` (an SQL over ``readable(id,
        customer_id)``, the readable partners of self and their commercial
        partner, returning the partner id first): one query per batch, plain
        values, so that nothing the user may not read lands in their cache."""
        readable = self._crm_sme_readable_sql(groups)
        if readable is None:
            return {}
        self.env.cr.execute(SQL("WITH readable(id, customer_id) AS (%s) %s", readable, select))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.depends("commercial_partner_id")
    @api.depends_context("company", "uid")
    def _compute_crm_sme_counts(self):
        """Interactions, contacts, posted invoices, payments, open/closed feedback
        and last CSAT/NPS of the customer (company) in the current company: one
        query per batch, each table read once through its customer index, for the
        customers the user may read (plain values: nothing of those documents
        lands in the user's cache). Invoice and payment counts only for the
        roles that see money figures."""
        for model, fnames in (
            ("crm.sme.interaction", ["partner_id", "company_id"]),
            ("res.partner", ["parent_id", "type", "active", "commercial_partner_id"]),
            ("account.move", ["commercial_partner_id", "move_type", "state", "company_id"]),
            ("account.payment", ["partner_id", "partner_type", "state", "company_id"]),
            (
                "crm.sme.feedback",
                ["partner_id", "company_id", "is_closed", "csat_score", "date_csat"]
                + ["nps_score", "date_nps"],
            ),
        ):
            self.env[model].flush_model(fnames)
        money = self.env.su or self.env.user.has_groups(FIGURES_GROUPS)
        counts = self._crm_sme_fetch_figures(
            CRM_GROUPS,
            SQL(
                """, customer AS (SELECT DISTINCT customer_id AS id FROM readable),
                interaction AS (
                    SELECT partner_id, COUNT(*) AS n FROM crm_sme_interaction
                     WHERE partner_id IN (SELECT id FROM customer) AND company_id = %(company)s
                     GROUP BY partner_id
                ), contact AS (
                    SELECT parent_id, COUNT(*) AS n FROM res_partner
                     WHERE parent_id IN (SELECT id FROM customer) AND type = 'contact' AND active
                     GROUP BY parent_id
                ), invoice AS (
                    SELECT commercial_partner_id, COUNT(*) AS n FROM account_move
                     WHERE %(money)s AND commercial_partner_id IN (SELECT id FROM customer)
                       AND company_id = %(company)s AND state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                     GROUP BY commercial_partner_id
                ), payment AS (
                    SELECT member.commercial_partner_id, COUNT(*) AS n
                      FROM res_partner member
                      JOIN account_payment pay ON pay.partner_id = member.id
                     WHERE %(money)s AND member.commercial_partner_id IN (SELECT id FROM customer)
                       AND pay.company_id = %(company)s AND pay.partner_type = 'customer'
                       AND pay.state NOT IN ('draft', 'canceled')
                     GROUP BY member.commercial_partner_id
                ), feedback AS (
                    SELECT partner_id,
                           COUNT(*) FILTER (WHERE is_closed IS NOT TRUE) AS open_count,
                           COUNT(*) FILTER (WHERE is_closed) AS closed_count,
                           (ARRAY_AGG(csat_score ORDER BY date_csat DESC, id DESC)
                                FILTER (WHERE date_csat IS NOT NULL))[1] AS last_csat,
                           (ARRAY_AGG(nps_score ORDER BY date_nps DESC, id DESC)
                                FILTER (WHERE date_nps IS NOT NULL))[1] AS last_nps
                      FROM crm_sme_feedback
                     WHERE partner_id IN (SELECT id FROM customer) AND company_id = %(company)s
                     GROUP BY partner_id
                )
                SELECT r.id, COALESCE(i.n, 0), COALESCE(ct.n, 0), COALESCE(inv.n, 0),
                       COALESCE(pay.n, 0), COALESCE(f.open_count, 0),
                       COALESCE(f.closed_count, 0), COALESCE(f.last_csat, 0),
                       COALESCE(f.last_nps, 0)
                  FROM readable r
                  LEFT JOIN interaction i ON i.partner_id = r.customer_id
                  LEFT JOIN contact ct ON ct.parent_id = r.customer_id
                  LEFT JOIN invoice inv ON inv.commercial_partner_id = r.customer_id
                  LEFT JOIN payment pay ON pay.commercial_partner_id = r.customer_id
                  LEFT JOIN feedback f ON f.partner_id = r.customer_id""",
                company=self.env.company.id,
                money=money,
            ),
        )
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
            ) = counts.get(partner._origin.id, (0,) * 8)

    @api.depends_context("company", "uid")
    def _compute_crm_sme_position(self):
        company = self.env.company
        self.env["crm.sme.customer.position"].flush_model()
        self.env["res.partner"].flush_model(["credit_limit"])
        # the company's default credit limit (ir.default), read before the query
        fallback = (
            self.env["res.partner"]
            ._fields["credit_limit"]
            .get_company_dependent_fallback(self.env["res.partner"].with_company(company))
        ) or 0.0
        columns = list(POSITION_FIELDS.values())
        rows = self._crm_sme_fetch_figures(
            FIGURES_GROUPS,
            SQL(
                """SELECT r.id, (p.credit_limit->>%(company)s)::float, %(columns)s
                     FROM readable r
                     JOIN res_partner p ON p.id = r.customer_id
                LEFT JOIN crm_sme_customer_position pos
                       ON pos.partner_id = r.customer_id AND pos.company_id = %(company_id)s""",
                company=str(company.id),
                company_id=company.id,
                columns=SQL(", ").join(SQL.identifier("pos", column) for column in columns),
            ),
        )
        now = fields.Datetime.now()
        for partner in self:
            credit_limit, *values = rows.get(partner._origin.id) or (None, *[None] * len(columns))
            position = dict(zip(columns, values, strict=True))
            for partner_field, position_field in POSITION_FIELDS.items():
                partner[partner_field] = position[position_field] or False
            limit = fallback if credit_limit is None else credit_limit
            receivable = position["receivable"] or 0.0
            last_contact = position["last_interaction_date"]
            partner.crm_sme_credit_limit = limit if partner._origin.id in rows else 0.0
            partner.crm_sme_credit_use = 100.0 * receivable / limit if limit else 0.0
            partner.crm_sme_days_since_contact = (now - last_contact).days if last_contact else -1

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
        """Search the stored positions of the current company; the domain
        holds a subquery, never the matching ids.

        A customer without a position row counts as 0 (amounts, counts) or as
        never (dates: "not contacted since" matches customers never contacted).
        """
        # a search method is not checked by the ORM: the figures' groups apply
        self.check_field_access_rights(
            "read", [next(name for name, col in POSITION_FIELDS.items() if col == fname)]
        )
        if operator not in OPERATORS:
            raise UserError(
                _("Operation not supported on this field: %(operator)s", operator=operator)
            )
        positions_sudo = self.env["crm.sme.customer.position"].sudo()
        field = positions_sudo._fields[fname]
        value = self._crm_sme_check_search_value(field, operator, value)
        company_leaf = ("company_id", "=", self.env.company.id)
        if field.type in ("date", "datetime"):
            neutral_matches = operator in ("<", "<=", "!=") or (operator == "=" and not value)
        else:
            neutral_matches = OPERATORS[operator](0, value or 0)
        if neutral_matches:
            query = positions_sudo._search([company_leaf, "!", (fname, operator, value)])
            in_operator = "not in"
        else:
            query = positions_sudo._search([company_leaf, (fname, operator, value)])
            in_operator = "in"
        subquery = query.subselect(SQL.identifier(query.table, "partner_id"))
        return [("commercial_partner_id", in_operator, subquery)]

    @api.model
    def _crm_sme_check_search_value(self, field, operator, value):
        """The value of a search on a position figure, of the figure's type;
        a clear error for anything else (text for an amount, a malformed date,
        NaN...)."""
        if value is None or value is False:
            if operator in ("=", "!="):
                return False
        elif field.type in ("date", "datetime"):
            try:
                converted = (
                    fields.Datetime.to_datetime(value)
                    if field.type == "datetime"
                    else fields.Date.to_date(value)
                )
            except (TypeError, ValueError):
                converted = None
            if converted:
                return converted
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value) and (field.type != "integer" or float(value).is_integer()):
                return value
        raise UserError(
            _(
                "Cannot search %(field)s for %(value)s: give a %(kind)s.",
                field=field._description_string(self.env),
                value=repr(value),
                kind={
                    "date": _("date"),
                    "datetime": _("date and time"),
                    "integer": _("whole number"),
                }.get(field.type, _("number")),
            )
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _crm_sme_position_partners(self):
        return self
