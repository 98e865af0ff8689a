# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SQL of the sales reconciliation view (crm.sme.reconciliation), composed
with the money definitions of crm.sme.money in its ``_table_query``."""

# Quantities compared with this tolerance (units of measure round to 0.001 or coarser).
QTY_EPSILON = 0.0001

RECONCILIATION_QUERY = """
WITH inv AS (
    -- posted customer invoice / credit note lines of each order line, company currency;
    -- paid / due shares pro rata of the line in its invoice, what is due following
    -- crm.sme.money (settled once Odoo shows the invoice Paid / In Payment / Reversed)
    SELECT rel.order_line_id AS sol_id,
           SUM(CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END) AS qty,
           SUM(-aml.balance) AS amount,
           SUM(-aml.balance * COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1))
               AS amount_total,
           SUM(-aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0)) AS residual,
           SUM(-aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0))
               FILTER (WHERE m.invoice_date_due < t.today AND %(due)s > 0) AS overdue,
           MAX(t.today - m.invoice_date_due) FILTER (WHERE m.invoice_date_due < t.today AND %(due)s > 0)
               AS overdue_days,
           STRING_AGG(DISTINCT m.name, ', ') AS refs,
           MAX(m.id) AS move_id
      FROM sale_order_line_invoice_rel rel
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id AND aml.display_type = 'product'
      JOIN account_move m ON m.id = aml.move_id
      JOIN %(today)s ON t.company_id = m.company_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
  GROUP BY rel.order_line_id
), pay AS (
    SELECT rel.order_line_id AS sol_id, STRING_AGG(DISTINCT p.name, ', ') AS refs, MAX(p.id) AS payment_id
      FROM sale_order_line_invoice_rel rel
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move__account_payment mp ON mp.invoice_id = aml.move_id
      JOIN account_payment p ON p.id = mp.payment_id AND p.state IN ('in_process', 'paid')
  GROUP BY rel.order_line_id
), pick AS (
    SELECT sm.sale_line_id AS sol_id, STRING_AGG(DISTINCT sp.name, ', ') AS refs,
           MAX(sp.id) AS picking_id
      FROM stock_move sm
      JOIN stock_picking sp ON sp.id = sm.picking_id AND sp.state != 'cancel'
     WHERE sm.sale_line_id IS NOT NULL
  GROUP BY sm.sale_line_id
), base AS (
    SELECT sol.id * 4 AS id, 'line' AS kind, so.company_id, so.date_order::date AS date,
           so.state AS order_state, so.id AS order_id, so.name AS order_ref, sol.id AS order_line_id,
           sol.product_id, cp.id AS partner_id, so.user_id, so.team_id,
           so.opportunity_id AS lead_id, lead.name AS lead_ref,
           pick.picking_id, pick.refs AS picking_refs, inv.move_id AS invoice_id,
           inv.refs AS invoice_refs, pay.payment_id, pay.refs AS payment_refs,
           cp.crm_sme_value_tier ->> so.company_id::text AS value_tier,
           CASE WHEN so.state = 'sale' THEN sol.product_uom_qty ELSE 0 END AS qty_ordered,
           sol.qty_delivered, COALESCE(inv.qty, 0) AS qty_invoiced,
           CASE WHEN so.state = 'sale' THEN sol.price_subtotal / %(rate)s ELSE 0 END AS amount_ordered,
           sol.qty_delivered * sol.price_reduce_taxexcl / %(rate)s AS amount_delivered,
           COALESCE(inv.amount, 0) AS amount_invoiced,
           COALESCE(inv.amount_total, 0) AS amount_invoiced_total,
           COALESCE(inv.amount_total, 0) - COALESCE(inv.residual, 0) AS amount_paid,
           COALESCE(inv.residual, 0) AS amount_residual,
           COALESCE(inv.overdue, 0) AS amount_overdue,
           COALESCE(inv.overdue_days, 0) AS overdue_days,
           so.state = 'sale' AND sol.qty_delivered > COALESCE(inv.qty, 0) + %(eps)s AS is_delivered_not_invoiced,
           so.state = 'sale' AND pt.type = 'consu' AND COALESCE(inv.qty, 0) > sol.qty_delivered + %(eps)s
               AS is_invoiced_not_delivered,
           so.state = 'sale' AND COALESCE(inv.qty, 0) > sol.product_uom_qty + %(eps)s AS is_over_invoiced,
           COALESCE(inv.overdue, 0) > 0 AS is_overdue_unpaid,
           FALSE AS is_won_without_order,
           so.state = 'sale' AND so.opportunity_id IS NULL AS is_order_without_opportunity,
           so.state = 'cancel' AND COALESCE(inv.amount, 0) <> 0 AS is_cancelled_with_invoice,
           sol.price_reduce_taxexcl / %(rate)s AS unit_price
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id AND so.state IN ('sale', 'cancel')
      JOIN res_partner p ON p.id = so.partner_id
      JOIN res_partner cp ON cp.id = p.commercial_partner_id
      LEFT JOIN product_product pp ON pp.id = sol.product_id
      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
      LEFT JOIN inv ON inv.sol_id = sol.id
      LEFT JOIN pay ON pay.sol_id = sol.id
      LEFT JOIN pick ON pick.sol_id = sol.id
     WHERE sol.display_type IS NULL
    UNION ALL
    -- won opportunities without a confirmed order
    SELECT lead.id * 4 + 1, 'won', lead.company_id, COALESCE(lead.date_closed, lead.create_date)::date,
           NULL, NULL, NULL, NULL, NULL, cp.id, lead.user_id, lead.team_id, lead.id, lead.name,
           NULL, NULL, NULL, NULL, NULL, NULL,
           cp.crm_sme_value_tier ->> lead.company_id::text,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE,
           COALESCE(lead.expected_revenue, 0)
      FROM crm_lead lead
      JOIN crm_stage stage ON stage.id = lead.stage_id AND stage.is_won
      LEFT JOIN res_partner p ON p.id = lead.partner_id
      LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
     WHERE lead.active AND lead.type = 'opportunity' AND lead.company_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sale_order so WHERE so.opportunity_id = lead.id AND so.state = 'sale')
    UNION ALL
    -- posted customer invoice lines linked to no order line (so that the totals tie out
    -- with Odoo's invoice analysis)
    SELECT aml.id * 4 + 2, 'invoice', m.company_id, m.invoice_date,
           NULL, NULL, NULL, NULL, aml.product_id, m.commercial_partner_id, m.invoice_user_id, m.team_id,
           NULL, NULL, NULL, NULL, m.id, m.name, NULL, NULL,
           cp.crm_sme_value_tier ->> m.company_id::text,
           0, 0, CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END,
           0, 0, -aml.balance,
           -aml.balance * COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1),
           -aml.balance * (COALESCE(m.amount_total_signed / NULLIF(m.amount_untaxed_signed, 0), 1)
                           - COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0)),
           -aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0),
           CASE WHEN m.invoice_date_due < t.today AND %(due)s > 0
                THEN -aml.balance * COALESCE(%(due)s / NULLIF(m.amount_untaxed_signed, 0), 0) ELSE 0 END,
           CASE WHEN m.invoice_date_due < t.today AND %(due)s > 0 THEN t.today - m.invoice_date_due ELSE 0 END,
           FALSE, FALSE, FALSE, m.invoice_date_due < t.today AND %(due)s > 0, FALSE, FALSE, FALSE, 0
      FROM account_move_line aml
      JOIN account_move m ON m.id = aml.move_id
      JOIN %(today)s ON t.company_id = m.company_id
      LEFT JOIN res_partner cp ON cp.id = m.commercial_partner_id
     WHERE aml.display_type = 'product' AND m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.invoice_line_id = aml.id)
)
SELECT base.*, company.currency_id,
       GREATEST(
           CASE WHEN base.is_delivered_not_invoiced
                THEN (base.qty_delivered - base.qty_invoiced) * base.unit_price ELSE 0 END,
           CASE WHEN base.is_invoiced_not_delivered
                THEN (base.qty_invoiced - base.qty_delivered) * base.unit_price ELSE 0 END,
           CASE WHEN base.is_over_invoiced
                THEN (base.qty_invoiced - base.qty_ordered) * base.unit_price ELSE 0 END,
           base.amount_overdue,
           CASE WHEN base.is_cancelled_with_invoice THEN ABS(base.amount_invoiced) ELSE 0 END,
           CASE WHEN base.is_won_without_order THEN base.unit_price ELSE 0 END
       ) AS amount_at_risk,
       (base.is_delivered_not_invoiced OR base.is_invoiced_not_delivered OR base.is_over_invoiced
        OR base.is_overdue_unpaid OR base.is_won_without_order OR base.is_order_without_opportunity
        OR base.is_cancelled_with_invoice) AS has_exception,
       x.id AS exception_id, x.assigned_user_id, COALESCE(x.is_explained, FALSE) AS is_explained,
       x.note
  FROM base
  JOIN res_company company ON company.id = base.company_id
  LEFT JOIN crm_sme_reconciliation_exception x ON x.report_key = base.id
"""
