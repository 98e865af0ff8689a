# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .plan_common import PlanCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestVisitPlanTour(HttpCase, PlanCommon):
    def test_visit_plan_tour(self):
        """The salesperson accepts one visit and dismisses one in the browser."""
        key = self._customer("Tour Key Mart", tier="key", value=90.0)
        self._visit(key, 40)
        grow = self._customer("Tour Grow Shop", tier="grow", value=50.0)
        self.env["crm.sme.visit.plan.line"]._generate(self.company)
        self.start_tour("/odoo", "crm_sme_visit_plan_tour", login="crm_sme_salesman")
        lines = self._lines()
        key_line = lines.filtered(lambda line: line.partner_id == key)
        grow_line = lines.filtered(lambda line: line.partner_id == grow)
        self.assertEqual(key_line.state, "accepted")
        self.assertEqual(key_line.interaction_id.state, "planned")
        self.assertEqual(grow_line.state, "dismissed")
        self.assertEqual(grow_line.dismiss_reason, "Closed for works")
