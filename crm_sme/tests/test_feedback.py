# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .feedback_common import FeedbackCommon

MONDAY_9 = datetime(2026, 11, 23, 9, 0)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackWorkflow(FeedbackCommon):
    def test_create_defaults(self):
        """Reference from the sequence, customer = company, contact kept, team from the customer."""
        feedback = self._new_feedback(partner_id=self.contact.id)
        self.assertTrue(feedback.reference.startswith("FB/"), feedback.reference)
        self.assertEqual(feedback.partner_id, self.customer)
        self.assertEqual(feedback.contact_id, self.contact)
        self.assertEqual(feedback.team_id, self.team)
        self.assertEqual(feedback.stage_id, self.stage_new)
        self.assertIn(feedback.reference, feedback.display_name)
        other = self._new_feedback()
        self.assertNotEqual(other.reference, feedback.reference)

    def test_green_channel(self):
        """A key account's feedback gets the configured priority and the flag; others do not."""
        normal = self._new_feedback()
        self.assertEqual(normal.priority, "1")
        self.assertFalse(normal.is_green_channel)
        key = self._new_feedback(partner_id=self.key_contact.id)
        self.assertEqual(key.priority, "2")
        self.assertTrue(key.is_green_channel)
        # Already urgent: not lowered.
        urgent = self._new_feedback(partner_id=self.key_customer.id, priority="3")
        self.assertEqual(urgent.priority, "3")
        self.assertFalse(urgent.is_green_channel)
        # Configurable: "0" (low) disables it.
        self.env["ir.config_parameter"].set_param("crm_sme.feedback_key_account_priority", "0")
        off = self._new_feedback(partner_id=self.key_customer.id)
        self.assertEqual(off.priority, "1")

    def test_green_channel_when_customer_becomes_key_account(self):
        """Marking a customer key account raises its open feedback, not its closed one."""
        open_feedback = self._new_feedback()
        closed = self._new_feedback()
        closed.write({"stage_id": self.stage_closed.id, "resolution": "<p>Done</p>"})
        self.assertEqual(open_feedback.priority, "1")
        self.customer.is_key_account = True
        self.assertEqual(open_feedback.priority, "2")
        self.assertTrue(open_feedback.is_green_channel)
        self.assertEqual(closed.priority, "1")
        self.assertFalse(closed.is_green_channel)

    def test_close_requires_resolution(self):
        feedback = self._new_feedback()
        with self.assertRaisesText(ValidationError, "resolution"):
            feedback.stage_id = self.stage_closed
        with self.assertRaisesText(ValidationError, "resolution"):
            feedback.stage_id = self.stage_resolved
        with self.assertRaisesText(ValidationError, "resolution"):
            feedback.write({"stage_id": self.stage_closed.id, "resolution": "<p><br></p>"})
        # Nothing half-written.
        self.assertEqual(feedback.stage_id, self.stage_new)
        self.assertFalse(feedback.date_closed)
        feedback.write({"stage_id": self.stage_closed.id, "resolution": "<p>Replaced</p>"})
        self.assertTrue(feedback.is_closed)
        self.assertTrue(feedback.date_closed)
        self.assertTrue(feedback.date_resolved)
        # Reopened: closed and resolved no more.
        feedback.stage_id = self.stage_progress
        self.assertFalse(feedback.is_closed or feedback.date_closed or feedback.date_resolved)

    def test_cancel_without_resolution(self):
        feedback = self._new_feedback()
        feedback.stage_id = self.stage_cancelled
        self.assertTrue(feedback.is_closed)
        self.assertFalse(feedback.date_resolved)

    def test_stage_change_tracked(self):
        tracked_env = self.Feedback.with_context(tracking_disable=False, mail_notrack=False)
        feedback = tracked_env.create({"name": "Tracked", "partner_id": self.customer.id})
        self.env.cr.precommit.run()
        self.assertIn("stage_id", feedback._track_get_fields())
        feedback.stage_id = self.stage_progress
        self.env.cr.precommit.run()  # tracking is finalised at commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "stage_id"),
                ("mail_message_id.model", "=", "crm.sme.feedback"),
                ("mail_message_id.res_id", "=", feedback.id),
            ]
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.new_value_integer, self.stage_progress.id)

    def test_documents_must_belong_to_customer(self):
        with self.assertRaisesText(ValidationError, "belong to the customer"):
            self._new_feedback(contact_id=self.key_contact.id)
        self.assertFalse(self.Feedback.search([("partner_id", "=", self.customer.id)]))

    def test_onchange_picking_fills_order_and_product(self):
        order, picking, invoice = self._delivered_and_invoiced_order(self.customer)
        with Form(self.Feedback) as form:
            form.name = "Dented boxes"
            form.partner_id = self.customer
            form.picking_id = picking
            self.assertEqual(form.sale_order_id, order)
            self.assertEqual(form.product_id, self.product)
            self.assertEqual(form.invoice_id, invoice)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackDeadlines(FeedbackCommon):
    @freeze_time(MONDAY_9)
    def test_deadlines_on_working_hours(self):
        """High priority: 4 working hours to respond, 16 to resolve (8-12, 13-17 UTC)."""
        feedback = self._new_feedback(partner_id=self.key_customer.id)
        self.assertEqual(feedback.sla_id, self.env.ref("crm_sme.feedback_sla_high"))
        self.assertEqual(feedback.date_first_response_deadline, datetime(2026, 11, 23, 14, 0))
        self.assertEqual(feedback.date_resolution_deadline, datetime(2026, 11, 25, 9, 0))
        normal = self._new_feedback()
        self.assertEqual(normal.date_first_response_deadline, datetime(2026, 11, 24, 9, 0))

    @freeze_time(MONDAY_9)
    def test_priority_change_moves_deadlines(self):
        feedback = self._new_feedback()
        self.assertEqual(feedback.date_first_response_deadline, datetime(2026, 11, 24, 9, 0))
        feedback.priority = "3"
        self.assertEqual(feedback.sla_id, self.env.ref("crm_sme.feedback_sla_urgent"))
        self.assertEqual(feedback.date_first_response_deadline, datetime(2026, 11, 23, 10, 0))

    @freeze_time(MONDAY_9)
    def test_moved_to_key_account_and_team_policy(self):
        """Changing customer or team re-plans the deadlines (and may open the green channel)."""
        feedback = self._new_feedback(partner_id=self.other_customer.id)
        self.assertEqual(feedback.priority, "1")
        feedback.partner_id = self.key_customer
        self.assertEqual(feedback.priority, "2")
        self.assertTrue(feedback.is_green_channel)
        self.assertEqual(feedback.date_first_response_deadline, datetime(2026, 11, 23, 14, 0))
        policy = self.env["crm.sme.feedback.sla"].create(
            {
                "name": "Ningbo high",
                "priority": "2",
                "team_id": self.team.id,
                "first_response_hours": 1,
                "resolution_hours": 4,
            }
        )
        other_team = self.env["crm.team"].create({"name": "Other team"})
        feedback.team_id = other_team
        feedback.team_id = self.team
        self.assertEqual(feedback.sla_id, policy)
        self.assertEqual(feedback.date_first_response_deadline, datetime(2026, 11, 23, 10, 0))

    def test_team_policy_wins(self):
        policy = self.env["crm.sme.feedback.sla"].create(
            {
                "name": "Ningbo normal",
                "priority": "1",
                "team_id": self.team.id,
                "first_response_hours": 2,
                "resolution_hours": 10,
            }
        )
        self.assertEqual(self._new_feedback().sla_id, policy)
        self.assertEqual(
            self._new_feedback(partner_id=self.other_customer.id).sla_id,
            self.env.ref("crm_sme.feedback_sla_normal"),
        )

    def test_policy_bad_hours(self):
        with self.assertRaises(ValidationError):
            self.env["crm.sme.feedback.sla"].create(
                {"name": "x", "priority": "1", "first_response_hours": 5, "resolution_hours": 2}
            )

    def test_waiting_pauses_deadlines_and_times_are_stored(self):
        with freeze_time(MONDAY_9):
            feedback = self._new_feedback(partner_id=self.key_customer.id)
        with freeze_time(datetime(2026, 11, 23, 10, 0)):
            feedback.stage_id = self.stage_progress
        self.assertEqual(feedback.first_response_hours, 1.0)
        self.assertEqual(feedback.date_first_response, datetime(2026, 11, 23, 10, 0))
        with freeze_time(datetime(2026, 11, 23, 11, 0)):
            feedback.stage_id = self.stage_waiting
        self.assertEqual(feedback.date_waiting, datetime(2026, 11, 23, 11, 0))
        # Waiting 2 working hours (11-12, 13-14): the resolution deadline moves 2h later.
        with freeze_time(datetime(2026, 11, 23, 14, 0)):
            feedback.stage_id = self.stage_progress
        self.assertEqual(feedback.waiting_hours, 2.0)
        self.assertFalse(feedback.date_waiting)
        self.assertEqual(feedback.date_resolution_deadline, datetime(2026, 11, 25, 11, 0))
        with freeze_time(datetime(2026, 11, 24, 10, 0)):
            feedback.write({"stage_id": self.stage_resolved.id, "resolution": "<p>Fixed</p>"})
        # 9-17 Monday = 7h, Tuesday 8-10 = 2h; minus 2h waiting.
        self.assertEqual(feedback.resolution_hours, 7.0)

    def test_public_reply_is_first_response(self):
        with freeze_time(MONDAY_9):
            feedback = self._new_feedback()
        with freeze_time(datetime(2026, 11, 23, 9, 30)):
            feedback.with_user(self.user_service_agent).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(feedback.date_first_response, datetime(2026, 11, 23, 9, 30))
        self.assertEqual(feedback.first_response_hours, 0.5)

    def test_breach_cron(self):
        """Overdue open feedback is flagged once, the team leader gets one activity."""
        with freeze_time(MONDAY_9):
            late = self._new_feedback(partner_id=self.key_customer.id)
            on_time = self._new_feedback()
            waiting = self._new_feedback(partner_id=self.key_customer.id)
            waiting.stage_id = self.stage_waiting
            done = self._new_feedback(partner_id=self.key_customer.id)
            done.write({"stage_id": self.stage_closed.id, "resolution": "<p>ok</p>"})
        with freeze_time(datetime(2026, 11, 23, 15, 0)):
            due = self.Feedback.search(self.Feedback._breach_domain(datetime.now()))
            count = self.Feedback._cron_flag_breaches()
        # Only ours among the test records (demo data may add its own).
        self.assertEqual(due & (late | on_time | waiting | done), late)
        self.assertEqual(count, len(due))
        self.assertTrue(late.is_breached)
        self.assertFalse(on_time.is_breached | waiting.is_breached | done.is_breached)
        activity = late.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_team_leader)
        self.assertIn(late.reference, activity.summary)
        # Runs again: no second alert.
        with freeze_time(datetime(2026, 11, 23, 16, 0)):
            self.assertEqual(self.Feedback._cron_flag_breaches(), 0)
        self.assertEqual(len(late.activity_ids), 1)
        # The "Breached" filter of the search view lists it.
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_sme.action_crm_sme_feedback_breached"
        )
        self.assertIn("search_default_breached", action["context"])
        arch = etree.fromstring(self.env.ref("crm_sme.view_crm_sme_feedback_search").arch)
        domain = safe_eval(arch.xpath("//filter[@name='breached']")[0].get("domain"))
        ours = late | on_time | waiting | done
        self.assertEqual(self.Feedback.search(domain + [("id", "in", ours.ids)]), late)

    def test_breach_cron_is_set_based(self):
        with freeze_time(MONDAY_9):
            self.Feedback.create(
                [{"name": f"late {i}", "partner_id": self.key_customer.id} for i in range(20)]
            )
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(datetime(2026, 11, 30, 9, 0)):
            expected = self.Feedback.search_count(self.Feedback._breach_domain(datetime.now()))
            self.assertGreaterEqual(expected, 20)
            with self.assertQueryCount(__system__=32):
                self.assertEqual(self.Feedback._cron_flag_breaches(), expected)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_feedback")
class TestFeedbackAccess(FeedbackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fb_own = cls.env["crm.sme.feedback"].create(
            {"name": "own customer", "partner_id": cls.customer.id}
        )
        cls.fb_other = cls.env["crm.sme.feedback"].create(
            {"name": "colleague's customer", "partner_id": cls.other_customer.id}
        )
        cls.customer_other_co = cls.env["res.partner"].create(
            {"name": "Other Co customer", "is_company": True, "company_id": cls.company_other.id}
        )
        cls.fb_other_co = (
            cls.env["crm.sme.feedback"]
            .with_company(cls.company_other)
            .create(
                {
                    "name": "other company",
                    "partner_id": cls.customer_other_co.id,
                    "company_id": cls.company_other.id,
                }
            )
        )
        cls.all_fb = cls.fb_own | cls.fb_other | cls.fb_other_co

    def _visible(self):
        return self.env["crm.sme.feedback"].search([("id", "in", self.all_fb.ids)])

    @users("crm_sme_salesman")
    def test_salesman(self):
        self.assertEqual(self._visible(), self.fb_own)
        created = self._form_feedback(self.env.user, self.customer)
        self.assertEqual(created.partner_id, self.customer)
        with self.assertRaises(AccessError):
            self.fb_own.with_user(self.env.user).write({"name": "changed"})
        with self.assertRaises(AccessError):
            self.fb_other.with_user(self.env.user).read(["name"])

    @users("crm_sme_team_leader")
    def test_team_leader(self):
        self.assertEqual(self._visible(), self.fb_own)
        self.fb_own.with_user(self.env.user).write({"priority": "2"})
        with self.assertRaises(AccessError):
            self.fb_own.with_user(self.env.user).unlink()

    @users("crm_sme_service")
    def test_service_agent(self):
        self.assertEqual(self._visible(), self.fb_own | self.fb_other)
        fb = self.fb_other.with_user(self.env.user)
        fb.write({"stage_id": self.stage_progress.id, "user_id": self.env.user.id})
        self.assertEqual(fb.user_id, self.env.user)
        self._form_feedback(self.env.user, self.other_customer)
        with self.assertRaises(AccessError):
            fb.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.sme.feedback.stage"].create({"name": "Nope"})

    @users("crm_sme_manager")
    def test_manager(self):
        self.assertEqual(self._visible(), self.fb_own | self.fb_other)
        stage = self.env["crm.sme.feedback.stage"].create({"name": "Escalated", "sequence": 15})
        self.env["crm.sme.feedback.sla"].create(
            {
                "name": "Urgent team",
                "priority": "3",
                "first_response_hours": 1,
                "resolution_hours": 4,
            }
        )
        self.fb_other.with_user(self.env.user).stage_id = stage
        self.fb_other.with_user(self.env.user).unlink()

    def test_service_admin(self):
        admin = new_test_user(
            self.env, "crm_sme_service_admin", "crm_sme.group_crm_sme_service_manager"
        )
        Feedback = self.env["crm.sme.feedback"].with_user(admin)
        self.assertEqual(
            Feedback.search([("id", "in", self.all_fb.ids)]), self.fb_own | self.fb_other
        )
        self.env["crm.sme.feedback.root.cause"].with_user(admin).create({"name": "Supplier"})
        self.env["crm.sme.feedback.type"].with_user(admin).create({"name": "Warranty claim"})
        self.fb_other.with_user(admin).unlink()
        self.assertFalse(self.fb_other.exists())
        # The feedback configuration is in their menu.
        visible = self.env["ir.ui.menu"].with_user(admin)._visible_menu_ids()
        self.assertIn(self.env.ref("crm_sme.menu_crm_sme_config_feedback_sla").id, visible)
        self.assertIn(self.env.ref("crm_sme.menu_crm_sme_feedback").id, visible)

    @users("crm_sme_accountant")
    def test_accountant_reads_only(self):
        self.assertEqual(self._visible(), self.fb_own | self.fb_other)
        with self.assertRaises(AccessError):
            self.fb_own.with_user(self.env.user).write({"name": "x"})

    @users("crm_sme_portal", "crm_sme_employee")
    def test_no_direct_access(self):
        """Portal users go through the portal (tokens); plain employees see nothing."""
        with self.assertRaises(AccessError):
            self.env["crm.sme.feedback"].search([])
        with self.assertRaises(AccessError):
            self.fb_own.with_user(self.env.user).read(["name"])

    @users("crm_sme_other_co")
    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company(self):
        self.assertEqual(self._visible(), self.env["crm.sme.feedback"])
        with self.assertRaises(AccessError):
            self.fb_own.with_user(self.env.user).read(["name"])

    def test_screens_per_role(self):
        """Every internal role loads the feedback screens and opens a record."""
        order, picking, invoice = self._delivered_and_invoiced_order(self.customer)
        self.fb_own.write(
            {"sale_order_id": order.id, "picking_id": picking.id, "invoice_id": invoice.id}
        )
        for user in (
            self.user_salesman,
            self.user_team_leader,
            self.user_service_agent,
            self.user_accountant,
            self.user_sales_manager,
        ):
            Feedback = self.env["crm.sme.feedback"].with_user(user)
            views = Feedback.get_views(
                [(False, "kanban"), (False, "list"), (False, "form"), (False, "activity")],
                {"load_filters": True},
            )
            self.assertIn("form", views["views"])
            # Everything the screens show, on feedback linked to an order, a delivery
            # and an invoice the user may have no right to open.
            fields_info = views["models"]["crm.sme.feedback"]["fields"]
            spec = {
                name: {"fields": {"display_name": {}}}
                if info["type"] in ("many2one", "many2many", "one2many")
                else {}
                for name, info in fields_info.items()
            }
            record = Feedback.search([("id", "in", self.all_fb.ids)], limit=1)
            self.assertTrue(record.web_read(spec), user.login)
        report = self.env["crm.sme.feedback.report"].with_user(self.user_service_agent)
        self.assertIn("pivot", report.get_views([(False, "pivot"), (False, "graph")])["views"])

    def test_list_query_count(self):
        """The feedback list costs the same for 5 or 30 records."""
        self.Feedback.create(
            [{"name": f"bulk {i}", "partner_id": self.customer.id} for i in range(30)]
        )
        Feedback = self.env["crm.sme.feedback"].with_user(self.user_service_agent)
        views = Feedback.get_views([(False, "list")])
        fields_info = views["models"]["crm.sme.feedback"]["fields"]
        spec = {
            name: {"fields": {"display_name": {}}}
            if info["type"] in ("many2one", "many2many", "one2many")
            else {}
            for name, info in fields_info.items()
        }
        counts = []
        for limit in (5, 5, 30):  # the first run warms the caches
            self.env.invalidate_all()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count
            result = Feedback.web_search_read([], spec, limit=limit)
            self.assertEqual(len(result["records"]), limit)
            counts.append(self.env.cr.sql_log_count - queries)
        self.assertEqual(counts[1], counts[2], counts)
        self.assertLessEqual(counts[2], 12, counts)

    def test_partner_360(self):
        """Counts and last scores on the customer, in one batch."""
        self.fb_own.write({"stage_id": self.stage_closed.id, "resolution": "<p>ok</p>"})
        self.fb_own.sudo().write({"csat_score": 4, "date_csat": "2026-11-01 10:00:00"})
        self._new_feedback().action_set_nps(9)
        partners = self.customer | self.contact | self.other_customer
        partners.invalidate_recordset()
        with self.assertQueryCount(__system__=3):
            values = [
                (
                    p.crm_sme_feedback_open_count,
                    p.crm_sme_feedback_closed_count,
                    p.crm_sme_last_csat,
                    p.crm_sme_last_nps,
                )
                for p in partners
            ]
        self.assertEqual(values[0], (1, 1, 4, 9))
        self.assertEqual(values[1], values[0])
        self.assertEqual(values[2], (1, 0, 0, 0))
        action = self.customer.action_crm_sme_open_feedback()
        self.assertEqual(
            self.env["crm.sme.feedback"].search(action["domain"]).partner_id, self.customer
        )

    def test_remedy_errors(self):
        feedback = self._new_feedback()
        with self.assertRaisesText(UserError, "delivery"):
            feedback.action_return_goods()
        with self.assertRaisesText(UserError, "invoice"):
            feedback.action_credit_note()
        with self.assertRaisesText(UserError, "nothing to replace"):
            feedback.action_replacement_order()
        self.assertFalse(feedback.replacement_order_ids)
