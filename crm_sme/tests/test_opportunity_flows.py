# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

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

    def test_confirmed_order_keeps_expected_revenue_of_lines(self):
        """More on the order than on the opportunity: the expected revenue still
        follows the product lines (company setting), sale_crm does not rewrite it."""
        lead = self._create_opportunity(lines=[(self.product_stocked, 10.0)])
        order = self._quotation_from(lead)
        order.order_line.product_uom_qty = 12.0
        order.with_user(self.user_salesman).action_confirm()
        self.assertAlmostEqual(lead.expected_revenue, 900.0)
        # without the setting, Odoo's behaviour: raised to the order's amount
        self.company.crm_sme_revenue_from_lines = False
        other = self._create_opportunity(
            lines=[(self.product_stocked, 10.0)], expected_revenue=500.0
        )
        self._quotation_from(other).with_user(self.user_salesman).action_confirm()
        self.assertAlmostEqual(other.expected_revenue, 900.0)

    def test_quotation_company_change_still_warns(self):
        """Only the opening is clean: changing the company of the quotation warns."""
        lead = self._create_opportunity(lines=[(self.product_stocked, 10.0)])
        self.user_salesman.company_ids = [Command.link(self.company_other.id)]
        form = self._quotation_form(lead)
        with self.assertLogs("odoo.tests.form.onchange", level="WARNING") as caught:
            form.company_id = self.company_other
        self.assertIn("company", caught.output[0])

    # ------------------------------------------------------------
    # credit gate around the confirmation
    # ------------------------------------------------------------

    def _block(self, partner):
        """``partner`` has an invoice overdue for 45 days; the gate blocks at 30."""
        self.company.write({"crm_sme_credit_gate": "block", "crm_sme_overdue_days": 30})
        today = fields.Date.today()
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=75),
                "invoice_date_due": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product_stocked.id, "quantity": 8, "price_unit": 100.0}
                    )
                ],
            }
        )
        invoice.action_post()

    def _order(self, partner, qty=1.0, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.user_sales_manager)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_stocked.id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )

    def test_batch_confirm_confirms_clean_orders(self):
        """A manager confirms three quotations, one blocked: two are confirmed, the
        blocked one goes to the override wizard."""
        late_payer = self.env["res.partner"].create(
            {"name": "Late Payer (test)", "is_company": True}
        )
        self._block(late_payer)
        clean_1, blocked, clean_2 = (
            self._order(self.customer),
            self._order(late_payer),
            self._order(self.customer),
        )
        orders = (clean_1 | blocked | clean_2).with_user(self.user_sales_manager)
        action = orders.action_confirm()
        self.assertEqual((clean_1 | clean_2).mapped("state"), ["sale", "sale"])
        self.assertEqual(blocked.state, "draft")
        self.assertEqual(action["res_model"], "crm.sme.credit.override")
        wizard = (
            self.env["crm.sme.credit.override"]
            .with_user(self.user_sales_manager)
            .with_context(**action["context"])
            .create({"reason": "Agreed with the customer's director"})
        )
        self.assertEqual(wizard.order_ids, blocked)
        self.assertIn("overdue", wizard.warning)
        wizard.action_confirm()
        self.assertEqual(blocked.state, "sale")
        # a salesperson still confirms nothing of a batch with a blocked order
        clean_3, blocked_2 = self._order(self.customer), self._order(late_payer)
        with self.assertRaisesRegex(UserError, "ask a sales manager"):
            (clean_3 | blocked_2).with_user(self.user_salesman).action_confirm()
        self.assertEqual((clean_3 | blocked_2).mapped("state"), ["draft", "draft"])

    # ------------------------------------------------------------
    # stock: the opportunity's own orders are not a shortfall
    # ------------------------------------------------------------

    def test_won_opportunity_does_not_count_its_own_order(self):
        lead = self._create_opportunity(lines=[(self.product_stocked, 60.0)])
        line = lead.crm_sme_line_ids
        self.assertFalse(line.is_shortfall)
        self.assertAlmostEqual(line.free_qty, 100.0)
        order = self._quotation_from(lead)
        order.with_user(self.user_salesman).action_confirm()
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(order.picking_ids.state, "assigned")  # 60 reserved
        # another customer's order does count
        other = self._order(
            self.env["res.partner"].create({"name": "Other shop (test)", "is_company": True}),
            qty=30.0,
        )
        other.action_confirm()
        self.env.invalidate_all()
        self.assertAlmostEqual(line.free_qty, 70.0)  # 100 - 30 reserved for the other order
        self.assertAlmostEqual(line.forecast_qty, 70.0)
        self.assertFalse(line.is_shortfall)
        self.assertEqual(lead.crm_sme_availability, "available")
        # delivered: what was delivered is no longer needed
        self._deliver(order, {self.product_stocked: 60.0})
        self.env.invalidate_all()
        self.assertAlmostEqual(line.forecast_qty, 10.0)
        self.assertFalse(line.is_shortfall)
        # an opportunity without order still sees all the demand
        newcomer = self._create_opportunity(lines=[(self.product_stocked, 60.0)])
        self.assertAlmostEqual(newcomer.crm_sme_line_ids.forecast_qty, 10.0)
        self.assertTrue(newcomer.crm_sme_line_ids.is_shortfall)
        self.assertAlmostEqual(newcomer.crm_sme_line_ids.shortfall_qty, 50.0)

    # ------------------------------------------------------------
    # foreign-currency pricelist
    # ------------------------------------------------------------

    def test_foreign_currency_pricelist(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_currency = self.company.currency_id
        self.assertNotEqual(company_currency, eur)
        closing = fields.Date.add(fields.Date.today(), days=15)
        self.env["res.currency.rate"].search(
            [("currency_id", "in", (eur | company_currency).ids)]
        ).unlink()
        # 1 company unit = 0.5 EUR from yesterday (company currency rate 1)
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 0.5, "name": fields.Date.subtract(closing, days=20)}
        )
        pricelist_eur = self.env["product.pricelist"].create(
            {"name": "Euro (test)", "currency_id": eur.id, "company_id": self.company.id}
        )
        self.customer.property_product_pricelist = pricelist_eur
        self.product_stocked.list_price = 50.0
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)], date_deadline=closing)
        line = lead.crm_sme_line_ids
        self.assertEqual(line.currency_id, eur)
        self.assertAlmostEqual(line.price_subtotal, 50.0)  # EUR: 2 x 25 (50 at rate 0.5)
        self.assertAlmostEqual(line.price_subtotal_company, 100.0)
        self.assertAlmostEqual(lead.crm_sme_amount_lines, 100.0)
        self.assertAlmostEqual(lead.expected_revenue, 100.0)
        self.assertAlmostEqual(lead.crm_sme_margin, 100.0 - 2 * 60.0)
        # the gate sees the converted amount: 100 over a limit of 90, not 50
        self.company.write({"account_use_credit_limit": True, "crm_sme_credit_gate": "block"})
        self.customer.with_company(self.company).credit_limit = 90.0
        lead.invalidate_recordset()
        self.assertTrue(lead.crm_sme_is_credit_blocked)
        self.assertIn("100.00", lead.crm_sme_credit_warning)
        # the quotation is in euros, at the opportunity's price
        order = self._quotation_from(lead)
        self.assertEqual(order.currency_id, eur)
        self.assertAlmostEqual(order.amount_untaxed, 50.0)

    # ------------------------------------------------------------
    # free replacement orders (customer feedback)
    # ------------------------------------------------------------

    def test_free_replacement_order(self):
        self._block(self.customer)
        feedback = self.env["crm.sme.feedback"].create(
            {
                "name": "Boxes arrived crushed",
                "partner_id": self.customer.id,
                "product_id": self.product_stocked.id,
            }
        )
        feedback.action_replacement_order()
        order = feedback.replacement_order_ids
        self.assertTrue(order.order_line.crm_sme_is_free)
        self.assertAlmostEqual(order.amount_total, 0.0)
        # more boxes replaced: the pricelist re-prices the line, it stays free
        with Form(order) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 5.0
        self.assertEqual(order.order_line.product_uom_qty, 5.0)
        self.assertEqual(order.order_line.discount, 100.0)
        self.assertAlmostEqual(order.amount_total, 0.0)
        order.action_update_prices()
        self.assertAlmostEqual(order.amount_total, 0.0)
        # the customer is blocked, the replacement is not
        self.assertFalse(order.crm_sme_credit_warning)
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        # a paid line added to a replacement order makes it subject to the gate again
        feedback.action_replacement_order()
        second = feedback.replacement_order_ids - order
        second.order_line = [Command.create({"product_id": self.product_short.id})]
        self.assertIn("overdue", second.crm_sme_credit_warning)
        with self.assertRaisesRegex(UserError, "ask a sales manager"):
            second.with_user(self.user_salesman).action_confirm()


# a 1x1 PNG, the customer's signature
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestPortalSignature(HttpCase):
    """The customer signs a quotation on the portal while the credit gate blocks."""

    def test_signature_blocked_by_gate_waits_for_manager(self):
        env = self.env
        env.company.write({"crm_sme_credit_gate": "block", "crm_sme_overdue_days": 30})
        salesman = new_test_user(
            env, "crm_sme_sign_sales", "sales_team.group_sale_salesman", name="Sign Sales"
        )
        manager = new_test_user(
            env, "crm_sme_sign_manager", "sales_team.group_sale_manager", name="Sign Manager"
        )
        customer = env["res.partner"].create(
            {"name": "Late Signer Ltd", "is_company": True, "email": "signer@example.com"}
        )
        product = env["product.product"].create(
            {"name": "Paper (portal)", "list_price": 100.0, "taxes_id": []}
        )
        today = fields.Date.today()
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=75),
                "invoice_date_due": today - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 7,
                            "price_unit": 123.0,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesman.id,
                "require_signature": True,
                "require_payment": False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5, "tax_id": []})
                ],
            }
        )
        self.assertTrue(order._has_to_be_signed())
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Li Signer",
                "signature": SIGNATURE,
            },
        )
        # the customer: a neutral confirmation of the signature, no figure of the gate
        self.assertNotIn("error", result)
        self.assertIn("message=sign_ok", result["redirect_url"])
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("Your order has been signed", page)
        for internal in ("861.00", "overdue", "credit"):
            self.assertNotIn(internal, page)
        # the order: signed, waiting for a manager; the salesperson has the activity
        order.invalidate_recordset()
        self.assertEqual(order.signed_by, "Li Signer")
        self.assertIn(order.state, ("draft", "sent"))
        activity = order.activity_ids
        self.assertEqual(activity.user_id, salesman)
        self.assertIn("861.00", activity.note)
        note = order.message_ids.filtered(lambda m: "blocked by the credit gate" in m.body)
        self.assertTrue(note.subtype_id.internal)
        # the manager overrides and the order is confirmed
        action = order.with_user(manager).action_confirm()
        env["crm.sme.credit.override"].with_user(manager).with_context(**action["context"]).create(
            {"reason": "Customer called: payment on its way"}
        ).action_confirm()
        self.assertEqual(order.state, "sale")
