# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CONTACT_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("purchaser", "Purchaser"),
    ("finance", "Finance"),
    ("technical", "Technical"),
    ("user", "User"),
    ("influencer", "Influencer"),
]
CHANNELS = [
    ("phone", "Phone"),
    ("mobile", "Mobile / Messaging"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = [
        "res.partner",
        "crm.sme.customer.figures.mixin",
        "crm.sme.input.mixin",
        "crm.sme.partner.duplicate.mixin",
    ]

    # ------------------------------------------------------------------
    # Classification (company level, shared with its contacts)
    # ------------------------------------------------------------------
    region_id = fields.Many2one(
        "crm.sme.region",
        string="Sales Region",
        index="btree_not_null",
        tracking=True,
        help="Sales region or district the customer belongs to.",
    )
    customer_type_id = fields.Many2one(
        "crm.sme.customer.type",
        string="Customer Type",
        index="btree_not_null",
        tracking=True,
        help="Channel role of the customer: supermarket, online shop, distributor...",
    )
    source_id = fields.Many2one(
        "utm.source",
        string="Source",
        index="btree_not_null",
        tracking=True,
        help="How the customer heard of us: newspaper, referral, website, TV...",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index="btree_not_null", tracking=True
    )
    is_key_account = fields.Boolean(
        string="Key Account",
        tracking=True,
        help="Key accounts get high priority on their feedback and more sales resources.",
    )
    purchase_potential = fields.Monetary(
        string="Annual Purchasing Potential",
        currency_field="crm_sme_currency_id",
        help="Estimated yearly purchases of the customer in this product range, from all suppliers.",
    )
    data_completeness = fields.Integer(
        string="Completeness (%)",
        compute="_compute_data_completeness",
        store=True,
        aggregator="avg",
        help="Share of the customer file that is filled in: address, phone, email, VAT, region, type, "
        "source, industry, salesperson, potential and a contact person.",
    )

    # ------------------------------------------------------------------
    # Contact persons
    # ------------------------------------------------------------------
    contact_role = fields.Selection(CONTACT_ROLES, string="Role")
    is_primary_contact = fields.Boolean(string="Primary Contact")
    preferred_channel = fields.Selection(CHANNELS)
    birthday = fields.Date()
    important_date_ids = fields.One2many(
        "crm.sme.important.date", "partner_id", string="Important Dates"
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------

    @api.depends(
        "street",
        "city",
        "country_id",
        "phone",
        "mobile",
        "email",
        "vat",
        "region_id",
        "customer_type_id",
        "source_id",
        "industry_id",
        "user_id",
        "purchase_potential",
        "child_ids",
        "is_company",
    )
    def _compute_data_completeness(self):
        for partner in self:
            checks = [
                partner.street and partner.city,
                partner.country_id,
                partner.phone or partner.mobile,
                partner.email,
                partner.region_id,
                partner.customer_type_id,
                partner.source_id,
                partner.user_id,
            ]
            if partner.is_company:
                checks += [
                    partner.vat,
                    partner.industry_id,
                    partner.purchase_potential,
                    partner.child_ids,
                ]
            partner.data_completeness = round(
                100 * sum(1 for check in checks if check) / len(checks)
            )

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("purchase_potential")
    def _check_purchase_potential(self):
        failing = self.filtered(lambda p: p.purchase_potential < 0)
        if failing:
            raise ValidationError(
                _(
                    "The annual purchasing potential cannot be negative: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "region_id",
            "customer_type_id",
            "source_id",
            "team_id",
            "is_key_account",
            "purchase_potential",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        """Customers belong to the company that creates them.

        A company, its contacts and customers created by a user (web client,
        import, quick create from a sales document) get the creating company
        when no company is given (or it is left empty), unless the company
        shares its customers (``crm_sme_share_customers``). Contacts take their
        parent's company, like Odoo's form does. Partners made by Odoo's own
        flows as superuser (portal sign-up, website), users' partners and
        companies' own partners stay as Odoo makes them.
        """
        if not (
            self.env.su
            or self.env.company.crm_sme_share_customers
            or self.env.context.get("crm_sme_new_company")
        ):
            parents = self.browse(
                {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
            )
            parent_company = {parent.id: parent.company_id.id for parent in parents}
            customer_context = self.env.context.get("res_partner_search_mode") == "customer" or (
                self.env.context.get("default_customer_rank")
            )
            for vals in vals_list:
                if vals.get("company_id"):
                    continue
                if vals.get("parent_id"):
                    vals["company_id"] = parent_company[vals["parent_id"]]
                elif (
                    vals.get("is_company")
                    or vals.get("company_type") == "company"
                    or vals.get("customer_rank")
                    or customer_context
                ):
                    vals["company_id"] = self.env.company.id
        return super().create(vals_list)

    @api.model
    def _crm_sme_unreadable_ids(self, partner_ids):
        """The ids among ``partner_ids`` the current user may not read. Record
        rules are applied in SQL: nothing of those partners lands in the
        user's record cache."""
        wrong = [
            pid
            for pid in partner_ids
            if pid and (isinstance(pid, bool) or not isinstance(pid, int))
        ]
        if wrong:
            raise ValidationError(
                _("A customer is given by its id: %(value)s is not one.", value=repr(wrong[0])[:50])
            )
        partner_ids = {partner_id for partner_id in partner_ids if partner_id}
        if not partner_ids or self.env.su:
            return set()
        Partner = self.with_context(active_test=False)
        if not Partner.browse().has_access("read"):
            return partner_ids
        return partner_ids - set(Partner.search([("id", "in", list(partner_ids))]).ids)

    @api.model
    def _crm_sme_check_linkable(self, partner_ids):
        """Linking a document to a customer requires being able to read the
        customer (create, write, import)."""
        unreadable = self._crm_sme_unreadable_ids(partner_ids)
        if unreadable:
            raise AccessError(
                _(
                    "You can only file documents on customers you can see (customer ids "
                    "%(ids)s). Ask their salesperson or a sales manager.",
                    ids=", ".join(str(pid) for pid in sorted(unreadable)),
                )
            )

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # An export reaches partners through linked records too (feedback >
        # customer > phone): only partners the user may read are exported,
        # whatever another computation may have left in the cache.
        unreadable = self._crm_sme_unreadable_ids(self.ids)
        if unreadable:
            raise AccessError(
                _(
                    "You cannot export customers you cannot see (customer ids %(ids)s).",
                    ids=", ".join(str(pid) for pid in sorted(unreadable)),
                )
            )
        # and only the fields they may read (export reads computed fields directly)
        self.check_field_access_rights(
            "read", list({path[0].split(".")[0] for path in fields if path} - {"id", ".id"})
        )
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": _("Import Template for Customers with Contacts (SME CRM)"),
                "template": "/crm_sme/static/xls/crm_sme_customers.xlsx",
            },
            *super().get_import_templates(),
        ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_customer_of_salesperson(self):
        """The customer file belongs to the company: salespeople archive, managers delete."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager"):
            return
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            return
        customers = self.filtered(lambda p: p.user_id or p.customer_rank or p.sale_order_ids)
        if customers:
            raise UserError(
                _(
                    "Customers belong to the company and cannot be deleted by a salesperson: "
                    "archive them instead (%(names)s).",
                    names=", ".join(customers.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # ACTIONS (smart buttons of the 360° form)
    # ------------------------------------------------------------------
    def _crm_sme_action(self, xmlid, domain, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = dict(context or {})
        return action

    def action_crm_sme_open_interactions(self):
        customer = self.commercial_partner_id
        return self._crm_sme_action(
            "crm_sme.action_crm_sme_interaction",
            [("partner_id", "=", customer.id)],
            {
                "default_partner_id": customer.id,
                "default_contact_id": self.id if self != customer else False,
            },
        )

    def action_crm_sme_log_interaction(self):
        """Log a visit/call from the customer: a form pre-filled with the customer."""
        action = self.action_crm_sme_open_interactions()
        action.update({"views": [(False, "form")], "view_mode": "form", "target": "new"})
        return action

    def action_crm_sme_open_contacts(self):
        customer = self.commercial_partner_id
        return self._crm_sme_action(
            "crm_sme.action_crm_sme_contact",
            [("parent_id", "=", customer.id), ("type", "=", "contact")],
            {"default_parent_id": customer.id, "default_type": "contact"},
        )

    def action_crm_sme_open_deliveries(self):
        return self._crm_sme_action(
            "stock.action_picking_tree_all",
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("picking_type_code", "=", "outgoing"),
            ],
        )

    def action_crm_sme_open_invoices(self):
        return self._crm_sme_action(
            "account.action_move_out_invoice_type",
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            {
                "default_move_type": "out_invoice",
                "default_partner_id": self.commercial_partner_id.id,
            },
        )

    def action_crm_sme_open_payments(self):
        return self._crm_sme_action(
            "account.action_account_payments",
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("partner_type", "=", "customer"),
            ],
            {
                "default_partner_id": self.commercial_partner_id.id,
                "default_payment_type": "inbound",
            },
        )

    # ==================================================================
    # Customer feedback (crm.sme.feedback): its counts and last scores are
    # 360 figures (crm.sme.customer.figures.mixin)
    # ==================================================================
    def write(self, vals):
        res = super().write(vals)
        if vals.get("is_key_account"):
            # Green channel: open feedback of a new key account is raised too.
            customers = self.filtered("is_company") | self.commercial_partner_id
            self.env["crm.sme.feedback"].sudo().search(
                [("partner_id", "in", customers.ids), ("is_closed", "=", False)]
            )._apply_green_channel()
        return res

    def action_crm_sme_open_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sme.action_crm_sme_feedback")
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": customer.id,
            "default_contact_id": self.id if self != customer else False,
        }
        return action
