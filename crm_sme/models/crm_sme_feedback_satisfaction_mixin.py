# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

CSAT_LOW = 2  # a CSAT at or below this creates a follow-up activity
NPS_LOW = 6  # an NPS answer at or below this (a detractor) creates a follow-up activity


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
    def write(self, vals):
        nps = vals.get("nps_score")
        if "nps_score" in vals:
            if nps is not False and nps is not None:
                nps = int(nps)
                if not 0 <= nps <= 10:
                    raise UserError(
                        _("An NPS answer goes from 0 to 10 (received %(score)s).", score=nps)
                    )
            vals = dict(
                vals, date_nps=vals.get("date_nps") or (nps is not False and fields.Datetime.now())
            )
        res = super().write(vals)
        if "nps_score" in vals and nps is not False and nps <= NPS_LOW:
            self._schedule_follow_up(_("Detractor (NPS %(score)s/10): understand why", score=nps))
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
        if not 1 <= rate <= 5:
            raise UserError(_("A rating goes from 1 to 5 (received %(rate)s).", rate=rate))
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        record = self.browse(rating.res_id).sudo()
        record.write({"csat_score": int(rate), "date_csat": fields.Datetime.now()})
        if rate <= CSAT_LOW:
            record._schedule_follow_up(
                _("Low satisfaction (%(score)s/5): call the customer back", score=int(rate))
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
        self.write({"nps_score": int(score), "date_nps": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _schedule_follow_up(self, summary):
        activity_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for feedback in self:
            feedback.activity_schedule(
                activity_type_id=(activity_type or self.env.ref("mail.mail_activity_data_todo")).id,
                summary=summary,
                user_id=(feedback.user_id or feedback.team_id.user_id or self.env.user).id,
            )
