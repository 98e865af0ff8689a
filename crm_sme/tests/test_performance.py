# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged, users, warmup

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

LIST_FIELDS = [
    "complete_name",
    "is_key_account",
    "region_id",
    "customer_type_id",
    "source_id",
    "industry_id",
    "user_id",
    "team_id",
    "crm_sme_currency_id",
    "crm_sme_invoiced_12m",
    "crm_sme_receivable",
    "crm_sme_overdue_total",
    "crm_sme_late_delivery_count",
    "crm_sme_last_interaction_date",
    "crm_sme_days_since_contact",
    "data_completeness",
]
FORM_FIELDS = LIST_FIELDS + [
    "crm_sme_interaction_count",
    "crm_sme_contact_count",
    "crm_sme_invoice_count",
    "crm_sme_payment_count",
    "crm_sme_invoiced_total",
    "crm_sme_overdue_30",
    "crm_sme_overdue_60",
    "crm_sme_overdue_90",
    "crm_sme_overdue_over_90",
    "crm_sme_avg_days_to_pay",
    "crm_sme_credit_limit",
    "crm_sme_credit_use",
    "crm_sme_open_delivery_count",
    "crm_sme_backorder_count",
    "crm_sme_last_delivery_date",
    "crm_sme_expense_12m",
    "crm_sme_duplicate_warning",
]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_perf")
class TestPerformance(AccountTestInvoicingCommon):
    """The customer list and form cost a fixed number of queries, whatever the
    number of invoices: figures come from the stored positions, in one query."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Perf Salesman",
                "login": "perf_salesman",
                "groups_id": [Command.set(cls.env.ref("sales_team.group_sale_salesman").ids)],
                "company_id": cls.env.company.id,
                "company_ids": [Command.set(cls.env.company.ids)],
            }
        )
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Perf customer {i:02d}", "is_company": True, "user_id": cls.salesman.id}
                for i in range(80)
            ]
        )
        cls.today = fields.Date.context_today(cls.env.user)

    def _invoice_all(self, count):
        moves = (
            self.env["account.move"]
            .sudo()
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": self.today - timedelta(days=10 * n + 1),
                        "invoice_line_ids": [
                            Command.create({"name": "Paper", "price_unit": 100.0, "tax_ids": []})
                        ],
                    }
                    for customer in self.customers[:20]
                    for n in range(count)
                ]
            )
        )
        moves.action_post()

    def _read(self, fnames, records):
        records.invalidate_recordset()
        self.env.invalidate_all()
        records.with_user(self.salesman).read(fnames)

    @users("perf_salesman")
    @warmup
    def test_customer_list_queries(self):
        self._invoice_all(1)
        customers = self.customers.with_env(self.env)
        with self.assertQueryCount(perf_salesman=9):
            self._read(LIST_FIELDS, customers)
        self._invoice_all(4)
        with self.assertQueryCount(perf_salesman=9):  # same count with five times the invoices
            self._read(LIST_FIELDS, customers)

    @users("perf_salesman")
    @warmup
    def test_customer_form_queries(self):
        self._invoice_all(1)
        customer = self.customers[0].with_env(self.env)
        with self.assertQueryCount(perf_salesman=15):
            self._read(FORM_FIELDS, customer)
        self._invoice_all(4)
        with self.assertQueryCount(perf_salesman=15):
            self._read(FORM_FIELDS, customer)
