# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models

from ..jobs import run_isolated


class CrmSmeFeedbackDeadlineMixin(models.AbstractModel):
    """Deadlines and clocks of customer feedback, on working hours.

    The concrete model provides ``sla_id`` (crm.sme.feedback.sla),
    ``company_id``, ``team_id``, ``user_id``, ``reference``, ``date_received``
    and ``stage_id`` (crm.sme.feedback.stage). Deadlines are planned on the
    policy's calendar (the company's by default); time in a waiting stage
    pauses them; the times to first response and to resolution are stored
    for reporting; a scheduled job flags breaches and alerts team leaders.
    """

    _name = "crm.sme.feedback.deadline.mixin"
    _description = "Feedback Deadlines"

    date_first_response_deadline = fields.Datetime(
        string="First Response Due", copy=False, index="btree_not_null"
    )
    date_resolution_deadline = fields.Datetime(
        string="Resolution Due", copy=False, index="btree_not_null"
    )
    date_first_response = fields.Datetime(string="First Response On", copy=False, readonly=True)
    date_waiting = fields.Datetime(
        string="Waiting Since",
        copy=False,
        readonly=True,
        help="Deadlines are paused since this time.",
    )
    waiting_hours = fields.Float(
        string="Working Hours Waiting on Customer", copy=False, readonly=True
    )
    date_resolved = fields.Datetime(string="Resolved On", copy=False, readonly=True)
    date_closed = fields.Datetime(string="Closed On", copy=False, readonly=True, index=True)
    first_response_hours = fields.Float(
        string="Hours to First Response",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Working hours from reception to the first response.",
    )
    resolution_hours = fields.Float(
        string="Hours to Resolution",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Working hours from reception to resolution, time waiting on the customer excluded.",
    )
    is_breached = fields.Boolean(string="Deadline Breached", copy=False, readonly=True, index=True)
    date_breached = fields.Datetime(string="Breached On", copy=False, readonly=True)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _get_calendar(self):
        self.ensure_one()
        sla = self.sudo().sla_id
        return (sla and sla._get_calendar(self.company_id)) or self.company_id.resource_calendar_id

    def _set_deadlines(self):
        """Deadlines from the policy, in working hours from reception, waiting time excluded.

        Records sharing a policy, calendar, reception time and waiting time
        (a batch created together) are planned once and written together.
        """
        sudo_self = self.sudo()  # deadlines are system fields, whatever the user may write
        groups = defaultdict(sudo_self.browse)
        for feedback in sudo_self:
            sla = feedback.sla_id
            key = (
                sla,
                sla and feedback._get_calendar(),
                feedback.date_received,
                feedback.waiting_hours,
            )
            groups[key] |= feedback
        for (sla, calendar, begin, waiting), feedbacks in groups.items():
            if not sla or not calendar:
                vals = {"date_first_response_deadline": False, "date_resolution_deadline": False}
            else:
                vals = {
                    "date_first_response_deadline": calendar.plan_hours(
                        sla.first_response_hours + waiting, begin
                    ),
                    "date_resolution_deadline": calendar.plan_hours(
                        sla.resolution_hours + waiting, begin
                    ),
                }
            feedbacks.write(vals)

    def _first_response_vals(self, now, calendar):
        return {
            "date_first_response": now,
            "first_response_hours": calendar.get_work_hours_count(self.date_received, now),
        }

    @api.model
    def _breach_domain(self, now):
        return [
            ("is_closed", "=", False),
            ("is_breached", "=", False),
            ("stage_id.is_waiting", "=", False),
            "|",
            "&",
            ("date_first_response", "=", False),
            ("date_first_response_deadline", "<", now),
            "&",
            ("date_resolved", "=", False),
            ("date_resolution_deadline", "<", now),
        ]

    @api.model
    def _cron_flag_breaches(self):
        """Flags open feedback past a deadline and alerts each team leader once.

        Set-based per batch: one search, one write and one batch insert of
        activities per batch; a feedback that fails is logged with its id and
        skipped (flagged on a later run), the others are flagged.
        """
        now = fields.Datetime.now()
        breached = self.search(self._breach_domain(now))
        if not breached:
            return 0
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)

        def flag(feedbacks):
            feedbacks.write({"is_breached": True, "date_breached": now})
            vals_list = [
                {
                    "res_model_id": model_id,
                    "res_id": feedback.id,
                    "activity_type_id": todo.id,
                    "user_id": (feedback.team_id.user_id or feedback.user_id).id,
                    "date_deadline": today,
                    # in the language of the leader who reads it, not of the job's user
                    "summary": self.with_context(
                        lang=(feedback.team_id.user_id or feedback.user_id).lang
                    ).env._("Deadline breached: %(ref)s", ref=feedback.reference),
                }
                for feedback in feedbacks
                if feedback.team_id.user_id or feedback.user_id
            ]
            # No email per activity: the leaders see them in their activity menu.
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
                vals_list
            )

        return len(run_isolated(breached, flag, "Customer feedback: breached deadlines"))

    def _update_clocks(self, previous, stage, now):
        """After a stage change: pause or resume the deadlines, stamp first
        response, resolution and closure. ``previous`` maps ids to old stages."""
        for feedback in self.sudo():  # clocks are system fields, whatever the user may write
            old = previous[feedback.id]
            if old == stage:
                continue
            updates = {}
            calendar = feedback._get_calendar()
            if old.is_waiting and feedback.date_waiting:
                paused = calendar.get_work_hours_count(feedback.date_waiting, now)
                updates["waiting_hours"] = feedback.waiting_hours + paused
                updates["date_waiting"] = False
                # Move the remaining deadlines forward by the paused working time.
                for fname in ("date_first_response_deadline", "date_resolution_deadline"):
                    deadline = feedback[fname]
                    if deadline and deadline > feedback.date_waiting:
                        left = calendar.get_work_hours_count(feedback.date_waiting, deadline)
                        updates[fname] = calendar.plan_hours(left, now)
            if stage.is_waiting:
                updates["date_waiting"] = now
            if stage.sequence > old.sequence and not feedback.date_first_response:
                updates.update(feedback._first_response_vals(now, calendar))
            if (stage.is_resolved or (stage.fold and not stage.is_cancel)) and not (
                feedback.date_resolved
            ):
                waiting = updates.get("waiting_hours", feedback.waiting_hours)
                updates["date_resolved"] = now
                updates["resolution_hours"] = max(
                    calendar.get_work_hours_count(feedback.date_received, now) - waiting, 0.0
                )
            if stage.fold:
                updates["date_closed"] = now
            elif old.fold:
                updates["date_closed"] = False
            if not (stage.is_resolved or stage.fold) and (old.is_resolved or old.fold):
                # Reopened: the resolution clock runs again.
                updates.update(date_resolved=False, resolution_hours=0.0)
            if updates:
                feedback.write(updates)
