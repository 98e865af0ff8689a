# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestUi(HttpCase):
    def test_menu_tour(self):
        """Every section of the SME CRM menu opens in the browser."""
        self.start_tour("/odoo", "crm_sme_menu_tour", login="admin")
