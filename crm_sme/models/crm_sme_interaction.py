# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

INTERACTION_TYPES = [
    ("visit", "Visit"),
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("email", "Email"),
    ("other", "Other"),
]


class CrmSmeInteraction(models.Model):
    """A contact with a customer: visit, call, meeting, email... with its cost."""

    _name = "crm.sme.interaction"
    _description = "Customer Interaction"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "crm.sme.customer.mixin",
        "crm.sme.position.mixin",
        "crm.sme.input.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    name = fields.Char(string="Subject", required=True, tracking=True)
    interaction_type = fields.Selection(
        INTERACTION_TYPES,
        string="Type",
        required=True,
        default="visit",
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="done",
        required=True,
        tracking=True,
        index=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True, index=True)
    duration = fields.Float(help="Duration in hours.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index="btree_not_null",
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index="btree_not_null",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    feedback_id = fields.Many2one(
        "crm.sme.feedback",
        string="Feedback",
        index="btree_not_null",
        check_company=True,
        help="The customer feedback this visit answers (e.g. a technician visit).",
    )
    outcome = fields.Html()
    next_step = fields.Char(help="What was agreed to do next.")
    next_activity_type_id = fields.Many2one("mail.activity.type", string="Next Activity")
    next_activity_date = fields.Date(string="Next Activity On")
    expense_amount = fields.Monetary(
        string="Expense",
        currency_field="currency_id",
        help="Sales expense of this interaction (travel, gifts, meals...), in company currency.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("partner_id", "user_id")
    def _compute_team_id(self):
        for interaction in self:
            interaction.team_id = (
                interaction.partner_id.commercial_partner_id.team_id
                or interaction.user_id.sale_team_id
            )

    # ------------------------------------------------------------------
    # CONSTRAINTS / ONCHANGES
    # ------------------------------------------------------------------
    @api.constrains("expense_amount", "duration")
    def _check_amounts(self):
        failing = self.filtered(lambda i: i.expense_amount < 0 or i.duration < 0)
        if failing:
            raise ValidationError(
                _(
                    "Expense and duration cannot be negative: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.constrains("state", "date")
    def _check_done_not_in_future(self):
        now = fields.Datetime.now()
        failing = self.filtered(lambda i: i.state == "done" and i.date > now)
        if failing:
            raise ValidationError(
                _(
                    "An interaction in the future cannot be done yet; plan it instead: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        # sudo: the author's companies, whoever moves the interaction.
        failing = self.sudo().filtered(
            lambda i: i.user_id and i.company_id not in i.user_id.company_ids
        )
        if failing:
            raise ValidationError(
                _(
                    "An interaction belongs to a company its salesperson works in: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.constrains("contact_id", "partner_id")
    def _check_contact(self):
        failing = self.filtered(
            lambda i: i.contact_id
            and i.contact_id.commercial_partner_id != i.partner_id.commercial_partner_id
        )
        if failing:
            raise ValidationError(
                _(
                    "The contact must work for the customer: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id and not self.partner_id:
            self.partner_id = self.lead_id.partner_id.commercial_partner_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals.get("name") or "?" for vals in vals_list if not vals.get("partner_id")]
        if missing and not self.env.context.get("default_partner_id"):
            raise ValidationError(
                _("An interaction needs a customer: %(names)s", names=", ".join(missing))
            )
        # Interactions are logged on the company, whoever was met.
        self._crm_sme_file_on_company(vals_list)
        interactions = super().create(vals_list)
        interactions._schedule_next_activity()
        interactions._crm_sme_refresh_positions()
        return interactions

    def write(self, vals):
        partners = self.partner_id
        res = super().write(vals)
        if {"partner_id", "state", "date", "expense_amount", "company_id"} & set(vals):
            self._crm_sme_refresh_positions(partners)
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        self.browse()._crm_sme_refresh_positions(partners)
        return res

    # ------------------------------------------------------------------
    # ACTIONS / BUSINESS
    # ------------------------------------------------------------------
    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancel"})

    def _crm_sme_position_partners(self):
        return self.partner_id

    def _schedule_next_activity(self):
        """The next step, when it has a type and a date, becomes an activity on the customer."""
        for interaction in self.filtered(
            lambda i: i.next_activity_type_id and i.next_activity_date
        ):
            interaction.partner_id.activity_schedule(
                activity_type_id=interaction.next_activity_type_id.id,
                date_deadline=interaction.next_activity_date,
                summary=interaction.next_step or interaction.name,
                user_id=interaction.user_id.id,
            )
