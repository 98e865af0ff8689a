# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL, split_every


class CrmSmeActivityBatch(models.AbstractModel):
    """Activities filed by the scheduled jobs on many customers at once.

    The ORM files an activity one by one (follower subscription, notification
    of the assignee); a weekly job filing thousands of 'Visit due' or
    'Win-back' activities inserts them in batches of 1 000, one query each,
    with what the activity list and the chatter need (model, record name,
    type, summary, deadline, assignee and their time zone). The assignee is
    the customer's salesperson, already follower of their customers; the
    activity counter in their browser refreshes on the next page load.
    """

    _name = "crm.sme.activity.batch"
    _description = "Batched Activities of the Jobs"

    @api.model
    def _insert(self, activity_type, rows, deadline):
        """rows: [(partner id, user id, summary)] -> number of activities filed."""
        if not rows:
            return 0
        model_id = self.env["ir.model"]._get_id("res.partner")
        now = fields.Datetime.now()
        for batch in split_every(1000, rows):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                        activity_type_id, summary, date_deadline, user_id, user_tz, automated,
                        active, create_uid, write_uid, create_date, write_date)
                    SELECT %(model_id)s, 'res.partner', v.res_id, p.complete_name, %(type)s,
                           v.summary, %(deadline)s, v.user_id, up.tz, TRUE, TRUE,
                           %(uid)s, %(uid)s, %(now)s, %(now)s
                      FROM (VALUES %(values)s) AS v(res_id, user_id, summary)
                      JOIN res_partner p ON p.id = v.res_id
                      JOIN res_users u ON u.id = v.user_id
                      JOIN res_partner up ON up.id = u.partner_id
                    """,
                    model_id=model_id,
                    type=activity_type.id,
                    deadline=deadline,
                    uid=self.env.uid,
                    now=now,
                    values=SQL(", ").join(
                        SQL("(%s::int, %s::int, %s::varchar)", partner_id, user_id, summary)
                        for partner_id, user_id, summary in batch
                    ),
                )
            )
        self.env["mail.activity"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["activity_ids", "activity_state", "activity_user_id", "activity_type_id"]
        )
        return len(rows)
