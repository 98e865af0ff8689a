# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date as dt_date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..jobs import run_isolated

DATE_KINDS = [
    ("birthday", "Birthday"),
    ("anniversary", "Company Anniversary"),
    ("festival", "Festival"),
    ("other", "Other"),
]


class CrmSmeImportantDate(models.Model):
    """A yearly date of a customer or contact that deserves a care gesture."""

    _name = "crm.sme.important.date"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Important Date of a Contact"
    _order = "month, day, id"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, index=True, ondelete="cascade"
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    kind = fields.Selection(DATE_KINDS, required=True, default="other")
    name = fields.Char(string="Occasion", required=True, translate=False)
    date = fields.Date(required=True, help="The date; only month and day matter, every year.")
    month = fields.Integer(compute="_compute_month_day", store=True, index=True)
    day = fields.Integer(compute="_compute_month_day", store=True)
    last_reminder_year = fields.Integer(
        readonly=True,
        copy=False,
        help="Year of the last care activity created for this date (no duplicates).",
    )

    @api.depends("date")
    def _compute_month_day(self):
        for record in self:
            record.month = record.date.month if record.date else 0
            record.day = record.date.day if record.date else 0

    @api.constrains("partner_id", "date")
    def _check_date(self):
        failing = self.filtered(
            lambda r: r.date and r.date > fields.Date.context_today(r) + timedelta(days=3660)
        )
        if failing:
            raise ValidationError(
                _(
                    "An important date cannot be ten years ahead: %(names)s",
                    names=", ".join(failing.mapped("name")),
                )
            )

    @api.model
    def _next_occurrence(self, month, day, today):
        for year in (today.year, today.year + 1):
            try:
                candidate = dt_date(year, month, day)
            except ValueError:  # 29 February in a common year
                candidate = dt_date(year, 2, 28)
            if candidate >= today:
                return candidate
        return None

    @api.model
    def _sync_birthdays(self):
        """Birthdays kept on contacts (res.partner.birthday) become important
        dates, kept in sync; one search each side, batched creates.

        A contact whose birthday cannot be kept (e.g. ten years ahead) is
        logged and skipped; the others are synced.
        """
        rows = {row.partner_id.id: row for row in self.search([("kind", "=", "birthday")])}
        with_birthday = self.env["res.partner"].search([("birthday", "!=", False)])
        to_sync = with_birthday.filtered(
            lambda p: p.id not in rows or rows[p.id].date != p.birthday
        )

        def sync(partners):
            to_create = []
            for partner in partners:
                row = rows.get(partner.id)
                if not row:
                    to_create.append(
                        {
                            "partner_id": partner.id,
                            "kind": "birthday",
                            # named in the language of the salesperson who reads it
                            "name": self.with_context(
                                lang=(partner.commercial_partner_id.user_id or self.env.user).lang
                            ).env._("Birthday"),
                            "date": partner.birthday,
                        }
                    )
                else:
                    row.date = partner.birthday
            self.create(to_create)

        run_isolated(to_sync, sync, "Customer care: birthdays")

    @api.model
    def _cron_create_care_activities(self, today=None):
        """Create a care activity for every birthday / important date falling
        within the configured lead time, once per date and year.

        Birthdays on contacts (res.partner.birthday) are read in the same pass.
        Set-based: two searches and one batched activity creation per batch;
        a date that fails is logged with its id and skipped.
        """
        today = today or fields.Date.context_today(self)
        lead_days = int(
            self.env["ir.config_parameter"].sudo().get_param("crm_sme.care_lead_days", 7)
        )
        horizon = today + timedelta(days=lead_days)
        activity_type = self.env.ref(
            "crm_sme.mail_activity_type_customer_care", raise_if_not_found=False
        ) or (self.env.ref("mail.mail_activity_data_todo"))
        self._sync_birthdays()
        months = {today.month, horizon.month} | {
            (today + timedelta(days=offset)).month for offset in range(0, lead_days + 1, 28)
        }
        occurrences = {}
        for record in self.search([("month", "in", list(months))]):
            occurrence = self._next_occurrence(record.month, record.day, today)
            if (
                occurrence
                and occurrence <= horizon
                and record.last_reminder_year != occurrence.year
            ):
                occurrences[record] = occurrence
        res_model_id = self.env["ir.model"]._get_id("res.partner")

        def remind(records):
            activity_vals = []
            for record in records:
                occurrence = occurrences[record]
                customer = record.commercial_partner_id
                user = customer.user_id or record.partner_id.user_id
                reader_env = self.with_context(lang=(user or self.env.user).lang).env
                activity_vals.append(
                    {
                        "res_model_id": res_model_id,
                        "res_id": customer.id,
                        "activity_type_id": activity_type.id,
                        "date_deadline": occurrence,
                        # in the language of the salesperson who reads it
                        "summary": reader_env._(
                            "%(occasion)s of %(contact)s on %(date)s",
                            occasion=record.name,
                            contact=record.partner_id.name,
                            date=format_date(reader_env, occurrence),
                        ),
                        "user_id": (user or self.env.user).id,
                    }
                )
                record.last_reminder_year = occurrence.year
            self.env["mail.activity"].sudo().create(activity_vals)

        due = self.browse([record.id for record in occurrences])
        return len(run_isolated(due, remind, "Customer care: activities"))
