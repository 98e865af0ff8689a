# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round


class CrmSmeLeadLine(models.Model):
    _name = "crm.sme.lead.line"
    _inherit = ["crm.sme.input.mixin", "crm.sme.lead.line.stock.mixin"]
    _description = "Opportunity Product Line"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, precompute=True
    )
    # prices are in the currency of the customer's pricelist (the quotation's
    # currency); sums, cost and margin in the company currency
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('sale_ok', '=', True)]",
        ondelete="restrict",
        index=True,
    )
    name = fields.Text(
        string="Description", compute="_compute_name", store=True, readonly=False, precompute=True
    )
    product_uom_qty = fields.Float(string="Quantity", digits="Product Unit of Measure", default=1.0)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="From the customer's pricelist; can be changed.",
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    price_subtotal = fields.Monetary(string="Subtotal", compute="_compute_amounts", store=True)
    price_subtotal_company = fields.Monetary(
        string="Subtotal in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amounts",
        store=True,
        help="The subtotal converted at the rate of the opportunity's date (expected "
        "closing, else creation).",
    )
    cost = fields.Monetary(
        currency_field="company_currency_id",
        compute="_compute_amounts",
        store=True,
        help="Product cost × quantity.",
    )
    margin = fields.Monetary(
        currency_field="company_currency_id", compute="_compute_amounts", store=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    date_expected = fields.Date(related="lead_id.date_deadline", string="Expected Closing")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("lead_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.lead_id.company_id or self.env.company

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if (
                not line.product_uom_id
                or line.product_uom_id.category_id != line.product_id.uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id

    @api.depends("lead_id.partner_id", "company_id")
    def _compute_currency_id(self):
        for line in self:
            company = line.company_id or self.env.company
            pricelist = line.lead_id.partner_id.commercial_partner_id.with_company(
                company
            ).property_product_pricelist
            line.currency_id = pricelist.currency_id or company.currency_id

    @api.depends("product_id", "product_uom_id", "product_uom_qty", "lead_id.partner_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                line.price_unit = 0.0
                continue
            product = line.product_id.with_company(line.company_id)
            pricelist = line.lead_id.partner_id.commercial_partner_id.with_company(
                line.company_id
            ).property_product_pricelist
            if pricelist:
                line.price_unit = pricelist._get_product_price(
                    product, line.product_uom_qty or 1.0, uom=line.product_uom_id
                )
            else:
                line.price_unit = product.uom_id._compute_price(
                    product.lst_price, line.product_uom_id
                )

    @api.depends(
        "product_uom_qty",
        "price_unit",
        "discount",
        "product_id",
        "product_uom_id",
        "currency_id",
        "company_id",
        "lead_id.date_deadline",
    )
    def _compute_amounts(self):
        for line in self:
            product = line.product_id.with_company(line.company_id)
            company = line.company_id or self.env.company
            currency = line.currency_id or company.currency_id
            price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            # untaxed, as the order's: prices of a company quoting taxes
            # included (Chinese VAT) hold the tax
            taxes = product.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(company)
            )
            if taxes:
                subtotal = taxes.compute_all(
                    price,
                    currency,
                    line.product_uom_qty,
                    product=product,
                    partner=line.lead_id.partner_id,
                )["total_excluded"]
            else:
                subtotal = line.product_uom_qty * price
            unit_cost = (
                product.uom_id._compute_price(product.standard_price, line.product_uom_id)
                if line.product_uom_id
                else product.standard_price
            )
            cost = line.product_uom_qty * unit_cost
            line.price_subtotal = currency.round(subtotal)
            line.price_subtotal_company = currency._convert(
                line.price_subtotal, company.currency_id, company, line._get_rate_date()
            )
            line.cost = company.currency_id.round(cost)
            line.margin = line.price_subtotal_company - line.cost

    @api.depends("company_id")
    def _compute_warehouse_id(self):
        warehouses = {}
        for line in self:
            if line.warehouse_id and line.warehouse_id.company_id == line.company_id:
                continue
            company = line.company_id
            if company not in warehouses:
                warehouses[company] = self.env["stock.warehouse"].search(
                    [("company_id", "=", company.id)], limit=1
                )
            line.warehouse_id = warehouses[company]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("product_uom_qty", "price_unit", "discount")
    def _check_amounts(self):
        errors = []
        for line in self:
            label = line.product_id.display_name or line.name or ""
            if line.product_uom_qty < 0:
                errors.append(_("%(product)s: the quantity cannot be negative.", product=label))
            if line.price_unit < 0:
                errors.append(_("%(product)s: the unit price cannot be negative.", product=label))
            if not 0 <= line.discount <= 100:
                errors.append(
                    _("%(product)s: the discount must be between 0 and 100 %%.", product=label)
                )
        if errors:
            raise ValidationError("\n".join(errors))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(not vals.get("product_id") for vals in vals_list):
            raise ValidationError(_("Every product line of an opportunity needs a product."))
        lines = super().create(vals_list)
        lines.lead_id._crm_sme_sync_expected_revenue()
        return lines

    def write(self, vals):
        if "product_id" in vals and not vals["product_id"]:
            raise ValidationError(_("Every product line of an opportunity needs a product."))
        leads = self.lead_id
        res = super().write(vals)
        if {"product_uom_qty", "price_unit", "discount", "product_id", "lead_id"} & set(vals):
            (leads | self.lead_id)._crm_sme_sync_expected_revenue()
        return res

    def unlink(self):
        leads = self.lead_id
        res = super().unlink()
        leads.exists()._crm_sme_sync_expected_revenue()
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_rate_date(self):
        """The opportunity's date, at which its prices are converted."""
        self.ensure_one()
        lead = self.lead_id
        return (
            lead.date_deadline
            or (lead.create_date and lead.create_date.date())
            or fields.Date.context_today(self)
        )

    def _prepare_sale_order_line_vals(self):
        """The order line agreed on the opportunity: same price and discount. The
        price is given as set by hand (``technical_price_unit``) so that the
        pricelist does not overwrite it. Without Odoo's discount setting the order
        form has no discount column (the web client would drop the value): the
        discount goes into the unit price then."""
        self.ensure_one()
        price_unit, discount = self.price_unit, self.discount
        if discount and not self.env.user.has_group("sale.group_discount_per_so_line"):
            price_unit = float_round(
                price_unit * (1.0 - discount / 100.0),
                precision_digits=self.env["decimal.precision"].precision_get("Product Price"),
            )
            discount = 0.0
        return {
            "product_id": self.product_id.id,
            "name": self.name,
            "product_uom_qty": self.product_uom_qty,
            "product_uom": self.product_uom_id.id,
            "price_unit": price_unit,
            "technical_price_unit": price_unit,
            "discount": discount,
            "sequence": self.sequence,
        }
