# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL, create_index
from odoo.tools.sql import drop_index

_logger = logging.getLogger(__name__)


class CrmSmeCustomerPosition(models.Model):
    """Money and delivery position of a customer in one company.

    One row per commercial partner and company, written by one set-based SQL
    statement (:meth:`_refresh`) from Odoo's own invoices, journal items,
    deliveries and interactions; never edited by hand. Customers' list columns,
    filters and the 360° form read these rows, so that salespeople see money
    figures without accounting rights and lists cost one query per page.
    """

    _name = "crm.sme.customer.position"
    _description = "Customer Money and Delivery Position"
    _order = "receivable desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    # Classification of the customer, for grouping (kept in sync by the ORM).
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson", store=True)
    team_id = fields.Many2one(related="partner_id.team_id", string="Sales Team", store=True)
    region_id = fields.Many2one(related="partner_id.region_id", string="Sales Region", store=True)
    customer_type_id = fields.Many2one(
        related="partner_id.customer_type_id", string="Customer Type", store=True
    )
    is_key_account = fields.Boolean(
        related="partner_id.is_key_account", string="Key Account", store=True
    )
    # Money
    invoiced_total = fields.Monetary("Net Invoiced (lifetime)", readonly=True)
    invoiced_12m = fields.Monetary("Net Invoiced (12 months)", readonly=True)
    invoice_count_12m = fields.Integer("Invoices (12 months)", readonly=True)
    last_invoice_date = fields.Date(readonly=True)
    receivable = fields.Monetary("Open Receivable", readonly=True)
    overdue_30 = fields.Monetary("Overdue 1-30 days", readonly=True)
    overdue_60 = fields.Monetary("Overdue 31-60 days", readonly=True)
    overdue_90 = fields.Monetary("Overdue 61-90 days", readonly=True)
    overdue_over_90 = fields.Monetary("Overdue > 90 days", readonly=True)
    overdue_total = fields.Monetary("Overdue", readonly=True)
    max_days_overdue = fields.Integer("Oldest Overdue (days)", readonly=True)
    avg_days_to_pay = fields.Float("Average Days to Pay", readonly=True, digits=(16, 1))
    # Deliveries
    open_delivery_count = fields.Integer("Open Deliveries", readonly=True)
    late_delivery_count = fields.Integer("Late Deliveries", readonly=True)
    backorder_count = fields.Integer("Back-orders", readonly=True)
    last_delivery_date = fields.Datetime(readonly=True)
    # Contact
    last_interaction_date = fields.Datetime(readonly=True)
    interaction_expense_12m = fields.Monetary("Sales Expense (12 months)", readonly=True)

    # One row per customer and company: the unique index serves every lookup
    # (by customer, or by company then figure on a few thousand rows); more
    # indexes would only slow the rewrite.
    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique (partner_id, company_id)",
            "One position per customer and company.",
        ),
    ]

    def init(self):
        # Indexes of the first version, which only slowed the rewrite.
        for column in ("partner_id", "company_id", "overdue_total", "last_interaction_date"):
            drop_index(self.env.cr, f"crm_sme_customer_position__{column}_index", self._table)
        # Core has no index on account_move.commercial_partner_id (see
        # performance facts): the invoice pass of _refresh needs one.
        create_index(
            self.env.cr,
            "crm_sme_account_move_customer_idx",
            "account_move",
            ["commercial_partner_id", "company_id", "invoice_date"],
            where="state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self, partners=None, date=None):
        """Recompute the positions of ``partners`` (commercial partners, all
        when None) in every company, in one SQL statement per batch.

        Deterministic: unchanged data gives unchanged rows.
        """
        date = date or fields.Date.context_today(self)
        self.env.flush_all()
        if partners is not None:
            commercial_ids = sorted(set(partners.commercial_partner_id.ids))
            if not commercial_ids:
                return
            # Every partner of those customers (contacts, delivery addresses),
            # so that each pass filters on an indexed column.
            member_ids = (
                self.env["res.partner"]
                .with_context(active_test=False)
                ._search([("commercial_partner_id", "in", commercial_ids)])
            )
            self.env.cr.execute(SQL("SELECT id FROM (%s) q", member_ids.select()))
            member_ids = [row[0] for row in self.env.cr.fetchall()]
            scope = {
                "move": SQL("AND m.commercial_partner_id = ANY(%s)", commercial_ids),
                "partner": lambda alias: SQL(
                    "AND %s = ANY(%s)", SQL.identifier(alias, "partner_id"), member_ids
                ),
            }
            delete_scope = SQL("WHERE partner_id = ANY(%s)", commercial_ids)
        else:
            scope = None
            delete_scope = SQL("")
        self.env.cr.execute(SQL("DELETE FROM crm_sme_customer_position %s", delete_scope))
        self.env.cr.execute(self._refresh_query(scope, date))
        self.invalidate_model()
        _logger.debug("crm_sme: refreshed %s customer positions", self.env.cr.rowcount)

    @api.model
    def _refresh_query(self, scope, date):
        """INSERT of the positions of every customer (``scope`` None) or of
        the customers given by ``scope``: {"move": condition on account_move
        ``m``, "partner": alias -> condition on that alias' partner_id}."""
        if scope:
            move_scope, partner_scope = scope["move"], scope["partner"]
        else:
            move_scope, partner_scope = SQL(""), lambda alias: SQL("")
        return SQL(
            """
            WITH inv AS (
                SELECT p.commercial_partner_id AS partner_id, m.company_id,
                       SUM(m.amount_untaxed_signed) AS invoiced_total,
                       SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date > %(year_ago)s) AS invoiced_12m,
                       COUNT(*) FILTER (WHERE m.invoice_date > %(year_ago)s AND m.move_type = 'out_invoice')
                           AS invoice_count_12m,
                       MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_invoice_date
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') %(move_scope)s
              GROUP BY 1, 2
            ), rec AS (
                SELECT p.commercial_partner_id AS partner_id, l.company_id,
                       SUM(l.amount_residual) AS receivable,
                       SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                           AND %(today)s - l.date_maturity BETWEEN 1 AND 30) AS overdue_30,
                       SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                           AND %(today)s - l.date_maturity BETWEEN 31 AND 60) AS overdue_60,
                       SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                           AND %(today)s - l.date_maturity BETWEEN 61 AND 90) AS overdue_90,
                       SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0
                           AND %(today)s - l.date_maturity > 90) AS overdue_over_90,
                       MAX(%(today)s - l.date_maturity) FILTER (WHERE l.amount_residual > 0
                           AND l.date_maturity < %(today)s) AS max_days_overdue
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE
                   -- Odoo's own payment status decides: an invoice "In Payment" (payment
                   -- registered, bank not yet reconciled) is settled for the customer.
                   AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed') %(line_scope)s
              GROUP BY 1, 2
            ), paid AS (
                -- Date an invoice was settled: its last reconciliation, or its last
                -- registered payment (payments not yet in accounting have no entry).
                SELECT m.id AS move_id, GREATEST(MAX(apr.max_date), MAX(pay.date)) AS paid_date
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                  LEFT JOIN account_move_line l ON l.move_id = m.id AND l.reconciled
                  LEFT JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                  LEFT JOIN account_move__account_payment mp ON mp.invoice_id = m.id
                  LEFT JOIN account_payment pay ON pay.id = mp.payment_id AND pay.state IN ('in_process', 'paid')
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.payment_state IN ('paid', 'in_payment') %(move_scope)s
              GROUP BY 1
            ), pay AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       AVG(GREATEST(paid.paid_date - m.invoice_date, 0)) AS avg_days_to_pay
                  FROM paid
                  JOIN account_move m ON m.id = paid.move_id AND m.move_type = 'out_invoice'
              GROUP BY 1, 2
            ), dlv AS (
                SELECT p.commercial_partner_id AS partner_id, sp.company_id,
                       COUNT(*) FILTER (WHERE sp.state NOT IN ('done', 'cancel', 'draft')) AS open_delivery_count,
                       COUNT(*) FILTER (WHERE sp.state NOT IN ('done', 'cancel', 'draft')
                           AND sp.scheduled_date < %(now)s) AS late_delivery_count,
                       COUNT(*) FILTER (WHERE sp.state NOT IN ('done', 'cancel', 'draft')
                           AND sp.backorder_id IS NOT NULL) AS backorder_count,
                       MAX(sp.date_done) FILTER (WHERE sp.state = 'done') AS last_delivery_date
                  FROM stock_picking sp
                  JOIN stock_picking_type pt ON pt.id = sp.picking_type_id AND pt.code = 'outgoing'
                  JOIN res_partner p ON p.id = sp.partner_id
                 WHERE TRUE %(picking_scope)s
              GROUP BY 1, 2
            ), act AS (
                SELECT p.commercial_partner_id AS partner_id, i.company_id,
                       MAX(i.date) FILTER (WHERE i.state = 'done') AS last_interaction_date,
                       SUM(i.expense_amount) FILTER (WHERE i.state = 'done' AND i.date > %(year_ago)s)
                           AS interaction_expense_12m
                  FROM crm_sme_interaction i
                  JOIN res_partner p ON p.id = i.partner_id
                 WHERE TRUE %(interaction_scope)s
              GROUP BY 1, 2
            ), keys AS (
                SELECT partner_id, company_id FROM inv UNION SELECT partner_id, company_id FROM rec
                UNION SELECT partner_id, company_id FROM dlv UNION SELECT partner_id, company_id FROM act
            )
            INSERT INTO crm_sme_customer_position (
                partner_id, company_id, invoiced_total, invoiced_12m, invoice_count_12m, last_invoice_date,
                receivable, overdue_30, overdue_60, overdue_90, overdue_over_90, overdue_total,
                max_days_overdue, avg_days_to_pay, open_delivery_count, late_delivery_count,
                backorder_count, last_delivery_date, last_interaction_date, interaction_expense_12m,
                user_id, team_id, region_id, customer_type_id, is_key_account,
                create_uid, write_uid, create_date, write_date)
            SELECT k.partner_id, k.company_id,
                   COALESCE(inv.invoiced_total, 0), COALESCE(inv.invoiced_12m, 0),
                   COALESCE(inv.invoice_count_12m, 0), inv.last_invoice_date,
                   COALESCE(rec.receivable, 0), COALESCE(rec.overdue_30, 0), COALESCE(rec.overdue_60, 0),
                   COALESCE(rec.overdue_90, 0), COALESCE(rec.overdue_over_90, 0),
                   COALESCE(rec.overdue_30, 0) + COALESCE(rec.overdue_60, 0)
                       + COALESCE(rec.overdue_90, 0) + COALESCE(rec.overdue_over_90, 0),
                   COALESCE(rec.max_days_overdue, 0), COALESCE(pay.avg_days_to_pay, 0),
                   COALESCE(dlv.open_delivery_count, 0), COALESCE(dlv.late_delivery_count, 0),
                   COALESCE(dlv.backorder_count, 0), dlv.last_delivery_date,
                   act.last_interaction_date, COALESCE(act.interaction_expense_12m, 0),
                   cp.user_id, cp.team_id, cp.region_id, cp.customer_type_id, COALESCE(cp.is_key_account, FALSE),
                   %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM keys k
              JOIN res_partner cp ON cp.id = k.partner_id
              LEFT JOIN inv ON inv.partner_id = k.partner_id AND inv.company_id = k.company_id
              LEFT JOIN rec ON rec.partner_id = k.partner_id AND rec.company_id = k.company_id
              LEFT JOIN pay ON pay.partner_id = k.partner_id AND pay.company_id = k.company_id
              LEFT JOIN dlv ON dlv.partner_id = k.partner_id AND dlv.company_id = k.company_id
              LEFT JOIN act ON act.partner_id = k.partner_id AND act.company_id = k.company_id
            """,
            move_scope=move_scope,
            line_scope=partner_scope("l"),
            picking_scope=partner_scope("sp"),
            interaction_scope=partner_scope("i"),
            today=date,
            year_ago=fields.Date.subtract(date, days=365),
            now=fields.Datetime.now(),
            uid=self.env.uid,
        )

    @api.model
    def _cron_refresh(self):
        """Nightly: ageing buckets and late deliveries move with time alone."""
        self._refresh()
