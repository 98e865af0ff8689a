# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        # Accountants read customers without editing them; they send them
        # their statement (and its copy in the chatter) all the same.
        check = super()._get_mail_message_access(res_ids, operation, model_name=model_name)
        if (
            operation == "create"
            and (model_name or self._name) == "res.partner"
            and self.env.user.has_group("account.group_account_invoice")
        ):
            return "read"
        return check
