# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .common import CrmSmeCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_care")
class TestCustomerCare(CrmSmeCommon):
    def test_care_activities_once_per_date(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Beilun Trading",
                "is_company": True,
                "user_id": self.user_salesman.id,
            }
        )
        buyer = self.env["res.partner"].create(
            {
                "name": "Chen Jing",
                "parent_id": customer.id,
                "birthday": date(1985, 6, 12),
            }
        )
        self.env["crm.sme.important.date"].create(
            {
                "partner_id": customer.id,
                "kind": "anniversary",
                "name": "Founding day",
                "date": date(2010, 6, 20),
            }
        )
        self.env["crm.sme.important.date"].create(
            {
                "partner_id": buyer.id,
                "kind": "other",
                "name": "Far away",
                "date": date(2000, 9, 1),
            }
        )
        Dates = self.env["crm.sme.important.date"]
        created = Dates._cron_create_care_activities(today=date(2027, 6, 8))
        self.assertEqual(created, 1, "the birthday is within 7 days, the anniversary is not yet")
        activity = customer.activity_ids
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertEqual(activity.date_deadline, date(2027, 6, 12))
        self.assertIn("Chen Jing", activity.summary)
        self.assertEqual(
            Dates._cron_create_care_activities(today=date(2027, 6, 9)), 0, "no duplicate on re-run"
        )
        self.assertEqual(
            Dates._cron_create_care_activities(today=date(2027, 6, 14)), 1, "anniversary"
        )
        self.assertEqual(len(customer.activity_ids), 2)
        # Next year it comes back once.
        self.assertEqual(Dates._cron_create_care_activities(today=date(2028, 6, 8)), 1)

    def test_year_end_lead_time(self):
        customer = self.env["res.partner"].create({"name": "NY Co", "is_company": True})
        self.env["crm.sme.important.date"].create(
            {
                "partner_id": customer.id,
                "name": "New Year gift",
                "date": date(2020, 1, 2),
            }
        )
        created = self.env["crm.sme.important.date"]._cron_create_care_activities(
            today=date(2027, 12, 29)
        )
        self.assertEqual(created, 1)
        self.assertEqual(customer.activity_ids.date_deadline, date(2028, 1, 2))
