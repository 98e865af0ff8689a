# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmSmePositionMixin(models.AbstractModel):
    """Documents that move a customer's position (crm.sme.customer.position):
    invoices, journal items, payments, deliveries, interactions. Each says
    which customers it concerns (:meth:`_crm_sme_position_partners`); the
    refresh itself lives here, once."""

    _name = "crm.sme.position.mixin"
    _description = "Documents moving customer positions"

    def _crm_sme_position_partners(self):
        """Partners (any member of the customer) whose position these records
        move; override per document."""
        return self.env["res.partner"]

    def _crm_sme_refresh_positions(self, partners=None):
        """Refresh the positions of the customers of these records, and of
        ``partners`` (e.g. the customers they belonged to before a write)."""
        partners = self._crm_sme_position_partners() | (partners or self.env["res.partner"])
        if partners:
            self.env["crm.sme.customer.position"].sudo()._refresh(partners)
