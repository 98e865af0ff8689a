# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_position")
class TestCustomerPosition(AccountTestInvoicingCommon):
    """Money position of a customer equals Odoo's own invoice figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        cls.today = fields.Date.context_today(cls.env.user)
        cls.salesman = new_test_user(
            cls.env,
            "pos_salesman",
            "sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_2).ids)],
        )
        cls.salesman_2 = new_test_user(
            cls.env,
            "pos_salesman_2",
            "sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Haishu Mart",
                "is_company": True,
                "user_id": cls.salesman.id,
            }
        )
        cls.customer.company_id = False  # a customer shared by both companies
        cls.contact = cls.env["res.partner"].create(
            {"name": "Wang Li", "parent_id": cls.customer.id}
        )

    def _invoice(self, amount, days_ago, partner=None, move_type="out_invoice", company=None):
        """A posted invoice due on its date (days_ago days ago), untaxed."""
        date = self.today - timedelta(days=days_ago)
        move = self.init_invoice(
            move_type,
            partner=partner or self.customer,
            invoice_date=date,
            amounts=[amount],
            taxes=[],
            company=company or self.company,
        )
        move.write({"invoice_payment_term_id": False, "invoice_date_due": date})
        move.action_post()
        return move

    def _pay(self, invoice, amount, days_ago):
        self.env["account.payment.register"].with_company(invoice.company_id).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "amount": amount,
                "payment_date": self.today - timedelta(days=days_ago),
            }
        )._create_payments()

    def _position(self, company=None):
        partner = self.customer.with_company(company or self.company)
        partner.invalidate_recordset()
        return partner

    def test_money_position_equals_invoices(self):
        inv_old = self._invoice(1000.0, 100)
        self._pay(inv_old, 400.0, 50)
        self._invoice(500.0, 45)
        self._invoice(300.0, 10, partner=self.contact)  # a contact's invoice is the company's
        inv_paid = self._invoice(200.0, 400)
        self._pay(inv_paid, 200.0, 370)
        refund = self._invoice(100.0, 5, move_type="out_refund")
        self._invoice(700.0, 20, company=self.company_2)
        partner = self._position()

        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("company_id", "=", self.company.id),
            ]
        )
        year_ago = self.today - timedelta(days=365)
        self.assertAlmostEqual(
            partner.crm_sme_invoiced_total, sum(moves.mapped("amount_untaxed_signed"))
        )
        self.assertAlmostEqual(partner.crm_sme_invoiced_total, 1900.0)
        recent = moves.filtered(lambda m: m.invoice_date > year_ago)
        self.assertAlmostEqual(
            partner.crm_sme_invoiced_12m, sum(recent.mapped("amount_untaxed_signed"))
        )
        self.assertAlmostEqual(partner.crm_sme_invoiced_12m, 1700.0)
        self.assertAlmostEqual(
            partner.crm_sme_receivable, sum(moves.mapped("amount_residual_signed"))
        )
        self.assertAlmostEqual(partner.crm_sme_receivable, 1300.0)
        # the open credit note (100) is deducted from the oldest overdue first
        self.assertAlmostEqual(partner.crm_sme_overdue_over_90, 500.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_90, 0.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_60, 500.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_30, 300.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_total, 1300.0)
        # days to pay: invoices of the last 12 months only (inv_paid is older)
        self.assertAlmostEqual(partner.crm_sme_avg_days_to_pay, 0.0)
        # The contact shows its company's figures.
        self.assertAlmostEqual(self.contact.with_company(self.company).crm_sme_receivable, 1300.0)
        # The other company sees only its own invoice.
        other = self._position(self.company_2)
        self.assertAlmostEqual(other.crm_sme_invoiced_12m, 700.0)
        self.assertAlmostEqual(other.crm_sme_receivable, 700.0)
        self.assertAlmostEqual(other.crm_sme_overdue_30, 700.0)
        # Paying the refund against the old invoice changes the receivable.
        (refund.line_ids | inv_old.line_ids).filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        partner = self._position()
        self.assertAlmostEqual(partner.crm_sme_receivable, 1300.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_over_90, 500.0)
        self._pay(self._invoice(250.0, 90), 250.0, 60)
        self._pay(self._invoice(250.0, 30), 250.0, 20)
        self.assertAlmostEqual(self._position().crm_sme_avg_days_to_pay, 20.0)

    def test_refresh_is_deterministic_and_set_based(self):
        self._invoice(1000.0, 10)
        position_model = self.env["crm.sme.customer.position"]
        position_model._refresh()
        rows = position_model.search([]).read(
            ["partner_id", "company_id", "receivable", "invoiced_12m"]
        )
        # the companies, one upsert for every customer (and the planner setting around it)
        with self.assertQueryCount(4):
            written = position_model._refresh()
        self.assertEqual(written, 0, "unchanged positions are not written")
        again = position_model.search([]).read(
            ["partner_id", "company_id", "receivable", "invoiced_12m"]
        )
        # same rows, same ids
        self.assertEqual(rows, again)

    def test_salesperson_reads_money_without_accounting_rights(self):
        self._invoice(800.0, 40)
        self.assertFalse(self.salesman.has_group("account.group_account_invoice"))
        partner = self.customer.with_user(self.salesman).with_company(self.company)
        self.assertAlmostEqual(partner.crm_sme_receivable, 800.0)
        self.assertAlmostEqual(partner.crm_sme_overdue_60, 800.0)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman_2).read(["crm_sme_receivable"])

    def test_filters_on_position(self):
        self._invoice(250.0, 70)
        quiet = self.env["res.partner"].create({"name": "Quiet Shop", "is_company": True})
        Partner = self.env["res.partner"].with_company(self.company)
        overdue = Partner.search([("crm_sme_overdue_total", ">", 0)])
        self.assertIn(self.customer, overdue)
        self.assertIn(self.contact, overdue)
        self.assertNotIn(quiet, overdue)
        not_overdue = Partner.search([("crm_sme_overdue_total", "=", 0), ("is_company", "=", True)])
        self.assertIn(quiet, not_overdue)
        self.assertNotIn(self.customer, not_overdue)
        # Never contacted counts as "not contacted in 30 days".
        limit = fields.Datetime.now() - timedelta(days=30)
        self.assertIn(quiet, Partner.search([("crm_sme_last_interaction_date", "<", limit)]))
        self.env["crm.sme.interaction"].create(
            {
                "name": "Visit",
                "partner_id": quiet.id,
                "user_id": self.salesman.id,
                "company_id": self.company.id,
            }
        )
        self.assertNotIn(quiet, Partner.search([("crm_sme_last_interaction_date", "<", limit)]))
        self.assertIn(quiet, Partner.search([("crm_sme_last_interaction_date", ">=", limit)]))

    def test_delivery_position(self):
        product = self.env["product.product"].create(
            {"name": "A4 paper", "is_storable": True, "list_price": 5}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 4)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "warehouse_id": warehouse.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(self._position().crm_sme_open_delivery_count, 1)
        picking.scheduled_date = fields.Datetime.now() - timedelta(days=2)
        partner = self._position()
        self.assertEqual(partner.crm_sme_late_delivery_count, 1)
        self.assertIn(
            self.customer, self.env["res.partner"].search([("crm_sme_late_delivery_count", ">", 0)])
        )
        picking.move_ids.quantity = 4
        Form.from_action(self.env, picking.button_validate()).save().process()  # keep a back-order
        partner = self._position()
        self.assertEqual(partner.crm_sme_backorder_count, 1)
        self.assertEqual(partner.crm_sme_open_delivery_count, 1)
        self.assertTrue(partner.crm_sme_last_delivery_date)
