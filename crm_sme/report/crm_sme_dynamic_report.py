# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools.misc import formatLang


class ReportCrmSmeDynamicReport(models.AbstractModel):
    """QWeb PDF of the customer dynamic analysis: the sections as formatted tables."""

    _name = "report.crm_sme.crm_sme_dynamic_report_document"
    _description = "Customer Dynamic Analysis PDF"

    PDF_ROWS = 50  # rows per section in the PDF; the xlsx holds them all

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["crm.sme.dynamic.report"].browse(docids)
        given = (data or {}).get("crm_sme_sections") or {}
        tables = {}
        for report in reports:
            sections = given.get(report.id) or given.get(str(report.id)) or report._sections()
            tables[report.id] = [self._format_section(report, s) for s in sections]
        return {
            "doc_ids": docids,
            "doc_model": "crm.sme.dynamic.report",
            "docs": reports,
            "tables": tables,
        }

    def _format_cell(self, report, value, kind):
        if value is None or value is False:
            return ""
        if kind == "money":
            return formatLang(self.env, value, currency_obj=report.company_id.currency_id)
        if kind == "percent":
            return formatLang(self.env, value * 100, digits=1) + " %"
        if kind == "int" or (kind == "float" and isinstance(value, int)):
            return formatLang(self.env, value, digits=0)
        if kind == "float":
            return formatLang(self.env, value, digits=2 if abs(value) < 100 else 0)
        return str(value)

    def _format_section(self, report, section):
        kinds = [kind for _label, kind in section["columns"]]
        rows = section["rows"]
        return {
            "title": section["title"],
            "key": section["key"],
            "columns": [
                {"label": label, "numeric": kind != "text"} for label, kind in section["columns"]
            ],
            "rows": [
                [self._format_cell(report, v, k) for v, k in zip(row, kinds, strict=True)]
                for row in rows[: self.PDF_ROWS]
            ],
            "more": len(rows) > self.PDF_ROWS
            and _(
                "... and %(count)s more rows in the Excel file.",
                count=len(rows) - self.PDF_ROWS,
            ),
            "totals": section["totals"]
            and [
                self._format_cell(report, v, k)
                for v, k in zip(section["totals"], kinds, strict=True)
            ],
        }
