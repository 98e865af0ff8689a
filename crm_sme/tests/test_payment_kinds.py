# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_opportunity_common import OpportunityCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestPaymentKinds(OpportunityCommon):
    """A registered payment settles the invoice for crm_sme (opportunity trail,
    auto-win, customer file) whether Odoo made a journal entry for it or not and
    whether the invoice shows "Paid" or "In Payment". Each test sets up the kind
    of payment it checks, so that the outcome is the same on every 18.0 build
    (they differ in the default: see OpportunityCommon._accounting_app)."""

    def _overdue_invoice(self):
        """The opportunity's delivered order, invoiced 40 days ago (due then)."""
        self.team.crm_sme_auto_win = "payment"
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        order = self._quotation_from(lead)
        order.action_confirm()
        self._deliver(order, {self.product_stocked: 2.0})
        invoice = order._create_invoices()
        date = fields.Date.today() - timedelta(days=40)
        invoice.write(
            {"invoice_date": date, "invoice_payment_term_id": False, "invoice_date_due": date}
        )
        invoice.action_post()
        customer = self._customer_file()
        self.assertAlmostEqual(customer.crm_sme_overdue_total, invoice.amount_total)
        self.assertEqual(lead.crm_sme_payment_status, "invoiced")
        return lead, invoice

    def _customer_file(self):
        customer = self.customer.with_user(self.user_salesman)
        customer.invalidate_recordset()
        return customer

    def _assert_settled(self, lead, invoice, payment):
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(lead.stage_id.is_won, "auto-won at full payment")
        self.assertEqual(lead.crm_sme_payment_status, "paid")
        self.assertAlmostEqual(lead.crm_sme_amount_paid, invoice.amount_total)
        self.assertAlmostEqual(lead.crm_sme_amount_residual, 0.0)
        customer = self._customer_file()
        self.assertAlmostEqual(customer.crm_sme_receivable, 0.0)
        self.assertAlmostEqual(customer.crm_sme_overdue_total, 0.0)
        self.assertEqual(customer.crm_sme_payment_count, 1)
        self.assertEqual(payment.partner_id, self.customer)

    def test_payment_with_journal_entry_paid(self):
        lead, invoice = self._overdue_invoice()
        payment = self._pay(invoice)
        self.assertTrue(payment.move_id)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertAlmostEqual(invoice.amount_residual, 0.0)
        self._assert_settled(lead, invoice, payment)

    def test_payment_with_journal_entry_in_payment(self):
        lead, invoice = self._overdue_invoice()
        with self._accounting_app():
            payment = self._pay(invoice)
            self.assertTrue(payment.move_id)
            self.assertEqual(invoice.payment_state, "in_payment")
            self._assert_settled(lead, invoice, payment)

    def test_payment_without_journal_entry_in_payment(self):
        lead, invoice = self._overdue_invoice()
        with self._accounting_app():
            payment = self._pay(invoice, journal=self.bank_journal_no_entry)
            self.assertFalse(payment.move_id)
            self.assertEqual(invoice.payment_state, "in_payment")
            # Odoo's own residual waits for the bank reconciliation
            self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total)
            self._assert_settled(lead, invoice, payment)

    def test_payment_on_journal_without_outstanding_account(self):
        """Odoo's community default: 18.0 builds of October 2024 register no
        journal entry, later ones make one on the chart's outstanding account;
        the invoice is "Paid" either way and so it is for crm_sme."""
        lead, invoice = self._overdue_invoice()
        payment = self._pay(invoice, journal=self.bank_journal_no_entry)
        self.assertEqual(invoice.payment_state, "paid")
        self._assert_settled(lead, invoice, payment)
