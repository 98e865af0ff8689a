# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    crm_sme_is_free = fields.Boolean(
        string="Free Replacement",
        readonly=True,
        copy=False,
        help="Replacement for customer feedback: the line stays free (100 % discount) "
        "whatever its quantity or the pricelist, and does not count for the credit gate.",
    )

    def _compute_discount(self):
        res = super()._compute_discount()
        # the pricelist recomputes the discount when the quantity changes: a free
        # replacement stays free
        for line in self:
            if line.crm_sme_is_free and line.product_id and not line.display_type:
                line.discount = 100.0
        return res
