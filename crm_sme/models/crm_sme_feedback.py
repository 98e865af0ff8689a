# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

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
# System parameters (Settings > Technical > System Parameters).
PARAM_KEY_ACCOUNT_PRIORITY = "crm_sme.feedback_key_account_priority"
PARAM_UNKNOWN_SENDER = "crm_sme.feedback_alias_unknown_sender"
# Fields that may change the deadline policy of a feedback.
POLICY_FIELDS = {"priority", "team_id", "partner_id", "user_id", "company_id"}
CSAT_LOW = 2  # a CSAT at or below this creates a follow-up activity
NPS_LOW = 6  # an NPS answer at or below this (a detractor) creates a follow-up activity


class CrmSmeFeedback(models.Model):
    """A customer's complaint, suggestion, praise or service request, followed to closure."""

    _name = "crm.sme.feedback"
    _description = "Customer Feedback"
    # rating.mixin is a mail.thread; the deadline clocks live in their own mixin.
    _inherit = [
        "portal.mixin",
        "rating.mixin",
        "mail.activity.mixin",
        "crm.sme.feedback.deadline.mixin",
        "crm.sme.customer.mixin",
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
    is_green_channel = fields.Boolean(
        string="Green Channel",
        readonly=True,
        copy=False,
        help="Raised automatically because the customer is a key account.",
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
    # Links to the ERP documents the feedback is about.
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('picking_type_code', '=', 'outgoing')]",
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('move_type', '=', 'out_invoice')]",
    )
    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        index="btree_not_null",
        domain="[('id', 'in', allowed_lot_ids)]",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_allowed_lot_ids",
        compute_sudo=True,
        help="Lots/serials delivered to the customer (in the linked delivery if any).",
    )
    # Remedies: the resulting ERP documents.
    return_picking_ids = fields.Many2many(
        "stock.picking", compute="_compute_return_picking_ids", string="Returns", compute_sudo=True
    )
    return_count = fields.Integer(compute="_compute_return_picking_ids", compute_sudo=True)
    credit_note_ids = fields.Many2many(
        "account.move",
        compute="_compute_credit_note_ids",
        string="Credit Notes",
        compute_sudo=True,
    )
    credit_note_count = fields.Integer(compute="_compute_credit_note_ids", compute_sudo=True)
    replacement_order_ids = fields.Many2many(
        "sale.order",
        "crm_sme_feedback_replacement_order_rel",
        "feedback_id",
        "order_id",
        string="Replacement Orders",
        copy=False,
        readonly=True,
    )
    replacement_order_count = fields.Integer(compute="_compute_replacement_order_count")
    interaction_ids = fields.One2many("crm.sme.interaction", "feedback_id", string="Visits")
    interaction_count = fields.Integer(compute="_compute_interaction_count")
    # Deadlines: the policy here, the clocks in crm.sme.feedback.deadline.mixin.
    sla_id = fields.Many2one(
        "crm.sme.feedback.sla",
        string="Deadline Policy",
        compute="_compute_sla_id",
        store=True,
    )
    # Satisfaction: CSAT through rating.mixin, NPS on the feedback itself.
    csat_score = fields.Integer(
        string="CSAT",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Customer satisfaction with the outcome, 1 (very dissatisfied) to 5 (very satisfied).",
    )
    date_csat = fields.Datetime(string="Rated On", copy=False, readonly=True)
    nps_score = fields.Integer(
        string="NPS Answer",
        copy=False,
        aggregator="avg",
        help="How likely the customer is to recommend us, 0 to 10.",
    )
    date_nps = fields.Datetime(string="NPS Answered On", copy=False, readonly=True)
    nps_category = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        compute="_compute_nps_category",
        store=True,
        string="NPS Category",
    )

    _sql_constraints = [
        (
            "csat_range",
            "CHECK (csat_score IS NULL OR csat_score = 0 OR csat_score BETWEEN 1 AND 5)",
            "A CSAT rating goes from 1 to 5.",
        ),
        (
            "nps_range",
            "CHECK (nps_score IS NULL OR nps_score BETWEEN 0 AND 10)",
            "An NPS answer goes from 0 to 10.",
        ),
    ]

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

    @api.depends("partner_id", "picking_id", "product_id")
    def _compute_allowed_lot_ids(self):
        """Lots that left for this customer, one search for the whole batch."""
        customers = self.partner_id.commercial_partner_id
        lines = self.env["stock.move.line"].search_fetch(
            [
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("location_dest_id.usage", "=", "customer"),
                ("picking_id.partner_id.commercial_partner_id", "in", customers.ids),
            ],
            ["lot_id", "picking_id", "product_id"],
        )
        for feedback in self:
            customer = feedback.partner_id.commercial_partner_id
            mine = lines.filtered(
                lambda ml, c=customer, f=feedback: ml.picking_id.partner_id.commercial_partner_id
                == c
                and (not f.picking_id or ml.picking_id == f.picking_id)
                and (not f.product_id or ml.product_id == f.product_id)
            )
            feedback.allowed_lot_ids = mine.lot_id

    @api.depends("picking_id.return_ids")
    def _compute_return_picking_ids(self):
        for feedback in self:
            feedback.return_picking_ids = feedback.picking_id.return_ids
            feedback.return_count = len(feedback.picking_id.return_ids)

    @api.depends("invoice_id.reversal_move_ids")
    def _compute_credit_note_ids(self):
        for feedback in self:
            feedback.credit_note_ids = feedback.invoice_id.reversal_move_ids
            feedback.credit_note_count = len(feedback.invoice_id.reversal_move_ids)

    @api.depends("replacement_order_ids")
    def _compute_replacement_order_count(self):
        for feedback in self:
            feedback.replacement_order_count = len(feedback.replacement_order_ids)

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

    @api.depends("nps_score", "date_nps")
    def _compute_nps_category(self):
        for feedback in self:
            if not feedback.date_nps:
                feedback.nps_category = False
            elif (feedback.nps_score or 0) >= 9:
                feedback.nps_category = "promoter"
            elif feedback.nps_score >= 7:
                feedback.nps_category = "passive"
            else:
                feedback.nps_category = "detractor"

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

    @api.constrains(
        "partner_id", "contact_id", "sale_order_id", "picking_id", "invoice_id", "lead_id"
    )
    def _check_documents_of_customer(self):
        def foreign(feedback):
            feedback = feedback.sudo()  # the links are checked, whoever may open them
            customer = feedback.partner_id.commercial_partner_id
            docs = [
                feedback.contact_id,
                feedback.sale_order_id.partner_id,
                feedback.picking_id.partner_id,
                feedback.invoice_id.partner_id,
                feedback.lead_id.partner_id,
            ]
            return any(p and p.commercial_partner_id != customer for p in docs)

        failing = self.filtered(foreign)
        if failing:
            raise ValidationError(
                _(
                    "The contact and the linked documents must belong to the customer: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.constrains("csat_score", "nps_score")
    def _check_scores(self):
        failing = self.filtered(
            lambda f: (f.csat_score and not 1 <= f.csat_score <= 5)
            or (f.nps_score and not 0 <= f.nps_score <= 10)
        )
        if failing:
            raise ValidationError(
                _(
                    "CSAT goes from 1 to 5 and NPS from 0 to 10: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        # sudo: a service agent links documents they may not open (links only).
        picking_sudo = self.picking_id.sudo()
        if picking_sudo:
            self.sale_order_id = self.sale_order_id or picking_sudo.sale_id
            if not self.product_id and len(picking_sudo.move_ids.product_id) == 1:
                self.product_id = picking_sudo.move_ids.product_id
            self._onchange_sale_order_id()

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order_sudo = self.sale_order_id.sudo()
        if order_sudo:
            self.lead_id = self.lead_id or order_sudo.opportunity_id
            invoices = order_sudo.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            if not self.invoice_id and len(invoices) == 1:
                self.invoice_id = invoices

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
        customers = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        customers = {customer.id: customer for customer in customers}
        green = self._key_account_priority()
        for vals in vals_list:
            if vals.get("partner_id"):
                customer = customers[vals["partner_id"]]
                if green and customer.is_key_account and vals.get("priority", "1") < green:
                    vals["priority"] = green
                    vals["is_green_channel"] = True
            if vals.get("reference", "/") == "/":
                vals["reference"] = self.env["ir.sequence"].next_by_code("crm.sme.feedback") or "/"
        feedbacks = super().create(vals_list)
        feedbacks._set_deadlines()
        return feedbacks

    def write(self, vals):
        nps = vals.get("nps_score")
        if "nps_score" in vals:
            if nps is not False and nps is not None:
                nps = int(nps)
                if not 0 <= nps <= 10:
                    raise UserError(
                        _("An NPS answer goes from 0 to 10 (received %(score)s).", score=nps)
                    )
            vals = dict(
                vals, date_nps=vals.get("date_nps") or (nps is not False and fields.Datetime.now())
            )
        policy_before = {}
        if POLICY_FIELDS & vals.keys():
            policy_before = {feedback.id: feedback.sla_id for feedback in self.sudo()}
        if "stage_id" in vals:
            res = self._write_stage(vals)
        else:
            res = super().write(vals)
        if "partner_id" in vals and "priority" not in vals:
            # A feedback moved to a key account gets the green channel too.
            self._apply_green_channel()
        if policy_before:
            # Another policy (priority, team, company): deadlines planned again.
            self.sudo().filtered(
                lambda f: not f.is_closed and f.sla_id != policy_before[f.id]
            )._set_deadlines()
        if "nps_score" in vals and nps is not False and nps <= NPS_LOW:
            self._schedule_follow_up(_("Detractor (NPS %(score)s/10): understand why", score=nps))
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
    # MAIL / RATING / PORTAL
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Feedback from an email to the feedback alias.

        The customer is the sender's company. An unknown sender gets a new
        contact, unless the system parameter ``crm_sme.feedback_alias_unknown_sender``
        is ``reject`` (then the email bounces); the alias' "Accept Emails From"
        setting can also restrict senders to known partners.
        """
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        email = tools.email_normalize(msg_dict.get("email_from") or msg_dict.get("from") or "")
        if not email:
            raise ValueError(_("Feedback by email needs a sender address."))
        if not author:
            author = self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
        if not author:
            policy = (
                self.env["ir.config_parameter"].sudo().get_param(PARAM_UNKNOWN_SENDER, "create")
            )
            if policy == "reject":
                raise ValueError(
                    _("Feedback from an unknown sender is refused: %(email)s", email=email)
                )
            name = tools.parse_contact_from_email(msg_dict.get("email_from") or email)[0]
            author = self.env["res.partner"].create({"name": name or email, "email": email})
        values.update(
            {
                "name": msg_dict.get("subject") or _("Feedback by email"),
                "partner_id": author.commercial_partner_id.id,
                "contact_id": author.id if author.parent_id else False,
                "email_from": email,
                "channel": "email",
                "user_id": False,
            }
        )
        feedback = super(CrmSmeFeedback, self.with_context(default_user_id=False)).message_new(
            msg_dict, custom_values=values
        )
        feedback.message_subscribe(partner_ids=author.ids)
        return feedback

    def _message_post_after_hook(self, message, msg_vals):
        """A public reply of an employee is the first response."""
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            pending = self.filtered(lambda f: not f.date_first_response)
            now = fields.Datetime.now()
            for feedback in pending.sudo():
                feedback.write(feedback._first_response_vals(now, feedback._get_calendar()))
        return super()._message_post_after_hook(message, msg_vals)

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        if not 1 <= rate <= 5:
            raise UserError(_("A rating goes from 1 to 5 (received %(rate)s).", rate=rate))
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        record = self.browse(rating.res_id).sudo()
        record.write({"csat_score": int(rate), "date_csat": fields.Datetime.now()})
        if rate <= CSAT_LOW:
            record._schedule_follow_up(
                _("Low satisfaction (%(score)s/5): call the customer back", score=int(rate))
            )
        return rating

    def _send_rating_request(self, template):
        for feedback in self.filtered(lambda f: f._rating_get_partner().email):
            feedback.rating_send_request(
                template, lang=feedback._rating_get_partner().lang, force_send=False
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_set_nps(self, score):
        """Records the customer's NPS answer (0-10); detractors get a follow-up."""
        self.write({"nps_score": int(score), "date_nps": fields.Datetime.now()})
        return True

    def action_return_goods(self):
        """Odoo's return wizard on the delivery the feedback is about."""
        self.ensure_one()
        if not self.picking_id:
            raise UserError(_("Link the delivery first: a return is made from a delivery."))
        if self.picking_id.state != "done":
            raise UserError(
                _(
                    "Delivery %(picking)s is not done yet: nothing can be returned.",
                    picking=self.picking_id.name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.act_stock_return_picking")
        action["context"] = {
            "active_id": self.picking_id.id,
            "active_ids": self.picking_id.ids,
            "active_model": "stock.picking",
        }
        return action

    def action_credit_note(self):
        """Odoo's reversal wizard on the invoice the feedback is about."""
        self.ensure_one()
        if not self.invoice_id:
            raise UserError(_("Link the invoice first: a credit note reverses an invoice."))
        if self.invoice_id.state != "posted":
            raise UserError(
                _(
                    "Invoice %(invoice)s is not posted: it cannot be credited.",
                    invoice=self.invoice_id.display_name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_view_account_move_reversal"
        )
        action["context"] = {
            "active_id": self.invoice_id.id,
            "active_ids": self.invoice_id.ids,
            "active_model": "account.move",
            "default_reason": _("Feedback %(ref)s", ref=self.display_name),
        }
        return action

    def action_replacement_order(self):
        """A free replacement quotation for the product(s) concerned."""
        self.ensure_one()
        lines = self._prepare_replacement_lines()
        if not lines:
            raise UserError(_("Set the product or link the delivery first: nothing to replace."))
        order = self.env["sale.order"].create(
            {
                "partner_id": (self.contact_id or self.partner_id).id,
                "company_id": self.company_id.id,
                "team_id": self.team_id.id,
                "user_id": (self.partner_id.user_id or self.user_id or self.env.user).id,
                "origin": self.reference,
                "opportunity_id": self.lead_id.id,
                "order_line": [fields.Command.create(line) for line in lines],
            }
        )
        self.replacement_order_ids = [fields.Command.link(order.id)]
        self.message_post(
            body=_("Replacement order %(order)s created.", order=order._get_html_link())
        )
        return self._action_open(order)

    def action_technician_visit(self):
        """Plans a technician visit (an interaction) for tomorrow."""
        self.ensure_one()
        visit = self.env["crm.sme.interaction"].create(
            {
                "name": _("Technician visit: %(ref)s", ref=self.display_name),
                "interaction_type": "visit",
                "state": "planned",
                "date": fields.Datetime.now() + timedelta(days=1),
                "partner_id": self.partner_id.id,
                "contact_id": self.contact_id.id,
                "user_id": (self.user_id or self.env.user).id,
                "company_id": self.company_id.id,
                "lead_id": self.lead_id.id,
                "feedback_id": self.id,
            }
        )
        return self._action_open(visit)

    def action_view_returns(self):
        return self._action_open(self.return_picking_ids)

    def action_view_credit_notes(self):
        return self._action_open(self.credit_note_ids)

    def action_view_replacement_orders(self):
        return self._action_open(self.replacement_order_ids)

    def action_view_interactions(self):
        return self._action_open(self.interaction_ids)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    @api.model
    def _apply_green_channel(self):
        """Raise open feedback of key accounts to the green-channel priority."""
        green = self._key_account_priority()
        if not green:
            return
        raised = self.sudo().filtered(
            lambda f: not f.is_closed
            and f.partner_id.commercial_partner_id.is_key_account
            and f.priority < green
        )
        raised.write({"priority": green, "is_green_channel": True})

    def _key_account_priority(self):
        """Priority given to key accounts ('' disables the green channel)."""
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_KEY_ACCOUNT_PRIORITY, "2")
        return value if value in dict(FEEDBACK_PRIORITIES) else ""

    def _schedule_follow_up(self, summary):
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for feedback in self:
            feedback.activity_schedule(
                activity_type_id=(activity_type or self.env.ref("mail.mail_activity_data_todo")).id,
                summary=summary,
                user_id=(feedback.user_id or feedback.team_id.user_id or self.env.user).id,
            )

    def _prepare_replacement_lines(self):
        self.ensure_one()
        moves = self.picking_id.move_ids.filtered(
            lambda m: m.state == "done" and (not self.product_id or m.product_id == self.product_id)
        )
        if moves:
            return [
                {
                    "product_id": m.product_id.id,
                    "product_uom_qty": m.quantity,
                    "crm_sme_is_free": True,
                }
                for m in moves
            ]
        if self.product_id:
            return [
                {"product_id": self.product_id.id, "product_uom_qty": 1.0, "crm_sme_is_free": True}
            ]
        return []

    def _action_open(self, records):
        if not records:
            return False
        action = {
            "type": "ir.actions.act_window",
            "res_model": records._name,
            "name": records._description,
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=records.id)
        else:
            action.update(
                view_mode="list,form",
                views=[(False, "list"), (False, "form")],
                domain=[("id", "in", records.ids)],
            )
        return action
