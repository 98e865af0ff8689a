# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _crm_sme_refresh_positions(self):
        receivable = self.filtered(lambda line: line.account_type == "asset_receivable")
        if receivable.partner_id:
            self.env["crm.sme.customer.position"].sudo()._refresh(receivable.partner_id)

    def reconcile(self):
        res = super().reconcile()
        self._crm_sme_refresh_positions()
        return res

    def remove_move_reconcile(self):
        lines = self.matched_debit_ids.debit_move_id | self.matched_credit_ids.credit_move_id | self
        res = super().remove_move_reconcile()
        lines._crm_sme_refresh_positions()
        return res
