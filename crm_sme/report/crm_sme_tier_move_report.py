# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.crm_sme_value_selections import LIFECYCLE_STAGES, VALUE_TIERS

NONE = [("none", "No Snapshot")]
LIFECYCLE_MOVES = [
    ("new", "New"),
    ("reactivated", "Reactivated"),
    ("at_risk", "Became At Risk"),
    ("dormant", "Became Dormant"),
    ("lost", "Lost"),
    ("unchanged", "Unchanged"),
    ("other", "Other Move"),
]


class CrmSmeTierMoveReport(models.Model):
    """Tier and lifecycle moves of each customer between two monthly
    snapshots of ``crm.sme.customer.value.history``: the snapshot of the
    month of ``crm_sme_date_from`` against the one of the month of
    ``crm_sme_date_to`` (context, set by the period wizard). By default the
    latest snapshot month against the same month a year earlier.

    One row per customer and company present in either snapshot; a customer
    missing from one of them has the tier / lifecycle "No Snapshot". The
    pivot of ``tier_from`` x ``tier_to`` with ``nbr`` and ``revenue`` is the
    tier-move matrix; ``lifecycle_move`` counts new, reactivated and lost
    customers.
    """

    _name = "crm.sme.tier.move.report"
    _inherit = ["crm.sme.analysis.period.mixin", "crm.sme.grouping.sets.mixin"]
    _description = "Customer Tier Moves"
    _auto = False
    _rec_name = "partner_id"
    _order = "company_id, partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    period_from = fields.Date(string="From Period", readonly=True)
    period_to = fields.Date(string="To Period", readonly=True)
    tier_from = fields.Selection(VALUE_TIERS + NONE, string="Tier Before", readonly=True)
    tier_to = fields.Selection(VALUE_TIERS + NONE, string="Tier After", readonly=True)
    lifecycle_from = fields.Selection(
        LIFECYCLE_STAGES + NONE, string="Lifecycle Before", readonly=True
    )
    lifecycle_to = fields.Selection(
        LIFECYCLE_STAGES + NONE, string="Lifecycle After", readonly=True
    )
    lifecycle_move = fields.Selection(
        LIFECYCLE_MOVES,
        readonly=True,
        help="New: a customer now (new, active or at risk) that was not one before (no "
        "snapshot or a prospect). Reactivated: dormant or lost before, buying now. Became At "
        "Risk / Dormant / Lost: the later stage when it changed.",
    )
    is_tier_moved = fields.Boolean(string="Tier Changed", readonly=True)
    nbr = fields.Integer(string="# Customers", readonly=True)
    revenue = fields.Monetary(
        string="Revenue (12 Months, After)",
        readonly=True,
        help="Net invoiced revenue of the 12 months up to the later snapshot.",
    )
    revenue_before = fields.Monetary(
        string="Revenue (12 Months, Before)",
        readonly=True,
        help="Net invoiced revenue of the 12 months up to the earlier snapshot.",
    )

    @api.model
    def _snapshot_periods(self):
        """(period_from, period_to) as first days of months: those of the
        context's dates, by default the latest snapshot up to today and the
        same month a year earlier (constants, so that the snapshots are read
        through the index on ``period``)."""
        context = self.env.context
        if context.get("crm_sme_date_from") or context.get("crm_sme_date_to"):
            date_from, date_to = self._analysis_period()
            return date_from.replace(day=1), date_to.replace(day=1)
        self.env["crm.sme.customer.value.history"].flush_model(["period"])
        self.env.cr.execute(
            "SELECT MAX(period) FROM crm_sme_customer_value_history WHERE period <= %s",
            [fields.Date.context_today(self)],
        )
        period_to = self.env.cr.fetchone()[0] or fields.Date.context_today(self).replace(day=1)
        return period_to - relativedelta(months=12), period_to

    def init(self):
        # the two snapshot reads of each company (see _table_query): a
        # covering index on company and period (index-only scans)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS crm_sme_customer_value_history_company_period_idx
                ON crm_sme_customer_value_history (company_id, period, partner_id)
                INCLUDE (value_tier, lifecycle, revenue, user_id, team_id)
            """
        )

    @property
    def _table_query(self):
        period_from, period_to = self._snapshot_periods()
        return SQL(
            """
            WITH bounds AS (
                SELECT %(period_from)s::date AS period_from, %(period_to)s::date AS period_to
            ), moves AS (
                -- per company (LATERAL): the company filter (record rule)
                -- reaches both snapshot reads (index on company and period)
                SELECT j.*, c.id AS company_id, c.currency_id
                  FROM res_company c
                 CROSS JOIN LATERAL (
                    SELECT COALESCE(aft.id, bef.id) AS id,
                           COALESCE(aft.partner_id, bef.partner_id) AS partner_id,
                           COALESCE(aft.user_id, bef.user_id) AS user_id,
                           COALESCE(aft.team_id, bef.team_id) AS team_id,
                           COALESCE(bef.value_tier, 'none') AS tier_from,
                           COALESCE(aft.value_tier, 'none') AS tier_to,
                           COALESCE(bef.lifecycle, 'none') AS lifecycle_from,
                           COALESCE(aft.lifecycle, 'none') AS lifecycle_to,
                           COALESCE(aft.revenue, 0) AS revenue,
                           COALESCE(bef.revenue, 0) AS revenue_before
                      FROM (SELECT h.* FROM crm_sme_customer_value_history h
                             WHERE h.company_id = c.id AND h.period = %(period_to)s) aft
                      FULL JOIN (SELECT h.* FROM crm_sme_customer_value_history h
                                  WHERE h.company_id = c.id AND h.period = %(period_from)s) bef
                        ON bef.partner_id = aft.partner_id
                 ) j
            )
            SELECT m.*, bounds.period_from, bounds.period_to, 1 AS nbr,
                   m.tier_from <> m.tier_to AS is_tier_moved,
                   CASE WHEN m.lifecycle_to = m.lifecycle_from THEN 'unchanged'
                        WHEN m.lifecycle_to = 'new'
                             OR (m.lifecycle_from IN ('none', 'prospect')
                                 AND m.lifecycle_to IN ('active', 'at_risk')) THEN 'new'
                        WHEN m.lifecycle_from IN ('dormant', 'lost')
                             AND m.lifecycle_to IN ('new', 'active', 'at_risk') THEN 'reactivated'
                        WHEN m.lifecycle_to IN ('at_risk', 'dormant', 'lost') THEN m.lifecycle_to
                        ELSE 'other' END AS lifecycle_move
              FROM moves m
             CROSS JOIN bounds
            """,
            period_from=period_from,
            period_to=period_to,
        )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_open_customer(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sme.action_crm_sme_customer")
        action.update(
            {"res_id": self.partner_id.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action
