# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import CrmSmeCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_customer")
class TestCustomerDuplicate(CrmSmeCommon):
    """The duplicate check runs while a customer is typed, on indexed columns,
    inside the user's companies; reading a saved customer costs no lookup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ningbo Paper Co., Ltd.",
                "is_company": True,
                "user_id": cls.user_salesman.id,
                "company_id": cls.company.id,
                "email": "buy@ningbo-paper.example.com",
                "vat": "CN 9133.0200-MA2Y",
            }
        )
        cls.twin = cls.env["res.partner"].create(
            {"name": "Ningbo Paper", "is_company": True, "company_id": cls.company.id}
        )

    def test_normalised_keys(self):
        self.assertEqual(self.customer.crm_sme_name_normalized, "ningbo paper")
        self.assertEqual(self.customer.crm_sme_vat_normalized, "CN91330200MA2Y")
        chinese = self.env["res.partner"].create({"name": "宁波文具有限公司", "vat": "/"})
        self.assertEqual(chinese.crm_sme_name_normalized, "宁波文具")
        self.assertFalse(chinese.crm_sme_vat_normalized)
        self.customer.name = "The Ningbo Paper Group"
        self.assertEqual(self.customer.crm_sme_name_normalized, "ningbo paper")

    def test_no_lookup_when_a_saved_customer_is_read(self):
        twin = self.twin.with_user(self.user_sales_manager)
        twin.invalidate_recordset()
        with self.assertQueryCount(0):
            self.assertFalse(twin.crm_sme_duplicate_warning)
            self.assertFalse(twin.crm_sme_duplicate_ids)
        # opening the form and changing something else: still no warning
        with Form(twin) as form:
            self.assertFalse(form.crm_sme_duplicate_warning)
            form.street = "8 Zhongshan Road"
            self.assertFalse(form.crm_sme_duplicate_warning)
            # changing what identifies it runs the check
            form.name = "NINGBO PAPER LIMITED"
            self.assertIn(
                "Ningbo Paper Co., Ltd. (salesperson: Sally Salesman)",
                form.crm_sme_duplicate_warning,
            )
            self.assertIn(self.customer, form.crm_sme_duplicate_ids)
        # the merge wizard gets the duplicates of the saved customer
        action = twin.action_crm_sme_open_duplicates()
        self.assertEqual(set(action["context"]["active_ids"]), {self.twin.id, self.customer.id})

    def test_tax_id_and_email_match_once_normalised(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman_2)
        with Form(Partner.with_context(default_is_company=True)) as form:
            form.name = "Completely different"
            form.vat = "cn91330200ma2y"
            self.assertIn("Ningbo Paper Co., Ltd.", form.crm_sme_duplicate_warning)
            form.vat = False
            form.email = '"Buyer" <BUY@ningbo-paper.example.com>'
            self.assertIn("Ningbo Paper Co., Ltd.", form.crm_sme_duplicate_warning)
            self.assertNotIn("Ningbo Paper,", form.crm_sme_duplicate_warning)
            form.email = False
            self.assertFalse(form.crm_sme_duplicate_warning)

    def test_only_partners_of_the_users_companies(self):
        self.customer.company_id = self.company
        with Form(
            self.env["res.partner"]
            .with_user(self.user_other_company)
            .with_context(default_is_company=True)
        ) as form:
            form.name = "Ningbo Paper Ltd."
            self.assertFalse(form.crm_sme_duplicate_warning)
            shared = self.env["res.partner"].create(
                {"name": "Ningbo Paper Trading", "is_company": True, "vat": "CN-777"}
            )
            form.vat = "CN777"
            self.assertIn(shared.name, form.crm_sme_duplicate_warning)
            self.assertNotIn("Co., Ltd.", form.crm_sme_duplicate_warning)
        with Form(
            self.env["res.partner"]
            .with_user(self.user_salesman)
            .with_context(default_is_company=True)
        ) as form:
            form.name = "Ningbo Paper Ltd."
            self.assertIn("Ningbo Paper Co., Ltd.", form.crm_sme_duplicate_warning)

    def test_lookups_are_indexed(self):
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'res_partner'"
        )
        indexes = dict(self.env.cr.fetchall())
        by_column = {
            column: [name for name, sql in indexes.items() if f"({column}" in sql.replace('"', "")]
            for column in (
                "crm_sme_name_normalized",
                "crm_sme_vat_normalized",
                "email_normalized",
                "phone_sanitized",
            )
        }
        for column, names in by_column.items():
            self.assertTrue(names, f"no index on res_partner.{column}")
        name_index = indexes[by_column["crm_sme_name_normalized"][0]]
        self.assertIn("gin_trgm_ops", name_index)
        # The lookup of a typed customer reads indexes only, never the whole table.
        new = self.env["res.partner"].new(
            {
                "name": "Ningbo Paper Ltd",
                "email": "buy@ningbo-paper.example.com",
                "phone": "+86 574 8888 1234",
                "vat": "CN91330200MA2Y",
            }
        )
        domain = [("company_id", "in", [self.company.id, False])] + new._crm_sme_duplicate_domain()
        query = self.env["res.partner"]._search(domain, limit=5)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertNotIn("Seq Scan on res_partner", plan)
        self.env.cr.execute("SET LOCAL enable_seqscan = on")
