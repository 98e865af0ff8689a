# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .crm_sme_customer_figures_mixin import FIGURES_GROUPS

TRAIL_FIELDS = (
    "amount_quoted",
    "amount_ordered",
    "amount_delivered",
    "amount_invoiced",
    "amount_invoiced_total",
    "amount_paid",
    "amount_residual",
)

PAYMENT_STATUSES = [
    ("none", "No Order"),
    ("quoted", "Quoted"),
    ("ordered", "Ordered"),
    ("partially_delivered", "Partially Delivered"),
    ("delivered", "Delivered"),
    ("partially_invoiced", "Partially Invoiced"),
    ("invoiced", "Invoiced"),
    ("partially_paid", "Partially Paid"),
    ("paid", "Paid"),
]

# One query per batch of opportunities: every figure of the financial trail, across
# all the orders of each opportunity and the customer invoices / credit notes of
# those orders (each invoice counted once per opportunity). Amounts are in the
# company currency: orders are divided by their currency_rate, invoices use the
# *_signed amounts (credit notes negative). What is still due follows the one
# definition of crm.sme.money: an invoice Odoo shows Paid / In Payment is settled.
TRAIL_QUERY = """
    WITH orders AS (
        SELECT so.opportunity_id AS lead_id,
               SUM(CASE WHEN so.state IN ('draft', 'sent')
                        THEN so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) END) AS quoted,
               SUM(CASE WHEN so.state = 'sale'
                        THEN so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) END) AS ordered
          FROM sale_order so
         WHERE so.opportunity_id = ANY(%(lead_ids)s::int[])
         GROUP BY so.opportunity_id
    ), delivered AS (
        SELECT so.opportunity_id AS lead_id,
               SUM(sol.qty_delivered * sol.price_reduce_taxexcl
                   / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS delivered
          FROM sale_order_line sol
          JOIN sale_order so ON so.id = sol.order_id
         WHERE so.opportunity_id = ANY(%(lead_ids)s::int[])
           AND so.state = 'sale'
           AND sol.display_type IS NULL
           AND sol.is_downpayment IS NOT TRUE
         GROUP BY so.opportunity_id
    ), invoice_links AS (
        SELECT DISTINCT so.opportunity_id AS lead_id, aml.move_id
          FROM sale_order so
          JOIN sale_order_line sol ON sol.order_id = so.id
          JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
          JOIN account_move_line aml ON aml.id = rel.invoice_line_id
         WHERE so.opportunity_id = ANY(%(lead_ids)s::int[])
    ), invoices AS (
        SELECT link.lead_id,
               SUM(am.amount_untaxed_signed) AS invoiced,
               SUM(am.amount_total_signed) AS invoiced_total,
               SUM(%(invoice_due)s) AS residual
          FROM invoice_links link
          JOIN account_move am ON am.id = link.move_id
         WHERE am.state = 'posted'
           AND am.move_type IN ('out_invoice', 'out_refund')
         GROUP BY link.lead_id
    )
    SELECT lead.id,
           COALESCE(o.quoted, 0), COALESCE(o.ordered, 0), COALESCE(d.delivered, 0),
           COALESCE(i.invoiced, 0), COALESCE(i.invoiced_total, 0), COALESCE(i.residual, 0),
           (o.lead_id IS NOT NULL)
      FROM unnest(%(lead_ids)s::int[]) AS lead(id)
      LEFT JOIN orders o ON o.lead_id = lead.id
      LEFT JOIN delivered d ON d.lead_id = lead.id
      LEFT JOIN invoices i ON i.lead_id = lead.id
"""


class CrmSmeOrderTrailMixin(models.AbstractModel):
    """Financial trail of an opportunity's orders: quoted, ordered, delivered,
    invoiced, paid and still due, with one status; readable by the salesperson
    without accounting rights (sudo computes of aggregates). Used by crm.lead."""

    _name = "crm.sme.order.trail.mixin"
    _description = "Orders & Payments Trail"

    # the currency of the figures (crm.lead's own company currency)
    company_currency = fields.Many2one("res.currency", string="Currency")
    crm_sme_amount_quoted = fields.Monetary(
        string="Quoted",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_amount_ordered = fields.Monetary(
        string="Ordered",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_amount_delivered = fields.Monetary(
        string="Delivered",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_amount_invoiced = fields.Monetary(
        string="Invoiced (Untaxed)",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
        help="Posted customer invoices of the opportunity's orders, credit notes deducted.",
    )
    crm_sme_amount_invoiced_total = fields.Monetary(
        string="Invoiced",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_amount_paid = fields.Monetary(
        string="Paid",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_amount_residual = fields.Monetary(
        string="Still Due",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_payment_status = fields.Selection(
        PAYMENT_STATUSES,
        string="Order Status",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
        search="_search_crm_sme_payment_status",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.model
    def _crm_sme_fetch_trail(self, lead_ids):
        """Every figure of the financial trail for ``lead_ids``, in one query.

        :return: {lead_id: {"amount_quoted": .., ..., "has_orders": bool}}
        """
        if not lead_ids:
            return {}
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["account.payment"].flush_model()
        self.env.cr.execute(
            SQL(
                TRAIL_QUERY,
                lead_ids=list(lead_ids),
                invoice_due=self.env["crm.sme.money"]._invoice_due_sql("am"),
            )
        )
        result = {}
        for row in self.env.cr.fetchall():
            quoted, ordered, delivered, invoiced, invoiced_total, residual = row[1:7]
            result[row[0]] = {
                "amount_quoted": quoted,
                "amount_ordered": ordered,
                "amount_delivered": delivered,
                "amount_invoiced": invoiced,
                "amount_invoiced_total": invoiced_total,
                "amount_paid": invoiced_total - residual,
                "amount_residual": residual,
                "has_orders": row[7],
            }
        return result

    @api.model
    def _crm_sme_trail_status(self, figures, currency):
        """The one status of a trail: quoted → ordered → (partially) delivered →
        (partially) invoiced → (partially) paid."""

        def zero(amount):
            return currency.is_zero(amount)

        if not figures or not figures["has_orders"]:
            return "none"
        ordered = figures["amount_ordered"]
        if zero(ordered):
            return "quoted" if not zero(figures["amount_quoted"]) else "none"
        invoiced = figures["amount_invoiced"]
        fully_invoiced = currency.compare_amounts(invoiced, ordered) >= 0
        if not zero(figures["amount_paid"]):
            if zero(figures["amount_residual"]) and fully_invoiced:
                return "paid"
            return "partially_paid"
        if not zero(invoiced):
            return "invoiced" if fully_invoiced else "partially_invoiced"
        delivered = figures["amount_delivered"]
        if zero(delivered):
            return "ordered"
        return (
            "delivered"
            if currency.compare_amounts(delivered, ordered) >= 0
            else "partially_delivered"
        )

    @api.depends(
        "order_ids.state",
        "order_ids.amount_untaxed",
        "order_ids.order_line.qty_delivered",
        "order_ids.order_line.invoice_lines.move_id.state",
        "order_ids.order_line.invoice_lines.move_id.amount_residual",
        # payments without journal entry settle the invoice without changing its residual
        "order_ids.order_line.invoice_lines.move_id.matched_payment_ids.state",
    )
    def _compute_crm_sme_trail(self):
        trail = self._crm_sme_fetch_trail(self.ids) if self.ids else {}
        for lead in self:
            figures = trail.get(lead.id) or dict.fromkeys(TRAIL_FIELDS, 0.0)
            for name in TRAIL_FIELDS:
                lead[f"crm_sme_{name}"] = figures[name]
            currency = lead.company_currency or self.env.company.currency_id
            lead.crm_sme_payment_status = self._crm_sme_trail_status(trail.get(lead.id), currency)

    def _search_crm_sme_payment_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the order status."))
        values = {value} if isinstance(value, str) or not value else value
        known = dict(PAYMENT_STATUSES)
        if not isinstance(values, set | list | tuple) or not all(
            status is False or (isinstance(status, str) and status in known) for status in values
        ):
            raise UserError(
                _(
                    "Cannot search the order status for %(value)s: give one of %(statuses)s.",
                    value=repr(value),
                    statuses=", ".join(known),
                )
            )
        values = set(values)
        self.env["sale.order"].flush_model(["opportunity_id"])
        self.env.cr.execute(
            "SELECT DISTINCT opportunity_id FROM sale_order WHERE opportunity_id IS NOT NULL"
        )
        lead_ids = [row[0] for row in self.env.cr.fetchall()]
        trail = self._crm_sme_fetch_trail(lead_ids)
        currency = self.env.company.currency_id
        matching = [
            lead_id
            for lead_id, figures in trail.items()
            if self._crm_sme_trail_status(figures, currency) in values
        ]
        if "none" in values:
            positive = ["|", ("id", "in", matching), ("id", "not in", lead_ids)]
        else:
            positive = [("id", "in", matching)]
        return positive if operator in ("=", "in") else ["!", *positive]

    # ------------------------------------------------------------
    # ACTIONS: each trail figure opens its documents
    # ------------------------------------------------------------

    def _crm_sme_trail_orders(self):
        self.ensure_one()
        return self.order_ids.filtered(lambda order: order.state == "sale")

    def action_crm_sme_open_trail_deliveries(self):
        """The deliveries of the opportunity's confirmed orders."""
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [
            ("sale_id", "in", self._crm_sme_trail_orders().ids),
            ("picking_type_code", "=", "outgoing"),
        ]
        action["context"] = {"create": False}
        return action

    def action_crm_sme_open_trail_invoices(self):
        """The customer invoices and credit notes of the opportunity's confirmed orders."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("id", "in", self._crm_sme_trail_orders().invoice_ids.ids),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        action["context"] = {"create": False}
        return action
