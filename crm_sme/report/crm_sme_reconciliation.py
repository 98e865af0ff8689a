# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.crm_sme_value_selections import VALUE_TIERS

ROW_KINDS = [
    ("line", "Order Line"),
    ("won", "Won Opportunity"),
    ("invoice", "Invoice Line without Order"),
]

# Report row ids: order line id * 4, opportunity id * 4 + 1, invoice line id * 4 + 2.
# They are stable, so an exception (crm.sme.reconciliation.exception) is keyed on them.

# Quantities compared with this tolerance (units of measure round to 0.001 or coarser).
QTY_EPSILON = 0.0001

RECONCILIATION_QUERY = """
WITH inv AS (
    -- posted customer invoice / credit note lines of each order line, company currency;
    -- paid / due shares pro rata of the line in its invoice, what is due following
    -- crm.sme.money (settled once Odoo shows the invoice Paid / In Payment / Reversed)
    SELECT rel.order_line_id AS sol_id,
           SUM(CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END) AS qty,
           SUM(-aml.balance) AS amount,
           SUM(-aml.balance * COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1))
               AS amount_total,
           SUM(-aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0)) AS residual,
           SUM(-aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0))
               FILTER (WHERE m.invoice_date_due < t.today AND %(due)s > 0) AS overdue,
           MAX(t.today - m.invoice_date_due) FILTER (WHERE m.invoice_date_due < t.today AND %(due)s > 0)
               AS overdue_days,
           STRING_AGG(DISTINCT m.name, ', ') AS refs,
           MAX(m.id) AS move_id
      FROM sale_order_line_invoice_rel rel
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id AND aml.display_type = 'product'
      JOIN account_move m ON m.id = aml.move_id
      JOIN %(today)s ON t.company_id = m.company_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
  GROUP BY rel.order_line_id
), pay AS (
    SELECT rel.order_line_id AS sol_id, STRING_AGG(DISTINCT p.name, ', ') AS refs, MAX(p.id) AS payment_id
      FROM sale_order_line_invoice_rel rel
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move__account_payment mp ON mp.invoice_id = aml.move_id
      JOIN account_payment p ON p.id = mp.payment_id AND p.state IN ('in_process', 'paid')
  GROUP BY rel.order_line_id
), pick AS (
    SELECT sm.sale_line_id AS sol_id, STRING_AGG(DISTINCT sp.name, ', ') AS refs,
           MAX(sp.id) AS picking_id
      FROM stock_move sm
      JOIN stock_picking sp ON sp.id = sm.picking_id AND sp.state != 'cancel'
     WHERE sm.sale_line_id IS NOT NULL
  GROUP BY sm.sale_line_id
), base AS (
    SELECT sol.id * 4 AS id, 'line' AS kind, so.company_id, so.date_order::date AS date,
           so.state AS order_state, so.id AS order_id, so.name AS order_ref, sol.id AS order_line_id,
           sol.product_id, cp.id AS partner_id, so.user_id, so.team_id,
           so.opportunity_id AS lead_id, lead.name AS lead_ref,
           pick.picking_id, pick.refs AS picking_refs, inv.move_id AS invoice_id,
           inv.refs AS invoice_refs, pay.payment_id, pay.refs AS payment_refs,
           cp.crm_sme_value_tier ->> so.company_id::text AS value_tier,
           CASE WHEN so.state = 'sale' THEN sol.product_uom_qty ELSE 0 END AS qty_ordered,
           sol.qty_delivered, COALESCE(inv.qty, 0) AS qty_invoiced,
           CASE WHEN so.state = 'sale' THEN sol.price_subtotal / %(rate)s ELSE 0 END AS amount_ordered,
           sol.qty_delivered * sol.price_reduce_taxexcl / %(rate)s AS amount_delivered,
           COALESCE(inv.amount, 0) AS amount_invoiced,
           COALESCE(inv.amount_total, 0) AS amount_invoiced_total,
           COALESCE(inv.amount_total, 0) - COALESCE(inv.residual, 0) AS amount_paid,
           COALESCE(inv.residual, 0) AS amount_residual,
           COALESCE(inv.overdue, 0) AS amount_overdue,
           COALESCE(inv.overdue_days, 0) AS overdue_days,
           so.state = 'sale' AND sol.qty_delivered > COALESCE(inv.qty, 0) + %(eps)s AS is_delivered_not_invoiced,
           so.state = 'sale' AND pt.type = 'consu' AND COALESCE(inv.qty, 0) > sol.qty_delivered + %(eps)s
               AS is_invoiced_not_delivered,
           so.state = 'sale' AND COALESCE(inv.qty, 0) > sol.product_uom_qty + %(eps)s AS is_over_invoiced,
           COALESCE(inv.overdue, 0) > 0 AS is_overdue_unpaid,
           FALSE AS is_won_without_order,
           so.state = 'sale' AND so.opportunity_id IS NULL AS is_order_without_opportunity,
           so.state = 'cancel' AND COALESCE(inv.amount, 0) <> 0 AS is_cancelled_with_invoice,
           sol.price_reduce_taxexcl / %(rate)s AS unit_price
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id AND so.state IN ('sale', 'cancel')
      JOIN res_partner p ON p.id = so.partner_id
      JOIN res_partner cp ON cp.id = p.commercial_partner_id
      LEFT JOIN product_product pp ON pp.id = sol.product_id
      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
      LEFT JOIN inv ON inv.sol_id = sol.id
      LEFT JOIN pay ON pay.sol_id = sol.id
      LEFT JOIN pick ON pick.sol_id = sol.id
     WHERE sol.display_type IS NULL
    UNION ALL
    -- won opportunities without a confirmed order
    SELECT lead.id * 4 + 1, 'won', lead.company_id, COALESCE(lead.date_closed, lead.create_date)::date,
           NULL, NULL, NULL, NULL, NULL, cp.id, lead.user_id, lead.team_id, lead.id, lead.name,
           NULL, NULL, NULL, NULL, NULL, NULL,
           cp.crm_sme_value_tier ->> lead.company_id::text,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE,
           COALESCE(lead.expected_revenue, 0)
      FROM crm_lead lead
      JOIN crm_stage stage ON stage.id = lead.stage_id AND stage.is_won
      LEFT JOIN res_partner p ON p.id = lead.partner_id
      LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
     WHERE lead.active AND lead.type = 'opportunity' AND lead.company_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sale_order so WHERE so.opportunity_id = lead.id AND so.state = 'sale')
    UNION ALL
    -- posted customer invoice lines linked to no order line (so that the totals tie out
    -- with Odoo's invoice analysis)
    SELECT aml.id * 4 + 2, 'invoice', m.company_id, m.invoice_date,
           NULL, NULL, NULL, NULL, aml.product_id, m.commercial_partner_id, m.invoice_user_id, m.team_id,
           NULL, NULL, NULL, NULL, m.id, m.name, NULL, NULL,
           cp.crm_sme_value_tier ->> m.company_id::text,
           0, 0, CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END,
           0, 0, -aml.balance,
           -aml.balance * COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1),
           -aml.balance * (COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1)
                           - COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0)),
           -aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0),
           CASE WHEN m.invoice_date_due < t.today AND %(due)s > 0
                THEN -aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0) ELSE 0 END,
           CASE WHEN m.invoice_date_due < t.today AND %(due)s > 0 THEN t.today - m.invoice_date_due ELSE 0 END,
           FALSE, FALSE, FALSE, m.invoice_date_due < t.today AND %(due)s > 0, FALSE, FALSE, FALSE, 0
      FROM account_move_line aml
      JOIN account_move m ON m.id = aml.move_id
      JOIN %(today)s ON t.company_id = m.company_id
      LEFT JOIN res_partner cp ON cp.id = m.commercial_partner_id
     WHERE aml.display_type = 'product' AND m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.invoice_line_id = aml.id)
)
SELECT base.*, company.currency_id,
       GREATEST(
           CASE WHEN base.is_delivered_not_invoiced
                THEN (base.qty_delivered - base.qty_invoiced) * base.unit_price ELSE 0 END,
           CASE WHEN base.is_invoiced_not_delivered
                THEN (base.qty_invoiced - base.qty_delivered) * base.unit_price ELSE 0 END,
           CASE WHEN base.is_over_invoiced
                THEN (base.qty_invoiced - base.qty_ordered) * base.unit_price ELSE 0 END,
           base.amount_overdue,
           CASE WHEN base.is_cancelled_with_invoice THEN ABS(base.amount_invoiced) ELSE 0 END,
           CASE WHEN base.is_won_without_order THEN base.unit_price ELSE 0 END
       ) AS amount_at_risk,
       (base.is_delivered_not_invoiced OR base.is_invoiced_not_delivered OR base.is_over_invoiced
        OR base.is_overdue_unpaid OR base.is_won_without_order OR base.is_order_without_opportunity
        OR base.is_cancelled_with_invoice) AS has_exception,
       x.id AS exception_id, x.assigned_user_id, COALESCE(x.is_explained, FALSE) AS is_explained,
       x.note
  FROM base
  JOIN res_company company ON company.id = base.company_id
  LEFT JOIN crm_sme_reconciliation_exception x ON x.report_key = base.id
"""


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
    _inherit = ["crm.sme.reconciliation.xlsx.mixin"]
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
