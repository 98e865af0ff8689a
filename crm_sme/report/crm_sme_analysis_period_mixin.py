# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmSmeAnalysisPeriodMixin(models.AbstractModel):
    """The period of a report whose rows depend on it (tier moves, salesperson
    performance): ``crm_sme_date_from`` / ``crm_sme_date_to`` in the context,
    set by the period wizard (and kept by the web client for drill-downs).

    The rows' values depend on the period while their ids do not: code that
    reads two periods in one transaction invalidates the cache in between
    (each web request has its own)."""

    _name = "crm.sme.analysis.period.mixin"
    _description = "Analysis Period"

    @api.model
    def _analysis_period(self, default_months=12):
        """(date_from, date_to) from the context; by default the
        ``default_months`` months up to today. Raises UserError when the end
        is before the start or a date is not a date."""
        context = self.env.context
        today = fields.Date.context_today(self)
        try:
            date_to = fields.Date.to_date(context.get("crm_sme_date_to")) or today
            date_from = fields.Date.to_date(context.get("crm_sme_date_from")) or (
                date_to - relativedelta(months=default_months) + relativedelta(days=1)
            )
        except (TypeError, ValueError) as error:
            raise UserError(_("The period of the report is not a valid date.")) from error
        if date_to < date_from:
            raise UserError(
                _(
                    "The period ends (%(date_to)s) before it starts (%(date_from)s).",
                    date_to=date_to,
                    date_from=date_from,
                )
            )
        return date_from, date_to
