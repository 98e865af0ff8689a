# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import CrmSmeCommon

TEMPLATE_FIELDS = [
    "name",
    "is_company",
    "region_id",
    "customer_type_id",
    "source_id",
    "user_id",
    "is_key_account",
    "purchase_potential",
    "street",
    "city",
    "country_id",
    "phone",
    "email",
    "vat",
    "child_ids/name",
    "child_ids/contact_role",
    "child_ids/email",
    "child_ids/phone",
    "child_ids/is_primary_contact",
]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_import")
class TestImportTemplate(CrmSmeCommon):
    def _import(self, path, file_type, dryrun, replace=None):
        with file_open(path, "rb") as handle:
            content = handle.read()
        for old, new in (replace or {}).items():
            content = content.replace(old.encode(), new.encode())
        importer = (
            self.env["base_import.import"]
            .with_user(self.user_sales_manager)
            .create(
                {
                    "res_model": "res.partner",
                    "file": content,
                    "file_type": file_type,
                    "file_name": path,
                }
            )
        )
        options = {"has_headers": True, "quoting": '"', "separator": ",", "encoding": "utf-8"}
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview.get("error"))
        return importer.execute_import(TEMPLATE_FIELDS, preview["headers"], options, dryrun=dryrun)

    def _template_regions(self):
        ningbo = self.env["crm.sme.region"].search([("complete_name", "=", "宁波 Ningbo")]) or (
            self.env["crm.sme.region"].create({"name": "宁波 Ningbo"})
        )
        for district in ("鄞州 Yinzhou", "北仑 Beilun"):
            if not self.env["crm.sme.region"].search(
                [("name", "=", district), ("parent_id", "=", ningbo.id)]
            ):
                self.env["crm.sme.region"].create({"name": district, "parent_id": ningbo.id})

    def test_template_is_offered_and_imports_customers_with_contacts(self):
        templates = self.env["res.partner"].get_import_templates()
        self.assertEqual(templates[0]["template"], "/crm_sme/static/xls/crm_sme_customers.xlsx")
        self._template_regions()
        result = self._import(
            "crm_sme/static/xls/crm_sme_customers.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            dryrun=False,
        )
        self.assertFalse(
            [m for m in result["messages"] if m["type"] == "error"], result["messages"]
        )
        mart = self.env["res.partner"].search([("name", "like", "Yinzhou Fresh Mart")])
        self.assertEqual(mart.region_id.complete_name, "宁波 Ningbo / 鄞州 Yinzhou")
        self.assertEqual(mart.customer_type_id, self.env.ref("crm_sme.customer_type_supermarket"))
        self.assertEqual(mart.source_id, self.env.ref("crm_sme.utm_source_referral"))
        self.assertTrue(mart.is_key_account)
        self.assertEqual(mart.purchase_potential, 300000)
        self.assertEqual(sorted(mart.child_ids.mapped("name")), ["Liu Tao", "Wang Fang"])
        buyer = mart.child_ids.filtered(lambda c: c.name == "Wang Fang")
        self.assertEqual((buyer.contact_role, buyer.is_primary_contact), ("purchaser", True))
        self.assertEqual(
            buyer.customer_type_id, mart.customer_type_id, "contacts inherit the classification"
        )

    def test_csv_template_dry_run(self):
        self._template_regions()
        result = self._import("crm_sme/static/xls/crm_sme_customers.csv", "text/csv", dryrun=True)
        self.assertFalse(
            [m for m in result["messages"] if m["type"] == "error"], result["messages"]
        )
        self.assertEqual(len(result["ids"]), 2, "two customers (contacts are their lines)")
        self.assertFalse(
            self.env["res.partner"].search([("name", "like", "Yinzhou Fresh Mart")]), "dry run"
        )

    def test_unknown_region_is_reported(self):
        result = self._import(
            "crm_sme/static/xls/crm_sme_customers.csv",
            "text/csv",
            dryrun=True,
            replace={"宁波 Ningbo / 鄞州 Yinzhou": "Nowhere District"},
        )
        errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(any("Nowhere District" in message for message in errors), errors)
