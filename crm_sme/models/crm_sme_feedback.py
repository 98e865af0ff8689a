# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from .crm_sme_feedback_sla import FEEDBACK_PRIORITIES

FEEDBACK_PHASES = [
    ("pre_sale", "Pre-sale"),
    ("in_sale", "In-sale"),
    ("after_sale", "After-sale"),
]
FEEDBACK_CHANNELS = [
    ("phone", "Phone"),
    ("visit", "Visit"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("store", "Store"),
    ("other", "Other"),
]
# Fields that may change the deadline policy of a feedback.
POLICY_FIELDS = {"priority", "team_id", "partner_id", "user_id", "company_id"}


class CrmSmeFeedback(models.Model):
    """A customer's complaint, suggestion, praise or service request, followed to closure.

    Each concern lives in its own mixin: satisfaction (CSAT/NPS, rating.mixin),
    mail gateway, linked documents, remedies, green channel, deadline clocks.
    """

    _name = "crm.sme.feedback"
    _description = "Customer Feedback"
    _inherit = [
        "portal.mixin",
        "crm.sme.feedback.satisfaction.mixin",
        "crm.sme.feedback.mail.gateway.mixin",
        "crm.sme.feedback.document.mixin",
        "crm.sme.feedback.remedy.mixin",
        "crm.sme.feedback.green.channel.mixin",
        "mail.activity.mixin",
        "crm.sme.feedback.deadline.mixin",
        "crm.sme.customer.mixin",
        "crm.sme.input.mixin",
    ]
    _order = "priority desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _primary_email = "email_from"

    # ------------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------------
    def _default_stage_id(self):
        return self.env["crm.sme.feedback.stage"].search([("fold", "=", False)], limit=1)

    def _default_type_id(self):
        return self.env["crm.sme.feedback.type"].search([], limit=1)

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    reference = fields.Char(readonly=True, copy=False, index="trigram", default="/")
    name = fields.Char(string="Subject", required=True, tracking=True)
    type_id = fields.Many2one(
        "crm.sme.feedback.type",
        string="Type",
        required=True,
        default=_default_type_id,
        tracking=True,
        index=True,
        ondelete="restrict",
    )
    is_complaint = fields.Boolean(related="type_id.is_complaint")
    phase = fields.Selection(
        FEEDBACK_PHASES, required=True, default="after_sale", tracking=True, index=True
    )
    channel = fields.Selection(FEEDBACK_CHANNELS, required=True, default="phone", index=True)
    priority = fields.Selection(
        FEEDBACK_PRIORITIES, required=True, default="1", tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
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
    is_key_account = fields.Boolean(related="partner_id.is_key_account")
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index="btree_not_null",
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
    )
    email_from = fields.Char(string="Email", help="Address the feedback came from.")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        default=lambda self: self.env.user if not self.env.user.share else False,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Team",
        index="btree_not_null",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    stage_id = fields.Many2one(
        "crm.sme.feedback.stage",
        string="Stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        default=_default_stage_id,
        group_expand="_read_group_stage_ids",
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.fold", store=True, index=True, string="Closed")
    is_waiting = fields.Boolean(related="stage_id.is_waiting", string="Waiting on Customer")
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=fields.Datetime.now,
        help="Deadlines and times to respond and resolve count from here.",
    )
    description = fields.Html()
    root_cause_id = fields.Many2one(
        "crm.sme.feedback.root.cause",
        string="Root Cause",
        tracking=True,
        index="btree_not_null",
    )
    resolution = fields.Html()
    interaction_ids = fields.One2many("crm.sme.interaction", "feedback_id", string="Visits")
    interaction_count = fields.Integer(compute="_compute_interaction_count")
    # Deadlines: the policy here, the clocks in crm.sme.feedback.deadline.mixin.
    sla_id = fields.Many2one(
        "crm.sme.feedback.sla",
        string="Deadline Policy",
        compute="_compute_sla_id",
        store=True,
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("partner_id", "user_id")
    def _compute_team_id(self):
        for feedback in self:
            feedback.team_id = (
                feedback.partner_id.commercial_partner_id.team_id
                or feedback.user_id.sale_team_id
                or feedback.team_id
            )

    @api.depends("interaction_ids")
    def _compute_interaction_count(self):
        counts = dict(
            self.env["crm.sme.interaction"]._read_group(
                [("feedback_id", "in", self.ids)], ["feedback_id"], ["__count"]
            )
        )
        for feedback in self:
            feedback.interaction_count = counts.get(feedback, 0)

    @api.depends("priority", "team_id", "company_id")
    def _compute_sla_id(self):
        policies = self.env["crm.sme.feedback.sla"].sudo().search([])
        for feedback in self:
            candidates = policies.filtered(
                lambda s, f=feedback: s.priority == f.priority
                and s.company_id in (f.company_id, self.env["res.company"])
                and s.team_id in (f.team_id, self.env["crm.team"])
            )
            # A team's own policy first, then a company's, then a shared one.
            feedback.sla_id = candidates.sorted(lambda s: (not s.team_id, not s.company_id, s.id))[
                :1
            ]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for feedback in self:
            feedback.access_url = f"/my/feedback/{feedback.id}"
        return res

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    # ------------------------------------------------------------------
    # CONSTRAINTS / ONCHANGES
    # ------------------------------------------------------------------
    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        failing = self.filtered(
            lambda f: (f.stage_id.is_resolved or f.stage_id.fold)
            and not f.stage_id.is_cancel
            and tools.is_html_empty(f.resolution)
        )
        if failing:
            raise ValidationError(
                _(
                    "Write the resolution before resolving or closing: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.depends("reference", "name")
    def _compute_display_name(self):
        for feedback in self:
            if feedback.reference and feedback.reference != "/":
                feedback.display_name = f"{feedback.reference} {feedback.name or ''}".strip()
            else:
                feedback.display_name = feedback.name or ""

    @api.model_create_multi
    def create(self, vals_list):
        # Feedback is filed on the company, whoever wrote it.
        self._crm_sme_file_on_company(vals_list)
        for vals in vals_list:
            if vals.get("reference", "/") == "/":
                vals["reference"] = self.env["ir.sequence"].next_by_code("crm.sme.feedback") or "/"
        feedbacks = super().create(vals_list)
        feedbacks._set_deadlines()
        return feedbacks

    def write(self, vals):
        self._crm_sme_check_input(vals)  # before the stage and policy logic reads vals
        policy_before = {}
        if POLICY_FIELDS & vals.keys():
            policy_before = {feedback.id: feedback.sla_id for feedback in self.sudo()}
        if "stage_id" in vals:
            res = self._write_stage(vals)
        else:
            res = super().write(vals)
        if policy_before:
            # Another policy (priority, team, company): deadlines planned again.
            self.sudo().filtered(
                lambda f: not f.is_closed and f.sla_id != policy_before[f.id]
            )._set_deadlines()
        return res

    def _write_stage(self, vals):
        """Moves the feedback to a new stage and keeps the clocks right.

        Entering a waiting stage pauses the deadlines, leaving it shifts them
        by the working hours spent waiting; resolving and closing store the
        times for reporting.
        """
        now = fields.Datetime.now()
        stage = self.env["crm.sme.feedback.stage"].browse(vals["stage_id"])
        previous = {feedback.id: feedback.stage_id for feedback in self}
        res = super().write(vals)
        self._update_clocks(previous, stage, now)
        if stage.rating_template_id:
            moved = self.filtered(lambda f: previous[f.id] != stage)
            moved._send_rating_request(stage.rating_template_id)
        return res

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_view_interactions(self):
        return self._action_open(self.interaction_ids)
