# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestOpportunityUi(HttpCase):
    def test_opportunity_tour(self):
        """Scenario 3 in the browser: shortfall, quotation with both lines, won."""
        env = self.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        product_vals = {"type": "consu", "is_storable": True, "taxes_id": [Command.clear()]}
        box = env["product.product"].create(
            dict(product_vals, name="Stationery box (tour)", list_price=100.0)
        )
        lamp = env["product.product"].create(
            dict(product_vals, name="Desk lamp (tour)", list_price=50.0)
        )
        env["stock.quant"]._update_available_quantity(box, warehouse.lot_stock_id, 100.0)
        env["crm.stage"].create({"name": "Won (tour)", "sequence": 99, "is_won": True})
        team = env["crm.team"].create({"name": "Tour team", "crm_sme_auto_win": "order"})
        customer = env["res.partner"].create({"name": "Tour Supermarket", "is_company": True})
        env.company.crm_sme_credit_gate = "warn"
        lead = env["crm.lead"].create(
            {
                "name": "Stationery for the new store",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": env.ref("base.user_admin").id,
                "team_id": team.id,
                "date_deadline": fields.Date.add(fields.Date.today(), days=10),
                "crm_sme_line_ids": [
                    Command.create(
                        {"product_id": box.id, "product_uom_qty": 10.0, "discount": 5.0}
                    ),
                    Command.create({"product_id": lamp.id, "product_uom_qty": 5.0}),
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}",
            "crm_sme_opportunity_tour",
            login="admin",
        )
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(len(lead.order_ids.order_line), 2)
        self.assertEqual(lead.order_ids.state, "sale")
        # the agreed discount reached the order; the expected revenue is untouched
        self.assertAlmostEqual(lead.order_ids.amount_untaxed, 950.0 + 250.0)
        self.assertAlmostEqual(lead.expected_revenue, 950.0 + 250.0)
        self.assertEqual(env["crm.sme.interaction"].search_count([("lead_id", "=", lead.id)]), 1)

    def test_credit_gate_tour(self):
        """Scenario 4 in the browser: blocked for the salesperson, overridden by the manager."""
        env = self.env
        company = env.company
        company.write(
            {
                "account_use_credit_limit": True,
                "crm_sme_credit_gate": "block",
                "crm_sme_overdue_days": 30,
            }
        )
        salesman = new_test_user(
            env, "crm_sme_tour_sales", "sales_team.group_sale_salesman", name="Tour Sales"
        )
        manager = new_test_user(
            env, "crm_sme_tour_manager", "sales_team.group_sale_manager", name="Tour Manager"
        )
        customer = env["res.partner"].create(
            {"name": "Late Payer Ltd", "is_company": True, "user_id": salesman.id}
        )
        customer.with_company(company).credit_limit = 1000.0
        product = env["product.product"].create(
            {"name": "Paper (tour)", "list_price": 100.0, "taxes_id": []}
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
                            "quantity": 8,
                            "price_unit": 100.0,
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
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5, "tax_id": []})
                ],
            }
        )
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}"
        with mute_logger("odoo.http"):  # the refusal is an expected UserError
            self.start_tour(url, "crm_sme_credit_gate_salesperson_tour", login=salesman.login)
        self.assertEqual(order.state, "draft")
        self.start_tour(url, "crm_sme_credit_gate_manager_tour", login=manager.login)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.crm_sme_credit_override_user_id, manager)
        self.assertTrue(any("bank transfer" in body for body in order.message_ids.mapped("body")))
