# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command, fields

from .common import CrmSmeCommon


def in_payment_state(move):
    """Odoo's Accounting app's answer to _get_invoice_in_payment_state: an invoice
    settled by a payment not yet reconciled with the bank is "In Payment", and a
    payment on a journal without outstanding account gets no journal entry, on
    every 18.0 build (see OpportunityCommon._accounting_app)."""
    return "in_payment"


class OpportunityCommon(CrmSmeCommon):
    """A customer of the salesperson, two storable products (one in stock, one
    not), a won stage and an opportunity factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ningbo Supermarket (test)",
                "is_company": True,
                "user_id": cls.user_salesman.id,
            }
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Retail (test)",
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "compute_price": "percentage",
                            "percent_price": 10,
                            "applied_on": "3_global",
                        }
                    )
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist
        product_vals = {
            "type": "consu",
            "is_storable": True,
            "invoice_policy": "delivery",
            "company_id": False,
            "taxes_id": [Command.clear()],
        }
        cls.product_stocked = cls.env["product.product"].create(
            dict(product_vals, name="Stationery box (test)", list_price=100.0, standard_price=60.0)
        )
        cls.product_short = cls.env["product.product"].create(
            dict(product_vals, name="Desk lamp (test)", list_price=50.0, standard_price=20.0)
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_stocked, cls.warehouse.lot_stock_id, 100.0
        )
        cls.stage_new = cls.env["crm.stage"].create({"name": "New (test)", "sequence": 1})
        cls.stage_won = cls.env["crm.stage"].create(
            {"name": "Won (test)", "sequence": 70, "is_won": True}
        )
        cls.team.crm_sme_auto_win = "order"
        # payments post a journal entry on an outstanding account and reconcile
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        outstanding = cls.env["account.account"].create(
            {
                "name": "Outstanding Receipts (test)",
                "code": "101998",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )
        cls.bank_journal.inbound_payment_method_line_ids.payment_account_id = outstanding
        # a bank journal without outstanding account: payments get no journal entry
        # when Odoo's Accounting app is installed (see _accounting_app)
        cls.bank_journal_no_entry = cls.env["account.journal"].create(
            {"name": "Bank (no outstanding account)", "type": "bank", "code": "BNOO"}
        )
        cls.bank_journal_no_entry.inbound_payment_method_line_ids.payment_account_id = False
        cls.company.crm_sme_credit_gate = "warn"

    @contextmanager
    def _accounting_app(self):
        """Odoo as with its Accounting app (account_accountant) installed, which
        overrides this hook the same way: an invoice settled by a payment that
        is not yet reconciled with the bank shows "In Payment" (not "Paid"), and
        a payment on a journal without outstanding account gets no journal
        entry. Without the app, 18.0 builds of 2025 always make the entry,
        earlier ones only when the journal has an outstanding account."""
        with patch.object(
            type(self.env["account.move"]), "_get_invoice_in_payment_state", in_payment_state
        ):
            yield

    @classmethod
    def _create_opportunity(cls, user=None, lines=None, **vals):
        user = user or cls.user_salesman
        values = {
            "name": "Stationery for the new store",
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "user_id": user.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
            "date_deadline": fields.Date.add(fields.Date.today(), days=15),
        }
        values.update(vals)
        if lines is None:
            lines = [(cls.product_stocked, 10.0), (cls.product_short, 5.0)]
        values["crm_sme_line_ids"] = [
            Command.create({"product_id": product.id, "product_uom_qty": qty})
            for product, qty in lines
        ]
        return cls.env["crm.lead"].with_user(user).create(values)

    def _quotation_from(self, lead, user=None):
        """The quotation made through sale_crm's "New Quotation" button."""
        lead = lead.with_user(user or self.user_salesman)
        action = lead.action_sale_quotations_new()
        return (
            self.env["sale.order"]
            .with_user(user or self.user_salesman)
            .with_context(**action["context"])
            .create({})
        )

    def _deliver(self, order, quantities):
        """Validate the order's delivery for ``{product: qty}`` (backorder for the rest)."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None, journal=None):
        """Register a payment; on ``bank_journal`` it always gets a journal entry."""
        ctx = {"active_model": "account.move", "active_ids": invoice.ids}
        vals = {"journal_id": (journal or self.bank_journal).id}
        if amount is not None:
            vals["amount"] = amount
        return (
            self.env["account.payment.register"].with_context(**ctx).create(vals)._create_payments()
        )
