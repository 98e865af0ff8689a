# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmSmeCustomerValue(models.Model):
    """The inputs of the value job: per customer of a company, the figures
    of the last 12 months (revenue, margin, invoices, products, payment),
    the purchase dates and the potential (wallet gap, industry growth,
    weighted pipeline), with the ``crm.sme.money`` definitions."""

    _inherit = "crm.sme.customer.value"

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
