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


# Temporary table of the company-wide input pass (per database session).
INPUT_TABLE = "crm_sme_value_inputs"


def _scope(partner_ids):
    """``AND v.partner_id = ANY(ids)``, or nothing for every customer."""
    if partner_ids is None:
        return SQL()
    return SQL("AND v.partner_id = ANY(%s)", list(partner_ids))


def _fields_differ(partner, value, ckey):
    """SQL: the company-dependent fields of the customer (alias ``partner``)
    differ from the results of its value row (alias ``value``)."""
    return SQL(
        "(%s)",
        SQL(" OR ").join(
            SQL(
                "(%s -> %s) IS DISTINCT FROM to_jsonb(%s)",
                SQL.identifier(partner, name),
                ckey,
                SQL("%s.%s", SQL.identifier(value), SQL(expr)),
            )
            for name, expr in PARTNER_FIELDS.items()
        ),
    )


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
    def _customers_sql(self, company):
        """Commercial partners that are customers of ``company``: invoiced,
        ordered or with an opportunity there, already scored there, or
        customers belonging to it (prospects); SELECT of ``id``."""
        return SQL(
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
            """,
            c=company.id,
        )

    @api.model
    def _customer_ids(self, company):
        """Ids of the customers of ``company`` (:meth:`_customers_sql`), in order."""
        self.env.cr.execute(SQL("%s ORDER BY 1", self._customers_sql(company)))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _inputs_sql(self, company, today, partner_ids=None):
        """SELECT of ``(partner_id, *INPUTS, lifecycle_override)`` of the
        customers ``partner_ids`` of ``company``: every source read for those
        customers only, through the partner indexes (a batch, one customer);
        or, without ``partner_ids``, of every customer of the company
        (:meth:`_customers_sql`), each source read once for the company, the
        way a raw pass would."""
        money = self.env["crm.sme.money"]
        today_table = money._today_table({company.id: today})
        scoped = partner_ids is not None
        scope_ids = list(partner_ids) if scoped else None
        if scoped:
            members = money._members_sql(partner_ids)
            moves_scope = SQL("AND m.commercial_partner_id = ANY(%s)", scope_ids)
            members_scope = SQL("AND so.partner_id IN %s", members)
            leads_scope = SQL("AND l.partner_id IN %s", members)
            # the batch's lines through the index on move_id (a join scanned
            # every invoice line of the database per batch)
            lines_source = SQL(
                """CROSS JOIN LATERAL (
                      SELECT l.balance, l.quantity, l.product_id FROM account_move_line l
                       WHERE l.move_id = m.id AND l.display_type = 'product' OFFSET 0) l"""
            )
        else:
            moves_scope = members_scope = leads_scope = SQL()
            lines_source = SQL(
                "JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'"
            )
        return SQL(
            """
            WITH inv AS (%(invoiced)s), pay AS (%(days_to_pay)s), rec AS (%(aged)s),
            lines AS (
                SELECT m.commercial_partner_id AS partner_id,
                       SUM(-l.balance - CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                           * l.quantity * COALESCE((pp.standard_price ->> %(ckey)s)::numeric, 0)) AS margin,
                       COUNT(DISTINCT l.product_id) FILTER (WHERE m.move_type = 'out_invoice') AS variety
                  FROM account_move m
                  %(lines_source)s
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                 WHERE m.company_id = %(c)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date > %(year_ago)s %(moves_scope)s
              GROUP BY 1
            ), orders AS (
                SELECT p.commercial_partner_id AS partner_id,
                       MIN(so.date_order)::date AS first_order_date, MAX(so.date_order)::date AS last_order_date
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.company_id = %(c)s AND so.state = 'sale' %(members_scope)s
              GROUP BY 1
            ), pipe AS (
                SELECT p.commercial_partner_id AS partner_id,
                       SUM(l.expected_revenue * l.probability / 100) AS amount
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.company_id = %(c)s AND l.active AND l.type = 'opportunity'
                   AND s.is_won IS NOT TRUE %(leads_scope)s
              GROUP BY 1
            )
            SELECT p.id AS partner_id, p.user_id, p.team_id,
                   COALESCE(inv.invoiced_12m, 0) AS revenue_12m,
                   ROUND(COALESCE(lines.margin, 0), 2) AS margin_12m,
                   COALESCE(inv.invoice_count_12m, 0) AS invoice_count_12m,
                   COALESCE(lines.variety, 0) AS product_count_12m,
                   COALESCE(ROUND(pay.avg_days_to_pay, 1), 0) AS avg_days_to_pay,
                   COALESCE(rec.max_days_overdue, 0) AS max_days_overdue,
                   inv.first_invoice_date, inv.last_invoice_date,
                   orders.first_order_date, orders.last_order_date,
                   COALESCE(p.purchase_potential, 0) AS purchase_potential,
                   GREATEST(COALESCE(p.purchase_potential, 0) - GREATEST(COALESCE(inv.invoiced_12m, 0), 0), 0)
                       AS wallet_gap,
                   COALESCE(ind.crm_sme_growth_rating, 50) AS growth_rating,
                   ROUND(COALESCE(pipe.amount, 0)::numeric, 2) AS pipeline_weighted,
                   p.crm_sme_lifecycle_override ->> %(ckey)s AS lifecycle_override
              FROM res_partner p
              LEFT JOIN res_partner_industry ind ON ind.id = p.industry_id
              LEFT JOIN inv ON inv.partner_id = p.id AND inv.company_id = %(c)s
              LEFT JOIN pay ON pay.partner_id = p.id AND pay.company_id = %(c)s
              LEFT JOIN rec ON rec.partner_id = p.id AND rec.company_id = %(c)s
              LEFT JOIN lines ON lines.partner_id = p.id
              LEFT JOIN orders ON orders.partner_id = p.id
              LEFT JOIN pipe ON pipe.partner_id = p.id
             WHERE %(customers)s
            """,
            invoiced=money._invoiced_sql(today_table, scope_ids),
            days_to_pay=money._days_to_pay_sql(today_table, scope_ids),
            aged=money._aged_sql(today_table, scope_ids),
            c=company.id,
            ckey=str(company.id),
            customers=SQL("p.id = ANY(%s)", scope_ids)
            if scoped
            else SQL("p.id IN (%s)", self._customers_sql(company)),
            moves_scope=moves_scope,
            members_scope=members_scope,
            leads_scope=leads_scope,
            lines_source=lines_source,
            year_ago=fields.Date.subtract(today, days=365),
        )

    @api.model
    def _prepare_inputs(self, company, today):
        """Compute the inputs and scores of every customer of ``company`` in
        one statement, each source read once for the company, and keep in
        the temporary table :data:`INPUT_TABLE` (kept by the database
        session across the job's commits) the customers whose value row or
        snapshot of this month differs from them (or is missing): the
        batches of :meth:`_upsert_inputs` write those, and copy them to the
        customers' fields where these differ (so every customer's fields are
        checked at least once a month, with its first snapshot).

        :return: (the model with the context that makes the batches read the
            table, the ids of the customers to write, in order), or (this
            model unchanged, None) when the statement fails: then the batches
            read the sources themselves, customer by customer if needed, and
            the scores are computed once the inputs are stored
        """
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SET LOCAL jit = off; SET LOCAL work_mem = '64MB';
                        DROP TABLE IF EXISTS %(table)s;
                        CREATE TEMPORARY TABLE %(table)s AS
                        SELECT f.*
                          FROM (%(scored)s) f
                          LEFT JOIN crm_sme_customer_value cur
                            ON cur.partner_id = f.partner_id AND cur.company_id = %(c)s
                          LEFT JOIN crm_sme_customer_value_history h
                            ON h.partner_id = f.partner_id AND h.company_id = %(c)s AND h.period = %(period)s
                         WHERE cur.id IS NULL OR (%(current)s) IS DISTINCT FROM (%(new)s)
                            OR h.id IS NULL OR (%(snapshot)s) IS DISTINCT FROM (%(new_snapshot)s);
                        SELECT partner_id FROM %(table)s ORDER BY 1
                        """,
                        table=SQL.identifier(INPUT_TABLE),
                        scored=self._scores_sql(
                            company,
                            today,
                            SQL("(%s) v", self._inputs_sql(company, today)),
                            carry=INPUTS,
                        ),
                        current=_cols(INPUTS + SCORES, "cur"),
                        new=_cols(INPUTS + SCORES, "f"),
                        snapshot=_cols(HISTORY, "h"),
                        new_snapshot=SQL(", ").join(SQL("f.%s", SQL(e)) for e in HISTORY.values()),
                        period=today.replace(day=1),
                        c=company.id,
                    )
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
        except Exception:  # pylint: disable=broad-except
            _logger.exception(
                "crm_sme: company-wide pass of the customer values of %s failed, done per batch",
                company.name,
            )
            return self, None
        return self.with_context(crm_sme_value_inputs=(company.id, str(today))), ids

    @api.model
    def _drop_inputs(self):
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(INPUT_TABLE)))

    @api.model
    def _upsert_inputs(self, company, partner_ids, today):
        """One upsert of the value rows of those customers in ``company``:
        inputs and scores from the table :meth:`_prepare_inputs` made, or
        without it, the inputs from the sources (the scores follow in
        :meth:`_update_scores`). Unchanged rows are not written. Returns the
        number of rows written."""
        if self.env.context.get("crm_sme_value_inputs") == (company.id, str(today)):
            source = SQL(
                "SELECT * FROM %s WHERE partner_id = ANY(%s)",
                SQL.identifier(INPUT_TABLE),
                list(partner_ids),
            )
            names = INPUTS + SCORES
        else:
            source = self._inputs_sql(company, today, partner_ids)
            names = INPUTS
        query = SQL(
            """
            SET LOCAL jit = off;
            INSERT INTO crm_sme_customer_value AS v (
                partner_id, company_id, %(columns)s, create_uid, write_uid, create_date, write_date)
            SELECT i.partner_id, %(c)s, %(values)s, %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM (%(source)s) i
            ON CONFLICT (partner_id, company_id) DO UPDATE
               SET %(assignments)s, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
             WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
            """,
            source=source,
            c=company.id,
            columns=_cols(names),
            values=_cols(names, "i"),
            assignments=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n)) for n in names
            ),
            current=_cols(names, "v"),
            excluded=_cols(names, "excluded"),
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )
        self.env.cr.execute(query)
        return self.env.cr.rowcount

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

        def pct(condition, order):
            return SQL(
                "CASE WHEN %(cond)s THEN ROUND((COUNT(*) FILTER (WHERE %(cond)s) OVER (ORDER BY %(order)s)"
                "::float8 / COUNT(*) FILTER (WHERE %(cond)s) OVER () * 100)::numeric, 2) ELSE 0 END",
                cond=SQL(condition),
                order=SQL(order),
            )

        def score(condition, order):
            return SQL(
                "CASE WHEN %(cond)s THEN CEIL(COUNT(*) FILTER (WHERE %(cond)s) OVER (ORDER BY %(order)s)"
                "::float8 / COUNT(*) FILTER (WHERE %(cond)s) OVER () * 5)::int ELSE 0 END",
                cond=SQL(condition),
                order=SQL(order),
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

    @api.model
    def _propagate_to_partners(self, company, partner_ids=None):
        """Copy the results of the value rows of ``company`` (of the customers
        ``partner_ids``, default all) to the company-dependent fields of the
        customers (one UPDATE, customers whose fields differ only). Returns
        the number of customers written and the lifecycle transitions:
        [(partner id, old stage, new stage, salesperson's lang)]."""
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
                         WHERE v.company_id = %(c)s %(scope)s) x
                 WHERE p.id = x.partner_id AND %(differs)s
             RETURNING p.id, x.old_lifecycle, x.lifecycle, x.lang
                """,
                assignments=SQL(", ").join(assign(n, e) for n, e in PARTNER_FIELDS.items()),
                differs=_fields_differ("p", "x", ckey),
                scope=_scope(partner_ids),
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
    def _upsert_history(self, company, today, partner_ids=None):
        """Upsert this month's snapshot of the customers of ``company``
        (``partner_ids``, default all)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_sme_customer_value_history AS h (
                    partner_id, company_id, period, %(columns)s, create_uid, write_uid, create_date, write_date)
                SELECT v.partner_id, v.company_id, %(period)s, %(values)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM crm_sme_customer_value v
                 WHERE v.company_id = %(c)s %(scope)s
                ON CONFLICT (partner_id, company_id, period) DO UPDATE
                   SET %(assignments)s, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                """,
                columns=_cols(HISTORY),
                values=SQL(", ").join(SQL("v.%s", SQL(e)) for e in HISTORY.values()),
                period=today.replace(day=1),
                scope=_scope(partner_ids),
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
