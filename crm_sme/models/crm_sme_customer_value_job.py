# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Input columns of crm_sme_customer_value written by the input pass.
INPUTS = (
    "user_id",
    "team_id",
    "revenue_12m",
    "margin_12m",
    "invoice_count_12m",
    "product_count_12m",
    "avg_days_to_pay",
    "max_days_overdue",
    "first_invoice_date",
    "last_invoice_date",
    "first_order_date",
    "last_order_date",
    "purchase_potential",
    "wallet_gap",
    "growth_rating",
    "pipeline_weighted",
)
# Columns written by the score pass.
SCORES = (
    "rank_revenue",
    "rank_margin",
    "rank_frequency",
    "rank_variety",
    "rank_recency",
    "rank_payment",
    "rank_gap",
    "rank_pipeline",
    "current_value",
    "potential_value",
    "value_tier",
    "revenue_share_before",
    "abc_class",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_segment",
    "rfm_class",
    "lifecycle_computed",
    "lifecycle",
)
# res.partner company-dependent field -> (value column, SQL type of the JSON value)
PARTNER_FIELDS = {
    "crm_sme_value_tier": "value_tier",
    "crm_sme_current_value": "current_value::float8",
    "crm_sme_potential_value": "potential_value::float8",
    "crm_sme_abc_class": "abc_class",
    "crm_sme_rfm_r": "rfm_r",
    "crm_sme_rfm_f": "rfm_f",
    "crm_sme_rfm_m": "rfm_m",
    "crm_sme_rfm_segment": "rfm_segment",
    "crm_sme_rfm_class": "rfm_class",
    "crm_sme_lifecycle": "lifecycle",
}
HISTORY = {
    "user_id": "user_id",
    "team_id": "team_id",
    "value_tier": "value_tier",
    "abc_class": "abc_class",
    "rfm_segment": "rfm_segment",
    "rfm_class": "rfm_class",
    "lifecycle": "lifecycle",
    "current_value": "current_value::float8",
    "potential_value": "potential_value::float8",
    "revenue": "revenue_12m",
}


def _cols(names, alias=None):
    return SQL(", ").join(SQL.identifier(alias, n) if alias else SQL.identifier(n) for n in names)


class CrmSmeCustomerValue(models.Model):
    """The set-based passes of the value job (called by
    ``res.partner._crm_sme_recompute_values``): a constant number of queries
    per batch of customers and per company, whatever their number.

    The two large statements run without PostgreSQL's JIT: compiling them
    cost more than a second per batch for a few hundred milliseconds of work.
    The score statement sorts the company's customers once per window: its
    windows read a narrow relation of the metrics, with a work_mem that keeps
    those sorts in memory (local to the transaction).
    """

    _inherit = "crm.sme.customer.value"

    @api.model
    def _customer_ids(self, company):
        """Commercial partners that are customers of ``company``: invoiced,
        ordered or with an opportunity there, already scored there, or
        customers belonging to it (prospects). One query."""
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id FROM (
                    SELECT commercial_partner_id AS id FROM account_move
                     WHERE company_id = %(c)s AND state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                    UNION SELECT p.commercial_partner_id FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.company_id = %(c)s AND so.state = 'sale'
                    UNION SELECT p.commercial_partner_id FROM crm_lead l
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(c)s AND l.active AND l.type = 'opportunity'
                    UNION SELECT partner_id FROM crm_sme_customer_value WHERE company_id = %(c)s
                    UNION SELECT id FROM res_partner
                     WHERE company_id = %(c)s AND parent_id IS NULL AND customer_rank > 0
                ) c
                JOIN res_partner p ON p.id = c.id
               WHERE p.active AND p.id = p.commercial_partner_id
                 AND NOT EXISTS (SELECT 1 FROM res_company rc WHERE rc.partner_id = p.id)
                 AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
            ORDER BY c.id
                """,
                c=company.id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _upsert_inputs(self, company, partner_ids, today):
        """One upsert of the inputs of those customers in ``company``;
        unchanged rows are not written. Returns the number of rows written."""
        money = self.env["crm.sme.money"]
        today_table = money._today_table({company.id: today})
        members = money._members_sql(partner_ids)
        ckey = str(company.id)
        query = SQL(
            """
            SET LOCAL jit = off;
            WITH inv AS (%(invoiced)s), pay AS (%(days_to_pay)s), rec AS (%(aged)s),
            firsts AS (
                SELECT m.commercial_partner_id AS partner_id, MIN(m.invoice_date) AS first_invoice_date
                  FROM account_move m
                 WHERE m.company_id = %(c)s AND m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.commercial_partner_id = ANY(%(ids)s)
              GROUP BY 1
            ), lines AS (
                SELECT m.commercial_partner_id AS partner_id,
                       SUM(-l.balance - CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                           * l.quantity * COALESCE((pp.standard_price ->> %(ckey)s)::numeric, 0)) AS margin,
                       COUNT(DISTINCT l.product_id) FILTER (WHERE m.move_type = 'out_invoice') AS variety
                  FROM account_move m
                  -- the batch's lines through the index on move_id (a join
                  -- scanned every invoice line of the database per batch)
                 CROSS JOIN LATERAL (
                      SELECT l.balance, l.quantity, l.product_id FROM account_move_line l
                       WHERE l.move_id = m.id AND l.display_type = 'product' OFFSET 0) l
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                 WHERE m.company_id = %(c)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.commercial_partner_id = ANY(%(ids)s) AND m.invoice_date > %(year_ago)s
              GROUP BY 1
            ), orders AS (
                SELECT p.commercial_partner_id AS partner_id,
                       MIN(so.date_order)::date AS first_order_date, MAX(so.date_order)::date AS last_order_date
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.company_id = %(c)s AND so.state = 'sale' AND so.partner_id IN %(members)s
              GROUP BY 1
            ), pipe AS (
                SELECT p.commercial_partner_id AS partner_id,
                       SUM(l.expected_revenue * l.probability / 100) AS amount
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.company_id = %(c)s AND l.active AND l.type = 'opportunity'
                   AND s.is_won IS NOT TRUE AND l.partner_id IN %(members)s
              GROUP BY 1
            )
            INSERT INTO crm_sme_customer_value AS v (
                partner_id, company_id, %(columns)s, create_uid, write_uid, create_date, write_date)
            SELECT p.id, %(c)s, p.user_id, p.team_id,
                   COALESCE(inv.invoiced_12m, 0), ROUND(COALESCE(lines.margin, 0), 2),
                   COALESCE(inv.invoice_count_12m, 0), COALESCE(lines.variety, 0),
                   COALESCE(ROUND(pay.avg_days_to_pay, 1), 0), COALESCE(rec.max_days_overdue, 0),
                   firsts.first_invoice_date, inv.last_invoice_date,
                   orders.first_order_date, orders.last_order_date,
                   COALESCE(p.purchase_potential, 0),
                   GREATEST(COALESCE(p.purchase_potential, 0) - GREATEST(COALESCE(inv.invoiced_12m, 0), 0), 0),
                   COALESCE(ind.crm_sme_growth_rating, 50),
                   ROUND(COALESCE(pipe.amount, 0)::numeric, 2),
                   %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM res_partner p
              LEFT JOIN res_partner_industry ind ON ind.id = p.industry_id
              LEFT JOIN inv ON inv.partner_id = p.id AND inv.company_id = %(c)s
              LEFT JOIN pay ON pay.partner_id = p.id AND pay.company_id = %(c)s
              LEFT JOIN rec ON rec.partner_id = p.id AND rec.company_id = %(c)s
              LEFT JOIN firsts ON firsts.partner_id = p.id
              LEFT JOIN lines ON lines.partner_id = p.id
              LEFT JOIN orders ON orders.partner_id = p.id
              LEFT JOIN pipe ON pipe.partner_id = p.id
             WHERE p.id = ANY(%(ids)s)
            ON CONFLICT (partner_id, company_id) DO UPDATE
               SET %(assignments)s, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
             WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
            """,
            invoiced=money._invoiced_sql(today_table, partner_ids),
            days_to_pay=money._days_to_pay_sql(today_table, partner_ids),
            aged=money._aged_sql(today_table, partner_ids),
            c=company.id,
            ckey=ckey,
            ids=list(partner_ids),
            members=members,
            year_ago=fields.Date.subtract(today, days=365),
            columns=_cols(INPUTS),
            assignments=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n)) for n in INPUTS
            ),
            current=_cols(INPUTS, "v"),
            excluded=_cols(INPUTS, "excluded"),
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )
        self.env.cr.execute(query)
        return self.env.cr.rowcount

    @api.model
    def _update_scores(self, company, today):
        """One statement: percentile ranks, scores, tier, ABC, RFM and
        lifecycle of every customer of ``company`` from the stored inputs;
        only rows whose results change are written."""
        c = company
        ckey = str(c.id)

        def pct(condition, order):
            return SQL(
                "CASE WHEN %(cond)s THEN ROUND((cume_dist() OVER (PARTITION BY %(cond)s ORDER BY %(order)s)"
                " * 100)::numeric, 2) ELSE 0 END",
                cond=SQL(condition),
                order=SQL(order),
            )

        def score(condition, order):
            return SQL(
                "CASE WHEN %(cond)s THEN CEIL(cume_dist() OVER (PARTITION BY %(cond)s ORDER BY %(order)s)"
                " * 5)::int ELSE 0 END",
                cond=SQL(condition),
                order=SQL(order),
            )

        bought = "v.last_invoice_date IS NOT NULL"
        query = SQL(
            """
            SET LOCAL jit = off; SET LOCAL work_mem = '64MB';
            WITH ranks AS (
                -- the windows over a narrow relation of the metrics only: the
                -- sorts of the wide rows spilled to disk, once per window
                SELECT v.id,
                       %(rank_revenue)s AS rank_revenue, %(rank_margin)s AS rank_margin,
                       %(rank_frequency)s AS rank_frequency, %(rank_variety)s AS rank_variety,
                       %(rank_recency)s AS rank_recency, %(rank_payment)s AS rank_payment,
                       %(rank_gap)s AS rank_gap, %(rank_pipeline)s AS rank_pipeline,
                       CASE WHEN v.revenue_12m > 0 THEN ROUND(
                           (SUM(v.revenue_12m) OVER (PARTITION BY v.revenue_12m > 0
                                ORDER BY v.revenue_12m DESC, v.partner_id ROWS UNBOUNDED PRECEDING)
                            - v.revenue_12m) * 100 / SUM(v.revenue_12m) OVER (PARTITION BY v.revenue_12m > 0), 2)
                       END AS revenue_share_before,
                       %(rfm_r)s AS rfm_r, %(rfm_f)s AS rfm_f, %(rfm_m)s AS rfm_m,
                       CASE WHEN %(bought)s THEN
                           CASE WHEN %(today)s - v.last_invoice_date
                                     <= AVG(%(today)s - v.last_invoice_date) OVER (PARTITION BY %(bought)s)
                                THEN 'h' ELSE 'l' END
                           || CASE WHEN v.invoice_count_12m
                                     >= AVG(v.invoice_count_12m) OVER (PARTITION BY %(bought)s)
                                THEN 'h' ELSE 'l' END
                           || CASE WHEN v.revenue_12m >= AVG(v.revenue_12m) OVER (PARTITION BY %(bought)s)
                                THEN 'h' ELSE 'l' END
                       END AS rfm_class
                  FROM (SELECT id, partner_id, revenue_12m, margin_12m, invoice_count_12m, product_count_12m,
                               last_invoice_date, avg_days_to_pay, max_days_overdue, wallet_gap, pipeline_weighted
                          FROM crm_sme_customer_value WHERE company_id = %(c)s OFFSET 0) v
            ), ranked AS (
                SELECT v.id, v.partner_id, v.growth_rating, rk.rank_revenue, rk.rank_margin,
                       rk.rank_frequency, rk.rank_variety, rk.rank_recency, rk.rank_payment,
                       rk.rank_gap, rk.rank_pipeline, rk.revenue_share_before,
                       rk.rfm_r, rk.rfm_f, rk.rfm_m, rk.rfm_class,
                       CASE WHEN GREATEST(v.last_invoice_date, v.last_order_date) IS NULL THEN 'prospect'
                            WHEN %(today)s - LEAST(v.first_invoice_date, v.first_order_date) <= co.crm_sme_lifecycle_new_days
                                THEN 'new'
                            WHEN %(today)s - GREATEST(v.last_invoice_date, v.last_order_date) <= co.crm_sme_lifecycle_at_risk_days
                                THEN 'active'
                            WHEN %(today)s - GREATEST(v.last_invoice_date, v.last_order_date) <= co.crm_sme_lifecycle_dormant_days
                                THEN 'at_risk'
                            WHEN %(today)s - GREATEST(v.last_invoice_date, v.last_order_date) <= co.crm_sme_lifecycle_lost_days
                                THEN 'dormant'
                            ELSE 'lost' END AS lifecycle_computed,
                       p.crm_sme_lifecycle_override ->> %(ckey)s AS lifecycle_override
                  FROM crm_sme_customer_value v
                  JOIN ranks rk ON rk.id = v.id
                  JOIN res_company co ON co.id = v.company_id
                  JOIN res_partner p ON p.id = v.partner_id
                 WHERE v.company_id = %(c)s
            ), scored AS (
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
                       co.crm_sme_value_current_bound AS cb, co.crm_sme_value_potential_bound AS pb,
                       co.crm_sme_abc_a_share AS a_share, co.crm_sme_abc_b_share AS b_share
                  FROM ranked r
                  JOIN res_company co ON co.id = %(c)s
            ), final AS (
                SELECT s.id, s.rank_revenue, s.rank_margin, s.rank_frequency, s.rank_variety,
                       s.rank_recency, s.rank_payment, s.rank_gap, s.rank_pipeline,
                       s.current_value, s.potential_value,
                       CASE WHEN s.current_value >= s.cb AND s.potential_value >= s.pb THEN 'key'
                            WHEN s.current_value >= s.cb THEN 'maintain'
                            WHEN s.potential_value >= s.pb THEN 'grow'
                            ELSE 'basic' END AS value_tier,
                       s.revenue_share_before,
                       CASE WHEN s.revenue_share_before IS NULL THEN 'c'
                            WHEN s.revenue_share_before < s.a_share THEN 'a'
                            WHEN s.revenue_share_before < s.a_share + s.b_share THEN 'b'
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
                  FROM scored s
            )
            UPDATE crm_sme_customer_value v
               SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
              FROM final f
             WHERE v.id = f.id AND (%(current)s) IS DISTINCT FROM (%(new)s)
            """,
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
            bought=SQL(bought),
            today=today,
            ckey=ckey,
            c=c.id,
            assignments=SQL(", ").join(
                SQL("%s = %s", SQL.identifier(n), SQL.identifier("f", n)) for n in SCORES
            ),
            current=_cols(SCORES, "v"),
            new=_cols(SCORES, "f"),
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )
        self.env.cr.execute(query)
        return self.env.cr.rowcount

    @api.model
    def _propagate_to_partners(self, company):
        """Copy the results to the company-dependent fields of the customers
        (one UPDATE, changed customers only). Returns the number of customers
        written and the lifecycle transitions: [(partner id, old stage, new
        stage, salesperson's lang)]."""
        ckey = str(company.id)

        def assign(name, expr):
            col = SQL.identifier(name)
            return SQL(
                "%(col)s = CASE WHEN %(val)s IS NULL THEN COALESCE(p.%(col)s, '{}'::jsonb) - %(key)s"
                " ELSE COALESCE(p.%(col)s, '{}'::jsonb) || jsonb_build_object(%(key)s, %(val)s) END",
                col=col,
                val=SQL("x.%s", SQL(expr)),
                key=ckey,
            )

        def differs(name, expr):
            return SQL(
                "(p.%s -> %s) IS DISTINCT FROM to_jsonb(x.%s)",
                SQL.identifier(name),
                ckey,
                SQL(expr),
            )

        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
                  FROM (SELECT v.*, op.crm_sme_lifecycle ->> %(key)s AS old_lifecycle, up.lang
                          FROM crm_sme_customer_value v
                          JOIN res_partner op ON op.id = v.partner_id
                          LEFT JOIN res_users u ON u.id = op.user_id
                          LEFT JOIN res_partner up ON up.id = u.partner_id
                         WHERE v.company_id = %(c)s) x
                 WHERE p.id = x.partner_id AND (%(differs)s)
             RETURNING p.id, x.old_lifecycle, x.lifecycle, x.lang
                """,
                assignments=SQL(", ").join(assign(n, e) for n, e in PARTNER_FIELDS.items()),
                differs=SQL(" OR ").join(differs(n, e) for n, e in PARTNER_FIELDS.items()),
                key=ckey,
                c=company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        rows = self.env.cr.fetchall()
        self.env["res.partner"].invalidate_model(list(PARTNER_FIELDS) + ["write_date", "write_uid"])
        return len(rows), [row for row in rows if row[1] and row[1] != row[2]]

    @api.model
    def _upsert_history(self, company, today):
        """Upsert this month's snapshot of every customer of ``company``."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_sme_customer_value_history AS h (
                    partner_id, company_id, period, %(columns)s, create_uid, write_uid, create_date, write_date)
                SELECT v.partner_id, v.company_id, %(period)s, %(values)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM crm_sme_customer_value v
                 WHERE v.company_id = %(c)s
                ON CONFLICT (partner_id, company_id, period) DO UPDATE
                   SET %(assignments)s, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                """,
                columns=_cols(HISTORY),
                values=SQL(", ").join(SQL("v.%s", SQL(e)) for e in HISTORY.values()),
                period=today.replace(day=1),
                c=company.id,
                assignments=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n)) for n in HISTORY
                ),
                current=_cols(HISTORY, "h"),
                excluded=_cols(HISTORY, "excluded"),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _key_account_changes(self, company):
        """Customers of ``company`` whose key-account flag follows their tier
        (not set by hand) and differs from it: {True: ids, False: ids}. A
        customer is a key account when it is Key in any company."""
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, EXISTS (SELECT 1 FROM crm_sme_customer_value w
                                      WHERE w.partner_id = p.id AND w.value_tier = 'key') AS key
                  FROM crm_sme_customer_value v
                  JOIN res_partner p ON p.id = v.partner_id
                 WHERE v.company_id = %s AND p.crm_sme_key_account_manual IS NOT TRUE
                   AND COALESCE(p.is_key_account, FALSE) IS DISTINCT FROM EXISTS (
                       SELECT 1 FROM crm_sme_customer_value w
                        WHERE w.partner_id = p.id AND w.value_tier = 'key')
                """,
                company.id,
            )
        )
        changes = {True: [], False: []}
        for partner_id, key in self.env.cr.fetchall():
            changes[key].append(partner_id)
        return changes
