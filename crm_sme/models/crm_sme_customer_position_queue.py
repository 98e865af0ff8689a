# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSmeCustomerPositionQueue(models.Model):
    """Customers whose position could not be refreshed in the transaction that
    changed their documents, because another transaction was refreshing the
    same customer at that moment: a triggered job refreshes them right after,
    in committed batches. Append-only, so that queueing never conflicts."""

    _name = "crm.sme.customer.position.queue"
    _description = "Customer Positions to Refresh"
    _log_access = False
    _order = "id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
