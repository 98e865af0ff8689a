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

    def _crm_sme_feedback_form_values(self, values=None, errors=None):
        types_sudo = request.env["crm.sme.feedback.type"].sudo().search([])
        return {
            "page_name": "crm_sme_feedback_new",
            "feedback_types": types_sudo,
            "values": values or {},
            "errors": errors or {},
        }

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
                    "partner_id": partner.commercial_partner_id.id,
                    "contact_id": partner.id if partner.parent_id else False,
                    "company_id": partner.company_id.id or user.company_id.id,
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
