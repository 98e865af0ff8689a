# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .crm_sme_value_selections import LIFECYCLE_STAGES, VALUE_TIERS
from .crm_team_member import DEFAULT_DAILY_VISITS

_logger = logging.getLogger(__name__)

# Churn risk factor of the visit score, per lifecycle stage.
RISK_FACTORS = {"at_risk": 2.0, "dormant": 1.5, "new": 1.2}


class CrmSmeVisitPlanLine(models.Model):
    """One customer to visit in a salesperson's week, ranked by a score.

    score = value x churn risk x visit overdue x open feedback, where
    * value is the customer's current value (0-100, at least 5);
    * churn risk is 2 when at risk, 1.5 when dormant, 1.2 when new, else 1;
    * visit overdue is 0.5 when not yet due this week, else 1 + the days overdue
      against the tier policy's interval divided by that interval (at most 3);
      2 when never visited;
    * open feedback is 1 + 0.5 per open feedback (at most 3).
    The factors are stored, so each line explains its rank.
    """

    _name = "crm.sme.visit.plan.line"
    _description = "Visit Plan Line"
    _order = "week_start desc, user_id, rank, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    week_start = fields.Date(string="Week", required=True, readonly=True, index=True)
    rank = fields.Integer(readonly=True, aggregator=False)
    score = fields.Float(readonly=True, digits=(16, 2), aggregator="max")
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    value_score = fields.Float(string="Value", readonly=True, aggregator="avg")
    risk_factor = fields.Float(string="Churn Risk Factor", readonly=True, aggregator="avg")
    overdue_factor = fields.Float(string="Overdue Factor", readonly=True, aggregator="avg")
    feedback_factor = fields.Float(string="Feedback Factor", readonly=True, aggregator="avg")
    last_visit = fields.Date(string="Last Visit", readonly=True)
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)", readonly=True, aggregator=False
    )
    overdue_days = fields.Integer(string="Days Overdue", readonly=True, aggregator="avg")
    open_feedback_count = fields.Integer(string="Open Feedback", readonly=True)
    planned_date = fields.Date(string="Planned On", readonly=True)
    reason = fields.Char(compute="_compute_reason", help="Why this customer is in the plan.")
    state = fields.Selection(
        [("proposed", "Proposed"), ("accepted", "Accepted"), ("dismissed", "Dismissed")],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
    )
    dismiss_reason = fields.Char(help="Why the salesperson does not visit this customer this week.")
    interaction_id = fields.Many2one(
        "crm.sme.interaction", string="Planned Visit", readonly=True, index="btree_not_null"
    )
    interaction_state = fields.Selection(related="interaction_id.state", string="Visit Status")

    _sql_constraints = [
        (
            "line_unique",
            "UNIQUE(company_id, user_id, partner_id, week_start)",
            "A customer is in a salesperson's plan once a week.",
        ),
    ]

    @api.depends(
        "value_score",
        "risk_factor",
        "overdue_factor",
        "feedback_factor",
        "last_visit",
        "overdue_days",
        "visit_interval_days",
        "open_feedback_count",
        "lifecycle",
    )
    def _compute_reason(self):
        stages = dict(self._fields["lifecycle"]._description_selection(self.env))
        for line in self:
            parts = [_("value %(value)s", value=round(line.value_score))]
            if line.risk_factor > 1:
                parts.append(
                    _(
                        "%(stage)s (x%(factor)s)",
                        stage=stages.get(line.lifecycle, ""),
                        factor=line.risk_factor,
                    )
                )
            if not line.last_visit:
                parts.append(_("never visited"))
            elif line.overdue_days > 0:
                parts.append(
                    _(
                        "visit overdue by %(days)s days (every %(interval)s days)",
                        days=line.overdue_days,
                        interval=line.visit_interval_days,
                    )
                )
            else:
                parts.append(_("visit due in %(days)s days", days=-line.overdue_days))
            if line.open_feedback_count:
                parts.append(_("%(count)s open feedback", count=line.open_feedback_count))
            line.reason = ", ".join(parts)

    def write(self, vals):
        # Lines are generated; users only type the reason to dismiss, the
        # accept / dismiss buttons change the rest after their checks.
        if not self.env.su and set(vals) - {"dismiss_reason"}:
            raise AccessError(
                _("A visit plan line is changed by its Accept and Dismiss buttons only.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def _check_own(self):
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        for line in self:
            if line.company_id not in self.env.companies:
                raise AccessError(
                    _(
                        "This visit plan line belongs to another company: %(name)s",
                        name=line.partner_id.display_name,
                    )
                )
            if line.user_id != self.env.user and not is_manager:
                raise AccessError(
                    _(
                        "Only %(user)s or a sales manager can accept or dismiss the visit of "
                        "%(name)s.",
                        user=line.user_id.name,
                        name=line.partner_id.display_name,
                    )
                )

    def action_accept(self):
        """Plan the visit: one planned interaction of type visit per line."""
        self._check_own()
        if any(line.state != "proposed" for line in self):
            raise UserError(_("Only proposed lines can be accepted."))
        now = fields.Datetime.now()
        vals_list = []
        for line in self:
            planned = datetime.combine(line.planned_date or line.week_start, time(9, 0))
            vals_list.append(
                {
                    "name": _("Visit %(customer)s", customer=line.partner_id.name),
                    "interaction_type": "visit",
                    "state": "planned",
                    "date": max(planned, now),
                    "partner_id": line.partner_id.id,
                    "user_id": line.user_id.id,
                    "company_id": line.company_id.id,
                }
            )
        interactions = self.env["crm.sme.interaction"].create(vals_list)
        for line, interaction in zip(self, interactions, strict=True):
            # sudo: checked above (own line of an allowed company)
            line.sudo().write({"state": "accepted", "interaction_id": interaction.id})
        return True

    def action_dismiss(self):
        self._check_own()
        if any(line.state != "proposed" for line in self):
            raise UserError(_("Only proposed lines can be dismissed."))
        missing = self.filtered(lambda line: not (line.dismiss_reason or "").strip())
        if missing:
            raise UserError(
                _(
                    "Give a reason to dismiss the visit of %(names)s.",
                    names=", ".join(missing.mapped("partner_id.display_name")),
                )
            )
        self.sudo().write({"state": "dismissed"})  # sudo: checked above
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    @api.model
    def action_generate(self):
        """Button: this week's plan of the current company (a salesperson: their own)."""
        company = self.env.company
        user_ids = None
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            user_ids = self.env.user.ids
        count = self.sudo()._generate(company, user_ids=user_ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Visit plan refreshed: %(count)s proposed visits.", count=count),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # GENERATION (set-based)
    # ------------------------------------------------------------------
    @api.model
    def _cron_generate(self):
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self._generate(company)
                    self.env["crm.sme.visit.due"]._create_activities(company)
            except Exception:
                _logger.exception("Visit plan of company %s failed; skipped", company.id)

    @api.model
    def _week_start(self, company, today=None):
        today = self.env["crm.sme.money"]._company_today(company, today)[company.id]
        return today - timedelta(days=today.weekday()), today

    @api.model
    def _working_days(self, company):
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(DISTINCT dayofweek) FROM resource_calendar_attendance "
                "WHERE calendar_id = %s AND COALESCE(display_type, '') <> 'line_section'",
                company.resource_calendar_id.id or 0,
            )
        )
        return self.env.cr.fetchone()[0] or 5

    @api.model
    def _candidates_sql(self, company, today):
        """Per customer of an active salesperson of the company with a value tier:
        the factors of the visit score and the overdue days (one query)."""
        cid = str(company.id)
        return SQL(
            """
            WITH cust AS (
                SELECT p.id AS partner_id, p.user_id, p.team_id,
                       p.crm_sme_value_tier->>%(cid)s AS tier,
                       p.crm_sme_lifecycle->>%(cid)s AS lifecycle,
                       GREATEST(COALESCE((p.crm_sme_current_value->>%(cid)s)::float, 0), 5) AS value_score
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
                  JOIN res_company_users_rel cu ON cu.user_id = u.id AND cu.cid = %(company)s
                 WHERE p.active AND p.parent_id IS NULL AND p.is_company
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   AND p.crm_sme_value_tier->>%(cid)s IS NOT NULL
                   AND COALESCE(p.crm_sme_lifecycle->>%(cid)s, '') <> 'lost'
            ),
            visit AS (
                SELECT i.partner_id, MAX(i.date)::date AS last_visit
                  FROM crm_sme_interaction i
                 WHERE i.company_id = %(company)s AND i.interaction_type = 'visit' AND i.state = 'done'
              GROUP BY i.partner_id
            ),
            fb AS (
                SELECT fp.commercial_partner_id AS partner_id, COUNT(*) AS n
                  FROM crm_sme_feedback f
                  JOIN res_partner fp ON fp.id = f.partner_id
                 WHERE f.company_id = %(company)s AND f.is_closed IS NOT TRUE
              GROUP BY 1
            )
            SELECT c.partner_id, c.user_id, c.team_id, c.tier, c.lifecycle, c.value_score,
                   COALESCE(pol.visit_interval_days, 30) AS interval, v.last_visit,
                   CASE WHEN v.last_visit IS NULL THEN 0
                        ELSE %(today)s::date - v.last_visit - COALESCE(pol.visit_interval_days, 30)
                   END AS overdue_days,
                   COALESCE(fb.n, 0) AS feedback_count
              FROM cust c
         LEFT JOIN crm_sme_tier_policy pol ON pol.company_id = %(company)s AND pol.tier = c.tier
         LEFT JOIN visit v ON v.partner_id = c.partner_id
         LEFT JOIN fb ON fb.partner_id = c.partner_id
            """,
            cid=cid,
            company=company.id,
            today=today,
        )

    @api.model
    def _generate(self, company, today=None, user_ids=None):
        """This week's plan of a company: the best-scored customers of each
        salesperson up to their capacity. Lines already accepted or dismissed
        this week stay as they are (never proposed again); proposed lines are
        updated in place (upsert); proposed lines that dropped out are removed.
        A constant number of queries, whatever the number of customers.
        Returns the number of proposed lines."""
        self.env.flush_all()
        week_start, today = self._week_start(company, today)
        days = self._working_days(company)
        user_scope = SQL("AND s.user_id = ANY(%s)", list(user_ids)) if user_ids else SQL()
        line_scope = SQL("AND l.user_id = ANY(%s)", list(user_ids)) if user_ids else SQL()
        query = SQL(
            """
            WITH cand AS (%(candidates)s),
            cap AS (
                SELECT m.user_id, MAX(m.crm_sme_daily_visit_capacity) AS per_day
                  FROM crm_team_member m
                  JOIN crm_team t ON t.id = m.crm_team_id
                 WHERE m.active AND (t.company_id IS NULL OR t.company_id = %(company)s)
              GROUP BY m.user_id
            ),
            scored AS (
                SELECT c.*,
                       COALESCE(%(risk)s, 1.0) AS risk_factor,
                       CASE WHEN c.last_visit IS NULL THEN 2.0
                            WHEN c.overdue_days < -6 THEN 0.5
                            ELSE 1.0 + LEAST(GREATEST(c.overdue_days, 0)::float / c.interval, 2.0)
                       END AS overdue_factor,
                       1.0 + 0.5 * LEAST(c.feedback_count, 4) AS feedback_factor
                  FROM cand c
                 WHERE (c.last_visit IS NULL OR c.overdue_days >= -6 OR c.feedback_count > 0
                        OR c.lifecycle IN ('at_risk', 'dormant'))
                   -- a visit already planned this week, or a line decided this week: not again
                   AND NOT EXISTS (
                       SELECT 1 FROM crm_sme_interaction i
                        WHERE i.partner_id = c.partner_id AND i.company_id = %(company)s
                          AND i.interaction_type = 'visit' AND i.state = 'planned'
                          AND i.date >= %(week)s AND i.date < %(week_end)s)
                   AND NOT EXISTS (
                       SELECT 1 FROM crm_sme_visit_plan_line d
                        WHERE d.company_id = %(company)s AND d.week_start = %(week)s
                          AND d.user_id = c.user_id AND d.partner_id = c.partner_id
                          AND d.state <> 'proposed')
            ),
            ranked AS (
                SELECT s.*, s.value_score * s.risk_factor * s.overdue_factor * s.feedback_factor AS score,
                       ROW_NUMBER() OVER (PARTITION BY s.user_id ORDER BY
                           s.value_score * s.risk_factor * s.overdue_factor * s.feedback_factor DESC,
                           s.partner_id) AS pos,
                       COALESCE(cap.per_day, %(default_cap)s) AS per_day,
                       COALESCE(cap.per_day, %(default_cap)s) * %(days)s - (
                           SELECT COUNT(*) FROM crm_sme_visit_plan_line a
                            WHERE a.company_id = %(company)s AND a.week_start = %(week)s
                              AND a.user_id = s.user_id AND a.state = 'accepted') AS slots
                  FROM scored s
             LEFT JOIN cap ON cap.user_id = s.user_id
                 WHERE TRUE %(user_scope)s
            ),
            upsert AS (
                INSERT INTO crm_sme_visit_plan_line AS l (
                    company_id, user_id, team_id, partner_id, week_start, score, value_tier,
                    lifecycle, value_score, risk_factor, overdue_factor, feedback_factor,
                    last_visit, visit_interval_days, overdue_days, open_feedback_count,
                    planned_date, state, create_uid, write_uid, create_date, write_date)
                SELECT %(company)s, r.user_id, r.team_id, r.partner_id, %(week)s, ROUND(r.score::numeric, 2),
                       r.tier, r.lifecycle, r.value_score, r.risk_factor, r.overdue_factor,
                       r.feedback_factor, r.last_visit, r.interval, r.overdue_days, r.feedback_count,
                       %(week)s::date + LEAST((r.pos - 1) / GREATEST(r.per_day, 1), %(days)s - 1)::int,
                       'proposed', %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM ranked r
                 WHERE r.pos <= r.slots
                ON CONFLICT (company_id, user_id, partner_id, week_start) DO UPDATE
                   SET team_id = EXCLUDED.team_id, score = EXCLUDED.score,
                       value_tier = EXCLUDED.value_tier, lifecycle = EXCLUDED.lifecycle,
                       value_score = EXCLUDED.value_score, risk_factor = EXCLUDED.risk_factor,
                       overdue_factor = EXCLUDED.overdue_factor,
                       feedback_factor = EXCLUDED.feedback_factor, last_visit = EXCLUDED.last_visit,
                       visit_interval_days = EXCLUDED.visit_interval_days,
                       overdue_days = EXCLUDED.overdue_days,
                       open_feedback_count = EXCLUDED.open_feedback_count,
                       planned_date = EXCLUDED.planned_date,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE l.state = 'proposed'
                RETURNING l.id
            ),
            dropped AS (
                DELETE FROM crm_sme_visit_plan_line l
                 WHERE l.company_id = %(company)s AND l.week_start = %(week)s
                   AND l.state = 'proposed' AND l.id NOT IN (SELECT id FROM upsert) %(line_scope)s
                RETURNING l.id
            )
            SELECT (SELECT COUNT(*) FROM upsert), (SELECT COUNT(*) FROM dropped)
            """,
            candidates=self._candidates_sql(company, today),
            company=company.id,
            week=week_start,
            week_end=week_start + timedelta(days=7),
            days=days,
            default_cap=DEFAULT_DAILY_VISITS,
            uid=self.env.uid,
            user_scope=user_scope,
            line_scope=line_scope,
            risk=SQL(
                "CASE c.lifecycle %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", stage, factor) for stage, factor in RISK_FACTORS.items()
                ),
            ),
        )
        self.env.cr.execute(query)
        proposed, dropped = self.env.cr.fetchone()
        # rank of every line of the week that is not dismissed, by score
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_sme_visit_plan_line l SET rank = r.pos
                  FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id
                                ORDER BY score DESC, partner_id) AS pos
                          FROM crm_sme_visit_plan_line
                         WHERE company_id = %(company)s AND week_start = %(week)s
                           AND state <> 'dismissed') r
                 WHERE r.id = l.id AND l.rank IS DISTINCT FROM r.pos
                """,
                company=company.id,
                week=week_start,
            )
        )
        self.invalidate_model()
        _logger.info(
            "Visit plan of company %s, week %s: %s proposed, %s dropped",
            company.id,
            week_start,
            proposed,
            dropped,
        )
        return proposed
