# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_sme_value_selections import LIFECYCLE_STAGES, VALUE_TIERS


class CrmSmeVisitPlanLine(models.Model):
    """One customer to visit in a salesperson's week, ranked by a score.

    score = value x churn risk x visit overdue x open feedback, where
    * value is the customer's current value (0-100, at least 5);
    * churn risk is 2 when at risk, 1.5 when dormant, 1.2 when new, else 1;
    * visit overdue is 0.5 when not yet due this week, else 1 + the days overdue
      against the tier policy's interval divided by that interval (at most 3);
      2 when never visited;
    * open feedback is 1 + 0.5 per open feedback (at most 3).
    The factors are stored, so each line explains its rank.
    """

    _name = "crm.sme.visit.plan.line"
    _description = "Visit Plan Line"
    _inherit = ["crm.sme.visit.plan.generate.mixin"]
    _order = "week_start desc, user_id, rank, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    week_start = fields.Date(string="Week", required=True, readonly=True, index=True)
    rank = fields.Integer(readonly=True, aggregator=False)
    score = fields.Float(readonly=True, digits=(16, 2), aggregator="max")
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    value_score = fields.Float(string="Value", readonly=True, aggregator="avg")
    risk_factor = fields.Float(string="Churn Risk Factor", readonly=True, aggregator="avg")
    overdue_factor = fields.Float(readonly=True, aggregator="avg")
    feedback_factor = fields.Float(readonly=True, aggregator="avg")
    last_visit = fields.Date(readonly=True)
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)", readonly=True, aggregator=False
    )
    overdue_days = fields.Integer(string="Days Overdue", readonly=True, aggregator="avg")
    open_feedback_count = fields.Integer(string="Open Feedback", readonly=True)
    planned_date = fields.Date(string="Planned On", readonly=True)
    reason = fields.Char(compute="_compute_reason", help="Why this customer is in the plan.")
    state = fields.Selection(
        [("proposed", "Proposed"), ("accepted", "Accepted"), ("dismissed", "Dismissed")],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
    )
    dismiss_reason = fields.Char(help="Why the salesperson does not visit this customer this week.")
    interaction_id = fields.Many2one(
        "crm.sme.interaction", string="Planned Visit", readonly=True, index="btree_not_null"
    )
    interaction_state = fields.Selection(related="interaction_id.state", string="Visit Status")

    _sql_constraints = [
        (
            "line_unique",
            "UNIQUE(company_id, user_id, partner_id, week_start)",
            "A customer is in a salesperson's plan once a week.",
        ),
    ]

    @api.depends(
        "value_score",
        "risk_factor",
        "overdue_factor",
        "feedback_factor",
        "last_visit",
        "overdue_days",
        "visit_interval_days",
        "open_feedback_count",
        "lifecycle",
    )
    def _compute_reason(self):
        stages = dict(self._fields["lifecycle"]._description_selection(self.env))
        for line in self:
            parts = [_("value %(value)s", value=round(line.value_score))]
            if line.risk_factor > 1:
                parts.append(
                    _(
                        "%(stage)s (x%(factor)s)",
                        stage=stages.get(line.lifecycle, ""),
                        factor=line.risk_factor,
                    )
                )
            if not line.last_visit:
                parts.append(_("never visited"))
            elif line.overdue_days > 0:
                parts.append(
                    _(
                        "visit overdue by %(days)s days (every %(interval)s days)",
                        days=line.overdue_days,
                        interval=line.visit_interval_days,
                    )
                )
            else:
                parts.append(_("visit due in %(days)s days", days=-line.overdue_days))
            if line.open_feedback_count:
                parts.append(_("%(count)s open feedback", count=line.open_feedback_count))
            line.reason = ", ".join(parts)

    def write(self, vals):
        # Lines are generated; users only type the reason to dismiss, the
        # accept / dismiss buttons change the rest after their checks.
        if not self.env.su and set(vals) - {"dismiss_reason"}:
            raise AccessError(
                _("A visit plan line is changed by its Accept and Dismiss buttons only.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def _check_own(self):
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        for line in self:
            if line.company_id not in self.env.companies:
                raise AccessError(
                    _(
                        "This visit plan line belongs to another company: %(name)s",
                        name=line.partner_id.display_name,
                    )
                )
            if line.user_id != self.env.user and not is_manager:
                raise AccessError(
                    _(
                        "Only %(user)s or a sales manager can accept or dismiss the visit of "
                        "%(name)s.",
                        user=line.user_id.name,
                        name=line.partner_id.display_name,
                    )
                )

    def action_accept(self):
        """Plan the visit: one planned interaction of type visit per line."""
        self._check_own()
        if any(line.state != "proposed" for line in self):
            raise UserError(_("Only proposed lines can be accepted."))
        now = fields.Datetime.now()
        vals_list = []
        for line in self:
            planned = datetime.combine(line.planned_date or line.week_start, time(9, 0))
            vals_list.append(
                {
                    "name": _("Visit %(customer)s", customer=line.partner_id.name),
                    "interaction_type": "visit",
                    "state": "planned",
                    "date": max(planned, now),
                    "partner_id": line.partner_id.id,
                    "user_id": line.user_id.id,
                    "company_id": line.company_id.id,
                }
            )
        interactions = self.env["crm.sme.interaction"].create(vals_list)
        for line, interaction in zip(self, interactions, strict=True):
            # sudo: checked above (own line of an allowed company)
            line.sudo().write({"state": "accepted", "interaction_id": interaction.id})
        return True

    def action_dismiss(self):
        self._check_own()
        if any(line.state != "proposed" for line in self):
            raise UserError(_("Only proposed lines can be dismissed."))
        missing = self.filtered(lambda line: not (line.dismiss_reason or "").strip())
        if missing:
            raise UserError(
                _(
                    "Give a reason to dismiss the visit of %(names)s.",
                    names=", ".join(missing.mapped("partner_id.display_name")),
                )
            )
        self.sudo().write({"state": "dismissed"})  # sudo: checked above
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    @api.model
    def action_generate(self):
        """Button: this week's plan of the current company (a salesperson: their own)."""
        company = self.env.company
        user_ids = None
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            user_ids = self.env.user.ids
        count = self.sudo()._generate(company, user_ids=user_ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Visit plan refreshed: %(count)s proposed visits.", count=count),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
