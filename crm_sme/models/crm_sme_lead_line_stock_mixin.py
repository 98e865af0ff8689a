# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.tools import float_compare

# What the opportunities' own confirmed orders already take from stock, per
# (opportunity, product, warehouse), in the product's unit: "reserved" (reserved
# or picked, not done: counted out of Odoo's free_qty), "outgoing" (leaving the
# warehouse by the opportunity's closing date: counted out of virtual_available)
# and "delivered" (done, returns deducted, like the order lines' qty_delivered).
OWN_DEMAND_QUERY = """
    WITH own AS (
        SELECT sm.id, so.opportunity_id AS lead_id, sm.product_id, sm.product_qty, sm.date,
               sm.state, sm.location_id, sm.location_dest_id
          FROM stock_move sm
          JOIN sale_order_line sol ON sol.id = sm.sale_line_id
          JOIN sale_order so ON so.id = sol.order_id
         WHERE so.opportunity_id = ANY(%(lead_ids)s::int[])
           AND so.state = 'sale'
           AND sm.state NOT IN ('draft', 'cancel')
    )
    SELECT own.lead_id, own.product_id, loc.warehouse_id, 'reserved', SUM(sml.quantity_product_uom)
      FROM own
      JOIN stock_move_line sml ON sml.move_id = own.id
      JOIN stock_location loc ON loc.id = sml.location_id
     WHERE own.state != 'done' AND loc.warehouse_id IS NOT NULL
     GROUP BY 1, 2, 3
    UNION ALL
    SELECT own.lead_id, own.product_id, src.warehouse_id,
           CASE WHEN own.state = 'done' THEN 'delivered' ELSE 'outgoing' END, SUM(own.product_qty)
      FROM own
      JOIN crm_lead lead ON lead.id = own.lead_id
      JOIN stock_location src ON src.id = own.location_id
      JOIN stock_location dst ON dst.id = own.location_dest_id
     WHERE src.warehouse_id IS NOT NULL
       AND dst.warehouse_id IS DISTINCT FROM src.warehouse_id
       AND (own.state = 'done' OR lead.date_deadline IS NULL
            OR own.date < lead.date_deadline + 1)
     GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT own.lead_id, own.product_id, dst.warehouse_id, 'returned', SUM(own.product_qty)
      FROM own
      JOIN stock_location src ON src.id = own.location_id
      JOIN stock_location dst ON dst.id = own.location_dest_id
     WHERE own.state = 'done'
       AND dst.warehouse_id IS NOT NULL
       AND src.warehouse_id IS DISTINCT FROM dst.warehouse_id
     GROUP BY 1, 2, 3
"""


class CrmSmeLeadLineStockMixin(models.AbstractModel):
    """Live stock availability of an opportunity's product lines (Odoo's own
    free_qty / virtual_available per warehouse and closing date), without the
    demand of the opportunity's own confirmed orders. Used by ``crm.sme.lead.line``
    (product_id, product_uom_id, product_uom_qty, warehouse_id, lead_id)."""

    _name = "crm.sme.lead.line.stock.mixin"
    _description = "Opportunity Line Stock Availability"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # live stock figures (Odoo's own free_qty / virtual_available, per warehouse and date)
    free_qty = fields.Float(
        string="Free Now", compute="_compute_availability", digits="Product Unit of Measure"
    )
    forecast_qty = fields.Float(
        string="Forecast at Closing",
        compute="_compute_availability",
        digits="Product Unit of Measure",
    )
    shortfall_qty = fields.Float(
        string="Shortfall", compute="_compute_availability", digits="Product Unit of Measure"
    )
    is_shortfall = fields.Boolean(string="Shortfall?", compute="_compute_availability")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context("company")
    @api.depends(
        "product_id", "product_uom_id", "product_uom_qty", "warehouse_id", "lead_id.date_deadline"
    )
    def _compute_availability(self):
        """Odoo's own stock figures, read once per warehouse (free now) and once per
        (warehouse, closing date) group (forecast), never per line. What the
        opportunity's own confirmed orders reserve or ship is its own demand, not a
        shortfall: it is added back, and what they delivered is no longer needed."""
        own = self._get_own_demand()
        by_warehouse = defaultdict(set)  # warehouse id -> product ids
        by_warehouse_date = defaultdict(list)  # (warehouse id, date) -> lines
        figures = {}  # line -> (free, forecast, shortfall)
        for line in self:
            product = line.product_id
            if not product or not product.is_storable:
                continue
            warehouse_id = line.warehouse_id.id or False
            by_warehouse[warehouse_id].add(product.id)
            by_warehouse_date[(warehouse_id, line.lead_id.date_deadline)].append(line)
        Product = self.env["product.product"]
        free = {}
        for warehouse_id, product_ids in by_warehouse.items():
            products = Product.browse(product_ids).with_context(warehouse_id=warehouse_id)
            for row in products.read(["free_qty"], load=False):
                free[(warehouse_id, row["id"])] = row["free_qty"]
        for (warehouse_id, date), lines in by_warehouse_date.items():
            ctx = {"warehouse_id": warehouse_id}
            if date:
                ctx["to_date"] = datetime.combine(date, time.max)
            products = Product.browse({line.product_id.id for line in lines}).with_context(**ctx)
            forecast = {
                row["id"]: row["virtual_available"]
                for row in products.read(["virtual_available"], load=False)
            }
            for line in lines:
                product = line.product_id
                uom = line.product_uom_id or product.uom_id
                free_qty = free.get((warehouse_id, product.id), 0.0)
                forecast_qty = forecast.get(product.id, 0.0)
                own_figures = own.get((line.lead_id._origin.id, product.id), {})
                if warehouse_id:
                    own_figures = own_figures.get(warehouse_id, {})
                else:  # no warehouse: all the company's warehouses, like Odoo's figures
                    own_figures = {
                        kind: sum(per_kind.get(kind, 0.0) for per_kind in own_figures.values())
                        for kind in ("reserved", "outgoing", "delivered", "returned")
                    }
                free_qty += own_figures.get("reserved", 0.0)
                forecast_qty += own_figures.get("outgoing", 0.0)
                delivered = own_figures.get("delivered", 0.0) - own_figures.get("returned", 0.0)
                if uom != product.uom_id:
                    free_qty = product.uom_id._compute_quantity(
                        free_qty, uom, rounding_method="HALF-UP"
                    )
                    forecast_qty = product.uom_id._compute_quantity(
                        forecast_qty, uom, rounding_method="HALF-UP"
                    )
                    delivered = product.uom_id._compute_quantity(
                        delivered, uom, rounding_method="HALF-UP"
                    )
                missing = line.product_uom_qty - max(delivered, 0.0) - forecast_qty
                if float_compare(missing, 0.0, precision_rounding=uom.rounding) <= 0:
                    missing = 0.0
                figures[line] = (free_qty, forecast_qty, missing)
        for line in self:
            free_qty, forecast_qty, missing = figures.get(line, (0.0, 0.0, 0.0))
            line.free_qty = free_qty
            line.forecast_qty = forecast_qty
            line.shortfall_qty = missing
            line.is_shortfall = bool(missing)

    def _get_own_demand(self):
        """{(lead id, product id): {warehouse id: {kind: qty}}} of the opportunities'
        own confirmed orders (see OWN_DEMAND_QUERY), in one query for all lines."""
        lead_ids = [lead_id for lead_id in self.lead_id._origin.ids if lead_id]
        if not lead_ids:
            return {}
        for model in ("sale.order", "sale.order.line", "stock.move", "stock.move.line"):
            self.env[model].flush_model()
        self.env["crm.lead"].flush_model(["date_deadline"])
        self.env.cr.execute(OWN_DEMAND_QUERY, {"lead_ids": lead_ids})
        own = defaultdict(lambda: defaultdict(dict))
        for lead_id, product_id, warehouse_id, kind, qty in self.env.cr.fetchall():
            own[(lead_id, product_id)][warehouse_id][kind] = qty or 0.0
        return own
