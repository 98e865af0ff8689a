# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools

# System parameter (Settings > Technical > System Parameters).
PARAM_UNKNOWN_SENDER = "crm_sme.feedback_alias_unknown_sender"


class CrmSmeFeedbackMailGatewayMixin(models.AbstractModel):
    """Feedback by email: the alias creates feedback, an employee's public reply
    is the first response.

    The concrete model provides ``partner_id``, ``contact_id``, ``email_from``,
    ``channel``, ``user_id`` and the deadline clocks
    (crm.sme.feedback.deadline.mixin).
    """

    _name = "crm.sme.feedback.mail.gateway.mixin"
    _inherit = ["mail.thread"]
    _description = "Feedback Mail Gateway"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Feedback from an email to the feedback alias.

        The customer is the sender's company. An unknown sender gets a new
        contact, unless the system parameter ``crm_sme.feedback_alias_unknown_sender``
        is ``reject`` (then the email bounces); the alias' "Accept Emails From"
        setting can also restrict senders to known partners.
        """
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        email = tools.email_normalize(msg_dict.get("email_from") or msg_dict.get("from") or "")
        if not email:
            raise ValueError(_("Feedback by email needs a sender address."))
        if not author:
            author = self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
        if not author:
            policy = (
                self.env["ir.config_parameter"].sudo().get_param(PARAM_UNKNOWN_SENDER, "create")
            )
            if policy == "reject":
                raise ValueError(
                    _("Feedback from an unknown sender is refused: %(email)s", email=email)
                )
            name = tools.parse_contact_from_email(msg_dict.get("email_from") or email)[0]
            author = self.env["res.partner"].create({"name": name or email, "email": email})
        values.update(
            {
                "name": msg_dict.get("subject") or _("Feedback by email"),
                "partner_id": author.commercial_partner_id.id,
                "contact_id": author.id if author.parent_id else False,
                "email_from": email,
                "channel": "email",
                "user_id": False,
            }
        )
        feedback = super(
            CrmSmeFeedbackMailGatewayMixin, self.with_context(default_user_id=False)
        ).message_new(msg_dict, custom_values=values)
        feedback.message_subscribe(partner_ids=author.ids)
        return feedback

    def _message_post_after_hook(self, message, msg_vals):
        """A public reply of an employee is the first response."""
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            pending = self.filtered(lambda f: not f.date_first_response)
            now = fields.Datetime.now()
            for feedback in pending.sudo():
                feedback.write(feedback._first_response_vals(now, feedback._get_calendar()))
        return super()._message_post_after_hook(message, msg_vals)
