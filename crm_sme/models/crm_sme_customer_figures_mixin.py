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
        compute="_compute_crm_sme_interaction_count",
        compute_sudo=True,
    )
    crm_sme_contact_count = fields.Integer(
        string="Contacts",
        compute="_compute_crm_sme_contact_count",
        compute_sudo=True,
    )
    crm_sme_payment_count = fields.Integer(
        string="Payments",
        compute="_compute_crm_sme_payment_count",
        compute_sudo=True,
    )
    crm_sme_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_crm_sme_invoice_count",
        compute_sudo=True,
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
        help="Settled invoices of the last 365 days: days from invoice date to payment.",
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

    def _compute_crm_sme_interaction_count(self):
        counts = dict(
            self.env["crm.sme.interaction"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_sme_interaction_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_crm_sme_contact_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("parent_id", "in", self.commercial_partner_id.ids), ("type", "=", "contact")],
                ["parent_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.crm_sme_contact_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_crm_sme_payment_count(self):
        counts = dict(
            self.env["account.payment"]._read_group(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("partner_type", "=", "customer"),
                    ("state", "not in", ("draft", "canceled")),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        by_commercial = {}
        for partner, count in counts.items():
            key = partner.commercial_partner_id
            by_commercial[key] = by_commercial.get(key, 0) + count
        for partner in self:
            partner.crm_sme_payment_count = by_commercial.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_crm_sme_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.crm_sme_invoice_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_crm_sme_position(self):
        company = self.env.company
        positions = self.env["crm.sme.customer.position"].search(
            [("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id)]
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
        """Search the stored positions of the current company; the domain
        holds a subquery, never the matching ids.

        A customer without a position row counts as 0 (amounts, counts) or as
        never (dates: "not contacted since" matches customers never contacted).
        """
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
