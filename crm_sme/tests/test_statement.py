# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import timedelta
import io
import os
import subprocess
import tempfile
import unicodedata

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .test_opportunity_common import OpportunityCommon

REPORT = "crm_sme.action_report_customer_statement"


class StatementCommon(OpportunityCommon):
    """A customer's book over five months: an old invoice still open (the
    opening balance), an old invoice paid before the period, in the period
    invoices (one in a foreign currency), a partial and a full payment with
    journal entries, a credit note, an invoice settled by a payment registered
    without journal entry (In Payment) and a payment matched to no invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.customer.write({"name": "宁波文具超市 Statement Mart", "company_id": False})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Finance desk", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.company_currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.EUR")
        if cls.foreign == cls.company_currency:
            cls.foreign = cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "=", cls.foreign.id), ("company_id", "in", (False, cls.company.id))]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "rate": 2.0,
                "name": cls.today - timedelta(days=400),
                "company_id": cls.company.id,
            }
        )
        cls.date_from = cls.today - timedelta(days=60)
        cls.date_to = cls.today

    @classmethod
    def _day(cls, days_ago):
        return cls.today - timedelta(days=days_ago)

    @classmethod
    def _invoice_at(
        cls,
        amount,
        days_ago,
        due_in=0,
        move_type="out_invoice",
        currency=None,
        ref=None,
        partner=None,
    ):
        date = cls._day(days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": date,
                "date": date,
                "ref": ref,
                "currency_id": (currency or cls.company_currency).id,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Stationery", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.invoice_date_due = date + timedelta(days=due_in)
        move.action_post()
        return move

    @classmethod
    def _pay_at(cls, invoice, days_ago, amount=None, journal=None):
        vals = {"journal_id": (journal or cls.bank_journal).id, "payment_date": cls._day(days_ago)}
        if amount is not None:
            vals["amount"] = amount
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
            ._create_payments()
        )

    def _build_book(self):
        docs = {}
        with self._accounting_app():
            docs["old_open"] = self._invoice_at(1000.0, 100)
            docs["old_paid"] = self._invoice_at(400.0, 90)
            self._pay_at(docs["old_paid"], 80)
            docs["partial"] = self._invoice_at(600.0, 40, ref="春节备货")
            docs["partial_payment"] = self._pay_at(docs["partial"], 35, amount=200.0)
            docs["foreign"] = self._invoice_at(300.0, 15, currency=self.foreign)
            docs["paid"] = self._invoice_at(300.0, 20, partner=self.contact)
            docs["full_payment"] = self._pay_at(docs["paid"], 10)
            docs["refund"] = self._invoice_at(150.0, 5, move_type="out_refund")
            docs["in_payment"] = self._invoice_at(500.0, 3, due_in=13)
            docs["moveless"] = self._pay_at(
                docs["in_payment"], 1, journal=self.bank_journal_no_entry
            )
            docs["unallocated"] = self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 100.0,
                    "date": self._day(2),
                    "journal_id": self.bank_journal_no_entry.id,
                }
            )
            docs["unallocated"].action_post()
        self.assertFalse(docs["moveless"].move_id, "registered without journal entry")
        self.assertFalse(docs["unallocated"].move_id)
        self.assertEqual(docs["in_payment"].payment_state, "in_payment")
        self.assertEqual(docs["partial"].payment_state, "partial")
        return docs

    def _statement(self, partner=None, date_from=None, date_to=None, user=None):
        Statement = self.env["crm.sme.statement"]
        if user:
            Statement = Statement.with_user(user)
        partners = Statement._check_customers(partner or self.customer)
        return Statement._statements(
            partners, date_from or self.date_from, date_to or self.date_to
        )[(partner or self.customer).commercial_partner_id.id]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_statement")
class TestStatement(HttpCase, StatementCommon):
    """An HttpCase as Odoo's own report rendering tests: wkhtmltopdf fetches the
    report's assets from the test server, which must share the test cursor
    (a fresh database builds the asset bundles in the test's transaction)."""

    def test_figures_running_balance_and_ageing(self):
        docs = self._build_book()
        statement = self._statement()
        self.assertAlmostEqual(
            statement["opening"], 1000.0, msg="old open invoice; old paid one nets out"
        )
        refs = [(line["kind"], line["ref"], line["amount"]) for line in statement["lines"]]
        self.assertEqual(
            refs,
            [
                ("invoice", docs["partial"].name, 600.0),
                ("payment", docs["partial_payment"].move_id.name, -200.0),
                ("invoice", docs["paid"].name, 300.0),
                ("invoice", docs["foreign"].name, 150.0),
                ("payment", docs["full_payment"].move_id.name, -300.0),
                ("credit_note", docs["refund"].name, -150.0),
                ("invoice", docs["in_payment"].name, 500.0),
                ("payment", docs["unallocated"].name, -100.0),
                ("payment", docs["moveless"].name, -500.0),
            ],
        )
        self.assertAlmostEqual(statement["invoice"], 1550.0)
        self.assertAlmostEqual(statement["credit_note"], -150.0)
        self.assertAlmostEqual(statement["payment"], -1100.0)
        self.assertAlmostEqual(statement["closing"], 1300.0)
        # running balance: opening + each line, ends on the closing balance
        running = statement["opening"]
        for line in statement["lines"]:
            running += line["amount"]
            self.assertAlmostEqual(line["balance"], running)
        self.assertAlmostEqual(statement["lines"][-1]["balance"], statement["closing"])
        # the foreign invoice shows its own currency
        foreign = statement["lines"][3]
        self.assertEqual(foreign["document_currency"], self.foreign)
        self.assertAlmostEqual(foreign["amount_currency"], 300.0)
        self.assertFalse(statement["lines"][0]["document_currency"])
        self.assertEqual(statement["lines"][0]["label"], "春节备货")
        # closing at today = the customer file's receivable; the same buckets
        money = self.env["crm.sme.money"]._customer_balances(self.customer, self.company)[
            self.customer.id
        ]
        self.assertAlmostEqual(statement["closing"], money["receivable"])
        for bucket in ("receivable", "overdue_30", "overdue_60", "overdue_90", "overdue_over_90"):
            self.assertAlmostEqual(statement["ageing"][bucket], money[bucket], msg=bucket)
        self.assertAlmostEqual(statement["ageing"]["overdue_over_90"], 750.0)
        self.assertAlmostEqual(statement["ageing"]["overdue_60"], 400.0)
        self.assertAlmostEqual(statement["ageing"]["overdue_30"], 150.0)
        self.assertAlmostEqual(statement["ageing"]["not_due"], 0.0)
        customer = self.customer.with_user(self.user_accountant)
        customer.invalidate_recordset()
        self.assertAlmostEqual(customer.crm_sme_overdue_over_90, 750.0)
        self.assertAlmostEqual(customer.crm_sme_receivable, statement["closing"])

    def test_period_slices(self):
        docs = self._build_book()
        # the period before the payments: opening of the later period = its closing
        early = self._statement(date_from=self._day(120), date_to=self._day(36))
        late = self._statement(date_from=self._day(35), date_to=self.today)
        self.assertAlmostEqual(early["closing"], late["opening"])
        self.assertAlmostEqual(early["closing"], 1000.0 + 600.0)
        self.assertEqual(early["lines"][0]["ref"], docs["old_open"].name)
        self.assertAlmostEqual(late["closing"], 1300.0)

    def test_customer_without_documents(self):
        empty = self.env["res.partner"].create({"name": "Quiet Shop", "is_company": True})
        statement = self._statement(partner=empty)
        self.assertEqual(statement["lines"], [])
        self.assertEqual((statement["opening"], statement["closing"]), (0.0, 0.0))
        self.assertEqual(statement["ageing"]["receivable"], 0.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                REPORT,
                empty.ids,
                data={"date_from": str(self.date_from), "date_to": str(self.date_to)},
            )[0]
            .decode()
        )
        self.assertIn("No documents in this period.", html)
        self.assertIn("Closing Balance", html)
        book = openpyxl.load_workbook(
            io.BytesIO(self.env["crm.sme.statement"]._xlsx({empty.id: statement}))
        )
        self.assertEqual(
            book.active.max_row, 6, "2 header lines, a blank, labels, opening, closing"
        )

    def test_pdf_rendered_by_wkhtmltopdf(self):
        docs = self._build_book()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                REPORT,
                self.customer.ids,
                data={"date_from": str(self.date_from), "date_to": str(self.date_to)},
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = _pdf_text(pdf)
        self.assertIn("宁波文具超市", text, "Chinese text rendered with the CJK font")
        self.assertIn("春节备货", text)
        for needle in (
            "Customer Statement",
            "Opening Balance",
            "Closing Balance",
            docs["partial"].name,
            docs["refund"].name,
            docs["moveless"].name,
            "1,300.00",
            "750.00",
        ):
            self.assertIn(needle, text)

    def test_xlsx_read_back(self):
        docs = self._build_book()
        wizard = (
            self.env["crm.sme.statement.wizard"]
            .with_user(self.user_accountant)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        self.assertEqual(wizard.partner_ids, self.customer)
        action = wizard.action_download_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("宁波文具超市", rows[0][0])
        self.assertIn("1,300.00", rows[1][0])
        self.assertEqual(rows[3][:3], ("Date", "Type", "Reference"))
        self.assertEqual(rows[4][1], "Opening Balance")
        self.assertAlmostEqual(rows[4][7], 1000.0)
        body = rows[5:-1]
        self.assertEqual(len(body), 9)
        self.assertEqual(body[0][2], docs["partial"].name)
        self.assertEqual(body[0][0].date(), self._day(40))
        self.assertAlmostEqual(body[0][5], 600.0)
        self.assertEqual(body[3][8], self.foreign.name)
        self.assertAlmostEqual(body[3][9], 300.0)
        self.assertEqual(rows[-1][1], "Closing Balance")
        self.assertAlmostEqual(rows[-1][7], 1300.0)
        self.assertAlmostEqual(rows[-1][5], 1550.0)
        self.assertAlmostEqual(rows[-1][6], 650.0 + 600.0)

    def test_several_customers_from_the_list(self):
        self._build_book()
        other = self.env["res.partner"].create({"name": "Second Shop", "is_company": True})
        self._invoice_at(80.0, 10, partner=other)
        wizard = (
            self.env["crm.sme.statement.wizard"]
            .with_user(self.user_accountant)
            .with_context(active_model="res.partner", active_ids=[self.customer.id, other.id])
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        action = wizard.action_download_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(len(book.worksheets), 2)
        report = wizard.action_print_pdf()
        self.assertEqual(report["report_name"], "crm_sme.report_customer_statement")
        self.assertEqual(
            sorted(report["context"]["active_ids"]), sorted([self.customer.id, other.id])
        )
        with self.assertRaises(UserError):
            wizard.action_send_email()

    def test_send_by_email_with_pdf(self):
        self._build_book()
        self.customer.email = "finance@statement-mart.example.com"
        wizard = (
            self.env["crm.sme.statement.wizard"]
            .with_user(self.user_accountant)
            .create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                }
            )
        )
        action = wizard.action_send_email()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.user_accountant)
            .with_context(action["context"], force_report_rendering=True)
        )
        self.assertIn("Statement", composer.subject)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer.save().action_send_mail()
        message = self.customer.message_ids[0]
        self.assertEqual(
            message.attachment_ids.mapped("name"), [f"Statement - {self.customer.name}.pdf"]
        )
        # the attachment holds this statement's period and figures
        text = _pdf_text(base64.b64decode(message.attachment_ids.datas))
        self.assertIn("1,300.00", text)
        self.assertIn("宁波文具超市", text)
        self.assertIn(self.customer, message.partner_ids)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_statement")
class TestStatementAccess(StatementCommon):
    def test_access_per_role(self):
        self._build_book()
        for user in (self.user_accountant, self.user_salesman, self.user_sales_manager):
            statement = self._statement(user=user)
            self.assertAlmostEqual(statement["closing"], 1300.0, msg=user.login)
        readonly = self.user_employee
        readonly.groups_id += self.env.ref("account.group_account_readonly")
        self.assertAlmostEqual(self._statement(user=readonly)["closing"], 1300.0)
        with self.assertRaises(AccessError):
            self.env["crm.sme.statement"].with_user(self.user_portal)._check_customers(
                self.customer
            )
        with self.assertRaises(AccessError):
            self.env["crm.sme.statement"].with_user(self.user_other_company)._check_customers(
                self.customer
            )
        # a salesperson outside the team does not see the customer: no statement
        unreadable = (
            self.env["res.partner"]
            .with_user(self.user_salesman_2)
            .search_count([("id", "=", self.customer.id)])
        )
        if not unreadable:
            with self.assertRaises(AccessError):
                self._statement(user=self.user_salesman_2)
            wizard = (
                self.env["crm.sme.statement.wizard"]
                .with_user(self.user_salesman_2)
                .create({"partner_ids": [Command.set(self.customer.ids)]})
            )
            with self.assertRaises(AccessError):
                wizard.action_print_pdf()
            with self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(self.user_salesman_2)._render_qweb_html(
                    REPORT, self.customer.ids
                )

    def test_customer_of_another_company(self):
        foreign_customer = self.env["res.partner"].create(
            {"name": "Other Co customer", "is_company": True, "company_id": self.company_other.id}
        )
        with self.assertRaisesRegex(UserError, "another company"):
            self.env["crm.sme.statement"]._check_customers(foreign_customer)
        with self.assertRaises(AccessError):
            self.env["crm.sme.statement"].with_user(self.user_accountant)._check_customers(
                self.customer, company=self.company_other
            )

    def test_bad_input(self):
        Statement = self.env["crm.sme.statement"]
        for date_from, date_to in (
            (self.today, self._day(1)),
            ("2026-13-45", "2026-01-01"),
            ("99999-01-01", "2026-01-01"),
            (12, "x"),
            (False, self.today),
            ("1800-01-01", "1800-12-31"),
            ("1990-01-01", "2026-01-01"),
        ):
            with self.assertRaises(UserError, msg=f"{date_from!r}, {date_to!r}"):
                Statement._statements(self.customer, date_from, date_to)
        with self.assertRaises(UserError):
            Statement._check_customers(self.env["res.partner"])
        for wrong_id in (2**31 - 1, 2**63, -5):
            with self.assertRaises(UserError):
                Statement._check_customers(self.env["res.partner"].browse(wrong_id))
        Wizard = self.env["crm.sme.statement.wizard"].with_user(self.user_accountant)
        with self.assertRaises(UserError):  # ValidationError is one
            Wizard.create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "date_from": self.today,
                    "date_to": self._day(10),
                }
            )
        self.assertFalse(Wizard.search([]), "nothing written")

    def test_contact_gives_the_commercial_customer(self):
        docs = self._build_book()
        statement = self._statement(partner=self.contact)
        self.assertEqual(statement["partner"], self.customer)
        self.assertIn(docs["paid"].name, [line["ref"] for line in statement["lines"]])


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_statement")
class TestStatementPortal(HttpCase, StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal.partner_id.parent_id = cls.customer
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Portal Shop", "is_company": True}
        )
        cls.other_invoice = cls._invoice_at(77.0, 5, partner=cls.other_customer)

    def setUp(self):
        super().setUp()
        self.docs = self._build_book()
        self.authenticate("crm_sme_portal", "crm_sme_portal")

    def test_own_statement(self):
        res = self.url_open(f"/my/statement?date_from={self.date_from}&date_to={self.date_to}")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.docs["partial"].name, res.text)
        self.assertIn(self.docs["moveless"].name, res.text)
        self.assertIn("1,300.00", res.text)
        self.assertNotIn(self.other_invoice.name, res.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/statement", home.text)
        pdf = self.url_open(f"/my/statement/pdf?date_from={self.date_from}&date_to={self.date_to}")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn(self.docs["partial"].name, pdf.content.decode())

    def test_other_customer_and_empty_statement(self):
        res = self.url_open(f"/my/statement?partner_id={self.other_customer.id}")
        self.assertEqual(res.status_code, 404)
        res = self.url_open(f"/my/statement/pdf?partner_id={self.other_customer.id}")
        self.assertEqual(res.status_code, 404)
        # a customer without documents in the period: a well-formed empty statement
        res = self.url_open("/my/statement?date_from=2001-01-01&date_to=2001-12-31")
        self.assertEqual(res.status_code, 200)
        self.assertIn("No documents in this period.", res.text)

    @mute_logger("odoo.http")
    def test_bad_input(self):
        for query in (
            "date_from=2026-05-01&date_to=2026-04-01",
            "date_from=2026-13-45",
            "date_from=" + "9" * 5000,
            "date_from=99999-01-01",
            "date_to=abc",
            "date_from=1700-01-01",
        ):
            res = self.url_open(f"/my/statement?{query}")
            self.assertEqual(res.status_code, 400, query)
            self.assertIn("o_crm_sme_statement_error", res.text)
            res = self.url_open(f"/my/statement/pdf?{query}")
            self.assertEqual(res.status_code, 400, query)

    def test_portal_of_another_customer_sees_nothing_of_ours(self):
        self.user_portal.partner_id.parent_id = self.other_customer
        res = self.url_open(f"/my/statement?date_from={self.date_from}&date_to={self.date_to}")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.other_invoice.name, res.text)
        self.assertNotIn(self.docs["partial"].name, res.text)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestStatementTour(HttpCase):
    def test_statement_tour(self):
        customer = self.env["res.partner"].create(
            {"name": "Statement Tour Mart", "is_company": True}
        )
        accountant = self.env["res.users"].create(
            {
                "name": "Tour Accountant",
                "login": "tour_statement_accountant",
                "password": "tour_statement_accountant",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("account.group_account_invoice").id,
                            self.env.ref("sales_team.group_sale_salesman_all_leads").id,
                        ]
                    )
                ],
            }
        )
        self.assertTrue(customer.with_user(accountant).has_access("read"))
        self.start_tour(
            "/odoo/action-crm_sme.action_crm_sme_customer",
            "crm_sme_statement_tour",
            login="tour_statement_accountant",
        )


def _pdf_text(pdf):
    """The text of a PDF, by poppler's pdftotext."""
    fd, path = tempfile.mkstemp(suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", path, "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode()
        # the CJK font maps some ideographs to their compatibility forms
        return unicodedata.normalize("NFKC", text)
    finally:
        os.unlink(path)
