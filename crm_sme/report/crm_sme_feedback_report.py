# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools

from ..models.crm_sme_feedback import FEEDBACK_CHANNELS, FEEDBACK_PHASES
from ..models.crm_sme_feedback_sla import FEEDBACK_PRIORITIES


class CrmSmeFeedbackReport(models.Model):
    """Feedback analysis: volumes, times, breach rate and satisfaction.

    Rates are averages of per-row values so that the pivot aggregates them
    correctly on any grouping: ``breach_rate`` is 100 for a breached row and
    0 otherwise; ``nps`` is +100 for a promoter (9-10), 0 for a passive and
    -100 for a detractor (0-6), so its average is %promoters - %detractors.
    Rows without an answer hold NULL and are left out of the averages.
    """

    _name = "crm.sme.feedback.report"
    _inherit = ["crm.sme.grouping.sets.mixin"]
    _description = "Feedback Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date desc"

    name = fields.Char(string="Subject", readonly=True)
    reference = fields.Char(readonly=True)
    feedback_id = fields.Many2one("crm.sme.feedback", readonly=True)
    date = fields.Datetime(string="Received", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_type_id = fields.Many2one(
        "crm.sme.customer.type", string="Customer Type", readonly=True
    )
    is_key_account = fields.Boolean(string="Key Account", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    salesperson_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    type_id = fields.Many2one("crm.sme.feedback.type", string="Type", readonly=True)
    phase = fields.Selection(FEEDBACK_PHASES, readonly=True)
    channel = fields.Selection(FEEDBACK_CHANNELS, readonly=True)
    priority = fields.Selection(FEEDBACK_PRIORITIES, readonly=True)
    stage_id = fields.Many2one("crm.sme.feedback.stage", string="Stage", readonly=True)
    root_cause_id = fields.Many2one(
        "crm.sme.feedback.root.cause", string="Root Cause", readonly=True
    )
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    nbr = fields.Integer(string="# Feedback", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(
        string="Hours to First Response", readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(string="Hours to Resolution", readonly=True, aggregator="avg")
    breach_rate = fields.Float(string="Breach Rate (%)", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT (1-5)", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return """
            SELECT f.id AS id,
                   f.id AS feedback_id,
                   f.name AS name,
                   f.reference AS reference,
                   f.date_received AS date,
                   f.date_closed AS date_closed,
                   f.company_id AS company_id,
                   f.partner_id AS partner_id,
                   p.customer_type_id AS customer_type_id,
                   COALESCE(p.is_key_account, FALSE) AS is_key_account,
                   f.user_id AS user_id,
                   p.user_id AS salesperson_id,
                   f.team_id AS team_id,
                   f.type_id AS type_id,
                   f.phase AS phase,
                   f.channel AS channel,
                   f.priority AS priority,
                   f.stage_id AS stage_id,
                   f.root_cause_id AS root_cause_id,
                   f.product_id AS product_id,
                   f.is_closed AS is_closed,
                   1 AS nbr,
                   CASE WHEN f.date_first_response IS NOT NULL
                        THEN f.first_response_hours END AS first_response_hours,
                   CASE WHEN f.date_resolved IS NOT NULL
                        THEN f.resolution_hours END AS resolution_hours,
                   CASE WHEN f.is_breached THEN 100.0 ELSE 0.0 END AS breach_rate,
                   CASE WHEN f.csat_score BETWEEN 1 AND 5 THEN f.csat_score END AS csat,
                   CASE WHEN f.date_nps IS NULL THEN NULL
                        WHEN COALESCE(f.nps_score, 0) >= 9 THEN 100.0
                        WHEN COALESCE(f.nps_score, 0) <= 6 THEN -100.0
                        ELSE 0.0 END AS nps
              FROM crm_sme_feedback f
              JOIN res_partner p ON p.id = f.partner_id
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
