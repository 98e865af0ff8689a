# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .crm_sme_feedback_sla import FEEDBACK_PRIORITIES

# System parameter (Settings > Technical > System Parameters).
PARAM_KEY_ACCOUNT_PRIORITY = "crm_sme.feedback_key_account_priority"


class CrmSmeFeedbackGreenChannelMixin(models.AbstractModel):
    """Green channel: open feedback of key accounts gets a higher priority.

    The concrete model provides ``priority`` (FEEDBACK_PRIORITIES),
    ``partner_id`` and ``is_closed``.
    """

    _name = "crm.sme.feedback.green.channel.mixin"
    _description = "Feedback Green Channel"

    is_green_channel = fields.Boolean(
        string="Green Channel",
        readonly=True,
        copy=False,
        help="Raised automatically because the customer is a key account.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        green = self._key_account_priority()
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        if green and partner_ids:
            customers = self.env["res.partner"].browse(partner_ids)
            keys = set(customers.filtered("is_key_account").ids)
            for vals in vals_list:
                if vals.get("partner_id") in keys and vals.get("priority", "1") < green:
                    vals["priority"] = green
                    vals["is_green_channel"] = True
        self._apply_tier_policy_priority(vals_list)
        return super().create(vals_list)

    @api.model
    def _apply_tier_policy_priority(self, vals_list):
        """New feedback gets at least the service priority of the tier policy
        of its customer's value tier (in the feedback's company)."""
        by_company = {}
        for vals in vals_list:
            if vals.get("partner_id"):
                company_id = vals.get("company_id") or self.env.company.id
                by_company.setdefault(company_id, []).append(vals)
        for company_id, company_vals in by_company.items():
            # sudo: the tier and the policies drive the priority whoever files the feedback
            company = self.env["res.company"].sudo().browse(company_id)
            policies = self.env["crm.sme.tier.policy"]._policies_by_tier(company)
            if not policies:
                continue
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .browse({vals["partner_id"] for vals in company_vals})
            )
            tiers = {p.id: p.commercial_partner_id.crm_sme_value_tier for p in partners}
            for vals in company_vals:
                policy = policies.get(tiers.get(vals["partner_id"]))
                priority = policy.service_priority if policy else ""
                if priority and vals.get("priority", "1") < priority:
                    vals["priority"] = priority
                    vals["is_green_channel"] = True

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals and "priority" not in vals:
            # A feedback moved to a key account gets the green channel too.
            self._apply_green_channel()
        return res

    @api.model
    def _apply_green_channel(self):
        """Raise open feedback of key accounts to the green-channel priority."""
        green = self._key_account_priority()
        if not green:
            return
        raised = self.sudo().filtered(
            lambda f: not f.is_closed
            and f.partner_id.commercial_partner_id.is_key_account
            and f.priority < green
        )
        raised.write({"priority": green, "is_green_channel": True})

    def _key_account_priority(self):
        """Priority given to key accounts ('' disables the green channel)."""
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_KEY_ACCOUNT_PRIORITY, "2")
        return value if value in dict(FEEDBACK_PRIORITIES) else ""
