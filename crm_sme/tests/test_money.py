# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, sql_db
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .test_opportunity_common import OpportunityCommon, in_payment_state


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_position")
class TestMoney(AccountTestInvoicingCommon):
    """One definition of what a customer owes (crm.sme.money), tied to Odoo's
    own documents: amount_residual, the partner's credit and its ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        cls.eur = cls.setup_other_currency("EUR")
        cls.today = fields.Date.context_today(cls.env.user)
        # a customer shared by both companies (crm_sme gives new customers the
        # creating company unless told otherwise)
        cls.customer = cls.env["res.partner"].create({"name": "Jiangbei Mart", "is_company": True})
        cls.customer.company_id = False
        # payments with a journal entry on an outstanding account ...
        cls.bank_move = cls.company_data["default_journal_bank"]
        outstanding = cls.env["account.account"].create(
            {
                "name": "Outstanding Receipts (money test)",
                "code": "101997",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )
        cls.bank_move.inbound_payment_method_line_ids.payment_account_id = outstanding
        cls.bank_move.outbound_payment_method_line_ids.payment_account_id = outstanding
        # ... and without one (Odoo 18 default of newer builds): no journal entry
        cls.bank_moveless = cls.env["account.journal"].create(
            {"name": "Bank (no outstanding)", "type": "bank", "code": "BNMO"}
        )
        cls.bank_moveless.inbound_payment_method_line_ids.payment_account_id = False

    def _invoice(self, amount, due_days_ago, move_type="out_invoice", company=None, currency=None):
        date = self.today - timedelta(days=due_days_ago)
        move = self.init_invoice(
            move_type,
            partner=self.customer,
            invoice_date=min(date, self.today),
            amounts=[amount],
            taxes=[],
            company=company or self.company,
            currency=currency,
        )
        move.write({"invoice_payment_term_id": False, "invoice_date_due": date})
        move.action_post()
        return move

    def _pay(self, invoice, journal, amount=None, days_ago=0):
        vals = {"journal_id": journal.id, "payment_date": self.today - timedelta(days=days_ago)}
        if amount is not None:
            vals["amount"] = amount
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
            ._create_payments()
        )

    def _unallocated_payment(self, journal, amount):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": amount,
                "journal_id": journal.id,
            }
        )
        payment.action_post()
        return payment

    def _position(self, company=None):
        return self.env["crm.sme.customer.position"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def _build_book(self):
        """Every kind of document that moves what the customer owes."""
        # payments on bank_moveless get no journal entry on every 18.0 build
        self.patch(
            type(self.env["account.move"]), "_get_invoice_in_payment_state", in_payment_state
        )
        docs = {}
        docs["paid_with_entry"] = self._invoice(1000.0, 100)
        self._pay(docs["paid_with_entry"], self.bank_move, days_ago=90)
        docs["paid_moveless"] = self._invoice(800.0, 50)
        payment = self._pay(docs["paid_moveless"], self.bank_moveless, days_ago=40)
        self.assertFalse(payment.move_id, "registered without journal entry")
        # the position follows at once (the payment is matched after it is posted)
        self.assertAlmostEqual(self._position().receivable, 800.0 - 800.0)
        docs["partial"] = self._invoice(600.0, 40)
        self._pay(docs["partial"], self.bank_move, amount=200.0, days_ago=35)
        docs["eur"] = self._invoice(300.0, 20, currency=self.eur)  # EUR 300 at 2.0 = 150
        docs["not_due"] = self._invoice(500.0, -10)
        docs["refund"] = self._invoice(150.0, 5, move_type="out_refund")
        docs["other_company"] = self._invoice(700.0, 20, company=self.company_2)
        self._unallocated_payment(self.bank_move, 50.0)
        self._unallocated_payment(self.bank_moveless, 100.0)
        return docs

    def test_receivable_ties_to_odoo_documents(self):
        docs = self._build_book()
        for name in ("paid_with_entry", "paid_moveless"):
            self.assertIn(docs[name].payment_state, ("paid", "in_payment"), name)
        self.assertEqual(docs["partial"].payment_state, "partial")
        position = self._position()
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        open_moves = moves.filtered(lambda m: m.payment_state not in ("paid", "in_payment"))
        # amount_residual of the open documents, less the payments not yet in the accounts
        self.assertAlmostEqual(
            position.receivable, sum(open_moves.mapped("amount_residual_signed")) - 50.0 - 100.0
        )
        self.assertAlmostEqual(position.receivable, 400.0 + 150.0 + 500.0 - 150.0 - 150.0)
        # Odoo's credit (and the ledger) still hold the invoice paid by a payment
        # without journal entry, and not the unallocated payment without one
        partner = self.customer.with_company(self.company)
        ledger = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ],
            [],
            ["balance:sum"],
        )[0][0]
        self.assertAlmostEqual(ledger, partner.credit)
        self.assertAlmostEqual(
            position.receivable, partner.credit - docs["paid_moveless"].amount_residual - 100.0
        )
        # overdue: 400 (partial, 40 days) and 150 (EUR, 20 days); the 300 of open
        # credits (credit note 150, payments 50 + 100) go to the oldest first
        self.assertAlmostEqual(position.overdue_60, 100.0)
        self.assertAlmostEqual(position.overdue_30, 150.0)
        self.assertAlmostEqual(position.overdue_90 + position.overdue_over_90, 0.0)
        self.assertAlmostEqual(position.overdue_total, 250.0)
        self.assertEqual(position.max_days_overdue, 40)
        self.assertLessEqual(position.overdue_total, position.receivable)
        # invoiced: untaxed, in company currency, credit notes deducted
        self.assertAlmostEqual(position.invoiced_total, sum(moves.mapped("amount_untaxed_signed")))
        # second company: its own documents only
        other = self._position(self.company_2)
        self.assertAlmostEqual(other.receivable, 700.0)
        self.assertAlmostEqual(other.overdue_30, 700.0)
        # the credit gate reads the same figures
        self.company.crm_sme_overdue_days = 30
        exposure = self.env["sale.order"]._crm_sme_credit_exposure(self.customer, self.company)[
            self.customer.id
        ]
        self.assertAlmostEqual(exposure["receivable"], position.receivable)
        self.assertAlmostEqual(exposure["overdue_amount"], 100.0)
        self.assertEqual(exposure["overdue_days"], 40)

    def test_credits_never_leave_overdue_above_receivable(self):
        self._invoice(1000.0, 120)
        self._invoice(1200.0, 3, move_type="out_refund")
        position = self._position()
        self.assertAlmostEqual(position.receivable, -200.0)
        self.assertAlmostEqual(position.overdue_total, 0.0)
        self.assertAlmostEqual(position.overdue_over_90, 0.0)
        self.assertEqual(position.max_days_overdue, 0)

    def test_today_is_explicit_or_the_company_date(self):
        money = self.env["crm.sme.money"]
        self.company.partner_id.tz = "Pacific/Kiritimati"  # UTC+14
        ahead = money._company_today(self.company)[self.company.id]
        self.company.partner_id.tz = "Pacific/Pago_Pago"  # UTC-11
        behind = money._company_today(self.company)[self.company.id]
        self.assertGreater(ahead, behind, "the company's time zone decides")
        # not the time zone of the user who triggers the computation
        user = new_test_user(self.env, "money_tz_user", tz="Pacific/Kiritimati")
        self.assertEqual(
            money.with_user(user)._company_today(self.company)[self.company.id], behind
        )
        # explicit today: ageing as of that date
        self._invoice(100.0, 10)
        Position = self.env["crm.sme.customer.position"]
        Position._refresh(self.customer, date=self.today + timedelta(days=30))
        self.assertAlmostEqual(self._position().overdue_60, 100.0)
        Position._refresh(self.customer)
        self.assertAlmostEqual(self._position().overdue_30, 100.0)

    def test_upsert_keeps_rows_and_writes_only_changes(self):
        first = self._invoice(100.0, 10)
        Position = self.env["crm.sme.customer.position"]
        position = self._position()
        other = self.env["res.partner"].create({"name": "Zhenhai Shop", "is_company": True})
        self.init_invoice(
            "out_invoice", partner=other, invoice_date=self.today, amounts=[10.0], post=True
        )
        other_position = Position.search([("partner_id", "=", other.id)])
        Position._refresh()  # every other position as of now
        self.env.cr.execute(
            "UPDATE crm_sme_customer_position SET write_date = '2000-01-01' WHERE id IN %s",
            [(position.id, other_position.id)],
        )
        second = self._invoice(50.0, 5)
        self.assertEqual(self._position(), position, "same row, same id")
        Position.invalidate_model()
        self.assertAlmostEqual(position.receivable, 150.0)
        self.assertNotEqual(position.write_date.year, 2000)
        self.assertEqual(Position._refresh(), 0, "nothing changed: nothing written")
        self.assertEqual(other_position.write_date.year, 2000, "untouched customer not written")
        # documents gone: the row stays, at zero
        (first | second).button_draft()
        (first | second).button_cancel()
        Position.invalidate_model()
        self.assertEqual(self._position(), position)
        self.assertAlmostEqual(position.receivable, 0.0)
        self.assertAlmostEqual(position.invoiced_total, 0.0)

    def test_nightly_job_in_batches_rewrites_only_what_changed(self):
        self._invoice(100.0, 10)
        other = self.env["res.partner"].create({"name": "Beilun Shop", "is_company": True})
        self.init_invoice(
            "out_invoice", partner=other, invoice_date=self.today, amounts=[10.0], post=True
        )
        Position = self.env["crm.sme.customer.position"]
        Position._cron_refresh(batch_size=1)  # every other position as of now
        self.assertEqual(Position._cron_refresh(batch_size=1), 0)
        self.env.cr.execute(
            "UPDATE crm_sme_customer_position SET receivable = 999 WHERE partner_id = %s",
            [self.customer.id],
        )
        Position.invalidate_model()
        self.assertEqual(Position._cron_refresh(batch_size=1), 1)
        self.assertAlmostEqual(self._position().receivable, 100.0)

    def test_busy_customer_is_queued_not_failed(self):
        """Another transaction refreshing the same customer: this one goes on,
        the customer is queued and refreshed by the triggered job."""
        Position = self.env["crm.sme.customer.position"]
        # a real second connection (the registry's cursors share the test's)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other_cr:
            other_cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                [Position._ADVISORY_LOCK, self.customer.id],
            )
            self.assertTrue(other_cr.fetchone()[0])
            self._invoice(50.0, 5)  # posted while the other transaction holds the customer
            self.assertFalse(self._position())
            queued = self.env["crm.sme.customer.position.queue"].search(
                [("partner_id", "=", self.customer.id)]
            )
            self.assertTrue(queued)
            other_cr.rollback()
        Position._cron_refresh_queue()
        self.assertFalse(queued.exists())
        self.assertAlmostEqual(self._position().receivable, 50.0)

    def test_position_filters_use_a_subquery(self):
        self._invoice(100.0, 40)
        Partner = self.env["res.partner"]
        query = Partner._search([("crm_sme_overdue_total", ">", 0)])
        sql = query.select().code
        self.assertIn("crm_sme_customer_position", sql)
        self.assertIn(self.customer, Partner.search([("crm_sme_overdue_total", ">", 50)]))
        self.assertNotIn(self.customer, Partner.search([("crm_sme_overdue_total", ">", 500)]))
        self.assertIn(self.customer, Partner.search([("crm_sme_receivable", "!=", 0)]))
        self.assertNotIn(
            self.customer, Partner.search([("crm_sme_last_interaction_date", ">", "2020-01-01")])
        )
        self.assertIn(
            self.customer, Partner.search([("crm_sme_last_interaction_date", "=", False)])
        )

    def test_position_search_rejects_wrong_types(self):
        Partner = self.env["res.partner"]
        for domain in (
            [("crm_sme_receivable", ">", "abc")],
            [("crm_sme_receivable", ">", float("nan"))],
            [("crm_sme_receivable", ">", [1, 2])],
            [("crm_sme_receivable", "<", True)],
            [("crm_sme_overdue_total", ">=", {"a": 1})],
            [("crm_sme_invoiced_12m", "=", "1e3")],
            [("crm_sme_late_delivery_count", "!=", "zero")],
            [("crm_sme_late_delivery_count", ">", 1.5)],
            [("crm_sme_last_interaction_date", "<", "not a date")],
            [("crm_sme_last_interaction_date", "<", 5)],
            [("crm_sme_receivable", "like", 5)],
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                Partner.search(domain)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestMoneyAgreement(OpportunityCommon):
    """The customer file, the credit gate and the opportunity trail agree."""

    def test_file_gate_and_trail_agree(self):
        # a payment without journal entry on every 18.0 build (Accounting app's way)
        self.patch(
            type(self.env["account.move"]), "_get_invoice_in_payment_state", in_payment_state
        )
        self.company.write({"crm_sme_credit_gate": "warn", "crm_sme_overdue_days": 1})
        moveless = self.env["account.journal"].create(
            {"name": "Bank (no outstanding)", "type": "bank", "code": "BNMA"}
        )
        lead = self._create_opportunity(lines=[(self.product_stocked, 4.0)])
        order = self._quotation_from(lead)
        order.action_confirm()
        self._deliver(order, {self.product_stocked: 2.0})
        first = self._invoice(order)
        self._deliver(order, {self.product_stocked: 2.0})
        second = self._invoice(order)
        self._pay(second, amount=second.amount_total / 4)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=first.ids
        ).create({"journal_id": moveless.id})._create_payments()
        self.assertIn(first.payment_state, ("paid", "in_payment"))
        self.assertTrue(first.amount_residual, "no journal entry: residual unchanged")
        customer = self.customer.with_company(self.company)
        customer.invalidate_recordset()
        exposure = self.env["sale.order"]._crm_sme_credit_exposure(self.customer, self.company)[
            self.customer.id
        ]
        lead.invalidate_recordset()
        self.assertAlmostEqual(lead.crm_sme_amount_residual, second.amount_residual)
        self.assertAlmostEqual(customer.crm_sme_receivable, lead.crm_sme_amount_residual)
        self.assertAlmostEqual(exposure["receivable"], lead.crm_sme_amount_residual)
        # the invoice settled by a registered payment is not overdue anywhere
        self.assertAlmostEqual(customer.crm_sme_overdue_total, 0.0)
        self.assertAlmostEqual(exposure["overdue_amount"], 0.0)

    def test_warning_names_no_figure_of_an_unreadable_customer(self):
        self.company.write(
            {
                "account_use_credit_limit": True,
                "crm_sme_credit_gate": "block",
            }
        )
        self.customer.with_company(self.company).credit_limit = 10.0
        lead = self._create_opportunity(lines=[(self.product_stocked, 4.0)])
        self.assertIn("credit limit", lead.with_user(self.user_salesman).crm_sme_credit_warning)
        # the opportunity goes to a colleague, the customer stays with its salesperson
        lead.sudo().user_id = self.user_salesman_2
        as_colleague = lead.with_user(self.user_salesman_2)
        as_colleague.invalidate_recordset()
        self.assertFalse(self.customer.with_user(self.user_salesman_2).has_access("read"))
        warning = as_colleague.crm_sme_credit_warning
        self.assertTrue(warning)
        self.assertNotIn(self.customer.name, warning)
        self.assertNotIn("10.00", warning)
        self.assertTrue(as_colleague.crm_sme_is_credit_blocked)

    def test_payment_status_search_rejects_wrong_types(self):
        Lead = self.env["crm.lead"]
        for value in (5, "unknown", {"a": 1}, 1.5):
            with self.subTest(value=value), self.assertRaises(UserError):
                Lead.search([("crm_sme_payment_status", "=", value)])
        with self.assertRaises(UserError):
            Lead.search([("crm_sme_payment_status", "in", [5])])
        self.assertIsNotNone(Lead.search([("crm_sme_payment_status", "in", ["paid", "none"])]))
