# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CustomerPortal

DATE_PARAM_MAX = 32


class StatementPortal(CustomerPortal):
    """The customer's own statement on the portal: their commercial partner
    only, the documents of their own company only."""

    def _crm_sme_statement_scope(self):
        """(commercial partner, company) of the logged-in user, sudo."""
        user = request.env.user
        return user.partner_id.commercial_partner_id.sudo(), user.company_id

    def _crm_sme_statement_period(self, kw):
        """The period asked for (default: this year to today), or a UserError."""
        Statement = request.env["crm.sme.statement"].sudo()
        date_from, date_to = Statement._default_period(request.env.user.company_id)
        raw_from = kw.get("date_from") or ""
        raw_to = kw.get("date_to") or ""
        if (
            not isinstance(raw_from, str)
            or not isinstance(raw_to, str)
            or max(len(raw_from), len(raw_to)) > DATE_PARAM_MAX
        ):
            raise UserError(_("Give the period as two dates (YYYY-MM-DD)."))
        return Statement._check_period(raw_from.strip() or date_from, raw_to.strip() or date_to)

    def _crm_sme_statement_check_partner(self, kw):
        partner, _company = self._crm_sme_statement_scope()
        asked = kw.get("partner_id")
        if asked and str(asked) != str(partner.id):
            raise request.not_found()

    @http.route(["/my/statement"], type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        self._crm_sme_statement_check_partner(kw)
        partner, company = self._crm_sme_statement_scope()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "crm_sme_statement", "error": False, "statement": False})
        status = 200
        try:
            date_from, date_to = self._crm_sme_statement_period(kw)
        except UserError as exc:
            values["error"] = exc.args[0]
            values["date_from"] = (
                kw.get("date_from") if isinstance(kw.get("date_from"), str) else ""
            )
            values["date_to"] = kw.get("date_to") if isinstance(kw.get("date_to"), str) else ""
            status = 400
        else:
            # sudo: portal users have no access to accounting; the statement
            # holds only their commercial partner's items of their company.
            Statement = request.env["crm.sme.statement"].sudo().with_company(company)
            statement = Statement._statements(partner, date_from, date_to, company=company)[
                partner.id
            ]
            values.update(
                {
                    "statement": statement,
                    "kind_labels": Statement._kind_labels(),
                    "date_from": str(date_from),
                    "date_to": str(date_to),
                }
            )
        response = request.render("crm_sme.portal_my_statement", values)
        response.status_code = status
        return response

    @http.route(["/my/statement/pdf"], type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, **kw):
        self._crm_sme_statement_check_partner(kw)
        partner, company = self._crm_sme_statement_scope()
        try:
            date_from, date_to = self._crm_sme_statement_period(kw)
        except UserError as exc:
            return request.make_response(
                exc.args[0], headers=[("Content-Type", "text/plain; charset=utf-8")], status=400
            )
        report = request.env["ir.actions.report"].sudo().with_company(company)
        pdf, _type = report.with_context(lang=partner.lang or request.env.lang)._render_qweb_pdf(
            "crm_sme.action_report_customer_statement",
            partner.ids,
            data={
                "date_from": str(date_from),
                "date_to": str(date_to),
                "company_id": company.id,
            },
        )
        filename = f"statement-{date_from}-{date_to}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
