# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

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
# *_signed amounts (credit notes negative).
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
    ), moveless_payments AS (
        -- payments registered without a journal entry (no outstanding account):
        -- Odoo links them to the invoice (matched_payment_ids) without touching
        -- its residual, so they are deducted here
        SELECT rel.invoice_id AS move_id, SUM(pay.amount_company_currency_signed) AS amount
          FROM account_move__account_payment rel
          JOIN account_payment pay ON pay.id = rel.payment_id
         WHERE pay.move_id IS NULL
           AND pay.state IN ('in_process', 'paid')
           AND rel.invoice_id IN (SELECT move_id FROM invoice_links)
         GROUP BY rel.invoice_id
    ), invoices AS (
        SELECT link.lead_id,
               SUM(am.amount_untaxed_signed) AS invoiced,
               SUM(am.amount_total_signed) AS invoiced_total,
               SUM(CASE WHEN am.amount_residual_signed
                             * (am.amount_residual_signed - COALESCE(mp.amount, 0)) <= 0 THEN 0
                        ELSE am.amount_residual_signed - COALESCE(mp.amount, 0) END) AS residual
          FROM invoice_links link
          JOIN account_move am ON am.id = link.move_id
          LEFT JOIN moveless_payments mp ON mp.move_id = am.id
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


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # product lines and availability
    crm_sme_line_ids = fields.One2many(
        "crm.sme.lead.line", "lead_id", string="Product Lines", copy=True
    )
    crm_sme_amount_lines = fields.Monetary(
        string="Lines Total",
        currency_field="company_currency",
        compute="_compute_crm_sme_line_amounts",
        store=True,
        help="Untaxed total of the product lines.",
    )
    crm_sme_cost = fields.Monetary(
        string="Lines Cost",
        currency_field="company_currency",
        compute="_compute_crm_sme_line_amounts",
        store=True,
    )
    crm_sme_margin = fields.Monetary(
        string="Expected Margin",
        currency_field="company_currency",
        compute="_compute_crm_sme_line_amounts",
        store=True,
    )
    crm_sme_availability = fields.Selection(
        [("none", "No Product"), ("available", "Available"), ("shortfall", "Shortfall")],
        string="Availability",
        compute="_compute_crm_sme_availability",
        search="_search_crm_sme_availability",
        help="Whether every product line is available at the expected closing date, in "
        "its warehouse (Odoo's forecast quantity).",
    )
    crm_sme_shortfall_count = fields.Integer(
        string="Lines Short", compute="_compute_crm_sme_availability"
    )
    # financial trail, readable by the salesperson without accounting rights
    crm_sme_amount_quoted = fields.Monetary(
        string="Quoted",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_amount_ordered = fields.Monetary(
        string="Ordered",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_amount_delivered = fields.Monetary(
        string="Delivered",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_amount_invoiced = fields.Monetary(
        string="Invoiced (Untaxed)",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        help="Posted customer invoices of the opportunity's orders, credit notes deducted.",
    )
    crm_sme_amount_invoiced_total = fields.Monetary(
        string="Invoiced",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_amount_paid = fields.Monetary(
        string="Paid",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_amount_residual = fields.Monetary(
        string="Still Due",
        currency_field="company_currency",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
    )
    crm_sme_payment_status = fields.Selection(
        PAYMENT_STATUSES,
        string="Order Status",
        compute="_compute_crm_sme_trail",
        compute_sudo=True,
        search="_search_crm_sme_payment_status",
    )
    # credit gate, shown before the quotation is made
    crm_sme_credit_warning = fields.Text(
        string="Credit Warning", compute="_compute_crm_sme_credit_warning", compute_sudo=True
    )
    crm_sme_is_credit_blocked = fields.Boolean(
        string="Blocked by Credit",
        compute="_compute_crm_sme_credit_warning",
        compute_sudo=True,
        search="_search_crm_sme_is_credit_blocked",
    )
    # competitors
    crm_sme_competitor_ids = fields.One2many(
        "crm.sme.lead.competitor", "lead_id", string="Competitors", copy=True
    )
    crm_sme_lost_to_id = fields.Many2one(
        "crm.sme.competitor", string="Lost To", tracking=True, help="Competitor who won the deal."
    )
    # interactions
    crm_sme_interaction_count = fields.Integer(
        string="Interactions", compute="_compute_crm_sme_interaction_count"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("crm_sme_line_ids.price_subtotal", "crm_sme_line_ids.cost")
    def _compute_crm_sme_line_amounts(self):
        for lead in self:
            lead.crm_sme_amount_lines = sum(lead.crm_sme_line_ids.mapped("price_subtotal"))
            lead.crm_sme_cost = sum(lead.crm_sme_line_ids.mapped("cost"))
            lead.crm_sme_margin = lead.crm_sme_amount_lines - lead.crm_sme_cost

    @api.depends_context("company")
    @api.depends(
        "crm_sme_line_ids.product_id",
        "crm_sme_line_ids.product_uom_qty",
        "crm_sme_line_ids.warehouse_id",
        "date_deadline",
    )
    def _compute_crm_sme_availability(self):
        # one batch for every line of every opportunity (grouped by warehouse and date)
        lines = self.crm_sme_line_ids
        short = defaultdict(int)
        for line in lines:
            if line.is_shortfall:
                short[line.lead_id.id] += 1
        for lead in self:
            lead.crm_sme_shortfall_count = short.get(lead.id, 0)
            if not lead.crm_sme_line_ids:
                lead.crm_sme_availability = "none"
            else:
                lead.crm_sme_availability = (
                    "shortfall" if lead.crm_sme_shortfall_count else "available"
                )

    def _search_crm_sme_availability(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on availability."))
        values = {value} if isinstance(value, str) or not value else set(value)
        # open opportunities with product lines, checked in one batch
        leads = self.search([("crm_sme_line_ids", "!=", False)])
        matching = [lead.id for lead in leads if lead.crm_sme_availability in values]
        if "none" in values:
            positive = ["|", ("id", "in", matching), ("crm_sme_line_ids", "=", False)]
        else:
            positive = [("id", "in", matching)]
        return positive if operator in ("=", "in") else ["!", *positive]

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
        self.env.cr.execute(TRAIL_QUERY, {"lead_ids": list(lead_ids)})
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
        values = {value} if isinstance(value, str) or not value else set(value)
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

    @api.depends("partner_id", "company_id", "crm_sme_amount_lines", "expected_revenue", "type")
    def _compute_crm_sme_credit_warning(self):
        self.crm_sme_credit_warning = False
        self.crm_sme_is_credit_blocked = False
        leads = self.filtered(lambda lead: lead.partner_id and lead.active)
        by_company = defaultdict(lambda: self.env["crm.lead"])
        for lead in leads:
            by_company[lead.company_id or self.env.company] |= lead
        SaleOrder = self.env["sale.order"]
        for company, company_leads in by_company.items():
            if company.crm_sme_credit_gate == "none":
                continue
            partners = company_leads.partner_id.commercial_partner_id
            exposure = SaleOrder._crm_sme_credit_exposure(partners, company)
            for lead in company_leads:
                partner = lead.partner_id.commercial_partner_id
                amount = lead.crm_sme_amount_lines or lead.expected_revenue
                issues = SaleOrder._crm_sme_credit_issues(
                    exposure.get(partner.id), amount, company, partner
                )
                if issues:
                    lead.crm_sme_credit_warning = "\n".join(issues)
                    lead.crm_sme_is_credit_blocked = company.crm_sme_credit_gate == "block"

    def _search_crm_sme_is_credit_blocked(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on the credit block."))
        leads = self.search([("partner_id", "!=", False), ("stage_id.is_won", "=", False)])
        blocked = leads.filtered("crm_sme_is_credit_blocked").ids
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", blocked)]

    def _compute_crm_sme_interaction_count(self):
        counts = dict(
            self.env["crm.sme.interaction"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.crm_sme_interaction_count = counts.get(lead, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_crm_sme_log_interaction(self):
        """Open a new interaction on this opportunity (one click, then save)."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm_sme.action_crm_sme_interaction")
        action.update(
            {
                "views": [(False, "form")],
                "view_mode": "form",
                "target": "new",
                "context": {
                    "default_lead_id": self.id,
                    "default_partner_id": self.partner_id.commercial_partner_id.id,
                    "default_contact_id": self.partner_id.id
                    if self.partner_id and not self.partner_id.is_company
                    else False,
                },
            }
        )
        return action

    def action_crm_sme_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm_sme.action_crm_sme_interaction")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    def action_set_lost(self, **additional_values):
        if not additional_values.get("lost_reason_id"):
            missing = self.filtered(
                lambda lead: not lead.lost_reason_id
                and (lead.company_id or self.env.company).crm_sme_lost_reason_required
            )
            if missing:
                raise UserError(
                    _(
                        "Give a lost reason to mark these opportunities lost: %(names)s",
                        names=", ".join(missing.mapped("name")),
                    )
                )
        return super().action_set_lost(**additional_values)

    # ------------------------------------------------------------
    # QUOTATION (sale_crm's flow)
    # ------------------------------------------------------------

    def _prepare_opportunity_quotation_context(self):
        context = super()._prepare_opportunity_quotation_context()
        lines = self.crm_sme_line_ids
        if lines:
            # the order's warehouse is the one of the first line; a line from another
            # warehouse gets that warehouse's delivery route (sale_stock then ships it
            # from there)
            warehouse = lines.warehouse_id[:1]
            order_lines = []
            for line in lines:
                vals = line._prepare_sale_order_line_vals()
                if (
                    line.warehouse_id
                    and line.warehouse_id != warehouse
                    and line.warehouse_id.delivery_route_id
                ):
                    vals["route_id"] = line.warehouse_id.delivery_route_id.id
                order_lines.append((0, 0, vals))
            context["default_order_line"] = order_lines
            if warehouse:
                context["default_warehouse_id"] = warehouse.id
        return context

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _merge_get_fields_specific(self):
        # merging opportunities keeps every product line and competitor
        fields_info = super()._merge_get_fields_specific()
        fields_info["crm_sme_line_ids"] = lambda fname, leads: [
            (4, line.id) for line in leads.crm_sme_line_ids
        ]
        fields_info["crm_sme_competitor_ids"] = lambda fname, leads: [
            (4, line.id) for line in leads.crm_sme_competitor_ids
        ]
        return fields_info

    def _crm_sme_sync_expected_revenue(self):
        """Expected revenue follows the product lines when the company wants it."""
        for lead in self:
            company = lead.company_id or self.env.company
            if not company.crm_sme_revenue_from_lines or not lead.crm_sme_line_ids:
                continue
            if not float_is_zero(
                lead.expected_revenue - lead.crm_sme_amount_lines,
                precision_rounding=lead.company_currency.rounding or 0.01,
            ):
                lead.expected_revenue = lead.crm_sme_amount_lines

    def _crm_sme_auto_win(self, trigger):
        """Mark won the opportunities whose team wins them on ``trigger``
        ("order", "invoice" or "payment"). Called by orders and invoices, whose
        author may not be allowed to write the opportunity: system transition."""
        leads_sudo = self.sudo().filtered(
            lambda lead: lead.active
            and not lead.stage_id.is_won
            and (lead.team_id.crm_sme_auto_win or "order") == trigger
        )
        if trigger == "payment":
            leads_sudo = leads_sudo.filtered(lambda lead: lead.crm_sme_payment_status == "paid")
        if not leads_sudo:
            return
        leads_sudo.action_set_won()
        reasons = {
            "order": _("an order was confirmed"),
            "invoice": _("the first invoice was posted"),
            "payment": _("the orders are fully paid"),
        }
        for lead in leads_sudo:
            lead.message_post(
                body=_("Marked won automatically: %(reason)s.", reason=reasons[trigger])
            )

    def _crm_sme_reopen_if_cancelled(self):
        """Reopen won opportunities whose every order is cancelled."""
        leads_sudo = self.sudo().filtered(
            lambda lead: lead.stage_id.is_won
            and lead.order_ids
            and all(order.state == "cancel" for order in lead.order_ids)
        )
        for lead in leads_sudo:
            stage = lead._stage_find(
                domain=[("is_won", "=", False)], order="sequence desc, id desc"
            )
            if not stage:
                continue
            lead.write({"stage_id": stage.id, "probability": lead.automated_probability})
            lead.message_post(body=_("Reopened: every order of this opportunity was cancelled."))
