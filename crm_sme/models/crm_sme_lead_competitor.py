# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmSmeLeadCompetitor(models.Model):
    _name = "crm.sme.lead.competitor"
    _inherit = ["crm.sme.input.mixin"]
    _description = "Competitor on an Opportunity"
    _check_company_auto = True

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    competitor_id = fields.Many2one(
        "crm.sme.competitor", required=True, check_company=True, ondelete="restrict"
    )
    product_name = fields.Char(string="Their Product")
    price = fields.Monetary(string="Their Price", currency_field="currency_id")
    currency_id = fields.Many2one(related="lead_id.company_currency")
    note = fields.Char()
    outcome = fields.Selection(
        [("open", "Open"), ("won", "Won Against"), ("lost", "Lost Against")],
        compute="_compute_outcome",
        store=True,
        help="Whether the opportunity was won or lost while this competitor was in the race.",
    )

    @api.depends("lead_id.stage_id.is_won", "lead_id.active", "lead_id.probability")
    def _compute_outcome(self):
        for line in self:
            lead = line.lead_id
            if not lead.active and not lead.probability:
                line.outcome = "lost"
            elif lead.active and lead.stage_id.is_won:
                line.outcome = "won"
            else:
                line.outcome = "open"

    @api.constrains("price")
    def _check_price(self):
        failing = self.filtered(lambda line: line.price < 0)
        if failing:
            raise ValidationError(
                _(
                    "A competitor's price cannot be negative: %(names)s",
                    names=", ".join(failing.competitor_id.mapped("name")),
                )
            )
