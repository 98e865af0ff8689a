# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re

import psycopg2

from odoo import api, fields, models
from odoo.modules.db import has_trigram
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)

# Legal-form words left out when comparing company names for duplicates.
NAME_NOISE_WORDS = {
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "sarl",
    "sa",
    "bv",
    "plc",
    "group",
    "the",
}
NAME_NOISE_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团")
NAME_SPLIT = re.compile(r"[\W_]+")
VAT_NOISE = re.compile(r"[\s.\-/]+")
# A change of one of these fields (or a new partner) runs the duplicate check.
DUPLICATE_KEY_FIELDS = ("name", "email", "phone", "mobile", "vat", "parent_id")
MIN_NAME_KEY = 3


def name_tokens(name):
    """Significant lower-case words of a company name, legal forms dropped."""
    name = (name or "").strip().lower()
    for suffix in NAME_NOISE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return [t for t in NAME_SPLIT.split(name) if len(t) > 1 and t not in NAME_NOISE_WORDS]


def normalize_name(name):
    return " ".join(name_tokens(name))


def normalize_vat(vat):
    """Tax ID without spaces, dots, dashes or slashes, upper case ("/": not subject)."""
    return VAT_NOISE.sub("", vat or "").upper()


class CrmSmePartnerDuplicateMixin(models.AbstractModel):
    """Duplicate warning of the customer form (res.partner).

    Typing a customer that already exists (same email, phone, tax ID, or name
    without legal forms) warns and names the existing customer and its
    salesperson. The check runs when a partner is being created or one of its
    identifying fields is being changed in a form (onchange), never when an
    existing partner is only read. It looks partners up through indexes: Odoo's
    normalised email and phone, and stored normalised name (trigram index) and
    tax ID (b-tree index).
    """

    _name = "crm.sme.partner.duplicate.mixin"
    _description = "Customer duplicate warning"

    # Odoo's own normalised email and phone (mail, phone_validation) get an
    # index: the lookups below filter on them.
    email_normalized = fields.Char(index="btree_not_null")
    phone_sanitized = fields.Char(index="btree_not_null")
    crm_sme_name_normalized = fields.Char(
        string="Normalised Name",
        compute="_compute_crm_sme_normalized_keys",
        store=True,
        index="trigram",
        help="Name in lower case without legal forms (Co., Ltd., 有限公司...): "
        "what duplicate names are compared on.",
    )
    crm_sme_vat_normalized = fields.Char(
        string="Normalised Tax ID",
        compute="_compute_crm_sme_normalized_keys",
        store=True,
        index="btree_not_null",
    )
    crm_sme_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_crm_sme_duplicate_ids",
        help="Partners you can see with the same email, phone or tax ID, or a similar name.",
    )
    crm_sme_duplicate_warning = fields.Char(
        string="Duplicate Warning",
        compute="_compute_crm_sme_duplicate_ids",
        help="Possible duplicates in the whole company, including customers of other salespeople.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("name", "vat")
    def _compute_crm_sme_normalized_keys(self):
        for partner in self:
            partner.crm_sme_name_normalized = normalize_name(partner.name) or False
            partner.crm_sme_vat_normalized = normalize_vat(partner.vat) or False

    @api.depends(*DUPLICATE_KEY_FIELDS)
    def _compute_crm_sme_duplicate_ids(self):
        """One indexed lookup per partner being typed (a form shows one): saved
        partners that are only read get no lookup at all."""
        for partner in self:
            if partner._crm_sme_duplicate_check_needed():
                # sudo: the warning names customers of other salespeople too (name
                # and salesperson only), so that nobody creates a customer twice.
                duplicates_sudo = partner.sudo()._crm_sme_find_duplicates(
                    company_ids=self.env.companies.ids
                )
            else:
                duplicates_sudo = self.env["res.partner"].sudo()
            partner.crm_sme_duplicate_ids = duplicates_sudo.with_env(self.env)._filtered_access(
                "read"
            )
            partner.crm_sme_duplicate_warning = (
                ", ".join(
                    self.env._(
                        "%(name)s (salesperson: %(user)s)",
                        name=dup.display_name,
                        user=dup.user_id.name,
                    )
                    if dup.user_id
                    else dup.display_name
                    for dup in duplicates_sudo
                )
                or False
            )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _crm_sme_duplicate_check_needed(self):
        """A partner being created, or an identifying field changed in a form."""
        self.ensure_one()
        if self.id:
            return False  # a saved partner that is read: nothing is being typed
        origin = self._origin
        if not origin:
            return True
        return any(
            self[fname]._origin != origin[fname]
            if self._fields[fname].relational
            else (self[fname] or False) != (origin[fname] or False)
            for fname in DUPLICATE_KEY_FIELDS
        )

    def _crm_sme_duplicate_domain(self):
        """Leaves matching what identifies the partner (each served by an index)."""
        self.ensure_one()
        leaves = []
        email = email_normalize(self.email or "")
        if email:
            leaves.append(("email_normalized", "=", email))
        phones = {
            self._phone_format(number=number, country=self.country_id, force_format="E164")
            or number
            for number in {self.phone, self.mobile} - {False, ""}
        }
        if phones:
            leaves.append(("phone_sanitized", "in", sorted(phones)))
        vat = normalize_vat(self.vat)
        if vat:
            leaves.append(("crm_sme_vat_normalized", "=", vat))
        name = normalize_name(self.name)
        if len(name) >= MIN_NAME_KEY:
            leaves.append(("crm_sme_name_normalized", "=", name))
        if not leaves:
            return None
        return ["|"] * (len(leaves) - 1) + leaves

    def _crm_sme_find_duplicates(self, limit=5, company_ids=None):
        """Partners identified like this one, in the given companies (default:
        the user's allowed companies) or shared between companies."""
        self.ensure_one()
        match = self._crm_sme_duplicate_domain()
        if not match:
            return self.browse()
        if company_ids is None:
            company_ids = self.env.companies.ids
        origin = self._origin
        excluded = (origin | origin.commercial_partner_id).ids
        domain = [("company_id", "in", [*company_ids, False])]
        if excluded:
            domain.append(("id", "not in", excluded))
        if self.parent_id:
            # A contact duplicates another contact of the same company, or a company.
            domain += ["|", ("parent_id", "=", self.parent_id.id), ("is_company", "=", True)]
        return self.search(domain + match, limit=limit)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_crm_sme_open_duplicates(self):
        """Hand the partner and its possible duplicates to Odoo's merge wizard."""
        self.ensure_one()
        duplicates = self._crm_sme_find_duplicates()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_partner_merge")
        action["context"] = {
            "active_model": "res.partner",
            "active_ids": (self | duplicates).ids,
        }
        return action

    # ------------------------------------------------------------------
    # DATABASE
    # ------------------------------------------------------------------
    def init(self):
        """The trigram index on the normalised name needs PostgreSQL's pg_trgm:
        create the extension when the database lacks it and the role may."""
        super().init()
        if self._abstract or self.pool.has_trigram:
            return
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except psycopg2.Error:
            _logger.info(
                "pg_trgm is not available: duplicate names are looked up without trigram index"
            )
            return
        self.pool.has_trigram = has_trigram(self.env.cr)
