# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "crm.sme.position.mixin"]

    def _crm_sme_position_partners(self):
        return self.filtered(lambda line: line.account_type == "asset_receivable").partner_id

    def reconcile(self):
        res = super().reconcile()
        self._crm_sme_refresh_positions()
        return res

    def remove_move_reconcile(self):
        lines = self.matched_debit_ids.debit_move_id | self.matched_credit_ids.credit_move_id | self
        res = super().remove_move_reconcile()
        lines._crm_sme_refresh_positions()
        return res
