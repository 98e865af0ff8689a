# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .access_common import AccessCommon

FIGURES = ["crm_sme_receivable", "crm_sme_overdue_total", "crm_sme_invoiced_12m"]
LINKED_EXPORT = [
    "partner_id/crm_sme_receivable",
    "partner_id/crm_sme_overdue_total",
    "partner_id/phone",
    "partner_id/email",
    "partner_id/vat",
]
NOT_YOURS = "You can only file documents on customers you can see"


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessFigures(AccessCommon):
    """Issue 8.1 and 8.2: money figures and customers read through linked records."""

    def test_figures_for_sales_and_accounting_only(self):
        sams = self.customers["sam"]
        self.assertEqual(sams.crm_sme_receivable, 1000.0)
        for user in (self.user_salesman_2, self.user_sales_manager, self.user_accountant):
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                values = sams.with_user(user).read(FIGURES)[0]
                self.assertEqual(values["crm_sme_receivable"], 1000.0)
                rows = sams.with_user(user).export_data(["crm_sme_receivable"])["datas"]
                self.assertEqual(rows, [[1000.0]])
        # the team leader reads the team's figures
        self.assertEqual(
            self.customers["sally"].with_user(self.user_team_leader).crm_sme_receivable, 0.0
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_figures_refused_to_employee_service_and_portal(self):
        portal_partner = self.user_portal.partner_id
        cases = [
            (self.user_employee, self.customers["sam"]),
            (self.user_service_agent, self.customers["sam"]),
            (self.user_portal, portal_partner),
        ]
        for user, partner in cases:
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                partner = partner.with_user(user)
                partner.read(["name"])  # the partner itself is readable
                with self.assertRaises(AccessError):
                    partner.read(FIGURES)
                with self.assertRaises(AccessError):
                    partner.search_read([("id", "=", partner.id)], ["crm_sme_receivable"])
                with self.assertRaises(AccessError):
                    partner.search([("crm_sme_receivable", ">", 0)])
                with self.assertRaises(AccessError):
                    partner.export_data(["crm_sme_receivable"])
                # and the value computed in code shows nothing
                self.assertEqual(partner.crm_sme_receivable, 0.0)
        # the service agent keeps the CRM counters of the customer
        service_view = self.customers["sam"].with_user(self.user_service_agent)
        self.assertEqual(service_view.crm_sme_feedback_open_count, 2)
        self.assertEqual(service_view.crm_sme_interaction_count, 2)

    @mute_logger(
        "odoo.models", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule"
    )
    def test_no_colleague_customer_through_linked_records(self):
        """Sally reads her feedback and interaction on Sam's customer and the
        unassigned opportunity on it, but not Sam's customer."""
        linked = [
            self.feedback["sally_on_sam"],
            self.interactions["sally_on_sam"],
            self.leads["unassigned"],
        ]
        for record in linked:
            with self.subTest(model=record._name):
                self.env.invalidate_all()
                mine = record.with_user(self.user_salesman)
                mine.read(["name", "partner_id"])
                with self.assertRaises(AccessError):
                    mine.export_data(LINKED_EXPORT)
                with self.assertRaises(AccessError):
                    mine.export_data(list(reversed(LINKED_EXPORT)))
                # figures computed in code: nothing, and the cache holds nothing
                # of the customer afterwards
                self.assertEqual(mine.partner_id.crm_sme_receivable, 0.0)
                self.assertEqual(mine.partner_id.crm_sme_interaction_count, 0)
                with self.assertRaises(AccessError):
                    mine.partner_id.mapped("phone")
        # Sam himself reads all of it
        rows = (
            self.feedback["sally_on_sam"].with_user(self.user_salesman_2).export_data(LINKED_EXPORT)
        )
        self.assertEqual(rows["datas"][0][0], 1000.0)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_link_only_to_readable_customers(self):
        sally = self.user_salesman
        sams = self.customers["sam"]
        creations = {
            "crm.sme.interaction": {"name": "Visit", "partner_id": sams.id},
            "crm.sme.feedback": {"name": "Complaint", "partner_id": sams.id},
            "crm.lead": {"name": "Deal", "type": "opportunity", "partner_id": sams.id},
            "sale.order": {"partner_id": sams.id},
        }
        for model, vals in creations.items():
            with self.subTest(model=model, op="create"):
                with self.assertRaisesRegex(AccessError, NOT_YOURS):
                    self.env[model].with_user(sally).create(vals)
        with self.assertRaisesRegex(AccessError, NOT_YOURS):
            self.env["crm.sme.interaction"].with_user(sally).with_context(
                default_partner_id=sams.id
            ).create({"name": "Visit"})
        own = {
            "crm.sme.interaction": self.interactions["sally"],
            "crm.sme.feedback": self.feedback["sally"],
            "crm.lead": self.leads["sally"],
        }
        for model, record in own.items():
            with self.subTest(model=model, op="write"):
                if model == "crm.sme.feedback":
                    record = record.with_user(self.user_team_leader)
                    target = self.customers["sam"]
                else:
                    record = record.with_user(sally)
                    target = sams
                with self.assertRaises(AccessError):
                    record.write({"partner_id": target.id})
                self.assertEqual(record.sudo().partner_id, self.customers["sally"])
        # import (load) refuses the row and creates nothing
        result = (
            self.env["crm.sme.interaction"]
            .with_user(sally)
            .load(["name", "partner_id/.id"], [["Imported visit", str(sams.id)]])
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["crm.sme.interaction"].search([("name", "=", "Imported visit")]))
        # her own customer is fine
        self.env["crm.sme.interaction"].with_user(sally).create(
            {"name": "Visit", "partner_id": self.customers["sally"].id}
        )


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessCreditOverride(AccessCommon):
    """Issue 8.3: the override fields are written by the manager's wizard only."""

    @mute_logger("odoo.models")
    def test_override_fields_only_through_wizard(self):
        override = {
            "crm_sme_credit_override_reason": "A manager said yes",
            "crm_sme_credit_override_user_id": self.user_sales_manager.id,
        }
        customer = self.customers["sally"]
        Order = self.env["sale.order"]
        for user in (self.user_salesman, self.user_sales_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Order.with_user(user).create(dict(override, partner_id=customer.id))
                with self.assertRaises(AccessError):
                    Order.with_user(user).with_context(crm_sme_credit_override=True).create(
                        dict(override, partner_id=customer.id)
                    )
        order = Order.with_user(self.user_salesman).create({"partner_id": customer.id})
        for user in (self.user_salesman, self.user_sales_manager):
            with self.subTest(user=user.login, op="write"):
                with self.assertRaises(AccessError):
                    order.with_user(user).write(override)
        result = Order.with_user(self.user_salesman).load(
            ["partner_id/.id", "crm_sme_credit_override_reason"],
            [[str(customer.id), "Imported approval"]],
        )
        self.assertFalse(result["ids"])
        self.assertFalse(order.crm_sme_credit_override_reason)
        self.assertFalse(order.copy_data()[0].get("crm_sme_credit_override_reason"))
        # the wizard of a manager writes them
        wizard = (
            self.env["crm.sme.credit.override"]
            .with_user(self.user_sales_manager)
            .create({"order_ids": [Command.set(order.ids)], "reason": "Paid in cash today"})
        )
        wizard.action_confirm()
        self.assertEqual(order.crm_sme_credit_override_user_id, self.user_sales_manager)
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessTeamChanges(AccessCommon):
    """Issue 8.4: team rules follow the team's leader and members at once."""

    def _sees(self, user, records):
        model = records[:1]._name
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_team_rules_follow_leader_and_members(self):
        new_leader = new_test_user(
            self.env,
            "crm_sme_team_leader_2",
            "crm_sme.group_crm_sme_team_leader",
            name="Nina New Leader",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        tina = self.user_team_leader
        checks = [
            self.customers["sally"],
            self.interactions["sally"],
            self.feedback["sally"],
            self.leads["sally"],
            self.positions_of("sally"),
        ]
        for records in checks:
            self.assertEqual(self._sees(tina, records), records.with_user(tina))
            self.assertFalse(self._sees(new_leader, records))
        # Nina takes over team A; Tina leaves it
        self.team.user_id = new_leader
        self.team.member_ids -= tina
        for records in checks:
            self.assertFalse(self._sees(tina, records), records._name)
            self.assertEqual(len(self._sees(new_leader, records)), 1, records._name)
        for key in ("interactions", "feedback", "leads"):
            self.assertFalse(self._sees(new_leader, getattr(self, key)["sam"]))
        # Sam moves to team A: Nina sees his work (his customer stays in team B)
        self.team_b.member_ids = False
        self.team.member_ids |= self.user_salesman_2
        self.assertEqual(len(self._sees(new_leader, self.interactions["sam"])), 1)
        self.assertEqual(len(self._sees(new_leader, self.leads["sam"])), 1)
        self.assertEqual(len(self._sees(new_leader, self.customers["sam"])), 1)
        self.assertEqual(len(self._sees(new_leader, self.interactions["sally"])), 1)

    def positions_of(self, key):
        return self.env["crm.sme.customer.position"].search(
            [("partner_id", "=", self.customers[key].id), ("company_id", "=", self.company.id)]
        )


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessCompanies(AccessCommon):
    """Issue 8.5: customers belong to the company that creates them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager_other = new_test_user(
            cls.env,
            "crm_sme_manager_other",
            "sales_team.group_sale_manager",
            name="Olga Other Manager",
            company_id=cls.company_other.id,
            company_ids=[(6, 0, cls.company_other.ids)],
        )

    def _form_customer(self, user, name, email):
        with Form(self.env["res.partner"].with_user(user)) as form:
            form.company_type = "company"
            form.name = name
            form.email = email
        return form.save()

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_ui_customer_belongs_to_creating_company(self):
        customer = self._form_customer(self.user_salesman, "Ningbo Paper Mart", "mart@example.com")
        self.assertEqual(customer.company_id, self.company)
        contact = (
            self.env["res.partner"]
            .with_user(self.user_salesman)
            .create({"name": "Mart buyer", "parent_id": customer.id})
        )
        self.assertEqual(contact.company_id, self.company)
        customer.with_user(self.user_salesman).message_post(body="Prefers morning visits")
        self.env["ir.attachment"].with_user(self.user_salesman).create(
            {
                "name": "contract.txt",
                "raw": b"secret",
                "res_model": "res.partner",
                "res_id": customer.id,
            }
        )
        customer.with_user(self.user_salesman).activity_schedule(
            "mail.mail_activity_data_todo", summary="Call back", user_id=self.user_salesman.id
        )
        on_customer = [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        for user in (self.user_other_company, self.user_manager_other):
            with self.subTest(user=user.login):
                # notes, attachments and activities of the customer stay hidden
                self.assertFalse(
                    self.env["mail.message"]
                    .with_user(user)
                    .search([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
                )
                self.assertFalse(self.env["ir.attachment"].with_user(user).search(on_customer))
                self.assertFalse(self.env["mail.activity"].with_user(user).search(on_customer))
                Partner = self.env["res.partner"].with_user(user)
                self.assertFalse(Partner.search([("id", "in", (customer | contact).ids)]))
                self.assertFalse(Partner.name_search("Ningbo Paper Mart"))
                with self.assertRaises(AccessError):
                    customer.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    customer.with_user(user).write({"name": "Mine now"})
                for model, vals in {
                    "crm.sme.interaction": {"name": "Visit"},
                    "crm.sme.feedback": {"name": "Complaint"},
                    "crm.lead": {"name": "Deal", "type": "opportunity"},
                    "sale.order": {},
                }.items():
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).create(dict(vals, partner_id=customer.id))
        # the other company's duplicate warning stays in its companies
        twin = (
            self.env["res.partner"]
            .with_user(self.user_other_company)
            .new({"name": "Ningbo Paper Mart", "is_company": True, "email": "mart@example.com"})
        )
        self.assertFalse(twin.crm_sme_duplicate_warning)
        same_company_twin = (
            self.env["res.partner"]
            .with_user(self.user_salesman_2)
            .new({"name": "Ningbo Paper Mart", "is_company": True, "email": "mart@example.com"})
        )
        self.assertIn("Ningbo Paper Mart", same_company_twin.crm_sme_duplicate_warning)

    def test_sharing_setting_and_odoo_partners(self):
        self.company.crm_sme_share_customers = True
        shared = self._form_customer(self.user_salesman, "Shared Stationery", "shared@example.com")
        self.assertFalse(shared.company_id)
        self.assertTrue(
            self.env["res.partner"]
            .with_user(self.user_other_company)
            .search([("id", "=", shared.id)])
        )
        self.company.crm_sme_share_customers = False
        # a company's own partner and internal users' partners stay as Odoo makes them
        admin = self.env.ref("base.user_admin")
        new_company = self.env["res.company"].with_user(admin).create({"name": "Branch (test)"})
        self.assertFalse(new_company.partner_id.company_id)
        user = new_test_user(self.env(user=admin), "crm_sme_new_hire", "base.group_user")
        self.assertFalse(user.partner_id.company_id)

    def test_reassign_wizard_stays_in_companies(self):
        wizard = (
            self.env["crm.sme.reassign.wizard"]
            .with_user(self.user_manager_other)
            .create(
                {
                    "from_user_id": self.user_salesman.id,
                    "to_user_ids": [Command.set(self.user_manager_other.ids)],
                }
            )
        )
        self.assertEqual(wizard.company_id, self.company_other)
        self.assertEqual(wizard.customer_count, 0)
        with self.assertRaises(UserError):
            wizard.action_reassign()
        self.assertEqual(self.customers["sally"].user_id, self.user_salesman)
        # another company than one's own is refused
        wizard.company_id = self.company
        with self.assertRaises(UserError):
            wizard.action_reassign()
        self.assertEqual(self.customers["sally"].user_id, self.user_salesman)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessRpc(HttpCase, AccessCommon):
    """What a JSON-RPC client sees: an error message (Odoo's AccessError), never
    the data, never a server error."""

    def _call_kw(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_refused(self, body, text=None):
        self.assertNotIn("result", body)
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.AccessError")
        if text:
            self.assertIn(text, body["error"]["data"]["message"])

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_rpc_refusals(self):
        body = self._call_kw(
            "crm_sme_salesman",
            "crm.sme.feedback",
            "export_data",
            [self.feedback["sally_on_sam"].ids, LINKED_EXPORT],
        )
        self._assert_refused(body)
        self.assertNotIn("1000", json.dumps(body["error"]["data"]["message"]))
        body = self._call_kw(
            "crm_sme_employee", "res.partner", "read", [self.customers["sam"].ids, FIGURES]
        )
        self._assert_refused(body, "crm_sme_receivable")
        body = self._call_kw(
            "crm_sme_salesman",
            "crm.sme.interaction",
            "create",
            [{"name": "Visit", "partner_id": self.customers["sam"].id}],
        )
        self._assert_refused(body, NOT_YOURS)
        body = self._call_kw(
            "crm_sme_salesman",
            "sale.order",
            "create",
            [
                {
                    "partner_id": self.customers["sally"].id,
                    "crm_sme_credit_override_reason": "approved",
                    "crm_sme_credit_override_user_id": self.user_sales_manager.id,
                }
            ],
            {"context": {"crm_sme_credit_override": True}},
        )
        self._assert_refused(body, "override wizard")
        body = self._call_kw(
            "crm_sme_other_co", "res.partner", "read", [self.customers["sally"].ids, ["name"]]
        )
        self._assert_refused(body)
        # and what is allowed answers normally
        body = self._call_kw(
            "crm_sme_salesman_2", "res.partner", "read", [self.customers["sam"].ids, FIGURES]
        )
        self.assertEqual(body["result"][0]["crm_sme_receivable"], 1000.0)
