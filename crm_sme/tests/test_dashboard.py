# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestManagerDashboard(HttpCase):
    """The SME CRM dashboard in Odoo's Dashboards app."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("crm_sme.spreadsheet_dashboard_crm_sme_manager")
        cls.manager = new_test_user(
            cls.env,
            "dashboard_manager",
            "sales_team.group_sale_manager,account.group_account_invoice",
            name="Dashboard Manager",
        )
        with file_open("crm_sme/data/files/crm_sme_manager_dashboard.json") as handle:
            cls.data = json.load(handle)

    def test_every_pivot_reads_as_the_manager(self):
        """Each data source's model, domain, grouping and measures are valid and readable."""
        self.assertEqual(len(self.data["pivots"]), 11)
        for pivot in self.data["pivots"].values():
            model = self.env[pivot["model"]].with_user(self.manager)
            groupby = [
                f"{row['fieldName']}:{row['granularity']}"
                if row.get("granularity")
                else row["fieldName"]
                for row in pivot["rows"]
            ]
            aggregates = [
                "__count" if m["fieldName"] == "__count" else f"{m['fieldName']}:{m['aggregator']}"
                for m in pivot["measures"]
            ]
            model._read_group(pivot["domain"], groupby, aggregates)

    def test_visible_to_managers_and_team_leaders_only(self):
        salesman = new_test_user(self.env, "dashboard_salesman", "sales_team.group_sale_salesman")
        leader = new_test_user(self.env, "dashboard_leader", "crm_sme.group_crm_sme_team_leader")
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.manager).search([]))
        self.assertIn(self.dashboard, Dashboard.with_user(leader).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(salesman).search([]))

    def test_dashboard_tour(self):
        partner = self.env["res.partner"].search(
            [("customer_rank", ">", 0), ("parent_id", "=", False)], limit=1
        )
        partner.sudo().write({"crm_sme_value_tier": "key", "crm_sme_lifecycle": "at_risk"})
        self.manager.write({"company_ids": [Command.set(self.env.company.ids)]})
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "crm_sme_dashboard_tour",
            login="dashboard_manager",
        )
