# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeCampaignReport(models.Model):
    """Campaign return: opportunities, won and invoiced revenue per campaign /
    source / medium against the campaign's cost.

    One row per opportunity (won, lost or open) plus one row per campaign that
    carries its cost, so that summing the cost never counts it twice.
    """

    _name = "crm.sme.campaign.report"
    _inherit = ["crm.sme.grouping.sets.mixin"]
    _description = "Campaign Return Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "campaign_id"

    date = fields.Date(readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    expected_revenue = fields.Monetary(readonly=True)
    won_revenue = fields.Monetary(readonly=True)
    invoiced_revenue = fields.Monetary(
        readonly=True, help="Posted invoices of the won orders, credit notes deducted, untaxed."
    )
    campaign_cost = fields.Monetary(readonly=True)
    margin_after_cost = fields.Monetary(string="Invoiced − Cost", readonly=True)

    @property
    def _table_query(self):
        return """
            WITH invoice_links AS (
                SELECT DISTINCT so.opportunity_id AS lead_id, aml.move_id
                  FROM sale_order so
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                 WHERE so.opportunity_id IS NOT NULL
            ), invoiced AS (
                SELECT link.lead_id, SUM(am.amount_untaxed_signed) AS amount
                  FROM invoice_links link
                  JOIN account_move am ON am.id = link.move_id
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                 GROUP BY link.lead_id
            )
            SELECT lead.id * 2 AS id,
                   lead.id AS lead_id,
                   lead.create_date::date AS date,
                   lead.campaign_id, lead.source_id, lead.medium_id, lead.team_id, lead.user_id,
                   lead.company_id,
                   company.currency_id,
                   1 AS opportunity_count,
                   CASE WHEN lead.active AND stage.is_won THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN NOT lead.active AND COALESCE(lead.probability, 0) = 0 THEN 1 ELSE 0 END AS lost_count,
                   COALESCE(lead.expected_revenue, 0) AS expected_revenue,
                   CASE WHEN lead.active AND stage.is_won THEN COALESCE(lead.expected_revenue, 0) ELSE 0 END
                       AS won_revenue,
                   COALESCE(invoiced.amount, 0) AS invoiced_revenue,
                   0 AS campaign_cost,
                   COALESCE(invoiced.amount, 0) AS margin_after_cost
              FROM crm_lead lead
              LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
              LEFT JOIN res_company company ON company.id = lead.company_id
              LEFT JOIN invoiced ON invoiced.lead_id = lead.id
             WHERE lead.type = 'opportunity'
               AND (lead.active OR COALESCE(lead.probability, 0) = 0)
            UNION ALL
            SELECT campaign.id * 2 + 1 AS id,
                   NULL AS lead_id,
                   campaign.create_date::date AS date,
                   campaign.id AS campaign_id, NULL AS source_id, NULL AS medium_id, NULL AS team_id,
                   NULL AS user_id, campaign.company_id,
                   company.currency_id,
                   0, 0, 0, 0, 0, 0,
                   campaign.crm_sme_cost AS campaign_cost,
                   -campaign.crm_sme_cost AS margin_after_cost
              FROM utm_campaign campaign
              LEFT JOIN res_company company ON company.id = campaign.company_id
             WHERE COALESCE(campaign.crm_sme_cost, 0) <> 0
        """
