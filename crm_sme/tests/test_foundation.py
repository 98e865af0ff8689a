# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmSmeCommon


@tagged("post_install", "-at_install", "crm_sme", "security")
class TestFoundation(CrmSmeCommon):
    def test_role_hierarchy(self):
        """The team leader sits between Odoo's own and all-documents groups."""
        leader = self.env.ref("crm_sme.group_crm_sme_team_leader")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        all_leads = self.env.ref("sales_team.group_sale_salesman_all_leads")
        manager = self.env.ref("sales_team.group_sale_manager")
        service = self.env.ref("crm_sme.group_crm_sme_service_agent")
        self.assertIn(salesman, leader.implied_ids)
        self.assertIn(leader, all_leads.implied_ids)
        self.assertIn(leader, manager.trans_implied_ids)
        self.assertIn(service, manager.trans_implied_ids)
        self.assertNotIn(leader, salesman.trans_implied_ids)
        # Same selection on the user form as Odoo's own sales groups.
        self.assertEqual(leader.category_id, salesman.category_id)
        self.assertTrue(self.user_team_leader.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(
            self.user_team_leader.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertFalse(self.user_service_agent.has_group("sales_team.group_sale_salesman"))

    def _visible_menus(self, user):
        ids = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menus = self.env["ir.ui.menu"].browse(ids)
        return set(menus.get_external_id().values())

    def test_menu_per_role(self):
        expect = {
            # role: (sees the app, sees configuration, sees opportunities)
            self.user_salesman: (True, False, True),
            self.user_team_leader: (True, False, True),
            self.user_sales_manager: (True, True, True),
            self.user_service_agent: (True, False, False),
            self.user_accountant: (True, False, False),
            self.user_employee: (False, False, False),
            self.user_other_company: (True, False, True),
        }
        for user, (app, config, opportunities) in expect.items():
            with self.subTest(user=user.login):
                visible = self._visible_menus(user)
                self.assertEqual("crm_sme.menu_crm_sme_root" in visible, app)
                self.assertEqual("crm_sme.menu_crm_sme_config" in visible, config)
                self.assertEqual("crm_sme.menu_crm_sme_opportunity" in visible, opportunities)

    def test_portal_user_has_no_backend_menu(self):
        with self.assertRaises(AccessError):
            self.env["ir.ui.menu"].with_user(self.user_portal)._visible_menu_ids()

    def test_every_section_action_is_readable(self):
        """Every leaf menu of the app opens an action whose model the manager can read."""
        root = self.env.ref("crm_sme.menu_crm_sme_root")
        leaves = self.env["ir.ui.menu"].search(
            [("id", "child_of", root.id), ("action", "!=", False)]
        )
        self.assertGreaterEqual(len(leaves), 5)
        for menu in leaves:
            with self.subTest(menu=menu.complete_name):
                action = menu.action
                if action._name == "ir.actions.act_window":
                    model = self.env[action.res_model].with_user(self.user_sales_manager)
                    model.check_access("read")
                    domain = safe_eval(action.domain or "[]", {"uid": self.user_sales_manager.id})
                    self.assertGreaterEqual(model.search_count(domain), 0)
