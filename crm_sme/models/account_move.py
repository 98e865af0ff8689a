# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_sme_opportunities(self):
        return self.filtered(
            lambda move: move.move_type == "out_invoice"
        ).invoice_line_ids.sale_line_ids.order_id.opportunity_id

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        leads = posted._crm_sme_opportunities()
        if leads:
            leads._crm_sme_auto_win("invoice")
        return posted

    def write(self, vals):
        res = super().write(vals)
        if "matched_payment_ids" in vals:
            # a payment without journal entry (no outstanding account) is only
            # matched to the invoice, never reconciled: Odoo's paid hook does not run
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
