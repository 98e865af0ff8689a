# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import HttpCase, tagged


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
                    Command.create({"product_id": box.id, "product_uom_qty": 10.0}),
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
        self.assertEqual(env["crm.sme.interaction"].search_count([("lead_id", "=", lead.id)]), 1)
