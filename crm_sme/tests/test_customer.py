# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmSmeCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_customer")
class TestCustomer(CrmSmeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.district = cls.env["crm.sme.region"].create({"name": "Haishu (test)"})
        cls.supermarket = cls.env.ref("crm_sme.customer_type_supermarket")
        cls.referral = cls.env.ref("crm_sme.utm_source_referral")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Sally's Supermarket",
                "is_company": True,
                "user_id": cls.user_salesman.id,
                "team_id": cls.team.id,
                "email": "buy@sally-market.example.com",
                "phone": "+86 574 8765 4321",
                "vat": "CN91330200MA2XXXXX",
                "region_id": cls.district.id,
            }
        )
        cls.customer_2 = cls.env["res.partner"].create(
            {
                "name": "Sam's Stationery",
                "is_company": True,
                "user_id": cls.user_salesman_2.id,
            }
        )

    # ------------------------------------------------------------------
    # Scenario 1: create a supermarket customer with two contacts, then a duplicate
    # ------------------------------------------------------------------
    def test_scenario_1_create_customer_and_duplicate_warning(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        with Form(
            Partner.with_context(default_is_company=True, default_user_id=self.user_salesman.id)
        ) as form:
            form.name = "Yinzhou Mart Co., Ltd."
            form.email = "Purchase@Yinzhou-Mart.example.com"
            form.phone = "+86 574 8888 1234"
            form.region_id = self.district
            form.customer_type_id = self.supermarket
            form.source_id = self.referral
            self.assertFalse(form.crm_sme_duplicate_warning)
        customer = form.record
        Partner.create(
            [
                {
                    "name": "Zhang Wei",
                    "parent_id": customer.id,
                    "contact_role": "purchaser",
                    "is_primary_contact": True,
                },
                {"name": "Li Na", "parent_id": customer.id, "contact_role": "finance"},
            ]
        )
        self.assertEqual(customer.crm_sme_contact_count, 2)
        # Contacts inherit the company's classification.
        self.assertEqual(customer.child_ids.mapped("customer_type_id"), self.supermarket)
        self.assertEqual(customer.child_ids.mapped("source_id"), self.referral)
        # Entering it again: same email in another case, or a similar name.
        with Form(Partner.with_context(default_is_company=True)) as form:
            form.name = "YINZHOU MART"
            self.assertIn("Yinzhou Mart Co., Ltd.", form.crm_sme_duplicate_warning)
            form.name = "Other name"
            form.email = "purchase@yinzhou-mart.example.com"
            self.assertIn("Yinzhou Mart Co., Ltd.", form.crm_sme_duplicate_warning)
            form.email = False
            form.phone = "+8657488881234"
            self.assertIn("Yinzhou Mart Co., Ltd.", form.crm_sme_duplicate_warning)
        # The warning never blocks saving.
        self.assertTrue(form.record.exists())

    def test_duplicate_warning_names_other_salespeople_customers(self):
        """Sam cannot read Sally's customer but is warned that it exists."""
        with Form(
            self.env["res.partner"]
            .with_user(self.user_salesman_2)
            .with_context(default_is_company=True)
        ) as f:
            f.name = "Sally's Supermarket"
            self.assertIn("Sally Salesman", f.crm_sme_duplicate_warning)
            self.assertFalse(f.crm_sme_duplicate_ids)
            f.name = "Completely different"
            f.vat = "CN91330200MA2XXXXX"
            self.assertIn("Sally's Supermarket", f.crm_sme_duplicate_warning)

    def test_merge_goes_through_odoo_wizard(self):
        twin = self.env["res.partner"].create({"name": "Sally Supermarket", "is_company": True})
        with Form(twin) as form:
            form.name = "Sally Supermarket Ltd"
            self.assertIn(self.customer, form.crm_sme_duplicate_ids)
        action = twin.action_crm_sme_open_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        self.assertEqual(set(action["context"]["active_ids"]), {twin.id, self.customer.id})

    def test_negative_potential_refused(self):
        with self.assertRaises(ValidationError):
            self.customer.purchase_potential = -10

    def test_data_completeness(self):
        empty = self.env["res.partner"].create({"name": "Bare Co", "is_company": True})
        self.assertEqual(empty.data_completeness, 0)
        self.assertGreater(self.customer.data_completeness, empty.data_completeness)
        self.customer.write(
            {
                "street": "1 Zhongshan Rd",
                "city": "Ningbo",
                "country_id": self.env.ref("base.cn").id,
                "customer_type_id": self.supermarket.id,
                "source_id": self.referral.id,
                "industry_id": self.env["res.partner.industry"]
                .create({"name": "Retail (test)"})
                .id,
                "purchase_potential": 100000,
                "child_ids": [(0, 0, {"name": "Buyer"})],
            }
        )
        self.assertEqual(self.customer.data_completeness, 100)

    # ------------------------------------------------------------------
    # Scenario 2: a visit with an expense; manager sees it, another salesperson cannot see the customer
    # ------------------------------------------------------------------
    def test_scenario_2_visit_with_expense(self):
        action = self.customer.with_user(self.user_salesman).action_crm_sme_log_interaction()
        self.assertEqual(action["target"], "new")
        Interaction = (
            self.env["crm.sme.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"])
        )
        with Form(Interaction) as form:
            form.name = "Quarterly visit"
            form.interaction_type = "visit"
            form.expense_amount = 120.0
            form.duration = 1.5
        visit = form.record
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.user_id, self.user_salesman)
        manager_view = self.customer.with_user(self.user_sales_manager)
        self.assertEqual(manager_view.crm_sme_interaction_count, 1)
        self.assertEqual(
            self.env["crm.sme.interaction"]
            .with_user(self.user_sales_manager)
            .search([("partner_id", "=", self.customer.id)])
            .expense_amount,
            120.0,
        )
        self.assertTrue(manager_view.crm_sme_last_interaction_date)
        self.assertAlmostEqual(manager_view.crm_sme_expense_12m, 120.0)
        self.assertEqual(manager_view.crm_sme_days_since_contact, 0)
        # Sam sees neither the customer nor the visit.
        sam_partners = self.env["res.partner"].with_user(self.user_salesman_2)
        self.assertFalse(sam_partners.search([("id", "=", self.customer.id)]))
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_salesman_2).read(["name"])
        self.assertFalse(
            self.env["crm.sme.interaction"]
            .with_user(self.user_salesman_2)
            .search([("id", "=", visit.id)])
        )

    def test_interaction_bad_input(self):
        Interaction = self.env["crm.sme.interaction"].with_user(self.user_salesman)
        count = Interaction.search_count([])
        with self.assertRaises(ValidationError):
            Interaction.create(
                {"name": "Lunch", "partner_id": self.customer.id, "expense_amount": -5}
            )
        with self.assertRaises(ValidationError):
            Interaction.create(
                {
                    "name": "Future visit",
                    "partner_id": self.customer.id,
                    "state": "done",
                    "date": fields.Datetime.now() + timedelta(days=3),
                }
            )
        with self.assertRaises(ValidationError):
            Interaction.create({"name": "No customer"})
        other_contact = self.env["res.partner"].create(
            {"name": "Stranger", "parent_id": self.customer_2.id}
        )
        with self.assertRaises(ValidationError):
            Interaction.sudo().create(
                {
                    "name": "Wrong contact",
                    "partner_id": self.customer.id,
                    "contact_id": other_contact.id,
                }
            )
        self.assertEqual(Interaction.search_count([]), count)
        # A future visit is fine when planned.
        planned = Interaction.create(
            {
                "name": "Next visit",
                "partner_id": self.customer.id,
                "state": "planned",
                "date": fields.Datetime.now() + timedelta(days=3),
            }
        )
        self.assertEqual(planned.state, "planned")

    def test_interaction_on_contact_lands_on_company_and_schedules_next_step(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer Wu", "parent_id": self.customer.id}
        )
        interaction = (
            self.env["crm.sme.interaction"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "Call about samples",
                    "interaction_type": "call",
                    "partner_id": contact.id,
                    "next_step": "Send the new catalogue",
                    "next_activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "next_activity_date": fields.Date.today() + timedelta(days=7),
                }
            )
        )
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.contact_id, contact)
        self.assertEqual(interaction.team_id, self.team)
        activity = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Send the new catalogue"
        )
        self.assertEqual(activity.user_id, self.user_salesman)

    # ------------------------------------------------------------------
    # Access per role
    # ------------------------------------------------------------------
    def test_customer_access_per_role(self):
        other_co_customer = self.env["res.partner"].create(
            {
                "name": "Other Co Client",
                "is_company": True,
                "company_id": self.company_other.id,
            }
        )
        cases = {
            # user: (sees Sally's customer, sees Sam's customer, sees other company's customer)
            self.user_salesman: (True, False, False),
            self.user_salesman_2: (False, True, False),
            self.user_team_leader: (True, False, False),
            self.user_sales_manager: (True, True, False),
            self.user_service_agent: (True, True, False),
            self.user_accountant: (True, True, False),
            self.user_other_company: (False, False, True),
        }
        for user, expected in cases.items():
            with self.subTest(user=user.login):
                visible = (
                    self.env["res.partner"]
                    .with_user(user)
                    .search(
                        [("id", "in", (self.customer | self.customer_2 | other_co_customer).ids)]
                    )
                )
                self.assertEqual(
                    (
                        self.customer in visible,
                        self.customer_2 in visible,
                        other_co_customer in visible,
                    ),
                    expected,
                )
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.user_portal)
            .search([("id", "=", self.customer.id)])
        )

    def test_team_leader_sees_team_interactions(self):
        visit = self.env["crm.sme.interaction"].create(
            {
                "name": "Team visit",
                "partner_id": self.customer.id,
                "user_id": self.user_salesman.id,
            }
        )
        sam_visit = self.env["crm.sme.interaction"].create(
            {
                "name": "Sam visit",
                "partner_id": self.customer_2.id,
                "user_id": self.user_salesman_2.id,
            }
        )
        leader_sees = self.env["crm.sme.interaction"].with_user(self.user_team_leader).search([])
        self.assertIn(visit, leader_sees)
        self.assertNotIn(sam_visit, leader_sees)
        self.assertIn(
            sam_visit, self.env["crm.sme.interaction"].with_user(self.user_service_agent).search([])
        )
        self.assertIn(
            sam_visit, self.env["crm.sme.interaction"].with_user(self.user_accountant).search([])
        )
        with self.assertRaises(AccessError):
            sam_visit.with_user(self.user_accountant).write({"name": "changed"})
        with self.assertRaises(AccessError):
            self.env["crm.sme.interaction"].with_user(self.user_other_company).browse(
                visit.id
            ).read(["name"])
        with self.assertRaises(AccessError):
            self.env["crm.sme.interaction"].with_user(self.user_portal).search([])

    def test_salesperson_cannot_delete_customer(self):
        # Without Odoo's "Contact Creation" right: no delete access at all.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_salesman).unlink()
        # With it (new users get it by default), the customer file still refuses.
        with self.assertRaises(UserError):
            self.customer.with_user(self.user_salesman)._unlink_except_customer_of_salesperson()
        self.customer.with_user(self.user_salesman).action_archive()
        self.assertFalse(self.customer.active)
        self.customer.with_user(self.user_sales_manager)._unlink_except_customer_of_salesperson()
        self.customer.unlink()
        self.assertFalse(self.customer.exists())
