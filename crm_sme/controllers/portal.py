# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

NAME_MAX = 200
DESCRIPTION_MAX = 5000
FEEDBACK_PER_PAGE = 20
DOCUMENTS_MAX = 100


class CustomerPortal(portal.CustomerPortal):
    """The customer's own feedback: list, detail with history and replies, submit, rate."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "crm_sme_feedback_count" in counters:
            # sudo: portal users have no ORM access; the domain limits to their company.
            feedback_sudo = request.env["crm.sme.feedback"].sudo()
            values["crm_sme_feedback_count"] = feedback_sudo.search_count(
                self._crm_sme_feedback_domain()
            )
        return values

    def _crm_sme_feedback_domain(self):
        return [
            ("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id),
            ("company_id", "in", request.env.user.company_ids.ids),
        ]

    def _crm_sme_feedback_check_access(self, feedback_id, access_token):
        """The feedback, sudo, if it is the user's company's, the user may read it
        (employees) or the URL holds its portal.mixin access token."""
        user = request.env.user
        if not user._is_public() and user.share:
            feedback_sudo = request.env["crm.sme.feedback"].sudo().browse(feedback_id).exists()
            if feedback_sudo and feedback_sudo.filtered_domain(self._crm_sme_feedback_domain()):
                return feedback_sudo
        return self._document_check_access(
            "crm.sme.feedback", feedback_id, access_token=access_token
        )

    def _crm_sme_feedback_company(self):
        user = request.env.user
        return user.partner_id.company_id or user.company_id

    def _crm_sme_feedback_tz(self):
        """The customer's time zone: the portal user's, else their company's
        (partner), else the supplier company's; never the server's UTC."""
        user = request.env.user
        return (
            user.tz
            or user.partner_id.commercial_partner_id.tz
            or self._crm_sme_feedback_company().partner_id.tz
            or "UTC"
        )

    def _crm_sme_feedback_document_domains(self):
        """What a customer may file feedback about: their own confirmed orders,
        done deliveries and the products of those orders, in the feedback's company.
        Used for the choices and, server side, to check what is posted."""
        customer = request.env.user.partner_id.commercial_partner_id
        company = self._crm_sme_feedback_company()
        # sudo: portal users have no ORM access; the domain limits to their own orders.
        ordered = (
            request.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("order_id.partner_id", "child_of", customer.id),
                    ("order_id.state", "=", "sale"),
                    ("company_id", "=", company.id),
                    ("display_type", "=", False),
                    ("product_id", "!=", False),
                ],
                aggregates=["product_id:recordset"],
            )[0][0]
        )
        return {
            "sale_order_id": (
                "sale.order",
                [
                    ("partner_id", "child_of", customer.id),
                    ("state", "=", "sale"),
                    ("company_id", "=", company.id),
                ],
            ),
            "picking_id": (
                "stock.picking",
                [
                    ("partner_id", "child_of", customer.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                    ("company_id", "=", company.id),
                ],
            ),
            "product_id": ("product.product", [("id", "in", ordered.ids)]),
        }

    def _crm_sme_feedback_documents(self):
        # sudo: portal users have no ORM access; the domains limit to their own documents.
        documents = {}
        for field, (model, domain) in self._crm_sme_feedback_document_domains().items():
            order = "display_name" if model == "product.product" else "id desc"
            records = request.env[model].sudo().search(domain, limit=DOCUMENTS_MAX)
            documents[field] = records.sorted(order) if order == "display_name" else records
        return documents

    def _crm_sme_feedback_form_values(self, values=None, errors=None):
        types_sudo = request.env["crm.sme.feedback.type"].sudo().search([])
        documents = self._crm_sme_feedback_documents()
        return {
            "page_name": "crm_sme_feedback_new",
            "feedback_types": types_sudo,
            "feedback_orders": documents["sale_order_id"],
            "feedback_pickings": documents["picking_id"],
            "feedback_products": documents["product_id"],
            "values": values or {},
            "errors": errors or {},
        }

    def _crm_sme_feedback_validate_documents(self, post, values, errors):
        """The order, delivery and product must be the customer's own: checked
        here against the same domains as the choices (a forged id is refused)."""
        for field, (model, domain) in self._crm_sme_feedback_document_domains().items():
            raw = (post.get(field) or "").strip()
            values[field] = False
            if not raw:
                continue
            try:
                record_id = int(raw)
            except ValueError:
                record_id = 0
            record = request.env[model].sudo()
            if 0 < record_id < 2**31:
                record = record.search(domain + [("id", "=", record_id)], limit=1)
            if record:
                values[field] = record.id
            else:
                errors[field] = _("Choose one of your own documents from the list.")

    def _crm_sme_feedback_validate(self, post):
        """Server-side validation of the portal form; returns (values, errors)."""
        errors = {}
        name = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        # A NUL byte cannot be stored (PostgreSQL refuses it): the customer is
        # asked to type the text again, the form echoes it without the byte.
        if "\x00" in name:
            errors["name"] = _("The subject contains an invalid character; type it again.")
            name = name.replace("\x00", "")
        elif not name:
            errors["name"] = _("Give your feedback a subject.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("The subject is limited to %(max)s characters.", max=NAME_MAX)
        if "\x00" in description:
            errors["description"] = _(
                "The description contains an invalid character; type it again."
            )
            description = description.replace("\x00", "")
        elif not description:
            errors["description"] = _("Describe what happened.")
        elif len(description) > DESCRIPTION_MAX:
            errors["description"] = _(
                "The description is limited to %(max)s characters.", max=DESCRIPTION_MAX
            )
        type_sudo = request.env["crm.sme.feedback.type"].sudo()
        try:
            type_id = int(post.get("type_id") or 0)
        except ValueError:
            type_id = 0
        if 0 < type_id < 2**31:
            type_sudo = type_sudo.browse(type_id).exists()
        if not type_sudo:
            errors["type_id"] = _("Choose a type from the list.")
        values = {"name": name, "description": description, "type_id": type_sudo.id}
        self._crm_sme_feedback_validate_documents(post, values, errors)
        return values, errors

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(
        ["/my/feedback", "/my/feedback/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_feedback_list(self, page=1, **kw):
        # sudo: portal users have no ORM access; the domain limits to their company
        # and the templates show only the fields meant for the customer.
        Feedback = request.env["crm.sme.feedback"].sudo()
        domain = self._crm_sme_feedback_domain()
        count = Feedback.search_count(domain)
        pager = portal_pager(url="/my/feedback", total=count, page=page, step=FEEDBACK_PER_PAGE)
        feedbacks = Feedback.search(
            domain, order="id desc", limit=FEEDBACK_PER_PAGE, offset=pager["offset"]
        )
        request.session["my_crm_sme_feedback_history"] = feedbacks.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "crm_sme_feedback",
                "feedbacks": feedbacks,
                "pager": pager,
                "default_url": "/my/feedback",
                "crm_sme_tz": self._crm_sme_feedback_tz(),
            }
        )
        return request.render("crm_sme.portal_my_feedback_list", values)

    @http.route("/my/feedback/<int:feedback_id>", type="http", auth="public", website=True)
    def portal_my_feedback_detail(self, feedback_id, access_token=None, **kw):
        try:
            feedback_sudo = self._crm_sme_feedback_check_access(feedback_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            feedback_sudo,
            # The token also lets the portal chatter post as the customer.
            access_token or feedback_sudo._portal_ensure_token(),
            {"page_name": "crm_sme_feedback_detail", "feedback": feedback_sudo},
            "my_crm_sme_feedback_history",
            False,
            **kw,
        )
        values["rating_error"] = kw.get("rating_error")
        values["crm_sme_tz"] = self._crm_sme_feedback_tz()
        return request.render("crm_sme.portal_my_feedback_detail", values)

    @http.route("/my/feedback/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_feedback_new(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._crm_sme_feedback_form_values())
        return request.render("crm_sme.portal_my_feedback_new", values)

    @http.route("/my/feedback/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_feedback_submit(self, **post):
        """Creates the feedback of the portal user's company (CSRF-checked form)."""
        user = request.env.user
        if not user._is_internal() and not user.has_group("base.group_portal"):
            raise AccessError(_("Only customers with a portal account can send feedback."))
        values, errors = self._crm_sme_feedback_validate(post)
        if errors:
            layout = self._prepare_portal_layout_values()
            layout.update(self._crm_sme_feedback_form_values(values, errors))
            return request.render("crm_sme.portal_my_feedback_new", layout)
        partner = user.partner_id
        # sudo: portal users have no create right; the customer, company and
        # channel are forced here, the text was validated above and is stored
        # escaped (plaintext2html) so no markup from the customer is rendered.
        feedback_sudo = (
            request.env["crm.sme.feedback"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "name": values["name"],
                    "description": plaintext2html(values["description"]),
                    "type_id": values["type_id"] or False,
                    "sale_order_id": values["sale_order_id"],
                    "picking_id": values["picking_id"],
                    "product_id": values["product_id"],
                    "partner_id": partner.commercial_partner_id.id,
                    "contact_id": partner.id if partner.parent_id else False,
                    "company_id": self._crm_sme_feedback_company().id,
                    "channel": "portal",
                    "user_id": False,
                    "email_from": partner.email,
                }
            )
        )
        feedback_sudo.message_subscribe(partner_ids=partner.ids)
        return request.redirect(feedback_sudo.get_portal_url())

    @http.route(
        "/my/feedback/<int:feedback_id>/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_feedback_rate(self, feedback_id, access_token=None, **post):
        """CSAT (1-5) and optional NPS (0-10) of closed feedback."""
        try:
            feedback_sudo = self._crm_sme_feedback_check_access(feedback_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = feedback_sudo.get_portal_url()
        try:
            csat = int(post.get("csat") or 0)
            nps = post.get("nps")
            nps = int(nps) if nps not in (None, "") else None
        except ValueError:
            return request.redirect(url + "&rating_error=range")
        if (
            not feedback_sudo.is_closed
            or feedback_sudo.stage_id.is_cancel
            or feedback_sudo.date_csat  # rated once
            or not 1 <= csat <= 5
            or (nps is not None and not 0 <= nps <= 10)
        ):
            return request.redirect(url + "&rating_error=range")
        comment = (post.get("comment") or "").replace("\x00", "").strip()[:DESCRIPTION_MAX]
        try:
            partner = feedback_sudo._rating_get_partner()
            token = feedback_sudo._rating_get_access_token(partner)
            feedback_sudo.rating_apply(csat, token=token, feedback=comment)
            if nps is not None:
                feedback_sudo.action_set_nps(nps)
        except (UserError, ValidationError):
            request.env.cr.rollback()
            return request.redirect(url + "&rating_error=range")
        return request.redirect(url + "&rated=1")
