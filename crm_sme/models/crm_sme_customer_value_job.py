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
    per batch of customers and per company, whatever their number. The
    inputs and scores are in ``crm_sme_customer_value_inputs.py`` and
    ``crm_sme_customer_value_score.py``.

    The large statements run without PostgreSQL's JIT (compiling them cost
    more than a second for a few hundred milliseconds of work) and with a
    work_mem that keeps their sorts in memory (local to the transaction).
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
