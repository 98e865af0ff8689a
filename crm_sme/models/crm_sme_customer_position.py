# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, modules
from odoo.tools import SQL, create_index
from odoo.tools.sql import drop_index

_logger = logging.getLogger(__name__)

# Another transaction refreshes or refreshed the same customer: queue it.
CONCURRENCY_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
)


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
        # Open items (crm.sme.money): a few thousand open lines among millions
        # of journal items, found without scanning them.
        create_index(
            self.env.cr,
            "crm_sme_account_move_line_open_idx",
            "account_move_line",
            ["partner_id"],
            where="parent_state = 'posted' AND reconciled IS NOT TRUE AND amount_residual <> 0",
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    # Figures written by the refresh (the rest are kept by the ORM).
    _REFRESHED = (
        "invoiced_total",
        "invoiced_12m",
        "invoice_count_12m",
        "last_invoice_date",
        "receivable",
        "overdue_30",
        "overdue_60",
        "overdue_90",
        "overdue_over_90",
        "overdue_total",
        "max_days_overdue",
        "avg_days_to_pay",
        "open_delivery_count",
        "late_delivery_count",
        "backorder_count",
        "last_delivery_date",
        "last_interaction_date",
        "interaction_expense_12m",
        "user_id",
        "team_id",
        "region_id",
        "customer_type_id",
        "is_key_account",
    )
    # pg_advisory_xact_lock(ADVISORY_LOCK, customer id) serialises the
    # refreshes of one customer.
    _ADVISORY_LOCK = 0x63726D73  # "crms"
    # one advisory lock per customer of a batch: PostgreSQL's shared lock table
    # holds max_locks_per_transaction (64) x max_connections (100) entries
    _CRON_BATCH = 500

    @api.model
    def _refresh(self, partners=None, date=None):
        """Recompute the positions of ``partners`` (commercial partners, all
        when None) in every company, by one upsert: row ids stay, rows whose
        figures did not change are not written.

        Refreshes of one customer are serialised: the refresh takes a
        transaction-level advisory lock per customer. A customer locked by
        another transaction, or whose row another transaction wrote since this
        one began (serialisation failure), is not refreshed here but queued
        (crm.sme.customer.position.queue) for a triggered job that refreshes it
        once that transaction is over; the user's transaction goes on.

        :param date: "today" for every company (default: each company's date)
        :return: number of positions written
        """
        self.env.flush_all()
        cr = self.env.cr
        busy = []
        if partners is not None:
            commercial_ids = sorted(set(partners.commercial_partner_id.ids))
            if not commercial_ids:
                return 0
            cr.execute(
                SQL(
                    """SELECT id FROM unnest(%s::int[]) AS id
                        WHERE NOT pg_try_advisory_xact_lock(%s, id) ORDER BY id""",
                    commercial_ids,
                    self._ADVISORY_LOCK,
                )
            )
            busy = [row[0] for row in cr.fetchall()]
            commercial_ids = [pid for pid in commercial_ids if pid not in set(busy)]
        else:
            commercial_ids = None
        written = 0
        if commercial_ids is None:
            # The whole table (install, benchmark). The planner underestimates the
            # open items and would probe account_move once per item (100 000 times
            # at 20 000 customers): hash joins are 40 % faster for the full pass.
            cr.execute("SET LOCAL enable_nestloop = off")
            cr.execute(self._refresh_query(None, date))
            written = cr.rowcount
            cr.execute("SET LOCAL enable_nestloop TO DEFAULT")
        elif commercial_ids:
            try:
                with cr.savepoint(flush=False):
                    # a conflict is expected here and handled: not an error for the log
                    cr.execute(self._refresh_query(commercial_ids, date), log_exceptions=False)
                    written = cr.rowcount
            except CONCURRENCY_ERRORS:
                busy += commercial_ids
        if busy:
            self._queue(busy)
        self.invalidate_model()
        _logger.debug("crm_sme: %s customer positions written, %s queued", written, len(busy))
        return written

    @api.model
    def _queue(self, commercial_ids):
        """Refresh those customers as soon as possible, in another transaction."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_sme_customer_position_queue (partner_id) SELECT unnest(%s::int[])",
                list(commercial_ids),
            )
        )
        self.env.ref("crm_sme.ir_cron_refresh_customer_position_queue")._trigger()

    @api.model
    def _cron_refresh_queue(self, batch_size=None):
        """Refresh the queued customers in committed batches (not in test mode)."""
        batch_size = batch_size or self._CRON_BATCH
        commit = not modules.module.current_test
        cr = self.env.cr
        for _round in range(1000):
            cr.execute(
                """
                DELETE FROM crm_sme_customer_position_queue
                 WHERE id IN (SELECT id FROM crm_sme_customer_position_queue ORDER BY id
                              LIMIT %s FOR UPDATE SKIP LOCKED)
             RETURNING partner_id
                """,
                [batch_size],
            )
            partner_ids = sorted({row[0] for row in cr.fetchall()})
            if not partner_ids:
                break
            self._refresh(self.env["res.partner"].browse(partner_ids))
            if commit:
                cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _refresh_query(self, commercial_ids, date=None):
        """Upsert of the positions of every customer (``commercial_ids`` None)
        or of those customers; the money figures come from crm.sme.money."""
        money = self.env["crm.sme.money"]
        companies = self.env["res.company"].sudo().search([])
        today_by_company = money._company_today(companies, date)
        today_table = money._today_table(today_by_company)
        if commercial_ids is not None:
            members = money._members_sql(commercial_ids)

            def partner_scope(alias):
                return SQL("AND %s IN %s", SQL.identifier(alias, "partner_id"), members)

            position_scope = SQL("WHERE partner_id = ANY(%s)", commercial_ids)
        else:

            def partner_scope(alias):
                return SQL()

            position_scope = SQL()
        figures = self._REFRESHED
        return SQL(
            """
            WITH inv AS (%(invoiced)s), rec AS (%(aged)s), pay AS (%(days_to_pay)s),
            dlv AS (
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
                       SUM(i.expense_amount) FILTER (WHERE i.state = 'done' AND i.date > t.year_ago)
                           AS interaction_expense_12m
                  FROM crm_sme_interaction i
                  JOIN %(today_table)s ON t.company_id = i.company_id
                  JOIN res_partner p ON p.id = i.partner_id
                 WHERE TRUE %(interaction_scope)s
              GROUP BY 1, 2
            ), keys AS (
                SELECT partner_id, company_id FROM inv UNION SELECT partner_id, company_id FROM rec
                UNION SELECT partner_id, company_id FROM dlv UNION SELECT partner_id, company_id FROM act
                -- existing rows whose documents are gone come back to zero
                UNION SELECT partner_id, company_id FROM crm_sme_customer_position %(position_scope)s
            )
            INSERT INTO crm_sme_customer_position AS pos (
                partner_id, company_id, %(columns)s, create_uid, write_uid, create_date, write_date)
            SELECT k.partner_id, k.company_id,
                   COALESCE(inv.invoiced_total, 0), COALESCE(inv.invoiced_12m, 0),
                   COALESCE(inv.invoice_count_12m, 0), inv.last_invoice_date,
                   COALESCE(rec.receivable, 0), COALESCE(rec.overdue_30, 0), COALESCE(rec.overdue_60, 0),
                   COALESCE(rec.overdue_90, 0), COALESCE(rec.overdue_over_90, 0),
                   COALESCE(rec.overdue_total, 0), COALESCE(rec.max_days_overdue, 0),
                   COALESCE(ROUND(pay.avg_days_to_pay, 1), 0),
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
            ON CONFLICT (partner_id, company_id) DO UPDATE
               SET %(assignments)s, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
             WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
            """,
            invoiced=money._invoiced_sql(today_table, commercial_ids),
            aged=money._aged_sql(today_table, commercial_ids),
            days_to_pay=money._days_to_pay_sql(today_table, commercial_ids),
            today_table=today_table,
            picking_scope=partner_scope("sp"),
            interaction_scope=partner_scope("i"),
            position_scope=position_scope,
            columns=SQL(", ").join(SQL.identifier(name) for name in figures),
            assignments=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                for name in figures
            ),
            current=SQL(", ").join(SQL.identifier("pos", name) for name in figures),
            excluded=SQL(", ").join(SQL.identifier("excluded", name) for name in figures),
            now=fields.Datetime.now(),
            uid=self.env.uid,
        )

    @api.model
    def _cron_refresh(self, batch_size=None):
        """Nightly: ageing buckets, 12-month figures and late deliveries move
        with time alone. Customers in committed batches (not in test mode);
        only changed rows are written; a customer a user is refreshing at that
        moment is queued; a batch that fails otherwise is logged and skipped."""
        batch_size = batch_size or self._CRON_BATCH
        commit = not modules.module.current_test
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT partner_id FROM (
                SELECT commercial_partner_id AS partner_id FROM account_move
                 WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
                UNION SELECT partner_id FROM crm_sme_customer_position
                UNION SELECT p.commercial_partner_id FROM crm_sme_interaction i
                  JOIN res_partner p ON p.id = i.partner_id
                UNION SELECT p.commercial_partner_id FROM stock_picking sp
                  JOIN res_partner p ON p.id = sp.partner_id
                UNION SELECT p.commercial_partner_id FROM account_payment pay
                  JOIN res_partner p ON p.id = pay.partner_id WHERE pay.move_id IS NULL
            ) customers WHERE partner_id IS NOT NULL ORDER BY partner_id
            """
        )
        customer_ids = [row[0] for row in self.env.cr.fetchall()]
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        written = 0
        # a system job: the customers of every company, whoever runs it
        Partner = self.env["res.partner"].sudo()
        for start in range(0, len(customer_ids), batch_size):
            batch = Partner.browse(customer_ids[start : start + batch_size])
            try:
                with self.env.cr.savepoint(flush=False):
                    written += self._refresh(batch)
            except Exception:  # pylint: disable=broad-except
                # one bad batch must not stop the night for every customer
                _logger.exception("crm_sme: positions of customers %s skipped", batch.ids)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info(
            "crm_sme: nightly refresh wrote %s of %s positions", written, len(customer_ids)
        )
        return written
