# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_opportunity_common import OpportunityCommon

TRAIL = [
    "crm_sme_amount_ordered",
    "crm_sme_amount_invoiced",
    "crm_sme_amount_paid",
    "crm_sme_payment_status",
]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestOpportunityAccess(OpportunityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competitor = cls.env["crm.sme.competitor"].create({"name": "Paper Giant (test)"})
        cls.lead_own = cls._create_opportunity()
        cls.lead_own.crm_sme_competitor_ids = [
            Command.create({"competitor_id": cls.competitor.id, "price": 10.0})
        ]
        # Sam files his deal on his own customer (not on Sally's: refused)
        sams_customer = cls.env["res.partner"].create(
            {"name": "Sam's Shop (test)", "is_company": True, "user_id": cls.user_salesman_2.id}
        )
        cls.lead_other = cls._create_opportunity(
            user=cls.user_salesman_2, team_id=False, name="Sam's deal", partner_id=sams_customer.id
        )
        cls.lead_other.crm_sme_competitor_ids = [
            Command.create({"competitor_id": cls.competitor.id, "price": 12.0})
        ]
        # the salesperson's deal is ordered, delivered, invoiced and half paid
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_short, cls.warehouse.lot_stock_id, 10.0
        )
        order = (
            cls.env["sale.order"]
            .with_context(**cls.lead_own.action_sale_quotations_new()["context"])
            .create({})
        )
        order.action_confirm()
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        order.picking_ids.button_validate()
        cls.invoice = order._create_invoices()
        cls.invoice.action_post()
        ctx = {"active_model": "account.move", "active_ids": cls.invoice.ids}
        cls.env["account.payment.register"].with_context(**ctx).create(
            {"amount": 500.0, "journal_id": cls.bank_journal.id}
        )._create_payments()
        order_2 = (
            cls.env["sale.order"]
            .with_context(**cls.lead_other.action_sale_quotations_new()["context"])
            .create({})
        )
        order_2.action_confirm()
        other_customer = cls.env["res.partner"].create(
            {
                "name": "Other Co customer (test)",
                "is_company": True,
                "company_id": cls.company_other.id,
            }
        )
        cls.lead_other_company = (
            cls.env["crm.lead"]
            .with_company(cls.company_other)
            .create(
                {
                    "name": "Other company deal",
                    "type": "opportunity",
                    "partner_id": other_customer.id,
                    "company_id": cls.company_other.id,
                    "user_id": cls.user_other_company.id,
                    "crm_sme_line_ids": [Command.create({"product_id": cls.product_stocked.id})],
                }
            )
        )

    def _lines(self, user, lead):
        return self.env["crm.sme.lead.line"].with_user(user).search([("lead_id", "=", lead.id)])

    def test_salesperson_own_trail_without_accounting_rights(self):
        self.assertFalse(self.user_salesman.has_group("account.group_account_invoice"))
        expected = self.lead_own.read(TRAIL)[0]
        self.assertEqual(expected["crm_sme_payment_status"], "partially_paid")
        self.assertAlmostEqual(expected["crm_sme_amount_paid"], 500.0)
        self.env.invalidate_all()
        self.assertEqual(self.lead_own.with_user(self.user_salesman).read(TRAIL)[0], expected)
        self.assertEqual(len(self._lines(self.user_salesman, self.lead_own)), 2)
        self.assertEqual(len(self.lead_own.with_user(self.user_salesman).crm_sme_competitor_ids), 1)
        # the payments themselves stay out of reach
        with self.assertRaises(AccessError):
            self.env["account.payment"].with_user(self.user_salesman).search([])

    def test_salesperson_not_other_salesperson_trail(self):
        with self.assertRaises(AccessError):
            self.lead_own.with_user(self.user_salesman_2).read(TRAIL)
        with self.assertRaises(AccessError):
            self.lead_other.with_user(self.user_salesman).read(TRAIL)
        self.assertFalse(self._lines(self.user_salesman, self.lead_other))
        self.assertFalse(self._lines(self.user_salesman_2, self.lead_own))
        with self.assertRaises(AccessError):
            self.lead_other.crm_sme_line_ids[0].with_user(self.user_salesman).write(
                {"product_uom_qty": 1.0}
            )
        leads = self.lead_own | self.lead_other
        competitor_lines = (
            self.env["crm.sme.lead.competitor"]
            .with_user(self.user_salesman)
            .search([("lead_id", "in", leads.ids)])
        )
        self.assertEqual(competitor_lines.lead_id, self.lead_own)

    def test_team_leader_sees_team(self):
        lead = self.lead_own.with_user(self.user_team_leader)
        self.assertEqual(
            lead.read(["crm_sme_payment_status"])[0]["crm_sme_payment_status"], "partially_paid"
        )
        self.assertEqual(len(self._lines(self.user_team_leader, self.lead_own)), 2)
        self.assertFalse(self._lines(self.user_team_leader, self.lead_other))
        with self.assertRaises(AccessError):
            self.lead_other.with_user(self.user_team_leader).read(TRAIL)

    def test_manager_sees_all(self):
        for lead in (self.lead_own, self.lead_other):
            self.assertEqual(len(self._lines(self.user_sales_manager, lead)), 2)
            lead.with_user(self.user_sales_manager).read(TRAIL)
        self.assertEqual(
            self.lead_other.with_user(self.user_sales_manager).crm_sme_payment_status, "ordered"
        )

    def test_accountant_reads_only(self):
        for lead in (self.lead_own, self.lead_other):
            values = lead.with_user(self.user_accountant).read(
                ["name", "partner_id", "expected_revenue", *TRAIL]
            )
            self.assertTrue(values)
            self.assertEqual(len(self._lines(self.user_accountant, lead)), 2)
        competitors = self.env["crm.sme.lead.competitor"].with_user(self.user_accountant)
        leads = self.lead_own | self.lead_other
        self.assertEqual(len(competitors.search([("lead_id", "in", leads.ids)])), 2)
        with self.assertRaises(AccessError):
            self.lead_own.with_user(self.user_accountant).write({"name": "changed"})
        with self.assertRaises(AccessError):
            self.env["crm.sme.lead.line"].with_user(self.user_accountant).create(
                {"lead_id": self.lead_own.id, "product_id": self.product_stocked.id}
            )

    def test_no_access_roles(self):
        for user in (self.user_service_agent, self.user_portal, self.user_employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm.sme.lead.line"].with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm.sme.lead.competitor"].with_user(user).search([])

    def test_other_company(self):
        user = self.user_other_company
        self.assertFalse(self._lines(user, self.lead_own))
        with self.assertRaises(AccessError):
            self.lead_own.with_user(user).read(TRAIL)
        own = self.lead_other_company.with_user(user)
        self.assertEqual(len(own.crm_sme_line_ids), 1)
        self.assertEqual(own.crm_sme_line_ids.warehouse_id.company_id, self.company_other)
        # and the main company's salesperson does not see the other company's lines
        self.assertFalse(self._lines(self.user_salesman, self.lead_other_company))
