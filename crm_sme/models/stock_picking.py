# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.sme.position.mixin"]

    # ------------------------------------------------------------------
    # Customer position (crm.sme.customer.position) follows deliveries
    # ------------------------------------------------------------------
    def _crm_sme_position_partners(self):
        return self.filtered(lambda p: p.picking_type_code == "outgoing").partner_id

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings._crm_sme_refresh_positions()
        return pickings

    def write(self, vals):
        partners = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        res = super().write(vals)
        if {"partner_id", "scheduled_date", "state"} & set(vals):
            self._crm_sme_refresh_positions(partners)
        return res

    def _action_done(self):
        res = super()._action_done()
        self._crm_sme_refresh_positions()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self._crm_sme_refresh_positions()
        return res

    def action_confirm(self):
        res = super().action_confirm()
        self._crm_sme_refresh_positions()
        return res
