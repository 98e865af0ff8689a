# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

# months of value history the demo records before this month's snapshot
DEMO_HISTORY_MONTHS = 12


class CrmSmeDemo(models.AbstractModel):
    """The demo's value history: the monthly snapshots the value job would
    have recorded over the past year had crm_sme been installed then, so that
    tier moves, lifecycle moves and the dynamic report show the story (new
    customers, key accounts that grew, customers slipping away) instead of
    one snapshot taken at installation."""

    _inherit = "crm.sme.demo"

    @api.model
    def _demo_value_history(self, company, today, months=DEMO_HISTORY_MONTHS):
        """Upsert a snapshot per past month (the ``months`` before this one)
        for every customer of ``company`` invoiced by the end of that month,
        from the demo's posted invoices up to the month's last day: the
        12-month net revenue, the lifecycle by the company's thresholds (days
        since the first and last invoice), the ABC class by cumulative share
        of revenue, the value tier from the rank of the revenue (the current
        value's bound) and the customer's potential today (the demo keeps each
        customer's potential over the year). Salesperson and team as today;
        no RFM (the snapshots of the job have it). Existing snapshots are
        kept. Returns the number of snapshots written."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH months AS (
                    SELECT (date_trunc('month', %(today)s::date) - make_interval(months => k))::date
                               AS period,
                           (date_trunc('month', %(today)s::date)
                              - make_interval(months => k - 1))::date - 1 AS day
                      FROM generate_series(1, %(months)s) k
                ), invoiced AS (
                    SELECT mo.period, mo.day, m.commercial_partner_id AS partner_id,
                           COALESCE(SUM(m.amount_untaxed_signed)
                                    FILTER (WHERE m.invoice_date > mo.day - 365), 0) AS revenue,
                           MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_day,
                           MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_day
                      FROM months mo
                      JOIN account_move m ON m.invoice_date <= mo.day
                     WHERE m.company_id = %(c)s AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                     GROUP BY mo.period, mo.day, m.commercial_partner_id
                ), ranked AS (
                    SELECT i.*, v.user_id, v.team_id, v.potential_value,
                           100.0 * CUME_DIST() OVER (PARTITION BY i.period ORDER BY i.revenue)
                               AS current_value,
                           SUM(GREATEST(i.revenue, 0)) OVER (
                               PARTITION BY i.period ORDER BY i.revenue DESC, i.partner_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS revenue_before,
                           SUM(GREATEST(i.revenue, 0)) OVER (PARTITION BY i.period) AS total
                      FROM invoiced i
                      JOIN crm_sme_customer_value v
                        ON v.partner_id = i.partner_id AND v.company_id = %(c)s
                     WHERE i.first_day IS NOT NULL
                )
                INSERT INTO crm_sme_customer_value_history AS h (
                    partner_id, company_id, period, user_id, team_id, value_tier, abc_class,
                    lifecycle, current_value, potential_value, revenue,
                    create_uid, write_uid, create_date, write_date)
                SELECT r.partner_id, co.id, r.period, r.user_id, r.team_id,
                       CASE WHEN r.current_value >= co.crm_sme_value_current_bound
                                 AND r.potential_value >= co.crm_sme_value_potential_bound THEN 'key'
                            WHEN r.current_value >= co.crm_sme_value_current_bound THEN 'maintain'
                            WHEN r.potential_value >= co.crm_sme_value_potential_bound THEN 'grow'
                            ELSE 'basic' END,
                       CASE WHEN r.revenue <= 0 OR r.total <= 0 THEN 'c'
                            WHEN 100.0 * COALESCE(r.revenue_before, 0) / r.total
                                 < co.crm_sme_abc_a_share THEN 'a'
                            WHEN 100.0 * COALESCE(r.revenue_before, 0) / r.total
                                 < co.crm_sme_abc_a_share + co.crm_sme_abc_b_share THEN 'b'
                            ELSE 'c' END,
                       CASE WHEN r.day - r.first_day <= co.crm_sme_lifecycle_new_days THEN 'new'
                            WHEN r.day - r.last_day <= co.crm_sme_lifecycle_at_risk_days THEN 'active'
                            WHEN r.day - r.last_day <= co.crm_sme_lifecycle_dormant_days THEN 'at_risk'
                            WHEN r.day - r.last_day <= co.crm_sme_lifecycle_lost_days THEN 'dormant'
                            ELSE 'lost' END,
                       r.current_value, r.potential_value, r.revenue,
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM ranked r
                  JOIN res_company co ON co.id = %(c)s
                ON CONFLICT (partner_id, company_id, period) DO NOTHING
                """,
                today=today,
                months=months,
                c=company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        written = self.env.cr.rowcount
        self.env["crm.sme.customer.value.history"].invalidate_model()
        return written
