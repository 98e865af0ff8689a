# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Customer position (crm.sme.customer.position) follows invoices
    # ------------------------------------------------------------------
    def _crm_sme_refresh_positions(self):
        customers = self.filtered(
            lambda m: m.is_sale_document(include_receipts=True)
        ).commercial_partner_id
        if customers:
            self.env["crm.sme.customer.position"].sudo()._refresh(customers)

    # ------------------------------------------------------------------
    # Opportunities won at invoice or payment (crm.team auto-win policy)
    # ------------------------------------------------------------------
    def _crm_sme_opportunities(self):
        return self.filtered(
            lambda move: move.move_type == "out_invoice"
        ).invoice_line_ids.sale_line_ids.order_id.opportunity_id

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._crm_sme_refresh_positions()
        leads = posted._crm_sme_opportunities()
        if leads:
            leads._crm_sme_auto_win("invoice")
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._crm_sme_refresh_positions()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._crm_sme_refresh_positions()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "matched_payment_ids" in vals:
            # a payment without journal entry (no outstanding account) is only
            # matched to the invoice, never reconciled: Odoo's paid hook does not
            # run, and the payment was posted before it was matched
            self._crm_sme_refresh_positions()
            leads = self._crm_sme_opportunities()
            if leads:
                leads._crm_sme_auto_win("payment")
        return res

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        leads = self._crm_sme_opportunities()
        if leads:
            leads._crm_sme_auto_win("payment")
        return res
