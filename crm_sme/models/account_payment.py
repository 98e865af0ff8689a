# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "crm.sme.position.mixin"]

    # indexed: the customer form counts the customer's payments (360° figures)
    partner_id = fields.Many2one(index="btree_not_null")

    # ------------------------------------------------------------------
    # Customer position (crm.sme.customer.position) follows payments, also
    # those registered without a journal entry (settled at bank reconciliation)
    # ------------------------------------------------------------------
    def _crm_sme_position_partners(self):
        return self.filtered(lambda p: p.partner_type == "customer").partner_id

    def action_post(self):
        res = super().action_post()
        self._crm_sme_refresh_positions()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self._crm_sme_refresh_positions()
        return res

    def action_draft(self):
        res = super().action_draft()
        self._crm_sme_refresh_positions()
        return res
