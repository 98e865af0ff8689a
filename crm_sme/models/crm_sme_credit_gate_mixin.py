# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, models
from odoo.tools import SQL, format_amount

# What confirmed orders of a batch of commercial partners still have to invoice
# in one company (taxes included, company currency, like Odoo's credit_to_invoice).
TO_INVOICE_QUERY = """
    SELECT partner.commercial_partner_id AS partner_id,
           SUM(sol.untaxed_amount_to_invoice
               * CASE WHEN sol.price_subtotal <> 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
               / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS to_invoice
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner partner ON partner.id = so.partner_id
     WHERE so.state = 'sale'
       AND so.company_id = %(company_id)s
       AND sol.untaxed_amount_to_invoice > 0
       AND partner.commercial_partner_id = ANY(%(partner_ids)s::int[])
     GROUP BY partner.commercial_partner_id
"""


class CrmSmeCreditGateMixin(models.AbstractModel):
    """The credit / overdue gate of a customer, for documents that commit the
    customer to more (sale orders, opportunities): the customer's receivable
    and overdue (crm.sme.money, the same figures as the customer file), what
    its confirmed orders still have to invoice, and its credit limit, against
    the company's gate settings.

    A document says who the customer is (:meth:`_crm_sme_gate_partner`), in
    which company (:meth:`_crm_sme_gate_company`) and for how much
    (:meth:`_crm_sme_gate_amount`, company currency)."""

    _name = "crm.sme.credit.gate.mixin"
    _description = "Customer Credit Gate"

    # ------------------------------------------------------------
    # DOCUMENT HOOKS
    # ------------------------------------------------------------

    def _crm_sme_gate_partner(self):
        self.ensure_one()
        return self.partner_id

    def _crm_sme_gate_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _crm_sme_gate_amount(self):
        self.ensure_one()
        return 0.0

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _crm_sme_credit_exposure(self, partners, company):
        """Credit position of commercial ``partners`` in ``company``, set-based
        (two queries whatever the number of partners).

        :return: {partner_id: {"receivable", "to_invoice", "credit_limit",
                               "overdue_amount", "overdue_days"}}
        """
        partners = partners.commercial_partner_id
        if not partners:
            return {}
        tolerance = company.crm_sme_overdue_days or 0
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model()
        balances = self.env["crm.sme.money"]._customer_balances(
            partners,
            company,
            tolerance=tolerance,
            extra=SQL(TO_INVOICE_QUERY, company_id=company.id, partner_ids=partners.ids),
        )
        result = {}
        for partner in partners:
            figures = balances[partner.id]
            result[partner.id] = {
                "receivable": figures["receivable"],
                "to_invoice": figures.get("to_invoice") or 0.0,
                "credit_limit": 0.0,
                # a tolerance of 0 days disables the overdue check
                "overdue_amount": figures["overdue_beyond"] if tolerance else 0.0,
                "overdue_days": figures["oldest_beyond"] if tolerance else 0,
            }
        if company.account_use_credit_limit:
            # company-dependent limit (partner's own or the company default): accounting field
            partners_sudo = partners.with_company(company).sudo()
            for partner_sudo in partners_sudo:
                result[partner_sudo.id]["credit_limit"] = partner_sudo.credit_limit
        return result

    @api.model
    def _crm_sme_credit_issues(self, exposure, amount, company, partner, show_figures=True):
        """Human-readable reasons why a new document of ``amount`` for ``partner``
        trips the gate (empty list when it does not). Without ``show_figures``
        (a user who cannot read the customer) the reasons name no figure."""
        if not exposure:
            return []
        issues = []
        currency = company.currency_id
        total = exposure["receivable"] + exposure["to_invoice"] + (amount or 0.0)
        limit = exposure["credit_limit"]
        over_limit = limit and currency.compare_amounts(total, limit) > 0
        overdue = currency.compare_amounts(exposure["overdue_amount"], 0) > 0
        if not show_figures:
            if over_limit or overdue:
                issues.append(
                    _(
                        "The customer's credit position (credit limit or overdue invoices) "
                        "trips the credit gate; ask a sales manager."
                    )
                )
            return issues
        if over_limit:
            issues.append(
                _(
                    "%(partner)s would owe %(total)s (receivable %(receivable)s + uninvoiced orders "
                    "%(to_invoice)s + this document %(amount)s), over its credit limit of %(limit)s.",
                    partner=partner.display_name,
                    total=format_amount(self.env, total, currency),
                    receivable=format_amount(self.env, exposure["receivable"], currency),
                    to_invoice=format_amount(self.env, exposure["to_invoice"], currency),
                    amount=format_amount(self.env, amount or 0.0, currency),
                    limit=format_amount(self.env, limit, currency),
                )
            )
        if overdue:
            issues.append(
                _(
                    "%(partner)s has %(amount)s of invoices overdue by more than %(days)s days "
                    "(oldest: %(oldest)s days).",
                    partner=partner.display_name,
                    amount=format_amount(self.env, exposure["overdue_amount"], currency),
                    days=company.crm_sme_overdue_days,
                    oldest=exposure["overdue_days"],
                )
            )
        return issues

    def _crm_sme_credit_gate_issues(self, hide_unreadable=False):
        """{document: [messages]} for the documents that trip their company's
        gate. With ``hide_unreadable``, the messages name no figure of a
        customer the current user cannot read (computes run as superuser)."""
        result = {}
        by_company = defaultdict(lambda: self.browse())
        for record in self:
            if (
                record._crm_sme_gate_partner()
                and record._crm_sme_gate_company().crm_sme_credit_gate != "none"
            ):
                by_company[record._crm_sme_gate_company()] |= record
        if not by_company:
            return result
        customers = self.env["res.partner"].union(
            *(record._crm_sme_gate_partner().commercial_partner_id for record in self)
        )
        readable = customers
        if hide_unreadable:
            readable = customers.with_env(self.env(su=False))._filtered_access("read")
        for company, records in by_company.items():
            exposure = self._crm_sme_credit_exposure(
                self.env["res.partner"].union(
                    *(record._crm_sme_gate_partner() for record in records)
                ),
                company,
            )
            for record in records:
                partner = record._crm_sme_gate_partner().commercial_partner_id
                issues = self._crm_sme_credit_issues(
                    exposure.get(partner.id),
                    record._crm_sme_gate_amount(),
                    company,
                    partner,
                    show_figures=partner in readable,
                )
                if issues:
                    result[record] = issues
        return result
