# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestUi(HttpCase):
    def test_menu_tour(self):
        """Every section of the SME CRM menu opens in the browser."""
        self.start_tour("/odoo", "crm_sme_menu_tour", login="admin")

    def test_customer_tour(self):
        """Scenarios 1 and 2 in the browser, as a salesperson."""
        salesman = new_test_user(
            self.env,
            "tour_salesman",
            "sales_team.group_sale_salesman,base.group_partner_manager",
            name="Tour Salesman",
        )
        self.env["crm.sme.region"].create({"name": "Tour District"})
        self.env["res.partner"].create({"name": "Ningbo Tour Mart Co., Ltd.", "is_company": True})
        self.start_tour(
            "/odoo/action-crm_sme.action_crm_sme_customer",
            "crm_sme_customer_tour",
            login="tour_salesman",
        )
        customer = self.env["res.partner"].search([("name", "=", "Tour Supermarket Co., Ltd.")])
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.region_id.name, "Tour District")
        self.assertEqual(
            customer.customer_type_id, self.env.ref("crm_sme.customer_type_supermarket")
        )
        self.assertEqual(customer.source_id, self.env.ref("crm_sme.utm_source_referral"))
        visit = self.env["crm.sme.interaction"].search([("partner_id", "=", customer.id)])
        self.assertEqual(
            (visit.name, visit.expense_amount, visit.user_id), ("First visit", 88.0, salesman)
        )

    def test_reassign_tour(self):
        """Scenario 8 in the browser, as the sales manager."""
        leaver = new_test_user(
            self.env, "tour_leaver", "sales_team.group_sale_salesman", name="Leaving Lucy"
        )
        taker = new_test_user(
            self.env, "tour_taker", "sales_team.group_sale_salesman", name="Taking Tom"
        )
        customers = self.env["res.partner"].create(
            [
                {"name": f"Lucy's customer {i}", "is_company": True, "user_id": leaver.id}
                for i in range(2)
            ]
        )
        self.start_tour("/odoo", "crm_sme_reassign_tour", login="admin")
        self.assertEqual(customers.user_id, taker)
