# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
import json

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .feedback_common import FeedbackCommon

NAN, INF = float("nan"), float("inf")
MEGABYTE = "x" * (1024 * 1024)
# Bad values per field type; None is added for required fields.
BAD_VALUES = {
    "char": ["a\x00b", MEGABYTE, ["list"], {"a": 1}],
    "text": ["a\x00b", MEGABYTE, ["list"]],
    "html": ["<p>a\x00b</p>", "<p>" + MEGABYTE + "</p>", ["list"]],
    "integer": ["abc", NAN, INF, [1], 2**40, 1.5],
    "float": ["abc", NAN, INF, -INF, [1], {"a": 1}],
    "monetary": ["abc", NAN, INF, [1]],
    "selection": ["no-such-choice", 5, [1]],
    "date": ["not a date", 5, [1]],
    "datetime": ["not a date", 5, [1], "2026-13-45 25:61:00"],
    "many2one": ["abc", -1, [1], 1.5, 2**40],
}
# UserError is the base of ValidationError and AccessError: a message for the user.
CLEAR_ERRORS = UserError


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_bad_input")
class TestBadInput(FeedbackCommon):
    """Every crm_sme field a user can write refuses bad input with a clear
    error, and nothing is written (issue 8, point 9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.feedback = cls.env["crm.sme.feedback"].create(
            {"name": "Bad input", "partner_id": cls.customer.id}
        )
        cls.interaction = cls.env["crm.sme.interaction"].create(
            {"name": "Visit", "partner_id": cls.customer.id, "user_id": cls.user_salesman.id}
        )
        cls.important_date = cls.env["crm.sme.important.date"].create(
            {"partner_id": cls.contact.id, "name": "Founding day", "date": date(2010, 6, 1)}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Bad input lead",
                "partner_id": cls.customer.id,
                "crm_sme_line_ids": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.sla = cls.env["crm.sme.feedback.sla"].create(
            {"name": "Bad input SLA", "priority": "3", "company_id": cls.company.id}
        )
        cls.records = [
            cls.feedback,
            cls.interaction,
            cls.important_date,
            cls.sla,
            cls.lead,
            cls.lead.crm_sme_line_ids,
            cls.customer,
            cls.team,
            cls.company,
            cls.env.ref("crm_sme.feedback_stage_new"),
            cls.type_complaint,
            cls.env.ref("crm_sme.feedback_root_cause_quality"),
        ]
        for model in (
            "crm.sme.region",
            "crm.sme.customer.type",
            "crm.sme.competitor",
            "sale.order",
            "utm.campaign",
        ):
            record = cls.env[model].search([], limit=1)
            if record:
                cls.records.append(record)

    def _writable_crm_sme_fields(self, record):
        for fname, field in record._fields.items():
            if (
                "crm_sme" in (field._modules or ())
                and field.type in BAD_VALUES
                and (field.store or field.inverse or field.related)
                and not (field.readonly and not field.inverse and field.compute)
                and not field.automatic
            ):
                yield fname, field

    def test_every_writable_field(self):
        checked = 0
        for record in self.records:
            for fname, field in self._writable_crm_sme_fields(record):
                values = list(BAD_VALUES[field.type])
                if field.required:
                    values.append(None)
                before = record[fname]
                for value in values:
                    with self.subTest(model=record._name, field=fname, value=repr(value)[:30]):
                        with self.assertRaises(CLEAR_ERRORS):
                            record.write({fname: value})
                        record.invalidate_recordset()
                        self.assertEqual(record[fname], before, "nothing half-written")
                        checked += 1
        # The list covers the add-on's models and its fields on Odoo's models.
        self.assertGreater(checked, 300)

    def test_create_refuses_bad_input(self):
        Feedback = self.env["crm.sme.feedback"]
        count = Feedback.search_count([])
        for vals in (
            {"name": "a\x00b"},
            {"name": MEGABYTE},
            {"priority": "9"},
            {"nps_score": "abc"},
            {"description": "<p>\x00</p>"},
            {"lead_id": "abc"},
        ):
            with self.subTest(vals=repr(vals)[:40]), self.assertRaises(CLEAR_ERRORS):
                Feedback.create(dict({"name": "ok", "partner_id": self.customer.id}, **vals))
        self.assertEqual(Feedback.search_count([]), count)

    def test_nps(self):
        for bad in ("abc", NAN, INF, [5], {"a": 1}, 11, -1, 7.5, None):
            with self.subTest(nps=repr(bad)), self.assertRaisesText(UserError, "0 to 10"):
                self.feedback.action_set_nps(bad)
        with self.assertRaisesText(UserError, "NPS Answer: a whole number is expected"):
            self.feedback.write({"nps_score": "abc"})
        with self.assertRaisesText(UserError, "0 to 10"):
            self.feedback.write({"nps_score": 42})
        self.assertFalse(self.feedback.date_nps)
        self.feedback.action_set_nps("8")
        self.assertEqual(self.feedback.nps_score, 8)

    def test_rating_apply_none(self):
        with self.assertRaisesText(UserError, "1 to 5"):
            self.feedback.rating_apply(None, token=self.feedback._rating_get_access_token())
        self.assertFalse(self.feedback.csat_score)

    def test_interaction(self):
        with self.assertRaisesText(ValidationError, "a value is required"):
            self.interaction.write({"date": None})
        for bad in (NAN, INF, "abc"):
            with self.assertRaisesText(ValidationError, "number"):
                self.interaction.write({"duration": bad})
        self.assertEqual(self.interaction.duration, 0.0)
        # Moved to a company its salesperson does not work in.
        with self.assertRaisesText(ValidationError, "company its salesperson works in"):
            self.interaction.write({"company_id": self.company_other.id})
        self.assertEqual(self.interaction.company_id, self.company)

    def test_deadline_policy_hours(self):
        for bad in (NAN, INF, -4.0, 0.0):
            with self.subTest(hours=bad), self.assertRaises(ValidationError):
                self.sla.write({"first_response_hours": bad})
        self.assertEqual(self.sla.first_response_hours, 8.0)

    def test_overdue_tolerance(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.env["res.config.settings"].create({"crm_sme_overdue_days": -5}).execute()
        self.assertEqual(self.company.crm_sme_overdue_days, 30)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_bad_input")
class TestBadInputJsonRpc(HttpCase, FeedbackCommon):
    """What a client sees over JSON-RPC: a user error with a message, never a
    server error (the web client shows a warning, not a traceback dialog)."""

    def _call_kw(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        res = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 200)
        return res.json()

    def _assert_user_error(self, answer, text):
        error = answer.get("error")
        self.assertTrue(error, f"an error is expected, got {answer}")
        self.assertIn(
            error["data"]["name"],
            ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError"),
        )
        self.assertIn(text, error["data"]["message"])

    def test_json_rpc_bad_input(self):
        self.authenticate("admin", "admin")
        feedback = self.env["crm.sme.feedback"].create(
            {"name": "RPC", "partner_id": self.customer.id}
        )
        interaction = self.env["crm.sme.interaction"].create(
            {"name": "RPC visit", "partner_id": self.customer.id, "user_id": self.user_salesman.id}
        )
        with mute_logger("odoo.http"):
            self._assert_user_error(
                self._call_kw("crm.sme.feedback", "write", [feedback.ids, {"nps_score": "abc"}]),
                "NPS Answer: a whole number is expected",
            )
            self._assert_user_error(
                self._call_kw("crm.sme.feedback", "action_set_nps", [feedback.ids, None]),
                "0 to 10",
            )
            self._assert_user_error(
                self._call_kw("crm.sme.feedback", "write", [feedback.ids, {"name": "a\x00b"}]),
                "NUL",
            )
            # Python's JSON reads NaN, as Odoo's server does.
            self._assert_user_error(
                self._call_kw("crm.sme.interaction", "write", [interaction.ids, {"duration": NAN}]),
                "finite number",
            )
            self._assert_user_error(
                self._call_kw("crm.sme.interaction", "write", [interaction.ids, {"date": None}]),
                "a value is required",
            )
            self._assert_user_error(
                self._call_kw(
                    "crm.sme.feedback",
                    "create",
                    [{"name": "RPC", "partner_id": self.customer.id, "priority": "9"}],
                ),
                "not one of the choices",
            )
        feedback.invalidate_recordset()
        self.assertEqual(feedback.name, "RPC")
        self.assertFalse(feedback.nps_score)
