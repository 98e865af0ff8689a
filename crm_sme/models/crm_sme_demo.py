# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
import logging
import random

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

DEMO_SEED = 2024
# product xml id -> (on hand left in the warehouse after the story, order multiple)
DEMO_PRODUCTS = {
    "product_a4_paper_demo": (1200, 10),
    "product_gel_pen_demo": (900, 10),
    "product_notebook_demo": (600, 10),
    "product_folder_demo": (450, 5),
    "product_stapler_demo": (240, 5),
    "product_highlighter_demo": (380, 5),
}
# The customers' story, by position in the demo file (0-based; c01 is 0):
# the six key accounts and five other large buyers hold most of the revenue,
# some bought nothing for 4-6 months (at risk) or 9-14 months (dormant), a
# few are prospects with an open opportunity and no order yet.
DEMO_BIG = (6, 10, 18, 25, 33)
DEMO_PROSPECTS = (16, 29, 44, 57)
DEMO_AT_RISK = (13, 27, 40, 47, 52, 58)
DEMO_DORMANT = (8, 21, 37, 49, 55, 59)
DEMO_NEW_CUSTOMERS = (11, 23, 31, 42, 50)  # won over this year through an opportunity


class CrmSmeDemo(models.AbstractModel):
    """Builds the demo story's business documents through Odoo's own flows:
    the Ningbo company's chart, stock, opportunities, sale orders, deliveries,
    invoices, payments, a credit note, visits and feedback over 14 months.
    Deterministic (seeded): the same story on every database."""

    _name = "crm.sme.demo"
    _description = "SME CRM demo data builder"

    @api.model
    def _demo_company(self):
        return self.env.ref("crm_sme.res_company_wenhua_demo", raise_if_not_found=False)

    @api.model
    def _load_demo_company(self):
        """The Chinese chart of accounts and taxes (l10n_cn, template "cn") on the
        demo company when l10n_cn is installed, else Odoo's generic chart (in CNY):
        crm_sme itself never forces a Chinese chart on a database."""
        company = self._demo_company()
        if not company or company.chart_template:
            return
        l10n_cn = self.env["ir.module.module"].search(
            [("name", "=", "l10n_cn"), ("state", "=", "installed")]
        )
        template = "cn" if l10n_cn else "generic_coa"
        if not l10n_cn:
            _logger.info(
                "crm_sme demo: l10n_cn is not installed, generic chart on %s", company.name
            )
        self.env["account.chart.template"].try_loading(template, company, install_demo=False)
        if not self.env["stock.warehouse"].search_count([("company_id", "=", company.id)]):
            self.env["stock.warehouse"].create(
                {"name": "宁波仓库 Ningbo", "code": "NB", "company_id": company.id}
            )
        # the administrator may open the demo company; the demo users land in it
        self.env.ref("base.user_admin").write({"company_ids": [Command.link(company.id)]})

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
        company = self._demo_company() or self.env.company
        demo = self.with_company(company).with_context(
            allowed_company_ids=company.ids, tz="Asia/Shanghai", mail_notrack=True
        )
        customers = demo._demo_customers()
        if not customers or demo.env["sale.order"].search_count(
            [("partner_id", "in", customers.ids), ("company_id", "=", company.id)]
        ):
            return  # already built (upgrade)
        rnd = random.Random(DEMO_SEED)
        products = {xmlid: demo.env.ref(f"crm_sme.{xmlid}") for xmlid in DEMO_PRODUCTS}
        # product_demo.xml gives the costs in the company that loads it: the
        # Ningbo company buys at the same costs (margins of the value scores)
        loader = self.env.company
        for product in products.values():
            if not product.standard_price:
                product.standard_price = product.with_company(loader).standard_price
        sale_tax = company.account_sale_tax_id
        if sale_tax:
            for product in products.values():
                product.taxes_id = [Command.link(sale_tax.id)]
        warehouse = demo.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        plan = demo._demo_plan(customers, products, rnd)
        demo._demo_initial_stock(plan, products, warehouse)
        today = fields.Date.context_today(demo)
        now = fields.Datetime.now()
        invoices = demo.env["account.move"]
        for entry in sorted(plan, key=lambda entry: -entry["days_ago"]):
            invoice = demo._demo_order(entry, warehouse, rnd, today, now)
            if not entry["won"]:
                invoices |= invoice
        demo._demo_credit_note(invoices, today)
        demo._demo_pipeline(customers, products, rnd, now)
        demo._demo_interactions(customers, rnd, now)
        demo._demo_feedback(customers, products, rnd, now)
        demo.env["crm.sme.customer.position"]._refresh()
        # What the scheduled jobs would have found by now: scores and tiers,
        # this week's visit plan, visits due and win-back activities.
        demo.env["res.partner"]._crm_sme_recompute_values(companies=company)
        demo._demo_value_history(company, today)
        demo.env["crm.sme.visit.plan.line"]._generate(company)
        demo.env["crm.sme.visit.due"]._create_activities(company)
        demo.env["crm.sme.churn.watch"]._create_winback_activities(company)
        _logger.info("crm_sme demo: %s orders for %s customers", len(plan), len(customers))

    # ------------------------------------------------------------
    # PLAN
    # ------------------------------------------------------------

    @api.model
    def _demo_segment(self, index, customer):
        if customer.is_key_account:
            return "key"
        for segment, indexes in (
            ("big", DEMO_BIG),
            ("prospect", DEMO_PROSPECTS),
            ("at_risk", DEMO_AT_RISK),
            ("dormant", DEMO_DORMANT),
        ):
            if index in indexes:
                return segment
        return "regular"

    @api.model
    def _demo_plan(self, customers, products, rnd):
        """The orders of the story: (customer, days ago, lines, won through an
        opportunity). Order counts, sizes and dates follow the customer's segment."""
        # segment -> (orders (min, max), untaxed value per order in CNY, days ago)
        shapes = {
            "key": ((6, 8), (16000, 42000), (3, 420)),
            "big": ((4, 5), (9000, 22000), (3, 420)),
            "regular": ((1, 2), (1800, 7000), (3, 420)),
            "at_risk": ((1, 3), (2500, 7500), (120, 420)),
            "dormant": ((1, 2), (1500, 5000), (270, 425)),
        }
        plan = []
        for index, customer in enumerate(customers):
            segment = self._demo_segment(index, customer)
            if segment == "prospect":
                continue
            (low, high), (vmin, vmax), (dmin, dmax) = shapes[segment]
            count = rnd.randint(low, high)
            days = sorted((rnd.randint(dmin, dmax) for _n in range(count)), reverse=True)
            if segment == "at_risk":
                days[-1] = rnd.randint(120, 180)  # the last order 4-6 months ago
                days = sorted(days, reverse=True)
            for number, days_ago in enumerate(days):
                won = number == 0 and (segment in ("key", "big") or index in DEMO_NEW_CUSTOMERS)
                plan.append(
                    {
                        "customer": customer,
                        "segment": segment,
                        "days_ago": days_ago,
                        "lines": self._demo_lines(products, rnd.uniform(vmin, vmax), rnd),
                        "won": won,
                    }
                )
        return plan

    @api.model
    def _demo_lines(self, products, value, rnd):
        """1-3 products whose quantities (in order multiples) make about ``value``."""
        chosen = rnd.sample(sorted(products), rnd.randint(1, 3))
        lines = []
        for xmlid in chosen:
            product = products[xmlid]
            multiple = DEMO_PRODUCTS[xmlid][1]
            share = value / len(chosen)
            qty = max(multiple, round(share / product.list_price / multiple) * multiple)
            lines.append((product, qty))
        return lines

    @api.model
    def _demo_initial_stock(self, plan, products, warehouse):
        """The warehouse before the story: what the orders take plus what is left
        on hand at the end (a stationery wholesaler's stock), counted 15 months ago."""
        needed = dict.fromkeys(products.values(), 0)
        for entry in plan:
            for product, qty in entry["lines"]:
                needed[product] += qty
        quants = self.env["stock.quant"]
        for xmlid, product in products.items():
            quants |= (
                self.env["stock.quant"]
                .with_context(inventory_mode=True)
                .create(
                    {
                        "product_id": product.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": needed[product] + DEMO_PRODUCTS[xmlid][0],
                    }
                )
            )
        quants.action_apply_inventory()
        counted = fields.Datetime.now() - timedelta(days=450)
        moves = self.env["stock.move"].search(
            [
                ("is_inventory", "=", True),
                ("product_id", "in", [p.id for p in products.values()]),
                ("location_dest_id", "=", warehouse.lot_stock_id.id),
            ]
        )
        moves.write({"date": counted})
        moves.move_line_ids.write({"date": counted})

    # ------------------------------------------------------------
    # ORDERS
    # ------------------------------------------------------------

    @api.model
    def _demo_order(self, entry, warehouse, rnd, today, now):
        """One order through Odoo's flows; returns its posted invoice (if any)."""
        customer = entry["customer"]
        order_date = now - timedelta(days=entry["days_ago"], hours=rnd.randint(0, 6))
        lead = self.env["crm.lead"]
        if entry["won"]:
            lead = self._demo_won_lead(entry, order_date, rnd)
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": customer.user_id.id,
                "team_id": customer.team_id.id,
                "warehouse_id": warehouse.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in entry["lines"]
                ],
            }
        )
        order.action_confirm()
        order.date_order = order_date
        picking = order.picking_ids
        if not entry["won"] and entry["days_ago"] < 15 and rnd.random() < 0.6:
            picking.scheduled_date = order_date + timedelta(days=2)  # open, often late
            return self.env["account.move"]
        partial = not entry["won"] and rnd.random() < 0.12
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty * (0.6 if partial else 1)
            move.picked = True
        result = picking.with_context(skip_sms=True).button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = (
                self.env["stock.backorder.confirmation"]
                .with_context(**result["context"])
                .create({"pick_ids": [Command.set(picking.ids)]})
            )
            wizard.process()
        done = order_date + timedelta(days=2)
        picking.date_done = done
        picking.move_ids.write({"date": done})
        picking.move_ids.move_line_ids.write({"date": done})
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
        return invoice

    @api.model
    def _demo_credit_note(self, invoices, today):
        """A credit note for a returned box, on an invoice of about six weeks ago
        (never on a won opportunity's invoice: its trail stays whole)."""
        invoice = invoices.filtered(
            lambda move: move.state == "posted" and (today - move.invoice_date).days >= 40
        ).sorted("invoice_date", reverse=True)[:1]
        if not invoice:
            return
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Damaged boxes returned",
                    "journal_id": invoice.journal_id.id,
                    "date": invoice.invoice_date + timedelta(days=12),
                }
            )
        )
        reversal.refund_moves()
        refund = invoice.reversal_move_ids
        refund.invoice_line_ids[1:].unlink()
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
