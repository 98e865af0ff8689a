# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .test_opportunity_common import OpportunityCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestOpportunity(OpportunityCommon):
    # ------------------------------------------------------------
    # lines, prices, availability
    # ------------------------------------------------------------

    def test_lines_prices_margin_availability(self):
        lead = self._create_opportunity()
        stocked, short = lead.crm_sme_line_ids.sorted("id")
        # unit price from the customer's pricelist (-10 %)
        self.assertAlmostEqual(stocked.price_unit, 90.0)
        self.assertAlmostEqual(short.price_unit, 45.0)
        self.assertEqual(stocked.warehouse_id, self.warehouse)
        self.assertAlmostEqual(stocked.price_subtotal, 900.0)
        self.assertAlmostEqual(stocked.cost, 600.0)
        self.assertAlmostEqual(lead.crm_sme_amount_lines, 900.0 + 225.0)
        self.assertAlmostEqual(lead.crm_sme_margin, 1125.0 - 600.0 - 100.0)
        # expected revenue follows the lines (company setting, on by default)
        self.assertAlmostEqual(lead.expected_revenue, 1125.0)
        # Odoo's own stock figures
        self.assertAlmostEqual(stocked.free_qty, 100.0)
        self.assertAlmostEqual(stocked.forecast_qty, 100.0)
        self.assertFalse(stocked.is_shortfall)
        self.assertTrue(short.is_shortfall)
        self.assertAlmostEqual(short.shortfall_qty, 5.0)
        self.assertEqual(lead.crm_sme_availability, "shortfall")
        self.assertEqual(lead.crm_sme_shortfall_count, 1)
        self.assertIn(
            lead, self.env["crm.lead"].search([("crm_sme_availability", "=", "shortfall")])
        )
        # stock arrives: the shortfall disappears
        self.env["stock.quant"]._update_available_quantity(
            self.product_short, self.warehouse.lot_stock_id, 5.0
        )
        self.env.invalidate_all()
        self.assertEqual(lead.crm_sme_availability, "available")
        self.assertNotIn(
            lead, self.env["crm.lead"].search([("crm_sme_availability", "=", "shortfall")])
        )

    def test_forecast_at_closing_date(self):
        """A receipt before the closing date covers the need; after it, it does not."""
        lead = self._create_opportunity(lines=[(self.product_short, 5.0)])
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt_date = datetime.combine(lead.date_deadline - timedelta(days=1), time(8))
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.product_short.id,
                            "product_uom_qty": 10.0,
                            "product_uom": self.product_short.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.date = receipt_date
        line = lead.crm_sme_line_ids
        self.assertAlmostEqual(line.free_qty, 0.0)
        self.assertAlmostEqual(line.forecast_qty, 10.0)
        self.assertFalse(line.is_shortfall)
        # closing before the receipt: shortfall
        lead.date_deadline = receipt_date.date() - timedelta(days=2)
        self.env.invalidate_all()
        self.assertAlmostEqual(line.forecast_qty, 0.0)
        self.assertTrue(line.is_shortfall)

    def test_expected_revenue_setting_off(self):
        self.company.crm_sme_revenue_from_lines = False
        lead = self._create_opportunity(expected_revenue=5000.0)
        self.assertAlmostEqual(lead.expected_revenue, 5000.0)

    # ------------------------------------------------------------
    # scenario 3
    # ------------------------------------------------------------

    def test_scenario_3_quotation_won_delivery_invoice_payment(self):
        lead = self._create_opportunity()
        self.assertEqual(lead.crm_sme_availability, "shortfall")
        self.assertEqual(lead.crm_sme_payment_status, "none")
        # the quotation carries both lines
        order = self._quotation_from(lead)
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.warehouse_id, self.warehouse)
        self.assertEqual(
            sorted(
                (line.product_id.id, line.product_uom_qty, line.price_unit, line.discount)
                for line in order.order_line
            ),
            sorted(
                (line.product_id.id, line.product_uom_qty, line.price_unit, line.discount)
                for line in lead.crm_sme_line_ids
            ),
        )
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "quoted")
        self.assertAlmostEqual(lead.crm_sme_amount_quoted, 1125.0)
        # confirming marks the opportunity won (team default) and logs it
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(lead.stage_id.is_won)
        self.assertIn("Marked won automatically", lead.message_ids[0].body)
        self.assertEqual(lead.crm_sme_payment_status, "ordered")
        # the missing lamps arrive; everything is delivered, invoiced and paid
        self.env["stock.quant"]._update_available_quantity(
            self.product_short, self.warehouse.lot_stock_id, 5.0
        )
        self._deliver(order, {self.product_stocked: 10.0, self.product_short: 5.0})
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "delivered")
        self.assertAlmostEqual(lead.crm_sme_amount_delivered, 1125.0)
        invoice = self._invoice(order)
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "invoiced")
        self.assertAlmostEqual(lead.crm_sme_amount_invoiced, 1125.0)
        self._pay(invoice)
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "paid")
        self.assertAlmostEqual(lead.crm_sme_amount_paid, invoice.amount_total)
        self.assertAlmostEqual(lead.crm_sme_amount_residual, 0.0)
        # and the salesperson reads it without accounting rights
        lead_as_sales = lead.with_user(self.user_salesman)
        self.assertFalse(self.user_salesman.has_group("account.group_account_invoice"))
        self.assertEqual(lead_as_sales.crm_sme_payment_status, "paid")
        self.assertAlmostEqual(lead_as_sales.crm_sme_amount_paid, invoice.amount_total)

    def test_quotation_lines_from_two_warehouses(self):
        second = self.env["stock.warehouse"].create(
            {"name": "Second warehouse (test)", "code": "WH2T"}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product_short, second.lot_stock_id, 10.0
        )
        lead = self._create_opportunity()
        short_line = lead.crm_sme_line_ids.filtered(
            lambda line: line.product_id == self.product_short
        )
        short_line.warehouse_id = second
        self.env.invalidate_all()
        self.assertFalse(short_line.is_shortfall, "available in the second warehouse")
        self.assertEqual(lead.crm_sme_availability, "available")
        order = self._quotation_from(lead)
        self.assertEqual(order.warehouse_id, self.warehouse)
        by_product = {line.product_id: line for line in order.order_line}
        self.assertEqual(by_product[self.product_stocked].warehouse_id, self.warehouse)
        self.assertEqual(by_product[self.product_short].warehouse_id, second)
        order.action_confirm()
        self.assertEqual(
            set(order.picking_ids.picking_type_id.warehouse_id.ids), {self.warehouse.id, second.id}
        )

    def test_trail_equals_direct_sums(self):
        """Partial delivery, partial payment and a credit note, two orders."""
        self.env["stock.quant"]._update_available_quantity(
            self.product_short, self.warehouse.lot_stock_id, 20.0
        )
        lead = self._create_opportunity()
        order = self._quotation_from(lead)
        order.action_confirm()
        second = self._quotation_from(lead)
        second.action_confirm()
        third = self._quotation_from(lead)  # stays a quotation
        self._deliver(order, {self.product_stocked: 4.0, self.product_short: 5.0})
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "partially_delivered")
        invoice = self._invoice(order)
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_payment_status, "partially_invoiced")
        self._pay(invoice, amount=100.0)
        refund = invoice._reverse_moves()
        refund.invoice_line_ids[0].quantity = 1.0
        refund.invoice_line_ids[1:].unlink()
        refund.action_post()
        lead.invalidate_recordset()

        orders = lead.order_ids
        confirmed = orders.filtered(lambda o: o.state == "sale")
        moves = orders.invoice_ids.filtered(lambda m: m.state == "posted")
        self.assertEqual(moves, invoice | refund)
        self.assertEqual(lead.crm_sme_payment_status, "partially_paid")
        self.assertAlmostEqual(lead.crm_sme_amount_quoted, third.amount_untaxed)
        self.assertAlmostEqual(lead.crm_sme_amount_ordered, sum(confirmed.mapped("amount_untaxed")))
        self.assertAlmostEqual(
            lead.crm_sme_amount_delivered,
            sum(line.qty_delivered * line.price_reduce_taxexcl for line in confirmed.order_line),
        )
        self.assertAlmostEqual(
            lead.crm_sme_amount_invoiced, sum(moves.mapped("amount_untaxed_signed"))
        )
        self.assertAlmostEqual(
            lead.crm_sme_amount_invoiced_total, sum(moves.mapped("amount_total_signed"))
        )
        # payments without journal entry (Odoo 18 without outstanding account) are
        # matched to the invoice without changing its residual
        moveless = moves.matched_payment_ids.filtered(
            lambda p: not p.move_id and p.state in ("in_process", "paid")
        )
        paid = (
            sum(moves.mapped("amount_total_signed"))
            - sum(moves.mapped("amount_residual_signed"))
            + sum(moveless.mapped("amount_company_currency_signed"))
        )
        self.assertAlmostEqual(paid, 100.0)
        self.assertAlmostEqual(lead.crm_sme_amount_paid, paid)
        self.assertAlmostEqual(
            lead.crm_sme_amount_residual, sum(moves.mapped("amount_total_signed")) - paid
        )
        self.assertLess(
            lead.crm_sme_amount_invoiced, invoice.amount_untaxed_signed
        )  # credit note deducted
        # searchable status
        found = self.env["crm.lead"].search([("crm_sme_payment_status", "=", "partially_paid")])
        self.assertIn(lead, found)
        unpaid_won = self.env["crm.lead"].search(
            [("stage_id.is_won", "=", True), ("crm_sme_payment_status", "not in", ("paid", "none"))]
        )
        self.assertIn(lead, unpaid_won)

    # ------------------------------------------------------------
    # auto-win
    # ------------------------------------------------------------

    def test_auto_win_at_invoice(self):
        self.team.crm_sme_auto_win = "invoice"
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        order = self._quotation_from(lead)
        order.action_confirm()
        self.assertFalse(lead.stage_id.is_won)
        self._deliver(order, {self.product_stocked: 2.0})
        self._invoice(order)
        self.assertTrue(lead.stage_id.is_won)

    def test_auto_win_at_payment(self):
        self.team.crm_sme_auto_win = "payment"
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        order = self._quotation_from(lead)
        order.action_confirm()
        self._deliver(order, {self.product_stocked: 2.0})
        invoice = self._invoice(order)
        self.assertFalse(lead.stage_id.is_won)
        self._pay(invoice, amount=50.0)
        self.assertFalse(lead.stage_id.is_won)
        self._pay(invoice)
        self.assertTrue(lead.stage_id.is_won)
        self.assertIn("fully paid", lead.message_ids[0].body)

    def test_auto_win_at_payment_without_journal_entry(self):
        """With Odoo's Accounting app, a payment on a bank journal without
        outstanding account has no journal entry; it still settles the order."""
        self.team.crm_sme_auto_win = "payment"
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        order = self._quotation_from(lead)
        order.action_confirm()
        self._deliver(order, {self.product_stocked: 2.0})
        invoice = self._invoice(order)
        with self._accounting_app():
            payment = self._pay(invoice, journal=self.bank_journal_no_entry)
            self.assertFalse(payment.move_id)
            self.assertEqual(invoice.payment_state, "in_payment")
            self.assertTrue(lead.stage_id.is_won)
            self.assertEqual(lead.crm_sme_payment_status, "paid")
            self.assertAlmostEqual(lead.crm_sme_amount_residual, 0.0)

    def test_auto_win_never(self):
        self.team.crm_sme_auto_win = "never"
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        self._quotation_from(lead).action_confirm()
        self.assertFalse(lead.stage_id.is_won)

    def test_reopen_when_all_orders_cancelled(self):
        lead = self._create_opportunity(lines=[(self.product_stocked, 2.0)])
        first = self._quotation_from(lead)
        second = self._quotation_from(lead)
        (first | second).action_confirm()
        self.assertTrue(lead.stage_id.is_won)
        first.with_context(disable_cancel_warning=True).action_cancel()
        self.assertTrue(lead.stage_id.is_won, "one order is still confirmed")
        second.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(lead.stage_id.is_won)
        self.assertTrue(lead.active)
        self.assertIn("Reopened", lead.message_ids[0].body)

    # ------------------------------------------------------------
    # competitors and lost reason
    # ------------------------------------------------------------

    def test_lost_reason_required(self):
        lead = self._create_opportunity()
        # where a person marks it lost (the lost wizard of the form): reason required
        wizard = Form(self.env["crm.lead.lost"].with_context(default_lead_ids=lead.ids))
        self.assertTrue(wizard.crm_sme_lost_reason_required)
        with self.assertRaises(AssertionError):  # required in the form
            wizard.save()
        no_reason = self.env["crm.lead.lost"].create({"lead_ids": [Command.set(lead.ids)]})
        with self.assertRaisesRegex(UserError, "lost reason"):
            no_reason.action_lost_reason_apply()
        self.assertTrue(lead.active)
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive (test)"})
        competitor = self.env["crm.sme.competitor"].create({"name": "Cheap Paper Co (test)"})
        lead.crm_sme_competitor_ids = [(0, 0, {"competitor_id": competitor.id, "price": 900.0})]
        wizard.lost_reason_id = reason
        wizard.save().action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, reason)
        lead.crm_sme_lost_to_id = competitor
        self.assertEqual(lead.crm_sme_lost_to_id, competitor)
        self.assertEqual(lead.crm_sme_competitor_ids.outcome, "lost")
        lost_against = self.env["crm.sme.lead.competitor"].read_group(
            [("competitor_id", "=", competitor.id)], ["price:sum"], ["outcome"]
        )
        self.assertEqual([(g["outcome"], g["outcome_count"]) for g in lost_against], [("lost", 1)])
        # the setting off: no reason needed in the wizard either
        self.company.crm_sme_lost_reason_required = False
        other = self._create_opportunity()
        self.env["crm.lead.lost"].create(
            {"lead_ids": [Command.set(other.ids)]}
        ).action_lost_reason_apply()
        self.assertFalse(other.active)

    def test_action_set_lost_keeps_odoo_contract(self):
        """Odoo's method accepts no reason (other modules, integrations call it so),
        whatever the company setting."""
        self.assertTrue(self.company.crm_sme_lost_reason_required)
        leads = self._create_opportunity() | self._create_opportunity()
        leads.action_set_lost()
        self.assertFalse(any(leads.mapped("active")))
        self.assertFalse(leads.lost_reason_id)

    def test_competitor_bad_price(self):
        lead = self._create_opportunity()
        competitor = self.env["crm.sme.competitor"].create({"name": "Cheap Paper Co (test)"})
        with self.assertRaises(ValidationError):
            lead.crm_sme_competitor_ids = [(0, 0, {"competitor_id": competitor.id, "price": -1.0})]

    # ------------------------------------------------------------
    # bad input
    # ------------------------------------------------------------

    def test_bad_lines(self):
        lead = self._create_opportunity(lines=[])
        Line = self.env["crm.sme.lead.line"].with_user(self.user_salesman)
        good = {"lead_id": lead.id, "product_id": self.product_stocked.id, "product_uom_qty": 1.0}
        for bad, message in (
            ({"product_uom_qty": -1.0}, "quantity cannot be negative"),
            ({"price_unit": -5.0}, "unit price cannot be negative"),
            ({"discount": 150.0}, "discount must be between"),
            ({"discount": -1.0}, "discount must be between"),
            ({"product_id": False}, "needs a product"),
        ):
            with self.subTest(bad=bad):
                with self.assertRaises(ValidationError) as caught:
                    Line.create([good, dict(good, **bad)])
                self.assertIn(message, str(caught.exception))
        other_warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_other.id)], limit=1
        )
        self.assertTrue(other_warehouse)
        with self.assertRaises(UserError):
            Line.sudo().create([good, dict(good, warehouse_id=other_warehouse.id)])
        # nothing half-written
        self.assertFalse(self.env["crm.sme.lead.line"].search([("lead_id", "=", lead.id)]))
        self.assertAlmostEqual(lead.crm_sme_amount_lines, 0.0)
        line = Line.create(good)
        with self.assertRaises(ValidationError):
            line.write({"discount": 101.0})
        self.assertEqual(line.discount, 0.0)

    # ------------------------------------------------------------
    # interactions from the opportunity
    # ------------------------------------------------------------

    def test_log_interaction_from_opportunity(self):
        lead = self._create_opportunity()
        action = lead.with_user(self.user_salesman).action_crm_sme_log_interaction()
        self.assertEqual(action["res_model"], "crm.sme.interaction")
        form = Form(
            self.env["crm.sme.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"])
        )
        form.name = "Visit to discuss the lamps"
        interaction = form.save()
        self.assertEqual(interaction.lead_id, lead)
        self.assertEqual(interaction.partner_id, self.customer)
        lead.invalidate_recordset()
        self.assertEqual(lead.crm_sme_interaction_count, 1)
        self.assertEqual(
            self.env["crm.sme.interaction"].search(
                lead.action_crm_sme_open_interactions()["domain"]
            ),
            interaction,
        )

    def test_merge_keeps_lines(self):
        first = self._create_opportunity(lines=[(self.product_stocked, 1.0)])
        second = self._create_opportunity(lines=[(self.product_short, 2.0)])
        merged = (first | second).merge_opportunity()
        self.assertEqual(
            set(merged.crm_sme_line_ids.product_id.ids),
            {self.product_stocked.id, self.product_short.id},
        )
        self.assertEqual(len(merged.crm_sme_line_ids), 2)

    def test_settings_and_team(self):
        # the settings are related to the company (written through)
        self.env["res.config.settings"].create(
            {
                "crm_sme_credit_gate": "block",
                "crm_sme_overdue_days": 45,
                "crm_sme_lost_reason_required": False,
                "crm_sme_revenue_from_lines": False,
            }
        )
        self.assertEqual(self.company.crm_sme_credit_gate, "block")
        self.assertEqual(self.company.crm_sme_overdue_days, 45)
        self.assertFalse(self.company.crm_sme_lost_reason_required)
        self.assertFalse(self.company.crm_sme_revenue_from_lines)
        self.assertEqual(
            self.env["crm.team"].create({"name": "New team (test)"}).crm_sme_auto_win, "order"
        )

    def test_views_load_for_salesperson(self):
        views = [
            (False, "form"),
            (False, "kanban"),
            (False, "list"),
            (False, "pivot"),
            (False, "search"),
        ]
        result = self.env["crm.lead"].with_user(self.user_salesman).get_views(views)
        self.assertIn("crm_sme_line_ids", result["views"]["form"]["arch"])
        self.assertIn("crm_sme_availability", result["views"]["kanban"]["arch"])
        self.assertIn("crm_sme_payment_status", result["views"]["list"]["arch"])
        self.assertIn("crm_sme_margin", result["views"]["pivot"]["arch"])
        self.assertIn("crm_sme_shortfall", result["views"]["search"]["arch"])
        order_form = (
            self.env["sale.order"].with_user(self.user_salesman).get_views([(False, "form")])
        )
        self.assertIn("crm_sme_credit_warning", order_form["views"]["form"]["arch"])
