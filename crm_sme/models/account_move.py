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

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._crm_sme_refresh_positions()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._crm_sme_refresh_positions()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._crm_sme_refresh_positions()
        return res
