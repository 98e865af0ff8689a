# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.crm_sme_value_selections import VALUE_TIERS
from .crm_sme_reconciliation_query import QTY_EPSILON, RECONCILIATION_QUERY

ROW_KINDS = [
    ("line", "Order Line"),
    ("won", "Won Opportunity"),
    ("invoice", "Invoice Line without Order"),
]

# Report row ids: order line id * 4, opportunity id * 4 + 1, invoice line id * 4 + 2.
# They are stable, so an exception (crm.sme.reconciliation.exception) is keyed on them.


class CrmSmeReconciliation(models.Model):
    """The accountant's sales reconciliation: one row per order line (confirmed
    or cancelled orders), per won opportunity without confirmed order and per
    posted customer invoice line linked to no order, with ordered, delivered,
    invoiced (credit notes deducted), paid and still due - quantities and
    amounts in company currency - and the exception flags.

    Definitions are those of ``crm.sme.money``: amounts untaxed for ordered /
    delivered / invoiced (as Odoo's sale and invoice analyses), paid and due tax
    included, an invoice shown Paid / In Payment / Reversed is settled, overdue
    counts from "today" in the company's time zone. Paid and due of an invoice
    are shared among its lines pro rata of their untaxed amount.
    """

    _name = "crm.sme.reconciliation"
    _inherit = ["crm.sme.reconciliation.xlsx.mixin", "crm.sme.grouping.sets.mixin"]
    _description = "Sales Reconciliation"
    _auto = False
    _order = "amount_at_risk desc, date desc, id"
    _rec_name = "order_ref"
    # flushed before the view is read
    _depends = {
        "crm.sme.reconciliation.exception": [
            "report_key",
            "assigned_user_id",
            "is_explained",
            "note",
        ],
        "sale.order": [
            "state",
            "date_order",
            "currency_rate",
            "opportunity_id",
            "user_id",
            "team_id",
        ],
        "sale.order.line": [
            "product_uom_qty",
            "qty_delivered",
            "price_subtotal",
            "price_reduce_taxexcl",
        ],
        "account.move": ["state", "payment_state", "amount_residual_signed", "invoice_date_due"],
        "account.move.line": ["balance", "quantity", "sale_line_ids"],
        "account.payment": ["state", "invoice_ids"],
        "crm.lead": ["stage_id", "active", "expected_revenue", "date_closed"],
        "stock.move": ["sale_line_id", "picking_id"],
        "stock.picking": ["state"],
    }

    kind = fields.Selection(ROW_KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Period", readonly=True)
    order_state = fields.Selection(
        [("sale", "Sales Order"), ("cancel", "Cancelled")], string="Order Status", readonly=True
    )
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    order_ref = fields.Char(string="Order Reference", readonly=True)
    order_line_id = fields.Many2one("sale.order.line", string="Order Line", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    value_tier = fields.Selection(VALUE_TIERS, string="Customer Tier", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    lead_ref = fields.Char(string="Opportunity Name", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Last Delivery", readonly=True)
    picking_refs = fields.Char(string="Deliveries", readonly=True)
    invoice_id = fields.Many2one("account.move", string="Last Invoice", readonly=True)
    invoice_refs = fields.Char(string="Invoices", readonly=True)
    payment_id = fields.Many2one("account.payment", string="Last Payment", readonly=True)
    payment_refs = fields.Char(string="Payments", readonly=True)
    # figures
    qty_ordered = fields.Float(readonly=True)
    qty_delivered = fields.Float(readonly=True)
    qty_invoiced = fields.Float(readonly=True)
    amount_ordered = fields.Monetary(string="Ordered", readonly=True)
    amount_delivered = fields.Monetary(string="Delivered", readonly=True)
    amount_invoiced = fields.Monetary(
        string="Invoiced", readonly=True, help="Posted, untaxed, credit notes deducted."
    )
    amount_invoiced_total = fields.Monetary(string="Invoiced (Tax Incl.)", readonly=True)
    amount_paid = fields.Monetary(string="Paid", readonly=True)
    amount_residual = fields.Monetary(string="Still Due", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    overdue_days = fields.Integer(string="Days Overdue", readonly=True, aggregator="max")
    amount_at_risk = fields.Monetary(string="Amount at Risk", readonly=True)
    # flags
    is_delivered_not_invoiced = fields.Boolean(string="Delivered, Not Invoiced", readonly=True)
    is_invoiced_not_delivered = fields.Boolean(string="Invoiced, Not Delivered", readonly=True)
    is_over_invoiced = fields.Boolean(string="Over-Invoiced", readonly=True)
    is_overdue_unpaid = fields.Boolean(string="Overdue Unpaid", readonly=True)
    is_won_without_order = fields.Boolean(string="Won Without Order", readonly=True)
    is_order_without_opportunity = fields.Boolean(string="Order Without Opportunity", readonly=True)
    is_cancelled_with_invoice = fields.Boolean(string="Cancelled With Invoice", readonly=True)
    has_exception = fields.Boolean(string="Exception", readonly=True)
    # follow-up of the exception
    exception_id = fields.Many2one(
        "crm.sme.reconciliation.exception", string="Follow-up", readonly=True
    )
    assigned_user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    is_explained = fields.Boolean(string="Explained", readonly=True)
    note = fields.Text(readonly=True)

    @property
    def _table_query(self):
        money = self.env["crm.sme.money"]
        companies = self.env["res.company"].sudo().search([])
        return SQL(
            RECONCILIATION_QUERY,
            today=money._today_table(money._company_today(companies)),
            due=money._invoice_due_sql("m"),
            rate=SQL("COALESCE(NULLIF(so.currency_rate, 0), 1)"),
            eps=QTY_EPSILON,
        )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def _crm_sme_upsert_exceptions(self):
        """The follow-up records of these rows, created when missing (one
        INSERT ... ON CONFLICT DO NOTHING, so two accountants never collide)."""
        Exception_ = self.env["crm.sme.reconciliation.exception"]
        Exception_.check_access("create")
        rows = self.filtered("has_exception")
        if not rows:
            raise UserError(_("Only exceptions can be assigned or explained."))
        Exception_.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_sme_reconciliation_exception
                       (report_key, company_id, name, order_id, lead_id, partner_id, user_id,
                        is_explained, create_uid, write_uid, create_date, write_date)
                SELECT r.key, r.company_id, r.name, r.order_id, r.lead_id, r.partner_id, r.user_id,
                       FALSE, %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(key int, company_id int, name varchar,
                       order_id int, lead_id int, partner_id int, user_id int)
                    ON CONFLICT (report_key) DO NOTHING
                """,
                uid=self.env.uid,
                rows=json.dumps(
                    [
                        {
                            "key": row.id,
                            "company_id": row.company_id.id,
                            "name": row.order_ref or row.lead_ref or row.invoice_refs or "",
                            "order_id": row.order_id.id or None,
                            "lead_id": row.lead_id.id or None,
                            "partner_id": row.partner_id.id or None,
                            "user_id": row.user_id.id or None,
                        }
                        for row in rows
                    ]
                ),
            )
        )
        return Exception_.search([("report_key", "in", rows.ids)])

    def action_open_exception(self):
        """Assign the exception to someone and leave a note (its own tracked record)."""
        self.ensure_one()
        follow_up = self._crm_sme_upsert_exceptions()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.sme.reconciliation.exception",
            "res_id": follow_up.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_mark_explained(self):
        follow_ups = self._crm_sme_upsert_exceptions()
        follow_ups.write({"is_explained": True})
        follow_ups.flush_recordset()
        return True

    def _crm_sme_open(self, model, ids, name):
        action = {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": name,
            "context": {"create": False},
        }
        if len(ids) == 1:
            action.update(view_mode="form", res_id=ids[0])
        else:
            action.update(view_mode="list,form", domain=[("id", "in", ids)])
        return action

    def action_open_order(self):
        self.ensure_one()
        if not self.order_id:
            raise UserError(_("This row has no order."))
        return self._crm_sme_open("sale.order", self.order_id.ids, _("Order"))

    def action_open_opportunity(self):
        self.ensure_one()
        if not self.lead_id:
            raise UserError(_("This row has no opportunity."))
        return self._crm_sme_open("crm.lead", self.lead_id.ids, _("Opportunity"))

    def action_open_pickings(self):
        self.ensure_one()
        pickings = self.order_line_id.move_ids.picking_id.filtered(lambda p: p.state != "cancel")
        if not pickings:
            raise UserError(_("This row has no delivery."))
        return self._crm_sme_open("stock.picking", pickings.ids, _("Deliveries"))

    def _crm_sme_invoices(self):
        if self.kind == "invoice":
            return self.invoice_id
        return self.order_line_id.invoice_lines.move_id.filtered(
            lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
        )

    def action_open_invoices(self):
        self.ensure_one()
        invoices = self._crm_sme_invoices()
        if not invoices:
            raise UserError(_("This row has no posted invoice."))
        return self._crm_sme_open("account.move", invoices.ids, _("Invoices"))

    def action_open_payments(self):
        self.ensure_one()
        payments = self.env["account.payment"].search(
            [
                ("invoice_ids", "in", self._crm_sme_invoices().ids),
                ("state", "in", ("in_process", "paid")),
            ]
        )
        if not payments:
            raise UserError(_("This row has no payment."))
        return self._crm_sme_open("account.payment", payments.ids, _("Payments"))

    # ------------------------------------------------------------------
    # TIE-OUT
    # ------------------------------------------------------------------
    @api.model
    def _crm_sme_totals(self, domain):
        """Totals of the rows the user reads for ``domain`` (one query)."""
        [row] = self._read_group(
            domain,
            aggregates=[
                "qty_ordered:sum",
                "qty_delivered:sum",
                "qty_invoiced:sum",
                "amount_ordered:sum",
                "amount_delivered:sum",
                "amount_invoiced:sum",
                "amount_invoiced_total:sum",
                "amount_paid:sum",
                "amount_residual:sum",
                "amount_overdue:sum",
                "amount_at_risk:sum",
                "__count",
            ],
        )
        names = (
            "qty_ordered",
            "qty_delivered",
            "qty_invoiced",
            "amount_ordered",
            "amount_delivered",
            "amount_invoiced",
            "amount_invoiced_total",
            "amount_paid",
            "amount_residual",
            "amount_overdue",
            "amount_at_risk",
            "count",
        )
        return {name: value or 0 for name, value in zip(names, row, strict=True)}
