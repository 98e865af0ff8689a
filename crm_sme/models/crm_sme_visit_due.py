# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class CrmSmeVisitDue(models.AbstractModel):
    """'Visit due' activities: one per customer and episode of overdue visit.

    An episode starts when the days since the last done visit exceed the tier
    policy's interval and ends with the next done visit, which removes the
    open activity (the visit itself is the record). Marking the activity done
    without visiting ends it for this episode: no new one until the next visit.
    """

    _name = "crm.sme.visit.due"
    _description = "Overdue Visit Activities"

    @api.model
    def _activity_type(self):
        return self.env.ref("crm_sme.mail_activity_type_visit_due")

    @api.model
    def _create_activities(self, company, today=None):
        """One query finds the overdue customers without an activity of this
        episode; one query per 1 000 activities files them. Returns their number."""
        self.env.flush_all()
        plan = self.env["crm.sme.visit.plan.line"]
        __, today = plan._week_start(company, today)
        activity_type = self._activity_type()
        self.env.cr.execute(
            SQL(
                """
                WITH cand AS (%(candidates)s)
                SELECT c.partner_id, c.user_id, c.last_visit, c.interval, c.overdue_days
                  FROM cand c
                 WHERE c.last_visit IS NOT NULL AND c.overdue_days > 0
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity a
                        WHERE a.res_model = 'res.partner' AND a.res_id = c.partner_id
                          AND a.activity_type_id = %(type)s)
                   AND NOT EXISTS (
                       -- marked done in this episode (after the visit fell due)
                       SELECT 1 FROM mail_message msg
                        WHERE msg.model = 'res.partner' AND msg.res_id = c.partner_id
                          AND msg.mail_activity_type_id = %(type)s
                          AND msg.date >= c.last_visit + c.interval)
              ORDER BY c.partner_id
                """,
                candidates=plan._candidates_sql(company, today),
                type=activity_type.id,
            )
        )
        rows = self.env.cr.fetchall()
        return self.env["crm.sme.activity.batch"]._insert(
            activity_type,
            [
                (
                    partner_id,
                    user_id,
                    self.env._(
                        "Visit due: last visit %(date)s, every %(interval)s days "
                        "(%(days)s days late)",
                        date=last_visit,
                        interval=interval,
                        days=overdue_days,
                    ),
                )
                for partner_id, user_id, last_visit, interval, overdue_days in rows
            ],
            today,
        )

    @api.model
    def _close_for_visits(self, interactions):
        """A done visit ends the episode: its customer's open activity goes."""
        visits = interactions.filtered(
            lambda i: i.interaction_type == "visit" and i.state == "done"
        )
        if not visits:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", visits.partner_id.ids),
                    ("activity_type_id", "=", self._activity_type().id),
                ]
            )
        )
        activities.unlink()


class CrmSmeInteraction(models.Model):
    _inherit = "crm.sme.interaction"

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        self.env["crm.sme.visit.due"]._close_for_visits(interactions)
        return interactions

    def write(self, vals):
        res = super().write(vals)
        if {"state", "interaction_type", "partner_id"} & set(vals):
            self.env["crm.sme.visit.due"]._close_for_visits(self)
        return res
