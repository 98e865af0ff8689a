# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..jobs import run_isolated
from ..tools.xlsx import Column, Sheet, workbook_bytes

_logger = logging.getLogger(__name__)

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
    ("custom", "Custom"),
]
PERIOD_LENGTH = {"month": 1, "quarter": 3, "year": 12}


def _default_date_from(self):
    return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)


class CrmSmeDynamicReport(models.Model):
    """The periodic customer dynamic analysis report of a company.

    A record is one run (company, period, who asked): generating it renders
    the PDF and the xlsx and keeps them on the record, so the company's
    reports stay listed and each file is read under the report's own access
    rules (a team leader's report holds their teams' customers only, so the
    files are not attached to ``res.company``, which every user reads).
    """

    _name = "crm.sme.dynamic.report"
    _description = "Customer Dynamic Analysis Report"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month")
    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(
        string="To",
        compute="_compute_date_to",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    pdf_file = fields.Binary(string="PDF", attachment=True, readonly=True, copy=False)
    pdf_filename = fields.Char(compute="_compute_filenames")
    xlsx_file = fields.Binary(string="Excel", attachment=True, readonly=True, copy=False)
    xlsx_filename = fields.Char(compute="_compute_filenames")
    date_generated = fields.Datetime(string="Generated On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("company_id", "date_from", "date_to", "period_type")
    def _compute_name(self):
        for report in self:
            report.name = _(
                "Customer Dynamic Analysis %(company)s %(period)s",
                company=report.company_id.name or "",
                period=report._period_label(),
            )

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for report in self:
            months = PERIOD_LENGTH.get(report.period_type)
            if months and report.date_from:
                report.date_to = report.date_from + relativedelta(months=months, days=-1)
            elif not report.date_to:
                report.date_to = report.date_from

    @api.depends("name")
    def _compute_filenames(self):
        for report in self:
            base = (report.name or "report").replace("/", "-")
            report.pdf_filename = f"{base}.pdf"
            report.xlsx_filename = f"{base}.xlsx"

    def _period_label(self):
        self.ensure_one()
        start, end = self.date_from, self.date_to
        if not start or not end:
            return ""
        if self.period_type == "month" and start.day == 1:
            return start.strftime("%Y-%m")
        if self.period_type == "quarter" and start.day == 1 and start.month % 3 == 1:
            return f"{start.year} Q{(start.month - 1) // 3 + 1}"
        if self.period_type == "year" and start.day == 1 and start.month == 1:
            return str(start.year)
        return f"{start} - {end}"

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        failing = self.filtered(lambda r: r.date_to < r.date_from)
        if failing:
            raise ValidationError(
                _(
                    "The period of the customer dynamic analysis ends before it starts: "
                    "%(periods)s.",
                    periods=", ".join(f"{r.date_from} > {r.date_to}" for r in failing),
                )
            )

    @api.constrains("company_id", "user_id")
    def _check_company_of_user(self):
        failing = self.filtered(lambda r: r.company_id not in r.user_id.company_ids)
        if failing:
            raise ValidationError(
                _(
                    "You can only run the customer dynamic analysis of your own companies "
                    "(not of %(companies)s).",
                    companies=", ".join(failing.company_id.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        companies = self.env.user.company_ids
        for vals in vals_list:
            company_id = vals.get("company_id")
            if company_id and company_id not in companies.ids:
                raise UserError(
                    _("You can only run the customer dynamic analysis of your own companies.")
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_generate(self):
        """Render the PDF and the xlsx and keep them on the report."""
        for report in self:
            report._generate_files()
        return True

    def action_download_pdf(self):
        return self._download_action("pdf_file", "pdf_filename")

    def action_download_xlsx(self):
        return self._download_action("xlsx_file", "xlsx_filename")

    def _download_action(self, field, filename_field):
        self.ensure_one()
        if not self[field]:
            self._generate_files()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/{field}/{self[filename_field]}"
            "?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _sections(self):
        self.ensure_one()
        company = self.company_id
        data = self.env["crm.sme.dynamic.report.data"].with_company(company)
        return data._dynamic_sections(company, self.date_from, self.date_to)

    def _generate_files(self):
        self.ensure_one()
        sections = self._sections()
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_company(self.company_id)
            ._render_qweb_pdf(
                "crm_sme.crm_sme_dynamic_report_action_pdf",
                self.ids,
                data={"crm_sme_sections": {self.id: sections}},
            )
        )
        xlsx = self._xlsx_bytes(sections)
        self.write(
            {
                "pdf_file": base64.b64encode(pdf),
                "xlsx_file": base64.b64encode(xlsx),
                "date_generated": fields.Datetime.now(),
            }
        )

    def _xlsx_bytes(self, sections):
        self.ensure_one()
        header = [
            self.name,
            _(
                "Company: %(company)s, from %(date_from)s to %(date_to)s",
                company=self.company_id.name,
                date_from=self.date_from,
                date_to=self.date_to,
            ),
        ]
        sheets = [
            Sheet(
                title=section["title"],
                columns=[Column(label, kind) for label, kind in section["columns"]],
                rows=section["rows"],
                totals=section["totals"],
                header_lines=header,
            )
            for section in sections
        ]
        return workbook_bytes(sheets)

    @api.model
    def _cron_send_monthly(self):
        """Last month's report by email to the managers and team leaders who asked for it."""
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("crm_sme_dynamic_report_monthly", "=", True),
                    ("share", "=", False),
                    ("groups_id", "in", self.env.ref("crm_sme.group_crm_sme_team_leader").ids),
                ]
            )
        )
        run_isolated(users, self._send_monthly_to, "Customer dynamic analysis: monthly email")

    @api.model
    def _send_monthly_to(self, users):
        template = self.env.ref("crm_sme.mail_template_crm_sme_dynamic_report")
        for user in users:
            env_user = self.with_user(user).with_context(lang=user.lang or "en_US")
            date_from = _default_date_from(env_user)
            for company in user.company_ids:
                report = env_user.with_company(company).create(
                    {"company_id": company.id, "period_type": "month", "date_from": date_from}
                )
                report._generate_files()
                attachments = (
                    self.env["ir.attachment"]
                    .sudo()
                    .search(
                        [
                            ("res_model", "=", self._name),
                            ("res_id", "=", report.id),
                            ("res_field", "in", ("pdf_file", "xlsx_file")),
                        ]
                    )
                )
                mail_attachments = [
                    self.env["ir.attachment"]
                    .sudo()
                    .create(
                        {
                            "name": report[f"{att.res_field.split('_')[0]}_filename"],
                            "datas": att.datas,
                            "res_model": self._name,
                            "res_id": report.id,
                        }
                    )
                    .id
                    for att in attachments
                ]
                template.sudo().send_mail(
                    report.id,
                    email_values={"attachment_ids": [(6, 0, mail_attachments)]},
                )
