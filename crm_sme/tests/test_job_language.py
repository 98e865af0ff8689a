# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install", "crm_sme")
class TestJobLanguage(FeedbackCommon):
    """Texts written by scheduled jobs (and by a customer's rating) are in the
    language of the person who reads them, not of the job's user (English here)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.Feedback = cls.Feedback.with_env(cls.env)
        cls.user_team_leader.lang = "zh_CN"
        cls.user_salesman.lang = "zh_CN"
        cls.user_salesman_2.lang = "en_US"

    def test_breach_activity_in_leader_language(self):
        with freeze_time(datetime(2026, 11, 23, 9, 0)):
            late = self._new_feedback(partner_id=self.key_customer.id)
        with freeze_time(datetime(2026, 11, 23, 15, 0)):
            self.Feedback._cron_flag_breaches()
        self.assertEqual(late.activity_ids.user_id, self.user_team_leader)
        self.assertEqual(late.activity_ids.summary, f"已超时：{late.reference}")

    def test_care_activity_in_salesperson_language(self):
        Dates = self.env["crm.sme.important.date"]
        zh_customer = self.env["res.partner"].create(
            {"name": "Zhenhai Office Supply", "is_company": True, "user_id": self.user_salesman.id}
        )
        en_customer = self.env["res.partner"].create(
            {"name": "Yinzhou Books", "is_company": True, "user_id": self.user_salesman_2.id}
        )
        for customer in zh_customer | en_customer:
            self.env["res.partner"].create(
                {
                    "name": f"Buyer of {customer.name}",
                    "parent_id": customer.id,
                    "birthday": date(1985, 6, 12),
                }
            )
        Dates._cron_create_care_activities(today=date(2027, 6, 8))
        self.assertEqual(
            zh_customer.activity_ids.summary,
            "Buyer of Zhenhai Office Supply 的生日（2027年06月12日）",
        )
        self.assertEqual(
            en_customer.activity_ids.summary, "Birthday of Buyer of Yinzhou Books on 06/12/2027"
        )
        zh_date = Dates.search([("partner_id.parent_id", "=", zh_customer.id)])
        self.assertEqual(zh_date.name, "生日")

    def test_low_rating_follow_up_in_owner_language(self):
        feedback = self._new_feedback(user_id=self.user_salesman.id)
        feedback.with_context(lang="en_US").rating_apply(
            1, token=feedback._rating_get_access_token()
        )
        self.assertEqual(feedback.activity_ids.summary, "满意度低（1/5）：请回访客户")
