# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.xlsx import Column, Sheet, workbook_bytes
from .crm_sme_money import OVERDUE_BUCKETS, SETTLED_PAYMENT_STATES

ACCOUNTANT_GROUPS = ("account.group_account_invoice", "account.group_account_readonly")
# a statement covers at most this many years (a wrong year typed is refused,
# not turned into a scan of the whole ledger)
MAX_PERIOD_DAYS = 366 * 20
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 31)
KINDS = ("invoice", "credit_note", "payment", "other")


class CrmSmeStatement(models.AbstractModel):
    """Customer statement: per commercial customer, company and period, the
    receivable journal items (posted) and the payments registered without a
    journal entry, with the opening balance, a running balance, the closing
    balance and the ageing of the customer file (:class:`crm.sme.money`).

    The closing balance at today is the customer file's *receivable*: a
    payment registered without a journal entry is a payment line of the
    statement while it settles an invoice (Odoo shows it *In Payment*) or is
    matched to no invoice, as in crm.sme.money; once the bank statement is
    reconciled, the bank entry takes its place.
    """

    _name = "crm.sme.statement"
    _description = "Customer Statement"

    # ------------------------------------------------------------------
    # INPUT AND ACCESS
    # ------------------------------------------------------------------
    @api.model
    def _default_period(self, company=None):
        today = self.env["crm.sme.money"]._company_today(company or self.env.company)[
            (company or self.env.company).id
        ]
        return today.replace(month=1, day=1), today

    @api.model
    def _check_period(self, date_from, date_to):
        """Both dates as ``date``; UserError on anything else."""
        try:
            date_from = fields.Date.to_date(date_from) if date_from else None
            date_to = fields.Date.to_date(date_to) if date_to else None
        except (TypeError, ValueError) as exc:
            raise UserError(_("Give the period as two dates (YYYY-MM-DD).")) from exc
        if not date_from or not date_to:
            raise UserError(_("Give the start and the end of the statement period."))
        if not (MIN_DATE <= date_from <= MAX_DATE and MIN_DATE <= date_to <= MAX_DATE):
            raise UserError(_("The statement period must lie between 1900 and 9999."))
        if date_to < date_from:
            raise UserError(_("The end of the statement period is before its start."))
        if (date_to - date_from).days > MAX_PERIOD_DAYS:
            raise UserError(_("A statement covers at most 20 years."))
        return date_from, date_to

    @api.model
    def _check_customers(self, partners, company=None):
        """The commercial customers of ``partners`` if the user may have their
        statement in ``company`` (default: the current company): accountants
        any customer of their company, other internal users the customers
        they can read; portal users go through the portal only."""
        company = company or self.env.company
        if company not in self.env.user.company_ids and not self.env.su:
            raise AccessError(
                _(
                    "You have no access to the company %(company)s.",
                    company=company.sudo().display_name,
                )
            )
        if not partners:
            raise UserError(_("Choose the customer(s) of the statement."))
        ids = [pid for pid in partners.ids if isinstance(pid, int)]
        if len(ids) != len(partners.ids):
            raise UserError(_("Save the customer before printing its statement."))
        if not all(0 < pid < 2**31 for pid in ids):
            raise UserError(_("A customer of the statement no longer exists."))
        partners_sudo = self.env["res.partner"].sudo().browse(ids).exists()
        if len(partners_sudo) != len(set(ids)):
            raise UserError(_("A customer of the statement no longer exists."))
        if not self.env.su:
            user = self.env.user
            if user.share:
                raise AccessError(_("Customers find their statement on the portal."))
            if not any(user.has_group(group) for group in ACCOUNTANT_GROUPS):
                self.env["res.partner"]._crm_sme_check_linkable(
                    (partners_sudo | partners_sudo.commercial_partner_id).ids
                )
        commercials = partners_sudo.commercial_partner_id
        other = commercials.filtered(lambda p: p.company_id and p.company_id != company)
        if other:
            raise UserError(
                _(
                    "%(customer)s is a customer of another company: switch to that company "
                    "to print its statement.",
                    customer=other[0].display_name,
                )
            )
        return commercials

    # ------------------------------------------------------------------
    # FIGURES (set-based)
    # ------------------------------------------------------------------
    @api.model
    def _items_sql(self, commercial_ids, company, date_to):
        """Statement items up to ``date_to``: (partner_id, date, seq, kind,
        ref, label, due, amount, amount_currency, currency_id)."""
        members = self.env["crm.sme.money"]._members_sql(commercial_ids)
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.date, 0 AS src, l.id AS seq,
                   CASE WHEN m.move_type IN ('out_invoice', 'out_receipt') THEN 'invoice'
                        WHEN m.move_type = 'out_refund' THEN 'credit_note'
                        WHEN m.origin_payment_id IS NOT NULL OR m.statement_line_id IS NOT NULL
                             OR j.type IN ('bank', 'cash') THEN 'payment'
                        ELSE 'other' END AS kind,
                   m.name AS ref, COALESCE(NULLIF(m.ref, ''), NULLIF(l.name, ''), '') AS label,
                   l.date_maturity AS due, l.balance AS amount,
                   l.amount_currency, l.currency_id
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              JOIN account_move m ON m.id = l.move_id
              JOIN account_journal j ON j.id = l.journal_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
               AND l.partner_id IN %(members)s AND l.date <= %(date_to)s
            UNION ALL
            -- payments registered without a journal entry (crm.sme.money)
            SELECT p.commercial_partner_id, pay.date, 1, pay.id, 'payment',
                   pay.name, COALESCE(pay.memo, ''), NULL, -pay.amount_company_currency_signed,
                   CASE WHEN pay.payment_type = 'inbound' THEN -pay.amount ELSE pay.amount END,
                   pay.currency_id
              FROM account_payment pay
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE pay.company_id = %(company)s AND pay.move_id IS NULL
               AND pay.state = 'in_process' AND pay.partner_type = 'customer'
               AND pay.partner_id IN %(members)s AND pay.date <= %(date_to)s
               AND (NOT EXISTS (SELECT 1 FROM account_move__account_payment mp
                                 WHERE mp.payment_id = pay.id)
                    OR EXISTS (SELECT 1 FROM account_move__account_payment mp
                                 JOIN account_move im ON im.id = mp.invoice_id
                                WHERE mp.payment_id = pay.id
                                  AND im.payment_state IN %(settled)s))
            """,
            company=company.id,
            members=members,
            date_to=date_to,
            settled=SETTLED_PAYMENT_STATES,
        )

    @api.model
    def _statements(self, partners, date_from, date_to, company=None, today=None):
        """{commercial partner id: statement dict} for the (already checked)
        commercial ``partners``: two queries whatever their number."""
        company = company or self.env.company
        date_from, date_to = self._check_period(date_from, date_to)
        commercial_ids = partners.commercial_partner_id.ids
        if not commercial_ids:
            return {}
        self.env.flush_all()
        items = self._items_sql(commercial_ids, company, date_to)
        totals = self.env.execute_query_dict(
            SQL(
                """
                SELECT partner_id,
                       COALESCE(SUM(amount) FILTER (WHERE date < %(from)s), 0) AS opening,
                       COALESCE(SUM(amount) FILTER (WHERE date >= %(from)s AND kind = 'invoice'), 0)
                           AS invoice,
                       COALESCE(SUM(amount) FILTER (WHERE date >= %(from)s AND kind = 'credit_note'), 0)
                           AS credit_note,
                       COALESCE(SUM(amount) FILTER (WHERE date >= %(from)s AND kind = 'payment'), 0)
                           AS payment,
                       COALESCE(SUM(amount) FILTER (WHERE date >= %(from)s AND kind = 'other'), 0)
                           AS other,
                       COALESCE(SUM(amount), 0) AS closing
                  FROM (%(items)s) items
              GROUP BY partner_id
                """,
                items=items,
                **{"from": date_from},
            )
        )
        lines = self.env.execute_query_dict(
            SQL(
                """
                SELECT * FROM (
                    SELECT items.*, SUM(amount) OVER (PARTITION BY partner_id
                                                     ORDER BY date, src, seq) AS balance
                      FROM (%(items)s) items
                ) running
                 WHERE date >= %(from)s
              ORDER BY partner_id, date, src, seq
                """,
                items=items,
                **{"from": date_from},
            )
        )
        aged = self.env["crm.sme.money"]._customer_balances(partners, company, today=today)
        today = self.env["crm.sme.money"]._company_today(company, today)[company.id]
        currency = company.currency_id
        currencies = {
            c.id: c
            for c in self.env["res.currency"]
            .sudo()
            .browse({r["currency_id"] for r in lines if r["currency_id"]})
        }
        result = {}
        for partner in partners.commercial_partner_id.sudo():
            figures = aged.get(partner.id) or dict.fromkeys(OVERDUE_BUCKETS, 0)
            result[partner.id] = {
                "partner": partner,
                "company": company,
                "currency": currency,
                "date_from": date_from,
                "date_to": date_to,
                "today": today,
                "opening": 0.0,
                "closing": 0.0,
                **dict.fromkeys(KINDS, 0.0),
                "lines": [],
                "ageing": {
                    "receivable": figures.get("receivable") or 0.0,
                    "not_due": (figures.get("receivable") or 0.0)
                    - (figures.get("overdue_total") or 0.0),
                    **{bucket: figures.get(bucket) or 0.0 for bucket in OVERDUE_BUCKETS},
                    "overdue_total": figures.get("overdue_total") or 0.0,
                },
            }
        for row in totals:
            statement = result.get(row["partner_id"])
            if statement:
                statement.update({k: v for k, v in row.items() if k != "partner_id"})
        for row in lines:
            statement = result.get(row["partner_id"])
            if not statement:
                continue
            line_currency = currencies.get(row["currency_id"])
            row["document_currency"] = (
                line_currency if line_currency and line_currency != currency else False
            )
            row["debit"] = row["amount"] if row["amount"] > 0 else 0.0
            row["credit"] = -row["amount"] if row["amount"] < 0 else 0.0
            statement["lines"].append(row)
        return result

    # ------------------------------------------------------------------
    # OUTPUTS
    # ------------------------------------------------------------------
    @api.model
    def _kind_labels(self):
        return {
            "invoice": _("Invoice"),
            "credit_note": _("Credit Note"),
            "payment": _("Payment"),
            "other": _("Other"),
        }

    @api.model
    def _xlsx(self, statements):
        """xlsx bytes, one sheet per customer (constant memory)."""
        labels = self._kind_labels()
        columns = [
            Column(_("Date"), "date", 12),
            Column(_("Type"), "text", 12),
            Column(_("Reference"), "text", 20),
            Column(_("Description"), "text", 30),
            Column(_("Due Date"), "date", 12),
            Column(_("Debit"), "money", 14),
            Column(_("Credit"), "money", 14),
            Column(_("Balance"), "money", 14),
            Column(_("Document Currency"), "text", 10),
            Column(_("Amount in Document Currency"), "money", 16),
        ]

        opening_label = _("Opening Balance")

        def rows(statement):
            yield (
                statement["date_from"],
                opening_label,
                None,
                None,
                None,
                None,
                None,
                statement["opening"],
                None,
                None,
            )
            for line in statement["lines"]:
                doc_currency = line["document_currency"]
                yield (
                    line["date"],
                    labels[line["kind"]],
                    line["ref"],
                    line["label"],
                    line["due"],
                    line["debit"] or None,
                    line["credit"] or None,
                    line["balance"],
                    doc_currency.name if doc_currency else None,
                    line["amount_currency"] if doc_currency else None,
                )

        sheets = []
        for statement in statements.values():
            ageing = statement["ageing"]
            debit = sum(line["debit"] for line in statement["lines"])
            credit = sum(line["credit"] for line in statement["lines"])
            sheets.append(
                Sheet(
                    statement["partner"].name,
                    columns,
                    rows(statement),
                    totals=(
                        statement["date_to"],
                        _("Closing Balance"),
                        None,
                        None,
                        None,
                        debit,
                        credit,
                        statement["closing"],
                        None,
                        None,
                    ),
                    header_lines=[
                        _(
                            "Statement of %(customer)s, %(date_from)s to %(date_to)s (%(currency)s)",
                            customer=statement["partner"].name,
                            date_from=statement["date_from"],
                            date_to=statement["date_to"],
                            currency=statement["currency"].name,
                        ),
                        _(
                            "Ageing on %(today)s: not due %(not_due)s, 1-30 d %(d30)s, "
                            "31-60 d %(d60)s, 61-90 d %(d90)s, > 90 d %(d90plus)s, "
                            "open receivable %(receivable)s",
                            today=statement["today"],
                            not_due=format(ageing["not_due"], ",.2f"),
                            d30=format(ageing["overdue_30"], ",.2f"),
                            d60=format(ageing["overdue_60"], ",.2f"),
                            d90=format(ageing["overdue_90"], ",.2f"),
                            d90plus=format(ageing["overdue_over_90"], ",.2f"),
                            receivable=format(ageing["receivable"], ",.2f"),
                        ),
                    ],
                )
            )
        return workbook_bytes(sheets)
