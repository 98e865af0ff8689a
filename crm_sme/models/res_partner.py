# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

CONTACT_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("purchaser", "Purchaser"),
    ("finance", "Finance"),
    ("technical", "Technical"),
    ("user", "User"),
    ("influencer", "Influencer"),
]
CHANNELS = [
    ("phone", "Phone"),
    ("mobile", "Mobile / Messaging"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Classification (company level, shared with its contacts)
    # ------------------------------------------------------------------
    region_id = fields.Many2one(
        "crm.sme.region",
        string="Sales Region",
        index="btree_not_null",
        tracking=True,
        help="Sales region or district the customer belongs to.",
    )
    customer_type_id = fields.Many2one(
        "crm.sme.customer.type",
        string="Customer Type",
        index="btree_not_null",
        tracking=True,
        help="Channel role of the customer: supermarket, online shop, distributor...",
    )
    source_id = fields.Many2one(
        "utm.source",
        string="Source",
        index="btree_not_null",
        tracking=True,
        help="How the customer heard of us: newspaper, referral, website, TV...",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index="btree_not_null", tracking=True
    )
    is_key_account = fields.Boolean(
        string="Key Account",
        tracking=True,
        help="Key accounts get high priority on their feedback and more sales resources.",
    )
    purchase_potential = fields.Monetary(
        string="Annual Purchasing Potential",
        currency_field="crm_sme_currency_id",
        help="Estimated yearly purchases of the customer in this product range, from all suppliers.",
    )
    crm_sme_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_crm_sme_currency_id",
        string="Company Currency",
    )

    # ------------------------------------------------------------------
    # Contact persons
    # ------------------------------------------------------------------
    contact_role = fields.Selection(CONTACT_ROLES, string="Role")
    is_primary_contact = fields.Boolean(string="Primary Contact")
    preferred_channel = fields.Selection(CHANNELS)
    birthday = fields.Date()

    # ------------------------------------------------------------------
    # 360° figures
    # ------------------------------------------------------------------
    crm_sme_interaction_count = fields.Integer(
        string="Interactions",
        compute="_compute_crm_sme_interaction_count",
        compute_sudo=True,
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_crm_sme_currency_id(self):
        self.crm_sme_currency_id = self.env.company.currency_id

    def _compute_crm_sme_interaction_count(self):
        counts = dict(
            self.env["crm.sme.interaction"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_sme_interaction_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("purchase_potential")
    def _check_purchase_potential(self):
        failing = self.filtered(lambda p: p.purchase_potential < 0)
        if failing:
            raise ValidationError(
                _(
                    "The annual purchasing potential cannot be negative: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "region_id",
            "customer_type_id",
            "source_id",
            "team_id",
            "is_key_account",
            "purchase_potential",
        ]

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_crm_sme_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sme.action_crm_sme_interaction")
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": customer.id,
            "default_contact_id": self.id if self != customer else False,
        }
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_except_customer_of_salesperson(self):
        """The customer file belongs to the company: salespeople archive, managers delete."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager"):
            return
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            return
        customers = self.filtered(lambda p: p.user_id or p.customer_rank or p.sale_order_ids)
        if customers:
            raise UserError(
                _(
                    "Customers belong to the company and cannot be deleted by a salesperson: "
                    "archive them instead (%(names)s).",
                    names=", ".join(customers.mapped("display_name")),
                )
            )

    # ==================================================================
    # Customer feedback (crm.sme.feedback): customer 360 figures
    # ==================================================================
    crm_sme_feedback_open_count = fields.Integer(
        string="Open Feedback", compute="_compute_crm_sme_feedback_stats", compute_sudo=True
    )
    crm_sme_feedback_closed_count = fields.Integer(
        string="Closed Feedback", compute="_compute_crm_sme_feedback_stats", compute_sudo=True
    )
    crm_sme_last_csat = fields.Integer(
        string="Last CSAT", compute="_compute_crm_sme_feedback_stats", compute_sudo=True
    )
    crm_sme_last_nps = fields.Integer(
        string="Last NPS", compute="_compute_crm_sme_feedback_stats", compute_sudo=True
    )

    @api.depends("commercial_partner_id")
    def _compute_crm_sme_feedback_stats(self):
        """Counts and last scores of the customer (company), one query each per batch."""
        customers = self.commercial_partner_id
        Feedback = self.env["crm.sme.feedback"]
        domain = [("partner_id", "in", customers.ids)]
        counts = {
            (partner.id, closed): count
            for partner, closed, count in Feedback._read_group(
                domain, ["partner_id", "is_closed"], ["__count"]
            )
        }
        last_csat, last_nps = {}, {}
        rated = Feedback.search_fetch(
            domain + ["|", ("date_csat", "!=", False), ("date_nps", "!=", False)],
            ["partner_id", "csat_score", "date_csat", "nps_score", "date_nps"],
        )
        for feedback in rated:
            key = feedback.partner_id.id
            if feedback.date_csat and (
                key not in last_csat or feedback.date_csat > last_csat[key][0]
            ):
                last_csat[key] = (feedback.date_csat, feedback.csat_score)
            if feedback.date_nps and (key not in last_nps or feedback.date_nps > last_nps[key][0]):
                last_nps[key] = (feedback.date_nps, feedback.nps_score)
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.crm_sme_feedback_open_count = counts.get((key, False), 0)
            partner.crm_sme_feedback_closed_count = counts.get((key, True), 0)
            partner.crm_sme_last_csat = last_csat.get(key, (None, 0))[1]
            partner.crm_sme_last_nps = last_nps.get(key, (None, 0))[1]

    def action_crm_sme_open_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sme.action_crm_sme_feedback")
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": customer.id,
            "default_contact_id": self.id if self != customer else False,
        }
        return action
