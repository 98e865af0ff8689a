# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from .crm_sme_customer_figures_mixin import FIGURES_GROUPS


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = [
        "crm.lead",
        "crm.sme.order.trail.mixin",
        "crm.sme.credit.gate.mixin",
        "crm.sme.input.mixin",
    ]

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
    # credit gate, shown before the quotation is made
    crm_sme_credit_warning = fields.Text(
        string="Credit Warning",
        compute="_compute_crm_sme_credit_warning",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
    )
    crm_sme_is_credit_blocked = fields.Boolean(
        string="Blocked by Credit",
        compute="_compute_crm_sme_credit_warning",
        compute_sudo=True,
        groups=FIGURES_GROUPS,
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

    @api.depends("crm_sme_line_ids.price_subtotal_company", "crm_sme_line_ids.cost")
    def _compute_crm_sme_line_amounts(self):
        # in the company currency (lines priced in a foreign pricelist are converted)
        for lead in self:
            lead.crm_sme_amount_lines = sum(lead.crm_sme_line_ids.mapped("price_subtotal_company"))
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

    @api.depends("partner_id", "company_id", "crm_sme_amount_lines", "expected_revenue", "type")
    def _compute_crm_sme_credit_warning(self):
        self.crm_sme_credit_warning = False
        self.crm_sme_is_credit_blocked = False
        leads = self.filtered(lambda lead: lead.partner_id and lead.active)
        issues = leads._crm_sme_credit_gate_issues(hide_unreadable=True)
        for lead, messages in issues.items():
            lead.crm_sme_credit_warning = "\n".join(messages)
            lead.crm_sme_is_credit_blocked = (
                lead._crm_sme_gate_company().crm_sme_credit_gate == "block"
            )

    def _crm_sme_gate_amount(self):
        self.ensure_one()
        return self.crm_sme_amount_lines or self.expected_revenue

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
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.partner"]._crm_sme_check_linkable(
            [vals.get("partner_id") for vals in vals_list]
        )
        leads = super().create(vals_list)
        # an opportunity is only filed on a customer the user can read
        self.env["res.partner"]._crm_sme_check_linkable(leads.partner_id.ids)
        return leads

    def write(self, vals):
        self.env["res.partner"]._crm_sme_check_linkable([vals.get("partner_id")])
        return super().write(vals)

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

    def _update_revenues_from_so(self, order):
        # sale_crm raises the expected revenue to a confirmed order's amount; an
        # opportunity whose expected revenue follows its product lines (company
        # setting) keeps the lines' figure
        follow_lines = self.filtered(
            lambda lead: lead.crm_sme_line_ids
            and (lead.company_id or self.env.company).crm_sme_revenue_from_lines
        )
        return super(CrmLead, self - follow_lines)._update_revenues_from_so(order)

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
