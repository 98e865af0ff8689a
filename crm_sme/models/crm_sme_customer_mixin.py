# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmSmeCustomerMixin(models.AbstractModel):
    """Records filed on a customer company with an optional contact person
    (interactions, feedback): ``partner_id`` is always the commercial partner,
    ``contact_id`` the person met or writing. Inheriting models define both
    fields."""

    _name = "crm.sme.customer.mixin"
    _description = "Filed on a customer company, with its contact"

    @api.model
    def _crm_sme_file_on_company(self, vals_list):
        """Rewrite create values in place: a person given as customer becomes
        the contact and its company the customer; a contact alone gives the
        customer. One browse for the whole batch. The user must be able to
        read the customers and contacts given."""
        self.env["res.partner"]._crm_sme_check_linkable(
            [vals.get(fname) for vals in vals_list for fname in ("partner_id", "contact_id")]
        )
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
            | {vals["contact_id"] for vals in vals_list if vals.get("contact_id")}
        )
        commercial = {partner.id: partner.commercial_partner_id for partner in partners}
        for vals in vals_list:
            if not vals.get("partner_id") and vals.get("contact_id"):
                vals["partner_id"] = commercial[vals["contact_id"]].id
            if vals.get("partner_id"):
                customer = commercial[vals["partner_id"]]
                if customer.id != vals["partner_id"] and not vals.get("contact_id"):
                    vals["contact_id"] = vals["partner_id"]
                vals["partner_id"] = customer.id
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # defaults too (default_partner_id): filed only on customers the user can read
        self.env["res.partner"]._crm_sme_check_linkable(
            (records.partner_id | records.contact_id).ids
        )
        return records

    def write(self, vals):
        self.env["res.partner"]._crm_sme_check_linkable(
            [vals.get("partner_id"), vals.get("contact_id")]
        )
        return super().write(vals)

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id and not self.partner_id:
            self.partner_id = self.contact_id.commercial_partner_id
