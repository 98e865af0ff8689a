# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmSmeAnalysisPeriodWizard(models.TransientModel):
    """Choose the company and the period of the tier-move and salesperson
    performance reports; the reports read it from the action's context (and
    the web client keeps it for every drill-down). Writes nothing else."""

    _name = "crm.sme.analysis.period.wizard"
    _description = "Analysis Period"

    def _default_date_from(self):
        return fields.Date.context_today(self) - relativedelta(years=1, days=-1)

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        failing = self.filtered(lambda wizard: wizard.date_to < wizard.date_from)
        if failing:
            raise ValidationError(
                _(
                    "The period ends (%(date_to)s) before it starts (%(date_from)s).",
                    date_to=failing[0].date_to,
                    date_from=failing[0].date_from,
                )
            )

    def _open_report(self, xmlid):
        self.ensure_one()
        if self.company_id not in self.env.companies:
            raise ValidationError(_("Choose one of the companies you work in."))
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["context"] = {
            "crm_sme_date_from": fields.Date.to_string(self.date_from),
            "crm_sme_date_to": fields.Date.to_string(self.date_to),
        }
        action["name"] = _(
            "%(report)s: %(date_from)s - %(date_to)s",
            report=action["name"],
            date_from=self.date_from,
            date_to=self.date_to,
        )
        return action

    def action_open_tier_moves(self):
        return self._open_report("crm_sme.crm_sme_tier_move_report_action")

    def action_open_performance(self):
        return self._open_report("crm_sme.crm_sme_salesperson_performance_action")
