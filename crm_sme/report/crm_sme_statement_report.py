# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError

PERIOD_KEYS = ("crm_sme_statement_date_from", "crm_sme_statement_date_to")


class ReportCustomerStatement(models.AbstractModel):
    """The customer statement PDF (one statement per customer). The period is
    given by the report data (wizard, portal) or the context (email from the
    customer form); by default the current year to today."""

    _name = "report.crm_sme.report_customer_statement"
    _description = "Customer Statement (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        context = self.env.context
        company = self.env.company
        if data.get("company_id"):
            company_id = data["company_id"]
            if not isinstance(company_id, int) or isinstance(company_id, bool):
                raise UserError(_("Give the company of the statement by its id."))
            company = self.env["res.company"].browse(company_id)
        date_from, date_to = self.env["crm.sme.statement"]._default_period(company)
        date_from = data.get("date_from") or context.get(PERIOD_KEYS[0]) or date_from
        date_to = data.get("date_to") or context.get(PERIOD_KEYS[1]) or date_to
        Statement = self.env["crm.sme.statement"]
        # the web client sends no docids with report data: the wizard puts them there
        docids = docids or data.get("partner_ids") or []
        if not isinstance(docids, list | tuple) or not all(
            isinstance(pid, int) and not isinstance(pid, bool) for pid in docids
        ):
            raise UserError(_("Choose the customer(s) of the statement."))
        partners = Statement._check_customers(self.env["res.partner"].browse(docids), company)
        statements = Statement._statements(partners, date_from, date_to, company=company)
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners.sudo(),
            "statements": statements,
            "kind_labels": Statement._kind_labels(),
            "company": company,
        }
