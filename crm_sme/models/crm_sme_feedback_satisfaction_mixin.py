# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

CSAT_LOW = 2  # a CSAT at or below this creates a follow-up activity
NPS_LOW = 6  # an NPS answer at or below this (a detractor) creates a follow-up activity


def whole_number(value, low, high):
    """``value`` as an int between ``low`` and ``high``, else None.

    Accepts what a form or RPC client sends (int, integral float, digits in a
    string); refuses None, booleans, NaN, inf, lists, fractions and text.
    """
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        return None
    return number


class CrmSmeFeedbackSatisfactionMixin(models.AbstractModel):
    """Satisfaction of customer feedback: CSAT through Odoo's rating, NPS on the record.

    The concrete model provides ``contact_id``, ``partner_id``, ``user_id``
    and ``team_id``; follow-up activities go to its owner or team leader.
    """

    _name = "crm.sme.feedback.satisfaction.mixin"
    _inherit = ["rating.mixin"]
    _description = "Feedback Satisfaction"

    csat_score = fields.Integer(
        string="CSAT",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Customer satisfaction with the outcome, 1 (very dissatisfied) to 5 (very satisfied).",
    )
    date_csat = fields.Datetime(string="Rated On", copy=False, readonly=True)
    nps_score = fields.Integer(
        string="NPS Answer",
        copy=False,
        aggregator="avg",
        help="How likely the customer is to recommend us, 0 to 10.",
    )
    date_nps = fields.Datetime(string="NPS Answered On", copy=False, readonly=True)
    nps_category = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        compute="_compute_nps_category",
        store=True,
        string="NPS Category",
    )

    _sql_constraints = [
        (
            "csat_range",
            "CHECK (csat_score IS NULL OR csat_score = 0 OR csat_score BETWEEN 1 AND 5)",
            "A CSAT rating goes from 1 to 5.",
        ),
        (
            "nps_range",
            "CHECK (nps_score IS NULL OR nps_score BETWEEN 0 AND 10)",
            "An NPS answer goes from 0 to 10.",
        ),
    ]

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("nps_score", "date_nps")
    def _compute_nps_category(self):
        for feedback in self:
            if not feedback.date_nps:
                feedback.nps_category = False
            elif (feedback.nps_score or 0) >= 9:
                feedback.nps_category = "promoter"
            elif feedback.nps_score >= 7:
                feedback.nps_category = "passive"
            else:
                feedback.nps_category = "detractor"

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("csat_score", "nps_score")
    def _check_scores(self):
        failing = self.filtered(
            lambda f: (f.csat_score and not 1 <= f.csat_score <= 5)
            or (f.nps_score and not 0 <= f.nps_score <= 10)
        )
        if failing:
            raise ValidationError(
                _(
                    "CSAT goes from 1 to 5 and NPS from 0 to 10: %(names)s",
                    names=", ".join(failing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            nps = vals.get("nps_score")
            if nps is not None and nps is not False:
                vals["nps_score"] = self._check_nps(vals["nps_score"])
                vals.setdefault("date_nps", fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        nps = vals.get("nps_score")
        if "nps_score" in vals:
            nps = False if nps is None or nps is False else self._check_nps(nps)
            vals = dict(
                vals,
                nps_score=nps,
                date_nps=vals.get("date_nps") or (nps is not False and fields.Datetime.now()),
            )
        res = super().write(vals)
        if "nps_score" in vals and nps is not False and nps <= NPS_LOW:
            self._schedule_follow_up(
                lambda env: env._("Detractor (NPS %(score)s/10): understand why", score=nps)
            )
        return res

    # ------------------------------------------------------------------
    # RATING
    # ------------------------------------------------------------------
    def _rating_get_partner(self):
        return self.contact_id or self.partner_id

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """CSAT through Odoo's rating: once per feedback, never when cancelled.

        Enforced here, so every entry point (the portal form, Odoo's
        ``/rate/<token>/<n>`` links of the rating email, which mail link
        scanners also open, RPC) obeys it. Applying the same rate again only
        adds the customer's comment (Odoo's "tell us more" page).
        """
        checked = whole_number(rate, 1, 5)
        if checked is None:
            raise UserError(
                _("A rating goes from 1 to 5 (received %(rate)s).", rate=str(rate)[:40])
            )
        rate = checked
        if token:
            rating = self.env["rating.rating"].search([("access_token", "=", token)], limit=1)
        if not rating:
            raise UserError(_("This rating link is not valid."))
        record = self.browse(rating.res_id).sudo()
        if record.stage_id.is_cancel:
            raise UserError(
                _("Feedback %(ref)s was cancelled: it cannot be rated.", ref=record.display_name)
            )
        already = bool(record.date_csat)
        if already and record.csat_score != rate:
            raise UserError(
                _(
                    "Feedback %(ref)s was already rated %(score)s/5: a rating is given once.",
                    ref=record.display_name,
                    score=record.csat_score,
                )
            )
        rating = super().rating_apply(
            rate,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if already:
            return rating
        record.write({"csat_score": rate, "date_csat": fields.Datetime.now()})
        if rate <= CSAT_LOW:
            record._schedule_follow_up(
                lambda env: env._(
                    "Low satisfaction (%(score)s/5): call the customer back", score=rate
                )
            )
        return rating

    def _send_rating_request(self, template):
        for feedback in self.filtered(lambda f: f._rating_get_partner().email):
            feedback.rating_send_request(
                template, lang=feedback._rating_get_partner().lang, force_send=False
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_set_nps(self, score):
        """Records the customer's NPS answer (0-10); detractors get a follow-up."""
        self.write({"nps_score": self._check_nps(score), "date_nps": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _check_nps(self, value):
        score = whole_number(value, 0, 10)
        if score is None:
            raise UserError(
                _("An NPS answer goes from 0 to 10 (received %(score)s).", score=str(value)[:40])
            )
        return score

    def _schedule_follow_up(self, summary):
        """Schedules a call for the feedback's owner. ``summary(env)`` returns the
        text in ``env``'s language: the owner's, not the rating customer's."""
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for feedback in self:
            user = feedback.user_id or feedback.team_id.user_id or self.env.user
            feedback.activity_schedule(
                activity_type_id=(activity_type or self.env.ref("mail.mail_activity_data_todo")).id,
                summary=summary(self.with_context(lang=user.sudo().lang).env),
                user_id=user.id,
            )
