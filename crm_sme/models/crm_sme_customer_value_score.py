# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .crm_sme_customer_value_job import INPUTS, SCORES, _cols


class CrmSmeCustomerValue(models.Model):
    """The scores of the value job: percentile ranks, current and potential
    value, tier, ABC, RFM and lifecycle of every customer of a company, from
    its inputs, in one pass (:meth:`_scores_sql`)."""

    _inherit = "crm.sme.customer.value"

    @api.model
    def _scores_sql(self, company, today, inputs, carry=()):
        """SELECT of ``(partner_id, *carry, *SCORES)``: percentile ranks,
        scores, tier, ABC, RFM and lifecycle of the customers of ``company``
        from the relation ``inputs`` (SQL, alias ``v``: ``partner_id``, the
        :data:`INPUTS` columns and ``lifecycle_override`` of every customer
        of the company, nothing else), in one pass over it; ``carry``: input
        columns passed through.

        A percentile rank within the customers that have the figure is
        ``COUNT(*) FILTER (WHERE has figure)`` over the customers ordered by
        the figure (peers included) divided by the same count over all: the
        ``cume_dist()`` of that partition, to the last bit, but the ranks,
        RFM scores and ABC shares of one figure share one sort of the
        customers (a partition per figure sorted them once per window)."""

        def share(condition, order):
            # the customer's cume_dist() among the customers with the figure
            return SQL(
                "COUNT(*) FILTER (WHERE %(cond)s) OVER (ORDER BY %(order)s)::float8"
                " / COUNT(*) FILTER (WHERE %(cond)s) OVER ()",
                cond=SQL(condition),
                order=SQL(order),
            )

        def pct(condition, order):
            return SQL(
                "CASE WHEN %s THEN ROUND((%s * 100)::numeric, 2) ELSE 0 END",
                SQL(condition),
                share(condition, order),
            )

        def score(condition, order):
            return SQL(
                "CASE WHEN %s THEN CEIL(%s * 5)::int ELSE 0 END",
                SQL(condition),
                share(condition, order),
            )

        def above_mean(value, comparison, condition):
            # R, F or M of the customer above (or at) / below the mean of the
            # customers ever invoiced
            return SQL(
                "CASE WHEN %(value)s %(cmp)s AVG(%(value)s) FILTER (WHERE %(cond)s) OVER ()"
                " THEN 'h' ELSE 'l' END",
                value=value,
                cmp=SQL(comparison),
                cond=SQL(condition),
            )

        bought = "v.last_invoice_date IS NOT NULL"
        return SQL(
            """
            SELECT s.partner_id, %(carried)s
                   s.rank_revenue, s.rank_margin, s.rank_frequency, s.rank_variety,
                   s.rank_recency, s.rank_payment, s.rank_gap, s.rank_pipeline,
                   s.current_value, s.potential_value,
                   CASE WHEN s.current_value >= co.crm_sme_value_current_bound
                             AND s.potential_value >= co.crm_sme_value_potential_bound THEN 'key'
                        WHEN s.current_value >= co.crm_sme_value_current_bound THEN 'maintain'
                        WHEN s.potential_value >= co.crm_sme_value_potential_bound THEN 'grow'
                        ELSE 'basic' END AS value_tier,
                   s.revenue_share_before,
                   CASE WHEN s.revenue_share_before IS NULL THEN 'c'
                        WHEN s.revenue_share_before < co.crm_sme_abc_a_share THEN 'a'
                        WHEN s.revenue_share_before < co.crm_sme_abc_a_share + co.crm_sme_abc_b_share THEN 'b'
                        ELSE 'c' END AS abc_class,
                   s.rfm_r, s.rfm_f, s.rfm_m,
                   CASE WHEN s.rfm_r = 0 THEN NULL
                        WHEN s.rfm_r >= 4 AND s.fm >= 4 THEN 'champions'
                        WHEN s.rfm_r >= 3 AND s.fm >= 4 THEN 'loyal'
                        WHEN s.rfm_r >= 4 AND s.fm = 3 THEN 'potential_loyalist'
                        WHEN s.rfm_r >= 4 AND s.rfm_f <= 1 THEN 'new_customer'
                        WHEN s.rfm_r >= 4 THEN 'promising'
                        WHEN s.rfm_r = 3 AND s.fm = 3 THEN 'need_attention'
                        WHEN s.rfm_r = 3 THEN 'about_to_sleep'
                        WHEN s.rfm_r = 1 AND s.fm >= 4 THEN 'cannot_lose'
                        WHEN s.fm >= 3 THEN 'at_risk'
                        WHEN s.rfm_r = 2 THEN 'hibernating'
                        ELSE 'lost' END AS rfm_segment,
                   s.rfm_class, s.lifecycle_computed,
                   COALESCE(s.lifecycle_override, s.lifecycle_computed) AS lifecycle
              FROM (
                SELECT r.*,
                       ROUND((co.crm_sme_value_w_revenue * r.rank_revenue + co.crm_sme_value_w_margin * r.rank_margin
                              + co.crm_sme_value_w_frequency * r.rank_frequency
                              + co.crm_sme_value_w_variety * r.rank_variety
                              + co.crm_sme_value_w_recency * r.rank_recency
                              + co.crm_sme_value_w_payment * r.rank_payment) / 100, 2) AS current_value,
                       ROUND((co.crm_sme_value_w_gap * r.rank_gap
                              + co.crm_sme_value_w_growth * LEAST(GREATEST(r.growth_rating, 0), 100)
                              + co.crm_sme_value_w_pipeline * r.rank_pipeline) / 100, 2) AS potential_value,
                       ROUND((r.rfm_f + r.rfm_m) / 2.0) AS fm,
                       CASE WHEN GREATEST(r.last_invoice_date, r.last_order_date) IS NULL THEN 'prospect'
                            WHEN %(today)s - LEAST(r.first_invoice_date, r.first_order_date) <= co.crm_sme_lifecycle_new_days
                                THEN 'new'
                            WHEN %(today)s - GREATEST(r.last_invoice_date, r.last_order_date) <= co.crm_sme_lifecycle_at_risk_days
                                THEN 'active'
                            WHEN %(today)s - GREATEST(r.last_invoice_date, r.last_order_date) <= co.crm_sme_lifecycle_dormant_days
                                THEN 'at_risk'
                            WHEN %(today)s - GREATEST(r.last_invoice_date, r.last_order_date) <= co.crm_sme_lifecycle_lost_days
                                THEN 'dormant'
                            ELSE 'lost' END AS lifecycle_computed
                  FROM (
                    SELECT v.*,
                           %(rank_revenue)s AS rank_revenue, %(rank_margin)s AS rank_margin,
                           %(rank_frequency)s AS rank_frequency, %(rank_variety)s AS rank_variety,
                           %(rank_recency)s AS rank_recency, %(rank_payment)s AS rank_payment,
                           %(rank_gap)s AS rank_gap, %(rank_pipeline)s AS rank_pipeline,
                           -- the revenue of the larger customers (revenue, then id):
                           -- all positive revenue less the running sum up to this one
                           CASE WHEN v.revenue_12m > 0 THEN ROUND(
                               (SUM(v.revenue_12m) FILTER (WHERE v.revenue_12m > 0) OVER ()
                                - SUM(v.revenue_12m) FILTER (WHERE v.revenue_12m > 0) OVER (
                                      ORDER BY v.revenue_12m, v.partner_id DESC ROWS UNBOUNDED PRECEDING))
                               * 100 / SUM(v.revenue_12m) FILTER (WHERE v.revenue_12m > 0) OVER (), 2)
                           END AS revenue_share_before,
                           %(rfm_r)s AS rfm_r, %(rfm_f)s AS rfm_f, %(rfm_m)s AS rfm_m,
                           CASE WHEN %(bought)s THEN %(r_class)s || %(f_class)s || %(m_class)s END AS rfm_class
                      FROM %(inputs)s
                  ) r
                  JOIN res_company co ON co.id = %(c)s
              ) s
              JOIN res_company co ON co.id = %(c)s
            """,
            inputs=inputs,
            rank_revenue=pct("v.revenue_12m > 0", "v.revenue_12m"),
            rank_margin=pct("v.margin_12m > 0", "v.margin_12m"),
            rank_frequency=pct("v.invoice_count_12m > 0", "v.invoice_count_12m"),
            rank_variety=pct("v.product_count_12m > 0", "v.product_count_12m"),
            rank_recency=pct("v.invoice_count_12m > 0", "v.last_invoice_date"),
            rank_payment=pct(
                "v.invoice_count_12m > 0", "v.avg_days_to_pay + v.max_days_overdue DESC"
            ),
            rank_gap=pct("v.wallet_gap > 0", "v.wallet_gap"),
            rank_pipeline=pct("v.pipeline_weighted > 0", "v.pipeline_weighted"),
            rfm_r=score(bought, "v.last_invoice_date"),
            rfm_f=score(bought, "v.invoice_count_12m"),
            rfm_m=score(bought, "v.revenue_12m"),
            r_class=above_mean(SQL("%s - v.last_invoice_date", today), "<=", bought),
            f_class=above_mean(SQL("v.invoice_count_12m"), ">=", bought),
            m_class=above_mean(SQL("v.revenue_12m"), ">=", bought),
            bought=SQL(bought),
            today=today,
            c=company.id,
            carried=SQL("%s, ", _cols(carry, "s")) if carry else SQL(),
        )

    @api.model
    def _update_scores(self, company, today):
        """One statement: the scores of every customer of ``company`` from
        the stored inputs (:meth:`_scores_sql`); only rows whose results
        change are written. The job's
        company-wide statement computes them with the inputs instead; this is
        its fallback."""
        self.env.cr.execute(
            SQL(
                """
                SET LOCAL jit = off; SET LOCAL work_mem = '64MB';
                UPDATE crm_sme_customer_value v
                   SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
                  FROM (%(scores)s) f
                 WHERE v.company_id = %(c)s AND v.partner_id = f.partner_id
                   AND (%(current)s) IS DISTINCT FROM (%(new)s)
                """,
                scores=self._scores_sql(
                    company,
                    today,
                    SQL(
                        """(SELECT s.partner_id, %(inputs)s,
                                   p.crm_sme_lifecycle_override ->> %(ckey)s AS lifecycle_override
                              FROM crm_sme_customer_value s
                              JOIN res_partner p ON p.id = s.partner_id
                             WHERE s.company_id = %(c)s) v""",
                        inputs=_cols(INPUTS, "s"),
                        ckey=str(company.id),
                        c=company.id,
                    ),
                ),
                c=company.id,
                assignments=SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(n), SQL.identifier("f", n)) for n in SCORES
                ),
                current=_cols(SCORES, "v"),
                new=_cols(SCORES, "f"),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return self.env.cr.rowcount
