# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Odoo's payment states of an invoice that is settled for the customer: paid,
# "In Payment" (a payment registered, the bank statement not yet reconciled;
# with or without a journal entry of the payment) or fully reversed.
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")
OVERDUE_BUCKETS = ("overdue_30", "overdue_60", "overdue_90", "overdue_over_90")
AGED_FIGURES = (
    "receivable",
    *OVERDUE_BUCKETS,
    "overdue_total",
    "max_days_overdue",
    "overdue_beyond",
    "oldest_beyond",
)


class CrmSmeMoney(models.AbstractModel):
    """What a customer owes: the one definition used by the customer file
    (crm.sme.customer.position), the credit gate (orders, opportunities) and
    the financial trail of opportunities.

    Per commercial partner and company, in the company currency:

    * **open items**: the open amounts (``amount_residual``) of posted journal
      items on receivable accounts, except those of invoices Odoo shows as
      *Paid*, *In Payment* or *Reversed* (:data:`SETTLED_PAYMENT_STATES`: a
      registered payment settles the invoice for the customer before the bank
      reconciliation, whether or not the payment has a journal entry), plus
      payments registered without a journal entry and not matched to an
      invoice (money received, not yet in the accounts);
    * **receivable**: the sum of the open items (what Odoo's ``credit`` shows,
      less the invoices already *In Payment* through payments without journal
      entries and those unmatched payments);
    * **overdue**: the positive open items past their due date, by age
      (1-30, 31-60, 61-90, > 90 days), after deducting the open credits (open
      credit notes, unallocated payments) from the oldest first, so overdue
      never exceeds the receivable;
    * **invoiced**: posted invoices minus credit notes, untaxed;
    * **days to pay**: average days from invoice date to settlement of the
      invoices of the last 365 days that are settled.

    "Today" is explicit or, by default, the date in the company's time zone:
    ``res.company`` has no time zone in Odoo 18, so the time zone of the
    company's own partner is used (UTC when it has none), never the time zone
    of the user who triggered the computation.
    """

    _name = "crm.sme.money"
    _description = "Customer Money Definitions"

    # ------------------------------------------------------------------
    # TODAY
    # ------------------------------------------------------------------
    @api.model
    def _company_today(self, companies, today=None):
        """{company id: the date of "today" in that company}."""
        result = {}
        for company in companies.sudo():
            if today:
                result[company.id] = fields.Date.to_date(today)
            else:
                tz = company.partner_id.tz or "UTC"
                result[company.id] = fields.Date.context_today(self.with_context(tz=tz))
        return result

    @api.model
    def _today_table(self, today_by_company, tolerance_by_company=None):
        """SQL relation ``(company_id, today, year_ago, tolerance)``."""
        tolerance_by_company = tolerance_by_company or {}
        rows = [
            SQL(
                "(%s, %s::date, %s::date, %s)",
                company_id,
                today,
                today - timedelta(days=365),
                int(tolerance_by_company.get(company_id) or 0),
            )
            for company_id, today in today_by_company.items()
        ] or [SQL("(NULL::int, NULL::date, NULL::date, 0)")]
        return SQL("(VALUES %s) AS t(company_id, today, year_ago, tolerance)", SQL(", ").join(rows))

    # ------------------------------------------------------------------
    # SQL DEFINITIONS (composed by the position refresh and the gate)
    # ------------------------------------------------------------------
    @api.model
    def _members_sql(self, commercial_ids):
        """Every partner of those customers (contacts, addresses), as a
        subquery, so that the queries filter on the indexed ``partner_id`` of
        each table."""
        return SQL(
            "(SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))",
            list(commercial_ids),
        )

    @api.model
    def _open_items_sql(self, today_table, commercial_ids=None):
        """Open receivable items (partner_id = commercial partner, company_id,
        due date, amount in company currency; credits negative)."""
        if commercial_ids is not None:
            members = self._members_sql(commercial_ids)
            line_scope = SQL("AND l.partner_id IN %s", members)
            pay_scope = SQL("AND pay.partner_id IN %s", members)
        else:
            line_scope = pay_scope = SQL()
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.company_id, l.id AS item_id,
                   COALESCE(l.date_maturity, l.date) AS due, l.amount_residual AS amount,
                   t.today, t.tolerance
              FROM account_move_line l
              JOIN %(today_table)s ON t.company_id = l.company_id
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              JOIN account_move m ON m.id = l.move_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.parent_state = 'posted' AND l.reconciled IS NOT TRUE AND l.amount_residual <> 0
               AND m.payment_state NOT IN %(settled)s %(line_scope)s
            UNION ALL
            -- payments registered without a journal entry and matched to no
            -- invoice: received, not yet in the accounts
            SELECT p.commercial_partner_id, pay.company_id, -pay.id, pay.date,
                   -pay.amount_company_currency_signed, t.today, t.tolerance
              FROM account_payment pay
              JOIN %(today_table)s ON t.company_id = pay.company_id
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE pay.move_id IS NULL AND pay.state = 'in_process' AND pay.partner_type = 'customer'
               AND NOT EXISTS (SELECT 1 FROM account_move__account_payment mp WHERE mp.payment_id = pay.id)
               %(pay_scope)s
            """,
            today_table=today_table,
            settled=SETTLED_PAYMENT_STATES,
            line_scope=line_scope,
            pay_scope=pay_scope,
        )

    @api.model
    def _aged_sql(self, today_table, commercial_ids=None):
        """Per (partner_id, company_id): receivable, the four overdue buckets
        net of open credits (oldest first), overdue_total, max_days_overdue,
        and overdue_beyond / oldest_beyond: the same beyond the company's
        tolerance (``t.tolerance`` days, for the credit gate)."""
        return SQL(
            """
            WITH items AS (%(items)s),
            running AS (
                -- per open item: the customer's receivable and open credits, and
                -- the running total of its overdue items, oldest first
                SELECT partner_id, company_id, amount, today - due AS days, tolerance,
                       SUM(amount) OVER customer AS receivable,
                       -COALESCE(SUM(amount) FILTER (WHERE amount < 0) OVER customer, 0) AS credits,
                       SUM(amount) FILTER (WHERE amount > 0 AND due < today) OVER oldest_first
                           AS running_overdue
                  FROM items
                WINDOW customer AS (PARTITION BY partner_id, company_id),
                       oldest_first AS (PARTITION BY partner_id, company_id ORDER BY due, item_id)
            ),
            netted AS (
                SELECT partner_id, company_id, receivable, days, tolerance,
                       CASE WHEN amount > 0 AND days > 0
                            THEN GREATEST(0, LEAST(amount, running_overdue - credits)) ELSE 0 END AS due
                  FROM running
            )
            SELECT partner_id, company_id, MAX(receivable) AS receivable,
                   COALESCE(SUM(due) FILTER (WHERE days BETWEEN 1 AND 30), 0) AS overdue_30,
                   COALESCE(SUM(due) FILTER (WHERE days BETWEEN 31 AND 60), 0) AS overdue_60,
                   COALESCE(SUM(due) FILTER (WHERE days BETWEEN 61 AND 90), 0) AS overdue_90,
                   COALESCE(SUM(due) FILTER (WHERE days > 90), 0) AS overdue_over_90,
                   SUM(due) AS overdue_total,
                   COALESCE(MAX(days) FILTER (WHERE due > 0), 0) AS max_days_overdue,
                   COALESCE(SUM(due) FILTER (WHERE days > tolerance), 0) AS overdue_beyond,
                   COALESCE(MAX(days) FILTER (WHERE due > 0 AND days > tolerance), 0) AS oldest_beyond
              FROM netted
          GROUP BY 1, 2
            """,
            items=self._open_items_sql(today_table, commercial_ids),
        )

    @api.model
    def _invoiced_sql(self, today_table, commercial_ids=None):
        """Per (partner_id, company_id): invoiced_total, invoiced_12m (untaxed,
        credit notes deducted), invoice_count_12m, first_invoice_date,
        last_invoice_date."""
        scope = (
            SQL("AND m.commercial_partner_id = ANY(%s)", commercial_ids)
            if commercial_ids is not None
            else SQL()
        )
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id, m.company_id,
                   SUM(m.amount_untaxed_signed) AS invoiced_total,
                   COALESCE(SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date > t.year_ago), 0)
                       AS invoiced_12m,
                   COUNT(*) FILTER (WHERE m.invoice_date > t.year_ago AND m.move_type = 'out_invoice')
                       AS invoice_count_12m,
                   MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_invoice_date,
                   MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_invoice_date
              FROM account_move m
              JOIN %(today_table)s ON t.company_id = m.company_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund') %(scope)s
          GROUP BY 1, 2
            """,
            today_table=today_table,
            scope=scope,
        )

    @api.model
    def _days_to_pay_sql(self, today_table, commercial_ids=None):
        """Per (partner_id, company_id): avg_days_to_pay of the invoices of the
        last 365 days that are settled: from the invoice date to the last
        reconciliation of its receivable item, or to the last registered payment
        (payments without journal entry are only matched to the invoice)."""
        scope = (
            SQL("AND m.commercial_partner_id = ANY(%s)", commercial_ids)
            if commercial_ids is not None
            else SQL()
        )
        return SQL(
            """
            WITH settled AS (
                SELECT m.id, m.commercial_partner_id, m.company_id, m.invoice_date
                  FROM account_move m
                  JOIN %(today_table)s ON t.company_id = m.company_id
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.payment_state IN ('paid', 'in_payment')
                   AND m.invoice_date > t.year_ago %(scope)s
            ), reconciled AS (
                SELECT s.id, MAX(apr.max_date) AS paid_date
                  FROM settled s
                  JOIN account_move_line l ON l.move_id = s.id AND l.reconciled
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
              GROUP BY 1
            ), registered AS (
                SELECT s.id, MAX(pay.date) AS paid_date
                  FROM settled s
                  JOIN account_move__account_payment mp ON mp.invoice_id = s.id
                  JOIN account_payment pay ON pay.id = mp.payment_id AND pay.state IN ('in_process', 'paid')
              GROUP BY 1
            )
            SELECT s.commercial_partner_id AS partner_id, s.company_id,
                   AVG(GREATEST(COALESCE(GREATEST(r.paid_date, g.paid_date), s.invoice_date)
                                - s.invoice_date, 0)) AS avg_days_to_pay
              FROM settled s
              LEFT JOIN reconciled r ON r.id = s.id
              LEFT JOIN registered g ON g.id = s.id
          GROUP BY 1, 2
            """,
            today_table=today_table,
            scope=scope,
        )

    @api.model
    def _invoice_due_sql(self, alias):
        """What is still due on invoice ``alias`` (account_move), signed, in
        company currency: 0 once Odoo shows it Paid / In Payment / Reversed."""
        return SQL(
            "CASE WHEN %(state)s IN %(settled)s THEN 0 ELSE %(residual)s END",
            state=SQL.identifier(alias, "payment_state"),
            settled=SETTLED_PAYMENT_STATES,
            residual=SQL.identifier(alias, "amount_residual_signed"),
        )

    # ------------------------------------------------------------------
    # PYTHON API
    # ------------------------------------------------------------------
    @api.model
    def _customer_balances(self, partners, company, today=None, tolerance=0, extra=None):
        """Receivable and overdue of the commercial ``partners`` in ``company``
        (one query whatever their number).

        :param extra: optional SQL of ``(partner_id, <more columns>)`` rows
            joined to the result in the same query (e.g. the gate's
            uninvoiced orders); its columns are added to each partner's dict
        :return: {commercial partner id: {figure: value}} for :data:`AGED_FIGURES`
        """
        commercial_ids = partners.commercial_partner_id.ids
        result = {pid: dict.fromkeys(AGED_FIGURES, 0) for pid in commercial_ids}
        if not commercial_ids:
            return result
        self.env.flush_all()
        today_table = self._today_table(
            self._company_today(company, today), {company.id: tolerance}
        )
        aged = self._aged_sql(today_table, commercial_ids)
        if extra is None:
            query = SQL("SELECT * FROM (%s) aged WHERE company_id = %s", aged, company.id)
        else:
            query = SQL(
                """
                SELECT aged.*, extra.*, COALESCE(aged.partner_id, extra.partner_id) AS partner_id
                  FROM (SELECT * FROM (%s) a WHERE company_id = %s) aged
                  FULL JOIN (%s) extra ON extra.partner_id = aged.partner_id
                """,
                aged,
                company.id,
                extra,
            )
        for row in self.env.execute_query_dict(query):
            if row["partner_id"] in result:
                result[row["partner_id"]].update(
                    {name: value or 0 for name, value in row.items() if name != "company_id"}
                )
        return result
