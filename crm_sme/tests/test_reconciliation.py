# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
import io
import json
from urllib.parse import parse_qs, urlencode, urlparse

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_opportunity_common import OpportunityCommon

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl is in the venv
    openpyxl = None

REPORT = "crm.sme.reconciliation"


class ReconciliationCommon(OpportunityCommon):
    """Orders of the salesperson through Odoo's flows: confirmed, delivered
    (partly), invoiced (with a due date in the past), paid (partly)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.env.user.groups_id |= cls.env.ref("sales_team.group_sale_manager")
        cls.user_accountant.groups_id |= cls.env.ref("account.group_account_invoice")

    def _order(self, lines, user=None, pricelist=None, lead=None, partner=None):
        user = user or self.user_salesman
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": user.id,
                "team_id": self.team.id,
                "pricelist_id": (pricelist or self.pricelist).id,
                "opportunity_id": lead.id if lead else False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _invoice_due(self, order, due_days_ago=0):
        invoice = order._create_invoices()
        date = self.today - timedelta(days=due_days_ago)
        invoice.write(
            {"invoice_date": date, "invoice_payment_term_id": False, "invoice_date_due": date}
        )
        invoice.action_post()
        return invoice

    def _rows(self, order, user=None):
        self.env.invalidate_all()
        report = self.env[REPORT].with_user(user) if user else self.env[REPORT]
        return report.search([("order_id", "=", order.id)])

    def _xlsx_rows(self, content):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]


@tagged("post_install", "-at_install", "crm_sme")
class TestReconciliationScenario(ReconciliationCommon):
    def test_scenario_9_exceptions_listed_and_exported(self):
        """Scenario 9: the accountant's reconciliation lists a delivered-not-
        invoiced order and an overdue invoice, and exports them to xlsx."""
        delivered = self._order([(self.product_stocked, 10.0)])
        self._deliver(delivered, {self.product_stocked: 10.0})
        overdue_order = self._order([(self.product_stocked, 4.0)])
        self._deliver(overdue_order, {self.product_stocked: 4.0})
        invoice = self._invoice_due(overdue_order, due_days_ago=40)
        report = self.env[REPORT].with_user(self.user_accountant)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_sme.crm_sme_reconciliation_action"
        )
        self.assertEqual(action["res_model"], REPORT)
        default = [("has_exception", "=", True), ("is_explained", "=", False)]
        listed = report.search(default)
        dni = listed.filtered(lambda r: r.order_id == delivered)
        self.assertTrue(dni.is_delivered_not_invoiced)
        self.assertAlmostEqual(dni.qty_delivered, 10.0)
        self.assertAlmostEqual(dni.qty_invoiced, 0.0)
        self.assertAlmostEqual(dni.amount_at_risk, 10 * 90.0)  # 10 % pricelist discount
        late = listed.filtered(lambda r: r.order_id == overdue_order)
        self.assertTrue(late.is_overdue_unpaid)
        self.assertFalse(late.is_delivered_not_invoiced)
        self.assertEqual(late.overdue_days, 40)
        self.assertAlmostEqual(late.amount_overdue, invoice.amount_residual)
        self.assertEqual(late.invoice_id, invoice)
        self.assertIn(invoice.name, late.invoice_refs)
        self.assertIn(overdue_order.picking_ids.name, late.picking_refs)
        # exceptions first: sorted by the amount at risk
        self.assertEqual(listed[0].amount_at_risk, max(listed.mapped("amount_at_risk")))
        # links to the documents
        self.assertEqual(late.action_open_order()["res_id"], overdue_order.id)
        self.assertEqual(late.action_open_invoices()["res_id"], invoice.id)
        self.assertEqual(late.action_open_pickings()["res_id"], overdue_order.picking_ids.id)
        with self.assertRaises(UserError):
            late.action_open_payments()
        # export the two rows, as from the list (selected rows), and read the file back
        rows = dni | late
        action = rows.with_context(active_domain=default).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/crm_sme/reconciliation/xlsx?", action["url"])
        query = parse_qs(urlparse(action["url"]).query)
        self.assertEqual(json.loads(query["domain"][0]), [["id", "in", rows.ids]])
        # nothing selected: the search's domain
        action = report.with_context(active_domain=default).action_export_xlsx()
        query = parse_qs(urlparse(action["url"]).query)
        self.assertEqual(json.loads(query["domain"][0]), [list(term) for term in default])
        content = report._crm_sme_xlsx([("id", "in", rows.ids)])
        table = self._xlsx_rows(content)
        header_index = next(i for i, row in enumerate(table) if row[0] == "Period")
        header = table[header_index]
        body = table[header_index + 1 : -1]
        total = table[-1]
        self.assertEqual(len(body), 2)
        self.assertEqual(total[0], "Total")
        col = header.index
        self.assertEqual(
            {row[col("Order Reference")] for row in body}, {delivered.name, overdue_order.name}
        )
        by_order = {row[col("Order Reference")]: row for row in body}
        self.assertIn("Delivered, Not Invoiced", by_order[delivered.name][col("Exceptions")])
        self.assertIn("Overdue Unpaid", by_order[overdue_order.name][col("Exceptions")])
        self.assertEqual(by_order[overdue_order.name][col("Days Overdue")], 40)
        self.assertAlmostEqual(total[col("Amount at Risk")], sum(rows.mapped("amount_at_risk")))
        self.assertEqual(by_order[delivered.name][col("Customer")], self.customer.display_name)
        # dates are real dates, numbers real numbers
        self.assertEqual(
            by_order[delivered.name][col("Period")].date(), delivered.date_order.date()
        )
        self.assertIsInstance(by_order[delivered.name][col("Delivered")], int | float)
        self.assertAlmostEqual(by_order[delivered.name][col("Delivered")], 900.0)

    def test_export_grouped_with_subtotals(self):
        first = self._order([(self.product_stocked, 2.0)])
        second = self._order([(self.product_stocked, 3.0)])
        report = self.env[REPORT].with_user(self.user_accountant)
        domain = [("order_id", "in", (first | second).ids)]
        table = self._xlsx_rows(report._crm_sme_xlsx(domain, groupby=["order_ref"]))
        subtotals = [row for row in table if str(row[0]).startswith("Subtotal")]
        self.assertEqual(len(subtotals), 2)
        header = next(row for row in table if row[0] == "Period")
        ordered = header.index("Ordered")
        self.assertEqual(sorted(row[ordered] for row in subtotals), [180.0, 270.0])
        self.assertAlmostEqual(table[-1][ordered], 450.0)

    def test_follow_up_assign_note_explain(self):
        order = self._order([(self.product_stocked, 1.0)])
        self._deliver(order, {self.product_stocked: 1.0})
        row = self._rows(order, self.user_accountant)
        self.assertTrue(row.has_exception)
        action = row.action_open_exception()
        follow_up = (
            self.env["crm.sme.reconciliation.exception"]
            .browse(action["res_id"])
            .with_context(mail_notrack=False, tracking_disable=False)
        )
        follow_up.with_user(self.user_accountant).write(
            {"assigned_user_id": self.user_salesman.id, "note": "Invoice on Monday"}
        )
        self.env.cr.precommit.run()  # tracking is finalised at commit
        # the same row again: the same follow-up (upsert)
        self.assertEqual(row.action_open_exception()["res_id"], follow_up.id)
        row.invalidate_recordset()
        self.assertEqual(row.assigned_user_id, self.user_salesman)
        self.assertEqual(row.note, "Invoice on Monday")
        tracked = follow_up.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("assigned_user_id", tracked)
        self.assertIn("note", tracked)
        row.action_mark_explained()
        default = [("has_exception", "=", True), ("is_explained", "=", False)]
        self.assertNotIn(row, self.env[REPORT].with_user(self.user_accountant).search(default))
        self.assertTrue(follow_up.is_explained)
        # the salesperson reads the note on their line but cannot explain it
        mine = self._rows(order, self.user_salesman)
        self.assertEqual(mine.note, "Invoice on Monday")
        with self.assertRaises(AccessError):
            mine.action_mark_explained()
        # a row without exception has no follow-up
        clean = self._order([(self.product_stocked, 1.0)], lead=self._create_opportunity())
        self._deliver(clean, {self.product_stocked: 1.0})
        invoice = self._invoice_due(clean)
        self._pay(invoice)
        with self.assertRaises(UserError):
            self._rows(clean, self.user_accountant).action_mark_explained()


@tagged("post_install", "-at_install", "crm_sme")
class TestReconciliationFlags(ReconciliationCommon):
    def test_flags(self):
        # won without order
        lead = self._create_opportunity(stage_id=self.stage_won.id, expected_revenue=777.0)
        won = self.env[REPORT].search([("lead_id", "=", lead.id), ("kind", "=", "won")])
        self.assertTrue(won.is_won_without_order)
        self.assertAlmostEqual(won.amount_at_risk, lead.expected_revenue)
        # order without opportunity
        order = self._order([(self.product_stocked, 2.0)])
        self.assertTrue(self._rows(order).is_order_without_opportunity)
        self.assertFalse(self._rows(order).is_delivered_not_invoiced)
        # invoiced, not delivered (invoiced on order)
        self.product_short.invoice_policy = "order"
        early = self._order([(self.product_short, 3.0)], lead=lead)
        self._invoice_due(early)
        row = self._rows(early)
        self.assertTrue(row.is_invoiced_not_delivered)
        self.assertFalse(row.is_order_without_opportunity)
        self.assertAlmostEqual(row.amount_at_risk, 3 * 45.0)
        # the opportunity has a confirmed order now
        self.assertFalse(self.env[REPORT].search([("lead_id", "=", lead.id), ("kind", "=", "won")]))
        # over-invoiced: the invoice bills more than ordered
        over = self._order([(self.product_short, 1.0)])
        invoice = over._create_invoices()
        invoice.invoice_line_ids.quantity = 2.0
        invoice.action_post()
        row = self._rows(over)
        self.assertTrue(row.is_over_invoiced)
        self.assertAlmostEqual(row.qty_invoiced, 2.0)
        # cancelled with invoice
        over._action_cancel()
        row = self._rows(over)
        self.assertEqual(row.order_state, "cancel")
        self.assertTrue(row.is_cancelled_with_invoice)
        self.assertAlmostEqual(row.qty_ordered, 0.0)
        self.assertFalse(row.is_over_invoiced)


@tagged("post_install", "-at_install", "crm_sme")
class TestReconciliationTieOut(ReconciliationCommon):
    def _odoo_totals(self, order_domain, invoice_domain):
        ordered = sum(
            self.env["sale.report"]
            .search([*order_domain, ("state", "=", "sale")])
            .mapped("price_subtotal")
        )
        invoiced = sum(
            self.env["account.invoice.report"]
            .search(
                [
                    *invoice_domain,
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ]
            )
            .mapped("price_subtotal")
        )
        return ordered, invoiced

    def test_totals_tie_out_with_odoo_analyses(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", eur.id)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 0.5, "name": self.today - timedelta(days=30)}
        )
        pricelist_eur = self.env["product.pricelist"].create(
            {"name": "Euro (test)", "currency_id": eur.id, "company_id": self.company.id}
        )
        # partial delivery, invoiced, partial payment
        partial = self._order([(self.product_stocked, 10.0)])
        self._deliver(partial, {self.product_stocked: 6.0})
        invoice = self._invoice_due(partial, due_days_ago=10)
        self._pay(invoice, amount=100.0)
        # multi-currency order, paid by a registered payment not reconciled with the bank
        foreign = self._order([(self.product_stocked, 2.0)], pricelist=pricelist_eur)
        self._deliver(foreign, {self.product_stocked: 2.0})
        with self._accounting_app():
            foreign_invoice = self._invoice_due(foreign)
            self._pay(foreign_invoice, journal=self.bank_journal_no_entry)
            self.assertEqual(foreign_invoice.payment_state, "in_payment")
        # credit note on the partial order's invoice
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": self.today})
        )
        reversal.refund_moves()
        credit = invoice.reversal_move_ids
        credit.action_post()
        # a cancelled order
        cancelled = self._order([(self.product_stocked, 5.0)])
        cancelled._action_cancel()
        self.assertEqual(cancelled.state, "cancel")
        self.env.invalidate_all()

        report = self.env[REPORT].with_user(self.user_accountant)
        cases = [
            ([("company_id", "=", self.company.id)], [], []),
            (
                [("partner_id", "=", self.customer.id)],
                [("partner_id.commercial_partner_id", "=", self.customer.id)],
                [("commercial_partner_id", "=", self.customer.id)],
            ),
        ]
        for domain, order_domain, invoice_domain in cases:
            totals = report._crm_sme_totals(domain)
            ordered, invoiced = self._odoo_totals(
                [("company_id", "=", self.company.id), *order_domain],
                [("company_id", "=", self.company.id), *invoice_domain],
            )
            self.assertAlmostEqual(totals["amount_ordered"], ordered, places=2)
            self.assertAlmostEqual(totals["amount_invoiced"], invoiced, places=2)

        rows = report.search([("order_id", "in", (partial | foreign | cancelled).ids)])
        by_order = {row.order_id: row for row in rows}
        # EUR order in company currency: 2 x 50 EUR at 0.5 = 200
        self.assertEqual(foreign.currency_id, eur)
        self.assertAlmostEqual(foreign.amount_untaxed, 100.0)
        self.assertAlmostEqual(by_order[foreign].amount_ordered, 200.0)
        self.assertAlmostEqual(by_order[foreign].amount_invoiced, 200.0)
        self.assertAlmostEqual(by_order[foreign].amount_residual, 0.0)  # In Payment = settled
        self.assertAlmostEqual(by_order[foreign].amount_paid, 200.0)
        # partial delivery 6 of 10, invoiced 6 then credited: 0 invoiced, 6 delivered
        self.assertAlmostEqual(by_order[partial].qty_delivered, 6.0)
        self.assertAlmostEqual(by_order[partial].amount_invoiced, 0.0)
        self.assertTrue(by_order[partial].is_delivered_not_invoiced)
        self.assertAlmostEqual(by_order[cancelled].amount_ordered, 0.0)
        # customer scope: what is due ties to the money definitions (receivable)
        residual = sum(
            report.search([("partner_id", "=", self.customer.id)]).mapped("amount_residual")
        )
        balances = self.env["crm.sme.money"]._customer_balances(self.customer, self.company)
        self.assertAlmostEqual(residual, balances[self.customer.id]["receivable"], places=2)

    def test_period_filter_ties_out_ordered(self):
        self._order([(self.product_stocked, 3.0)])
        start = self.today - timedelta(days=400)
        report = self.env[REPORT].with_user(self.user_accountant)
        domain = [
            ("company_id", "=", self.company.id),
            ("date", ">=", start),
            ("date", "<=", self.today),
        ]
        totals = report._crm_sme_totals(domain)
        ordered = sum(
            self.env["sale.report"]
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("state", "=", "sale"),
                    ("date", ">=", fields.Datetime.to_datetime(start)),
                    ("date", "<", fields.Datetime.to_datetime(self.today + timedelta(days=1))),
                ]
            )
            .mapped("price_subtotal")
        )
        self.assertAlmostEqual(totals["amount_ordered"], ordered, places=2)


@tagged("post_install", "-at_install", "crm_sme")
class TestReconciliationAccess(ReconciliationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_2 = cls.env["res.partner"].create(
            {
                "name": "Jiangbei Retail (test)",
                "is_company": True,
                "user_id": cls.user_salesman_2.id,
            }
        )
        cls.team_2 = cls.env["crm.team"].create(
            {"name": "Other team (test)", "company_id": cls.company.id}
        )
        cls.team_2.member_ids = cls.user_salesman_2
        export = cls.env.ref("base.group_allow_export")
        for user in (
            cls.user_salesman,
            cls.user_salesman_2,
            cls.user_team_leader,
            cls.user_accountant,
            cls.user_other_company,
        ):
            user.groups_id |= export

    def test_record_rules(self):
        mine = self._order([(self.product_stocked, 1.0)])
        theirs = self.env["sale.order"].create(
            {
                "partner_id": self.customer_2.id,
                "user_id": self.user_salesman_2.id,
                "team_id": self.team_2.id,
                "order_line": [Command.create({"product_id": self.product_stocked.id})],
            }
        )
        theirs.action_confirm()
        foreign_customer = self.env["res.partner"].create(
            {
                "name": "Other Co customer (test)",
                "is_company": True,
                "company_id": self.company_other.id,
            }
        )
        other_company_order = (
            self.env["sale.order"]
            .with_company(self.company_other)
            .create(
                {
                    "partner_id": foreign_customer.id,
                    "company_id": self.company_other.id,
                    "user_id": self.user_other_company.id,
                    "order_line": [Command.create({"product_id": self.product_stocked.id})],
                }
            )
        )
        other_company_order.with_company(self.company_other).action_confirm()
        orders = mine | theirs | other_company_order
        domain = [("order_id", "in", orders.ids)]
        expected = {
            self.user_salesman: mine,
            self.user_salesman_2: theirs,
            self.user_team_leader: mine,
            self.user_accountant: mine | theirs,
            self.user_other_company: other_company_order,
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                report = self.env[REPORT].with_user(user)
                rows = report.search(domain)
                self.assertEqual(rows.order_id, visible)
                groups = report.read_group(domain, ["amount_ordered:sum"], ["order_id"])
                self.assertEqual({g["order_id"][0] for g in groups}, set(visible.ids))
                exported = rows.export_data(["order_ref", "amount_ordered"])["datas"]
                self.assertEqual({r[0] for r in exported}, set(visible.mapped("name")))
                # direct read of a row of another scope is refused
                hidden = self.env[REPORT].search([("order_id", "in", (orders - visible).ids)])
                for row in hidden:
                    with self.assertRaises(AccessError):
                        row.with_user(user).read(["amount_ordered"])
                # the xlsx holds the user's rows only
                table = self._xlsx_rows(report._crm_sme_xlsx(domain))
                self.assertEqual(
                    len(table) - 5, len(visible)
                )  # 2 header lines, blank, labels, totals
        for user in (self.user_employee, self.user_portal, self.user_service_agent):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[REPORT].with_user(user).search(domain)

    def test_bad_input(self):
        report = self.env[REPORT].with_user(self.user_accountant)
        count = self.env["crm.sme.reconciliation.exception"].search_count([])
        with self.assertRaisesRegex(UserError, "before it starts"):
            report._crm_sme_export_domain([], date_from="2026-03-01", date_to="2026-02-01")
        with self.assertRaisesRegex(UserError, "Invalid period"):
            report._crm_sme_export_domain([], date_from="2026-13-45")
        other = self.env["res.partner"].create(
            {"name": "Foreign Co (test)", "is_company": True, "company_id": self.company_other.id}
        )
        with self.assertRaisesRegex(UserError, "company you do not work in"):
            report._crm_sme_export_domain([], partner_id=other.id)
        with self.assertRaisesRegex(UserError, "cannot be grouped"):
            report._crm_sme_export_domain([], groupby=["note"])
        with self.assertRaises(UserError):
            report._crm_sme_export_domain([("no_such_field", "=", 1)])
        # an empty selection: a well-formed file with headers and a zero total
        table = self._xlsx_rows(report._crm_sme_xlsx([("id", "in", [])]))
        header = next(row for row in table if row[0] == "Period")
        self.assertEqual(table[-1][0], "Total")
        self.assertEqual(table[-1][header.index("Ordered")], 0)
        self.assertEqual(table.index(header) + 2, len(table))
        self.assertEqual(self.env["crm.sme.reconciliation.exception"].search_count([]), count)


@tagged("post_install", "-at_install", "crm_sme")
class TestReconciliationPerformance(ReconciliationCommon):
    def test_first_page_query_count(self):
        for _i in range(3):
            self._order([(self.product_stocked, 1.0), (self.product_short, 1.0)])
        report = self.env[REPORT].with_user(self.user_accountant)
        spec = {
            name: {}
            for name in (
                "date",
                "amount_ordered",
                "amount_invoiced",
                "amount_at_risk",
                "has_exception",
                "is_explained",
                "invoice_refs",
            )
        }
        spec.update(
            {
                name: {"fields": {"display_name": {}}}
                for name in ("partner_id", "order_id", "user_id")
            }
        )
        domain = [("has_exception", "=", True), ("is_explained", "=", False)]
        report.web_search_read(domain, spec, limit=80)  # warm-up
        report.env.invalidate_all()
        with self.assertQueryCount(12):
            result = report.web_search_read(domain, spec, limit=80)
        self.assertTrue(result["length"])
        json.dumps(result, default=str)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestReconciliationHttp(HttpCase):
    """The xlsx route and the accountant's tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "tour_accountant",
            "account.group_account_invoice,base.group_user",
            name="Tour Accountant",
        )
        cls.rep = new_test_user(
            cls.env, "tour_rep", "sales_team.group_sale_salesman", name="Tour Rep"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Reconciliation Mart", "is_company": True, "user_id": cls.rep.id}
        )
        product = cls.env["product.product"].create(
            {
                "name": "Tour pencil box",
                "type": "consu",
                "invoice_policy": "delivery",
                "list_price": 20.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 5.0})],
            }
        )
        cls.order.action_confirm()
        picking = cls.order.picking_ids
        picking.move_ids.quantity = 5.0
        picking.move_ids.picked = True
        picking.button_validate()

    def test_xlsx_route(self):
        domain = json.dumps([("order_id", "=", self.order.id)])
        url = "/crm_sme/reconciliation/xlsx?" + urlencode({"domain": domain})
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (303, 302))  # login first
        self.authenticate("tour_accountant", "tour_accountant")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        table = [
            list(row)
            for row in openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        ]
        header = next(row for row in table if row[0] == "Period")
        self.assertEqual(
            table[table.index(header) + 1][header.index("Order Reference")], self.order.name
        )
        bad = self.url_open(
            "/crm_sme/reconciliation/xlsx?"
            + urlencode({"domain": domain, "date_from": "2026-03-01", "date_to": "2026-01-01"})
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("before it starts", bad.text)
        # the salesperson of another customer gets an empty, well-formed file
        new_test_user(self.env, "tour_other_rep", "sales_team.group_sale_salesman")
        self.authenticate("tour_other_rep", "tour_other_rep")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        table = list(
            openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        self.assertEqual(table[-1][0], "Total")
        self.assertEqual(table[-2][0], "Period")

    def test_accountant_tour(self):
        self.start_tour(
            "/odoo/action-crm_sme.crm_sme_reconciliation_action",
            "crm_sme_reconciliation_tour",
            login="tour_accountant",
        )
        follow_up = self.env["crm.sme.reconciliation.exception"].search(
            [("order_id", "=", self.order.id)]
        )
        self.assertEqual(follow_up.assigned_user_id, self.rep)
        self.assertEqual(follow_up.note, "Invoice goes out on Monday")
        self.assertTrue(follow_up.is_explained)
        self.assertTrue(follow_up.message_ids.tracking_value_ids)
