# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "crm_sme")
class TestChineseTranslation(TransactionCase):
    """SME users work in Simplified Chinese: the menu and the customer file speak it."""

    def test_zh_cn_terms_load(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_sme"], ["zh_CN"], overwrite=True)
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh.ref("crm_sme.menu_crm_sme_root").name, "中小企业客户管理")
        self.assertEqual(zh.ref("crm_sme.customer_type_supermarket").name, "超市")
        fields_zh = zh["res.partner"].fields_get(["region_id", "crm_sme_overdue_total"], ["string"])
        self.assertEqual(fields_zh["region_id"]["string"], "销售区域")
        self.assertEqual(fields_zh["crm_sme_overdue_total"]["string"], "逾期")
