# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..report.crm_sme_statement_report import PERIOD_KEYS


class CrmSmeStatementWizard(models.TransientModel):
    """Print, download or email the statement of one or several customers."""

    _name = "crm.sme.statement.wizard"
    _description = "Customer Statement"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: self.env["crm.sme.statement"]._default_period()[0],
    )
    date_to = fields.Date(
        "To", required=True, default=lambda self: self.env["crm.sme.statement"]._default_period()[1]
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "partner_ids" in fields_list
            and not values.get("partner_ids")
            and context.get("active_model") == "res.partner"
        ):
            ids = context.get("active_ids") or (
                [context["active_id"]] if context.get("active_id") else []
            )
            values["partner_ids"] = [(6, 0, [pid for pid in ids if isinstance(pid, int)])]
        return values

    @api.constrains("date_from", "date_to")
    def _check_crm_sme_period(self):
        for wizard in self:
            self.env["crm.sme.statement"]._check_period(wizard.date_from, wizard.date_to)

    def _checked(self):
        self.ensure_one()
        Statement = self.env["crm.sme.statement"]
        Statement._check_period(self.date_from, self.date_to)
        # sudo: the ids as chosen, the customers the user may not read included,
        # so that they are refused (not silently left out) by the check
        partners = self.sudo().partner_ids.with_env(self.env)
        return Statement._check_customers(partners, self.company_id)

    def _report_data(self, partners):
        return {
            "partner_ids": partners.ids,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }

    def action_print_pdf(self):
        partners = self._checked()
        action = self.env.ref("crm_sme.action_report_customer_statement").report_action(
            partners, data=self._report_data(partners)
        )
        action["close_on_report_download"] = True
        return action

    def action_download_xlsx(self):
        partners = self._checked()
        Statement = self.env["crm.sme.statement"]
        content = Statement._xlsx(
            Statement._statements(partners, self.date_from, self.date_to, company=self.company_id)
        )
        name = (
            _("Statement - %(customer)s.xlsx", customer=partners.name)
            if len(partners) == 1
            else _("Statements.xlsx")
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_send_email(self):
        partners = self._checked()
        if len(partners) != 1:
            raise UserError(_("Send the statement to one customer at a time."))
        template = self.env.ref("crm_sme.mail_template_customer_statement")
        context = {
            "default_model": "res.partner",
            "default_res_ids": partners.ids,
            "default_template_id": template.id,
            "default_composition_mode": "comment",
            "default_email_layout_xmlid": "mail.mail_notification_light",
            "force_email": True,
            PERIOD_KEYS[0]: fields.Date.to_string(self.date_from),
            PERIOD_KEYS[1]: fields.Date.to_string(self.date_to),
        }
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Statement"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }
