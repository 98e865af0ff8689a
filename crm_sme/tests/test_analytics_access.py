# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .analytics_common import AnalyticsCommon

REPORTS = (
    "crm.sme.customer.analysis",
    "crm.sme.tier.move.report",
    "crm.sme.salesperson.performance",
)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_analytics", "security")
class TestAnalyticsAccess(AnalyticsCommon):
    """Record rules on every analytics view: salespeople their own rows, team
    leaders their team's, managers and accountants all, other companies
    never; through search, read, read_group and export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for key in ("c01", "c05", "c06"):
            cls._snapshot(key, cls.month, "basic", "active", 10.0)
        cls._snapshot("c06", cls.month_before, "basic", "active", 10.0)
        cls.env["crm.sme.customer.value.history"].sudo().create(
            {
                "partner_id": cls.other_customer.id,
                "company_id": cls.company_2.id,
                "period": cls.month,
                "user_id": cls.otto.id,
                "value_tier": "key",
            }
        )

    def _owners(self, model, user):
        """Salespeople of the rows of the test company ``user`` reads, by
        search / read, read_group and export."""
        Report = self.env[model].with_user(user)
        domain = [("company_id", "in", (self.company | self.company_2).ids)]
        if model == "crm.sme.customer.analysis":
            domain.append(("partner_id", "in", (self.mine | self.other_customer).ids))
        rows = Report.search(domain)
        read = {values["user_id"] and values["user_id"][0] for values in rows.read(["user_id"])}
        grouped = {owner.id for owner, __ in Report._read_group(domain, ["user_id"], ["__count"])}
        exported = {line[0] for line in rows.export_data(["user_id/.id"])["datas"]}
        self.assertEqual(grouped, read, model)
        self.assertEqual({int(i) if i else False for i in exported}, read, model)
        return read

    def test_rows_per_role(self):
        sally, sam, otto = self.sally.id, self.sam.id, self.otto.id
        for model in REPORTS:
            self.assertEqual(self._owners(model, self.sally), {sally}, model)
            self.assertEqual(self._owners(model, self.sam), {sam}, model)
            self.assertEqual(self._owners(model, self.tina), {sally}, model)
            self.assertEqual(
                self._owners(model, self.mona) & {sally, sam, otto}, {sally, sam}, model
            )
            self.assertEqual(
                self._owners(model, self.anna) & {sally, sam, otto}, {sally, sam}, model
            )
            self.assertEqual(self._owners(model, self.otto) & {sally, sam}, set(), model)

    def test_other_company_never(self):
        """Even asking for the company explicitly returns nothing."""
        for model in REPORTS:
            Report = self.env[model].with_user(self.otto)
            domain = [("company_id", "=", self.company.id)]
            self.assertFalse(Report.search(domain), model)
            self.assertEqual(Report._read_group(domain, [], ["__count"]), [(0,)], model)
        rows = self.env["crm.sme.customer.analysis"].with_user(self.otto).search([])
        self.assertIn(self.other_customer, rows.partner_id)
        self.assertFalse(rows.partner_id & self.mine)

    def test_shares_of_what_the_user_reads(self):
        """Sally's shares are of her own customers (all supermarkets)."""
        groups = (
            self.env["crm.sme.customer.analysis"]
            .with_user(self.sally)
            ._read_group(
                [("company_id", "=", self.company.id)], ["customer_type_id"], ["customer_share:sum"]
            )
        )
        self.assertEqual(groups, [(self.types["supermarket"], 100.0)])

    def test_no_access_without_role(self):
        for model in REPORTS:
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.eddie).search([])
        with self.assertRaises(AccessError):
            self.env["crm.sme.analysis.period.wizard"].with_user(self.eddie).create({})
