# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestLandingTour(HttpCase):
    """Each demo role lands where its work is, in its own company: salesperson
    on their customers, service agent on the feedback queue, manager on the
    dashboards, accountant on the sales reconciliation."""

    def _land(self, xmlid, tour):
        user = self.env.ref(xmlid, raise_if_not_found=False)
        company = self.env.ref("crm_sme.res_company_wenhua_demo", raise_if_not_found=False)
        if not user or not company:
            self.skipTest("no demo data in this database")
        if user.company_id != company:
            # demo users of an older demo keep their records on upgrade
            self.skipTest("the demo of this database predates the Ningbo company")
        user.lang = "en_US"  # the tours read English labels
        self.start_tour("/odoo", tour, login=user.login)

    def test_salesperson_lands_on_customers(self):
        self._land("crm_sme.user_li_ming_demo", "crm_sme_landing_salesperson")

    def test_service_agent_lands_on_feedback(self):
        self._land("crm_sme.user_sun_li_demo", "crm_sme_landing_service_agent")

    def test_manager_lands_on_dashboard(self):
        self._land("crm_sme.user_wang_fang_demo", "crm_sme_landing_manager")

    def test_accountant_lands_on_reconciliation(self):
        self._land("crm_sme.user_zhou_min_demo", "crm_sme_landing_accountant")
