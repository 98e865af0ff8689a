# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .feedback_common import FeedbackCommon

MONDAY_9 = datetime(2026, 11, 23, 9, 0)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_jobs")
class TestJobIsolation(FeedbackCommon):
    """Every crm_sme scheduled job skips a failing record (logged with its id)
    and goes on with the others."""

    def test_care_job_skips_poisoned_birthday(self):
        today = fields.Date.context_today(self.env["crm.sme.important.date"])
        good = self.env["res.partner"].create(
            {
                "name": "Chen Jing",
                "parent_id": self.customer.id,
                "birthday": today + timedelta(days=2),
            }
        )
        # A typo: born more than ten years ahead (the important date refuses it).
        poisoned = self.env["res.partner"].create(
            {
                "name": "Typo Birthday",
                "parent_id": self.other_customer.id,
                "birthday": today + timedelta(days=365 * 12),
            }
        )
        Dates = self.env["crm.sme.important.date"]
        with self.assertLogs("odoo.addons.crm_sme.jobs", level="ERROR") as logs:
            created = Dates._cron_create_care_activities()
        self.assertGreaterEqual(created, 1)
        self.assertIn(f"res.partner record {poisoned.id} failed", "\n".join(logs.output))
        self.assertEqual(len(Dates.search([("partner_id", "=", good.id)])), 1)
        self.assertFalse(Dates.search([("partner_id", "=", poisoned.id)]))
        self.assertIn("Chen Jing", self.customer.activity_ids.summary)
        self.assertFalse(self.other_customer.activity_ids)

    def test_care_job_skips_failing_activity(self):
        """A date whose activity cannot be created is skipped, not reminded twice."""
        Dates = self.env["crm.sme.important.date"]
        ok = Dates.create(
            {
                "partner_id": self.customer.id,
                "kind": "other",
                "name": "Fair",
                "date": date(2020, 6, 10),
            }
        )
        bad = Dates.create(
            {
                "partner_id": self.other_customer.id,
                "kind": "other",
                "name": "Poisoned",
                "date": date(2020, 6, 11),
            }
        )
        # A poisoned row at the database level: its activity cannot be stored.
        self.env.cr.execute(
            "ALTER TABLE mail_activity ADD CONSTRAINT crm_sme_test_poison "
            "CHECK (res_model <> 'res.partner' OR res_id <> %s)",
            [self.other_customer.id],
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertLogs("odoo.addons.crm_sme.jobs", level="ERROR") as logs,
        ):
            created = Dates._cron_create_care_activities(today=date(2027, 6, 8))
        self.assertEqual(created, 1)
        self.assertIn(f"crm.sme.important.date record {bad.id} failed", "\n".join(logs.output))
        self.assertEqual(ok.last_reminder_year, 2027)
        self.assertFalse(bad.last_reminder_year, "nothing half-written: reminded next run")

    def test_breach_job_skips_poisoned_feedback(self):
        with freeze_time(MONDAY_9):
            late = self._new_feedback(partner_id=self.key_customer.id)
            poisoned = self._new_feedback(partner_id=self.key_customer.id)
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE crm_sme_feedback ADD CONSTRAINT crm_sme_test_poison "
            "CHECK (id <> %s OR is_breached IS NOT TRUE)",
            [poisoned.id],
        )
        with freeze_time(datetime(2026, 11, 23, 15, 0)):
            with (
                mute_logger("odoo.sql_db"),
                self.assertLogs("odoo.addons.crm_sme.jobs", level="ERROR") as logs,
            ):
                count = self.Feedback._cron_flag_breaches()
        self.assertGreaterEqual(count, 1)
        self.assertIn(f"crm.sme.feedback record {poisoned.id} failed", "\n".join(logs.output))
        self.assertTrue(late.is_breached)
        self.assertEqual(len(late.activity_ids), 1)
        poisoned.invalidate_recordset()
        self.assertFalse(poisoned.is_breached)
        self.assertFalse(poisoned.activity_ids, "nothing half-written")
