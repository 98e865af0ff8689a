# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .crm_sme_value_selections import LIFECYCLE_STAGES, VALUE_TIERS

_logger = logging.getLogger(__name__)

PARAM_GRACE_DAYS = "crm_sme.churn_watch_grace_days"


class CrmSmeChurnWatch(models.Model):
    """At-risk and dormant customers (lifecycle of each company), live.

    A customer's win-back activity is created once per episode of inactivity
    (since its last purchase): not again while one is open, nor after one was
    marked done, until the customer buys again; a confirmed order or a posted
    invoice removes the open activity and logs the win-back on the customer.
    A customer who bought in the last ``crm_sme.churn_watch_grace_days`` days
    (30) gets no activity, whatever a lifecycle not yet recomputed says.
    """

    _name = "crm.sme.churn.watch"
    _description = "Churn Watch"
    _auto = False
    _order = "revenue_prev_12m desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    last_order_date = fields.Date(string="Last Order", readonly=True)
    last_invoice_date = fields.Date(string="Last Invoice", readonly=True)
    last_purchase_date = fields.Date(string="Last Purchase", readonly=True)
    last_contact_date = fields.Date(string="Last Contact", readonly=True)
    revenue_12m = fields.Monetary(
        string="Revenue (12 months)", readonly=True, currency_field="currency_id"
    )
    revenue_prev_12m = fields.Monetary(
        string="Revenue (12 months before)", readonly=True, currency_field="currency_id"
    )
    revenue_trend = fields.Float(
        string="Revenue Trend (%)",
        readonly=True,
        aggregator="avg",
        help="Net invoiced revenue of the last 12 months against the 12 months before.",
    )
    open_feedback_count = fields.Integer(string="Open Feedback", readonly=True)
    has_winback = fields.Boolean(string="Win-back Open", readonly=True)

    @api.model
    def _watch_sql(self):
        return SQL(
            """
            SELECT p.id::bigint * 1000 + c.id AS id, p.id AS partner_id, c.id AS company_id,
                   p.user_id, p.team_id, c.currency_id,
                   p.crm_sme_lifecycle->>c.id::text AS lifecycle,
                   p.crm_sme_value_tier->>c.id::text AS value_tier,
                   so.last_order_date, inv.last_invoice_date,
                   NULLIF(GREATEST(COALESCE(so.last_order_date, '1900-01-01'),
                                   COALESCE(inv.last_invoice_date, '1900-01-01')), '1900-01-01')
                       AS last_purchase_date,
                   ct.last_contact_date,
                   COALESCE(inv.revenue_12m, 0) AS revenue_12m,
                   COALESCE(inv.revenue_prev_12m, 0) AS revenue_prev_12m,
                   CASE WHEN inv.revenue_prev_12m > 0
                        THEN ROUND(((inv.revenue_12m - inv.revenue_prev_12m)
                                    / inv.revenue_prev_12m * 100)::numeric, 1) END AS revenue_trend,
                   COALESCE(fb.n, 0) AS open_feedback_count,
                   EXISTS (SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                              AND a.activity_type_id = (
                                  SELECT res_id FROM ir_model_data
                                   WHERE module = 'crm_sme'
                                     AND name = 'mail_activity_type_winback')) AS has_winback
              FROM res_company c
              JOIN res_partner p
                ON (p.crm_sme_lifecycle->>c.id::text) IN ('at_risk', 'dormant')
               AND (p.company_id IS NULL OR p.company_id = c.id)
               AND p.active AND p.parent_id IS NULL
              LEFT JOIN LATERAL (
                  SELECT MAX(so.date_order)::date AS last_order_date
                    FROM sale_order so
                   WHERE so.partner_id IN (SELECT id FROM res_partner m
                                            WHERE m.commercial_partner_id = p.id)
                     AND so.company_id = c.id AND so.state = 'sale') so ON TRUE
              LEFT JOIN LATERAL (
                  SELECT MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice')
                             AS last_invoice_date,
                         SUM(m.amount_untaxed_signed)
                             FILTER (WHERE m.invoice_date > CURRENT_DATE - 365) AS revenue_12m,
                         SUM(m.amount_untaxed_signed)
                             FILTER (WHERE m.invoice_date <= CURRENT_DATE - 365
                                       AND m.invoice_date > CURRENT_DATE - 730) AS revenue_prev_12m
                    FROM account_move m
                   WHERE m.commercial_partner_id = p.id AND m.company_id = c.id
                     AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')) inv
                ON TRUE
              LEFT JOIN LATERAL (
                  SELECT MAX(i.date)::date AS last_contact_date
                    FROM crm_sme_interaction i
                   WHERE i.partner_id = p.id AND i.company_id = c.id AND i.state = 'done') ct ON TRUE
              LEFT JOIN LATERAL (
                  SELECT COUNT(*) AS n
                    FROM crm_sme_feedback f
                   WHERE f.partner_id IN (SELECT id FROM res_partner m
                                           WHERE m.commercial_partner_id = p.id)
                     AND f.company_id = c.id AND f.is_closed IS NOT TRUE) fb ON TRUE
            """
        )

    @property
    def _table_query(self):
        return self._watch_sql()

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)

    # ------------------------------------------------------------------
    # WIN-BACK ACTIVITIES
    # ------------------------------------------------------------------
    @api.model
    def _activity_type(self):
        return self.env.ref("crm_sme.mail_activity_type_winback")

    @api.model
    def _cron_winback(self):
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    self._create_winback_activities(company)
            except Exception:
                _logger.exception("Win-back activities of company %s failed; skipped", company.id)

    @api.model
    def _create_winback_activities(self, company, today=None):
        """One query finds the watched customers of a company without a
        win-back of this episode; one query per 1 000 activities files them.
        Returns their number."""
        self.env.flush_all()
        today = self.env["crm.sme.money"]._company_today(company, today)[company.id]
        grace = int(self.env["ir.config_parameter"].sudo().get_param(PARAM_GRACE_DAYS, 30) or 0)
        activity_type = self._activity_type()
        self.env.cr.execute(
            SQL(
                """
                SELECT w.partner_id, COALESCE(w.user_id, t.user_id), w.lifecycle, w.last_purchase_date
                  FROM (%(watch)s) w
             LEFT JOIN crm_team t ON t.id = w.team_id
                 WHERE w.company_id = %(company)s AND NOT w.has_winback
                   AND COALESCE(w.user_id, t.user_id) IS NOT NULL
                   AND (w.last_purchase_date IS NULL OR w.last_purchase_date < %(limit)s)
                   AND NOT EXISTS (
                       -- marked done since the last purchase: the episode is handled
                       SELECT 1 FROM mail_message msg
                        WHERE msg.model = 'res.partner' AND msg.res_id = w.partner_id
                          AND msg.mail_activity_type_id = %(type)s
                          AND msg.date >= COALESCE(w.last_purchase_date, '1900-01-01'))
              ORDER BY w.partner_id
                """,
                watch=self._watch_sql(),
                company=company.id,
                limit=fields.Date.subtract(today, days=grace),
                type=activity_type.id,
            )
        )
        rows = self.env.cr.fetchall()
        stages = dict(self._fields["lifecycle"]._description_selection(self.env))
        return self.env["crm.sme.activity.batch"]._insert(
            activity_type,
            [
                (
                    partner_id,
                    user_id,
                    self.env._(
                        "Win back: %(stage)s, last purchase %(date)s",
                        stage=stages.get(lifecycle, ""),
                        date=last_purchase or self.env._("never"),
                    ),
                )
                for partner_id, user_id, lifecycle, last_purchase in rows
            ],
            today,
        )

    @api.model
    def _close_winback(self, partners):
        """The customer bought again: its open win-back activity goes and the
        win-back is logged on the customer."""
        customers = partners.commercial_partner_id
        if not customers:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customers.ids),
                    ("activity_type_id", "=", self._activity_type().id),
                ]
            )
        )
        if not activities:
            return
        won_back = self.env["res.partner"].sudo().browse(set(activities.mapped("res_id")))
        activities.unlink()
        for customer in won_back:
            customer.message_post(
                body=self.env._("Won back: the customer bought again."),
                subtype_xmlid="mail.mt_note",
            )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        res = super().action_confirm()
        self.env["crm.sme.churn.watch"]._close_winback(
            self.filtered(lambda o: o.state == "sale").partner_id
        )
        return res


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        self.env["crm.sme.churn.watch"]._close_winback(
            posted.filtered(lambda m: m.move_type == "out_invoice").commercial_partner_id
        )
        return posted
