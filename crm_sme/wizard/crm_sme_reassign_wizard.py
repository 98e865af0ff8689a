# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from itertools import cycle

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmSmeReassignWizard(models.TransientModel):
    """Hand a departing salesperson's customers and open work to colleagues.

    Customers stay the company's: their history is untouched, only the owner of
    the customers, their open opportunities, planned interactions and pending
    activities changes, and each moved record says so in its chatter.
    """

    _name = "crm.sme.reassign.wizard"
    _description = "Reassign a Salesperson's Customers"

    from_user_id = fields.Many2one(
        "res.users",
        string="Departing Salesperson",
        required=True,
        domain=[("share", "=", False)],
    )
    to_user_ids = fields.Many2many(
        "res.users",
        string="New Salespeople",
        domain=[("share", "=", False)],
        help="Customers are shared among these salespeople.",
    )
    method = fields.Selection(
        [("round_robin", "Round robin"), ("region", "By sales region")],
        default="round_robin",
        required=True,
        help="By sales region: a customer goes to its region's salesperson when that person is among the new "
        "salespeople, otherwise round robin.",
    )
    include_opportunities = fields.Boolean(string="Open Opportunities", default=True)
    include_interactions = fields.Boolean(string="Planned Interactions", default=True)
    include_activities = fields.Boolean(string="Pending Activities", default=True)
    include_feedback = fields.Boolean(string="Open Feedback", default=True)
    reason = fields.Char(help="Written in the chatter of every moved record.")
    customer_count = fields.Integer(compute="_compute_counts")
    opportunity_count = fields.Integer(compute="_compute_counts")
    interaction_count = fields.Integer(compute="_compute_counts")
    activity_count = fields.Integer(compute="_compute_counts")
    feedback_count = fields.Integer(compute="_compute_counts")

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    @api.depends("from_user_id")
    def _compute_counts(self):
        for wizard in self:
            records = wizard._records_to_move()
            wizard.customer_count = len(records["res.partner"])
            wizard.opportunity_count = len(records["crm.lead"])
            wizard.interaction_count = len(records["crm.sme.interaction"])
            wizard.activity_count = len(records["mail.activity"])
            wizard.feedback_count = len(records.get("crm.sme.feedback", []))

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------
    def _records_to_move(self):
        """Records owned by the departing salesperson, by model."""
        self.ensure_one()
        user = self.from_user_id
        env = self.env
        if not user:
            return defaultdict(lambda: env["res.partner"].browse())
        company_ids = env.companies.ids
        records = {
            "res.partner": env["res.partner"].search(
                [
                    ("user_id", "=", user.id),
                    ("is_company", "=", True),
                    ("company_id", "in", company_ids + [False]),
                ]
            )
            | env["res.partner"].search(
                [
                    ("user_id", "=", user.id),
                    ("parent_id", "=", False),
                    ("company_id", "in", company_ids + [False]),
                ]
            ),
            "crm.lead": env["crm.lead"].search(
                [
                    ("user_id", "=", user.id),
                    ("stage_id.is_won", "=", False),
                    ("company_id", "in", company_ids + [False]),
                ]
            ),
            "crm.sme.interaction": env["crm.sme.interaction"].search(
                [
                    ("user_id", "=", user.id),
                    ("state", "=", "planned"),
                    ("company_id", "in", company_ids),
                ]
            ),
            "mail.activity": env["mail.activity"].search([("user_id", "=", user.id)]),
        }
        records.update(self._records_to_move_extra(user))
        return records

    def _records_to_move_extra(self, user):
        """Other open work owned by the salesperson: open customer feedback.
        Hook for other modules (return {model: records}; records need partner_id)."""
        return {
            "crm.sme.feedback": self.env["crm.sme.feedback"].search(
                [
                    ("user_id", "=", user.id),
                    ("is_closed", "=", False),
                    ("company_id", "in", self.env.companies.ids),
                ]
            ),
        }

    def _assign_customers(self, customers):
        """{customer: new user} by the chosen method, deterministic."""
        targets = self.to_user_ids.sorted("id")
        turn = cycle(targets)
        assignment = {}
        for customer in customers.sorted("id"):
            region_user = customer.region_id.user_id
            if self.method == "region" and region_user in targets:
                assignment[customer] = region_user
            else:
                assignment[customer] = next(turn)
        return assignment

    def _plan_moves(self, records, assignment):
        """{model: {new user: [ids]}}: work on a moved customer follows the
        customer's new salesperson, the rest is shared round robin."""
        owner_of = {customer.id: user for customer, user in assignment.items()}
        targets = cycle(self.to_user_ids.sorted("id"))

        def new_owner(partner):
            return owner_of.get(partner.commercial_partner_id.id) or next(targets)

        moves = defaultdict(lambda: defaultdict(list))
        for customer, user in assignment.items():
            moves["res.partner"][user].append(customer.id)
            # The customer's contacts follow (their salesperson field too).
            contacts = customer.child_ids.filtered(lambda c: c.user_id == self.from_user_id)
            moves["res.partner"][user].extend(contacts.ids)
        include = {
            "crm.lead": self.include_opportunities,
            "crm.sme.interaction": self.include_interactions,
            "crm.sme.feedback": self.include_feedback,
            "mail.activity": False,  # below: activities follow the record they are on
        }
        for model, recs in records.items():
            if model == "res.partner" or not include.get(model, True):
                continue
            for rec in recs:
                moves[model][new_owner(rec.partner_id)].append(rec.id)
        if self.include_activities:
            for activity in records["mail.activity"]:
                target = None
                if activity.res_model == "res.partner":
                    partner = self.env["res.partner"].browse(activity.res_id)
                    target = owner_of.get(partner.commercial_partner_id.id)
                moves["mail.activity"][target or next(targets)].append(activity.id)
        return moves

    def _apply_moves(self, moves):
        reason = self.reason or _("departure of %(user)s", user=self.from_user_id.name)
        for model, by_user in moves.items():
            for user, ids in by_user.items():
                recs = self.env[model].browse(ids)
                recs.write({"user_id": user.id})
                if model == "mail.activity" or not hasattr(recs, "message_post"):
                    continue
                body = Markup("%s") % _(
                    "Reassigned from %(old)s to %(new)s (%(reason)s).",
                    old=self.from_user_id.name,
                    new=user.name,
                    reason=reason,
                )
                for rec in recs:
                    rec.message_post(
                        body=body, message_type="comment", subtype_xmlid="mail.mt_note"
                    )

    def action_reassign(self):
        self.ensure_one()
        if not self.to_user_ids:
            raise UserError(_("Choose at least one salesperson to take over the customers."))
        if self.from_user_id in self.to_user_ids:
            raise UserError(_("The departing salesperson cannot be one of the new salespeople."))
        records = self._records_to_move()
        if not any(records.values()):
            raise UserError(
                _(
                    "%(user)s has no customers or open work to reassign.",
                    user=self.from_user_id.name,
                )
            )
        assignment = self._assign_customers(records["res.partner"])
        moves = self._plan_moves(records, assignment)
        self._apply_moves(moves)
        moved = {
            model: sum(len(ids) for ids in by_user.values()) for model, by_user in moves.items()
        }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Customers reassigned"),
                "message": _(
                    "%(customers)s customers, %(leads)s opportunities, %(interactions)s interactions and "
                    "%(activities)s activities moved from %(user)s.",
                    customers=len(assignment),
                    leads=moved.get("crm.lead", 0),
                    interactions=moved.get("crm.sme.interaction", 0),
                    activities=moved.get("mail.activity", 0),
                    user=self.from_user_id.name,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
