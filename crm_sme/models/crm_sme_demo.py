# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
import logging
import random

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

DEMO_PRODUCTS = [
    "product_a4_paper_demo",
    "product_gel_pen_demo",
    "product_notebook_demo",
    "product_folder_demo",
    "product_stapler_demo",
    "product_highlighter_demo",
]
VISIT_SUBJECTS = [
    "Quarterly visit",
    "New catalogue presentation",
    "Shelf check",
    "Price negotiation",
    "Back-to-school promotion",
    "Payment reminder",
    "Complaint follow-up",
    "Year-end order planning",
]


class CrmSmeDemo(models.AbstractModel):
    """Builds the demo story's business documents through Odoo's own flows:
    sale orders, deliveries, invoices, payments, credit notes and visits."""

    _name = "crm.sme.demo"
    _description = "SME CRM demo data builder"

    @api.model
    def _demo_customers(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "crm_sme"),
                ("model", "=", "res.partner"),
                ("name", "=like", "res_partner_c%_demo"),
                ("name", "not like", "contact"),
            ]
        )
        return self.env["res.partner"].browse(data.mapped("res_id")).sorted("id")

    @api.model
    def _load_demo_documents(self):
        customers = self._demo_customers()
        if not customers or self.env["sale.order"].search_count(
            [("partner_id", "in", customers.ids)]
        ):
            return  # already built (upgrade)
        rnd = random.Random(2024)
        company = self.env.company
        products = self.env["product.product"].browse(
            [self.env.ref(f"crm_sme.{x}").id for x in DEMO_PRODUCTS]
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        for product in products:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 100000
            )
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        orders = 0
        for index, customer in enumerate(customers):
            if index % 9 == 8:
                continue  # prospects and dormant customers: no orders
            count = 4 if customer.is_key_account else 1 + rnd.randint(0, 2)
            for number in range(count):
                # some customers have bought nothing for months: at risk
                days_ago = rnd.randint(3, 420) if index % 7 else rnd.randint(200, 420)
                # a key account's first order comes from a won opportunity (its trail fills up)
                opportunity = customer.is_key_account and number == 0
                self._demo_order(
                    customer, products, warehouse, rnd, today, now, days_ago, opportunity
                )
                orders += 1
            self._demo_interactions(customer, rnd, now)
        # A credit note for a returned box of paper.
        invoice = self.env["account.move"].search(
            [
                ("partner_id", "in", customers.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            limit=1,
            order="invoice_date desc",
        )
        if invoice:
            reversal = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "Damaged boxes returned", "journal_id": invoice.journal_id.id})
            )
            reversal.refund_moves()
            refund = invoice.reversal_move_ids
            refund.invoice_line_ids[1:].unlink()
            refund.invoice_line_ids.quantity = 1
            refund.action_post()
        self.env["crm.sme.customer.position"]._refresh()
        _logger.info("crm_sme demo: %s orders for %s customers", orders, len(customers))

    @api.model
    def _demo_order(
        self, customer, products, warehouse, rnd, today, now, days_ago, opportunity=False
    ):
        lines = [
            Command.create(
                {"product_id": product.id, "product_uom_qty": rnd.choice([5, 10, 20, 30, 50, 80])}
            )
            for product in rnd.sample(list(products), rnd.randint(1, 3))
        ]
        lead = self.env["crm.lead"]
        if opportunity:
            lead = lead.create(
                {
                    "name": "Annual supply contract",
                    "type": "opportunity",
                    "partner_id": customer.id,
                    "user_id": customer.user_id.id,
                    "team_id": customer.team_id.id,
                    "expected_revenue": 12000,
                }
            )
        order = (
            self.env["sale.order"]
            .with_context(crm_sme_demo=True)
            .create(
                {
                    "partner_id": customer.id,
                    "user_id": customer.user_id.id,
                    "team_id": customer.team_id.id,
                    "warehouse_id": warehouse.id,
                    "order_line": lines,
                    "opportunity_id": lead.id,
                }
            )
        )
        order.with_context(crm_sme_demo=True).action_confirm()
        order_date = now - timedelta(days=days_ago)
        order.date_order = order_date
        picking = order.picking_ids
        if days_ago < 15 and rnd.random() < 0.6:
            picking.scheduled_date = order_date + timedelta(days=2)  # open, often late
            return order
        partial = rnd.random() < 0.12
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty * (0.6 if partial else 1)
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = (
                self.env["stock.backorder.confirmation"]
                .with_context(**result["context"])
                .create(
                    {
                        "pick_ids": [Command.set(picking.ids)],
                    }
                )
            )
            wizard.process()
        picking.date_done = order_date + timedelta(days=2)
        invoice = order._create_invoices()
        invoice_date = (order_date + timedelta(days=3)).date()
        invoice.write(
            {
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date + timedelta(days=30),
                "invoice_payment_term_id": False,
            }
        )
        invoice.action_post()
        age = (today - invoice_date).days
        luck = rnd.random()
        if age > 45 and luck < 0.8 or age <= 45 and luck < 0.3:
            paid_on = min(invoice_date + timedelta(days=rnd.randint(10, 60)), today)
            amount = invoice.amount_total if luck < 0.7 else round(invoice.amount_total * 0.5, 2)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": paid_on, "amount": amount})._create_payments()
        return order

    @api.model
    def _demo_interactions(self, customer, rnd, now):
        vals = []
        for _n in range(rnd.randint(0, 3)):
            vals.append(
                {
                    "name": rnd.choice(VISIT_SUBJECTS),
                    "interaction_type": rnd.choice(["visit", "visit", "call", "meeting", "email"]),
                    "partner_id": customer.id,
                    "contact_id": customer.child_ids[:1].id,
                    "user_id": customer.user_id.id,
                    "date": now - timedelta(days=rnd.randint(1, 200), hours=rnd.randint(0, 8)),
                    "duration": rnd.choice([0.25, 0.5, 1.0, 1.5, 2.0]),
                    "expense_amount": rnd.choice([0, 0, 30, 60, 120, 200, 350]),
                    "outcome": "<p>Discussed shelf space and the new catalogue; buyer asked for a volume discount.</p>",
                }
            )
        if customer.is_key_account:
            vals.append(
                {
                    "name": "Key account review",
                    "interaction_type": "meeting",
                    "state": "planned",
                    "partner_id": customer.id,
                    "user_id": customer.user_id.id,
                    "date": now + timedelta(days=rnd.randint(2, 20)),
                }
            )
        self.env["crm.sme.interaction"].create(vals)
