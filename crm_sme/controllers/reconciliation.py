# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReconciliationController(http.Controller):
    @http.route("/crm_sme/reconciliation/xlsx", type="http", auth="user", methods=["GET"])
    def reconciliation_xlsx(
        self, domain="[]", groupby="", date_from=None, date_to=None, partner_id=None, **kwargs
    ):
        """The reconciliation rows the user reads (record rules apply: the
        search runs as the user) for the list's domain, as xlsx."""
        report = request.env["crm.sme.reconciliation"]
        try:
            report.check_access("read")
            groups = [name for name in groupby.split(",") if name]
            try:
                parsed = json.loads(domain)
            except ValueError as error:
                raise UserError(_("Invalid filter: %(error)s", error=error)) from error
            checked = report._crm_sme_export_domain(
                parsed, date_from=date_from, date_to=date_to, partner_id=partner_id, groupby=groups
            )
            content = report._crm_sme_xlsx(checked, groupby=groups)
        except (UserError, AccessError) as error:
            return request.make_response(
                str(error.args[0]),
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=400,
            )
        filename = _("Reconciliation %(date)s.xlsx", date=fields.Date.context_today(report))
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
