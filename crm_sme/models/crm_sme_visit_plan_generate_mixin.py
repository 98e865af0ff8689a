# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
import logging

from odoo import api, models
from odoo.tools import SQL

from .crm_team_member import DEFAULT_DAILY_VISITS

_logger = logging.getLogger(__name__)

# Churn risk factor of the visit score, per lifecycle stage.
RISK_FACTORS = {"at_risk": 2.0, "dormant": 1.5, "new": 1.2}


class CrmSmeVisitPlanGenerateMixin(models.AbstractModel):
    """Set-based generation of the weekly visit plan (crm.sme.visit.plan.line)."""

    _name = "crm.sme.visit.plan.generate.mixin"
    _description = "Visit Plan Generation"

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
            accepted AS (
                SELECT a.user_id, COUNT(*) AS n
                  FROM crm_sme_visit_plan_line a
                 WHERE a.company_id = %(company)s AND a.week_start = %(week)s
                   AND a.state = 'accepted'
              GROUP BY a.user_id
            ),
            ranked AS (
                SELECT s.*, s.value_score * s.risk_factor * s.overdue_factor * s.feedback_factor AS score,
                       ROW_NUMBER() OVER (PARTITION BY s.user_id ORDER BY
                           s.value_score * s.risk_factor * s.overdue_factor * s.feedback_factor DESC,
                           s.partner_id) AS pos,
                       COALESCE(cap.per_day, %(default_cap)s) AS per_day,
                       COALESCE(cap.per_day, %(default_cap)s) * %(days)s - COALESCE(acc.n, 0) AS slots
                  FROM scored s
             LEFT JOIN cap ON cap.user_id = s.user_id
             LEFT JOIN accepted acc ON acc.user_id = s.user_id
                 WHERE TRUE %(user_scope)s
            ),
            top AS (
                SELECT r.*, ROUND(r.score::numeric, 2) AS rounded,
                       %(week)s::date + LEAST((r.pos - 1) / GREATEST(r.per_day, 1), %(days)s - 1)::int
                           AS planned
                  FROM ranked r
                 WHERE r.pos <= r.slots
            ),
            upsert AS (
                INSERT INTO crm_sme_visit_plan_line AS l (
                    company_id, user_id, team_id, partner_id, week_start, score, value_tier,
                    lifecycle, value_score, risk_factor, overdue_factor, feedback_factor,
                    last_visit, visit_interval_days, overdue_days, open_feedback_count,
                    planned_date, state, create_uid, write_uid, create_date, write_date)
                SELECT %(company)s, r.user_id, r.team_id, r.partner_id, %(week)s, r.rounded,
                       r.tier, r.lifecycle, r.value_score, r.risk_factor, r.overdue_factor,
                       r.feedback_factor, r.last_visit, r.interval, r.overdue_days, r.feedback_count,
                       r.planned, 'proposed', %(uid)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM top r
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
                 -- unchanged lines are not written (a re-run on the same data writes nothing)
                 WHERE l.state = 'proposed'
                   AND (l.team_id, l.score, l.value_tier, l.lifecycle, l.value_score,
                        l.risk_factor, l.overdue_factor, l.feedback_factor, l.last_visit,
                        l.visit_interval_days, l.overdue_days, l.open_feedback_count,
                        l.planned_date)
                       IS DISTINCT FROM
                       (EXCLUDED.team_id, EXCLUDED.score, EXCLUDED.value_tier,
                        EXCLUDED.lifecycle, EXCLUDED.value_score, EXCLUDED.risk_factor,
                        EXCLUDED.overdue_factor, EXCLUDED.feedback_factor, EXCLUDED.last_visit,
                        EXCLUDED.visit_interval_days, EXCLUDED.overdue_days,
                        EXCLUDED.open_feedback_count, EXCLUDED.planned_date)
                RETURNING l.id
            ),
            dropped AS (
                DELETE FROM crm_sme_visit_plan_line l
                 WHERE l.company_id = %(company)s AND l.week_start = %(week)s
                   AND l.state = 'proposed' %(line_scope)s
                   AND NOT EXISTS (SELECT 1 FROM top t
                                    WHERE t.user_id = l.user_id AND t.partner_id = l.partner_id)
                RETURNING l.id
            )
            SELECT (SELECT COUNT(*) FROM top), (SELECT COUNT(*) FROM upsert),
                   (SELECT COUNT(*) FROM dropped)
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
        proposed, written, dropped = self.env.cr.fetchone()
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
            "Visit plan of company %s, week %s: %s proposed (%s written), %s dropped",
            company.id,
            week_start,
            proposed,
            written,
            dropped,
        )
        return proposed
