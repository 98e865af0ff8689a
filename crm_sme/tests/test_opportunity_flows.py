# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, tagged

from .test_opportunity_common import OpportunityCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestOpportunityFlows(OpportunityCommon):
    """Issue 9, sales flows: what the salesperson agreed on the opportunity survives
    the quotation, the confirmation and the customer's signature."""

    def _enable_discounts(self):
        """Odoo's setting "Discounts" (the discount column on order lines)."""
        discount_group = self.env.ref("sale.group_discount_per_so_line")
        self.env.ref("base.group_user").implied_ids = [Command.link(discount_group.id)]

    def _quotation_form(self, lead, user=None):
        """The quotation as the web client builds it from "New Quotation"."""
        user = user or self.user_salesman
        action = lead.with_user(user).action_sale_quotations_new()
        return Form(self.env["sale.order"].with_user(user).with_context(**action["context"]))

    # ------------------------------------------------------------
    # New Quotation
    # ------------------------------------------------------------

    def _check_quotation_keeps_discount(self):
        lead = self._create_opportunity(lines=[(self.product_stocked, 10.0)])
        lead.crm_sme_line_ids.discount = 5.0
        self.assertAlmostEqual(lead.expected_revenue, 855.0)  # 10 x 90 - 5 %
        # opens clean: no "change of your quotation's company" warning
        with self.assertNoLogs("odoo.tests.form.onchange", level="WARNING"):
            order = self._quotation_form(lead).save()
        self.assertAlmostEqual(order.amount_untaxed, 855.0)
        # sale_crm raises the expected revenue to the order's amount when lower
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(lead.expected_revenue, 855.0)
        return order

    def test_quotation_keeps_discount_without_discount_setting(self):
        """Without Odoo's discount column the order carries the net unit price."""
        self.assertFalse(self.user_salesman.has_group("sale.group_discount_per_so_line"))
        order = self._check_quotation_keeps_discount()
        self.assertAlmostEqual(order.order_line.price_unit, 85.5)
        self.assertFalse(order.order_line.discount)

    def test_quotation_keeps_discount_with_discount_setting(self):
        self._enable_discounts()
        order = self._check_quotation_keeps_discount()
        self.assertEqual(order.order_line.discount, 5.0)
        self.assertAlmostEqual(order.order_line.price_unit, 90.0)

    def test_quotation_company_change_still_warns(self):
        """Only the opening is clean: changing the company of the quotation warns."""
        lead = self._create_opportunity(lines=[(self.product_stocked, 10.0)])
        self.user_salesman.company_ids = [Command.link(self.company_other.id)]
        form = self._quotation_form(lead)
        with self.assertLogs("odoo.tests.form.onchange", level="WARNING") as caught:
            form.company_id = self.company_other
        self.assertIn("company", caught.output[0])
