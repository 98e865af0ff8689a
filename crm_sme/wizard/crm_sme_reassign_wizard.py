# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from itertools import cycle

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class CrmSmeReassignWizard(models.TransientModel):
    """Hand a departing salesperson's customers and open work to colleagues.

    Customers stay the company's: their history is untouched, only the owner of
    the customers, their open opportunities, planned interactions and pending
    activities changes, and each moved record says so in its chatter.
    """

    _name = "crm.sme.reassign.wizard"
    _description = "Reassign a Salesperson's Customers"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
        help="Only the customers and open work of this company move.",
    )
    from_user_id = fields.Many2one(
        "res.users",
        string="Departing Salesperson",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    to_user_ids = fields.Many2many(
        "res.users",
        string="New Salespeople",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
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
    @api.depends("from_user_id", "company_id")
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
        """Records owned by the departing salesperson in the chosen company, by
        model; activities only on the customer-facing records concerned."""
        self.ensure_one()
        user = self.from_user_id
        env = self.env
        company = self.company_id
        if not user or not company or company not in env.companies:
            return defaultdict(lambda: env["res.partner"].browse())
        customers = env["res.partner"].search(
            [
                ("user_id", "=", user.id),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
                ("company_id", "in", [company.id, False]),
            ]
        )
        records = {
            "res.partner": customers,
            "crm.lead": env["crm.lead"].search(
                [
                    ("user_id", "=", user.id),
                    ("stage_id.is_won", "=", False),
                    ("company_id", "in", [company.id, False]),
                ]
            ),
            "crm.sme.interaction": env["crm.sme.interaction"].search(
                [
                    ("user_id", "=", user.id),
                    ("state", "=", "planned"),
                    ("company_id", "=", company.id),
                ]
            ),
        }
        records.update(self._records_to_move_extra(user))
        records["mail.activity"] = self._activities_to_move(user, records)
        return records

    def _records_to_move_extra(self, user):
        """Other open work owned by the salesperson: open customer feedback.
        Hook for other modules (return {model: records}; records need partner_id)."""
        return {
            "crm.sme.feedback": self.env["crm.sme.feedback"].search(
                [
                    ("user_id", "=", user.id),
                    ("is_closed", "=", False),
                    ("company_id", "=", self.company_id.id),
                ]
            ),
        }

    def _activities_to_move(self, user, records):
        """The salesperson's pending activities on the records the wizard is
        about: the customers and their contacts, and the opportunities,
        interactions and feedback of those customers or being moved."""
        customers = records["res.partner"]
        by_model = {"res.partner": customers.ids + customers.child_ids.ids}
        for model, recs in records.items():
            if model in ("res.partner", "mail.activity"):
                continue
            company_leaf = (
                [("company_id", "in", [self.company_id.id, False])]
                if model == "crm.lead"
                else [("company_id", "=", self.company_id.id)]
            )
            of_customers = self.env[model].search(
                [("partner_id", "child_of", customers.ids), *company_leaf]
            )
            by_model[model] = (recs | of_customers).ids
        domains = [
            [("res_model", "=", model), ("res_id", "in", ids)]
            for model, ids in by_model.items()
            if ids
        ]
        if not domains:
            return self.env["mail.activity"]
        domain = expression.OR(domains)
        return self.env["mail.activity"].search(
            expression.AND([[("user_id", "=", user.id)], domain])
        )

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
            activities = records["mail.activity"]
            # the records the activities are on, read per model (not one by one)
            partner_of = {}
            for res_model in set(activities.mapped("res_model")):
                ids = activities.filtered(lambda a, m=res_model: a.res_model == m).mapped("res_id")
                for record in self.env[res_model].browse(ids):
                    partner = record if res_model == "res.partner" else record.partner_id
                    partner_of[res_model, record.id] = partner.commercial_partner_id.id
            for activity in activities.sorted("id"):
                target = owner_of.get(partner_of.get((activity.res_model, activity.res_id)))
                moves["mail.activity"][target or next(targets)].append(activity.id)
        return moves

    def _apply_moves(self, moves):
        reason = self.reason or _("departure of %(user)s", user=self.from_user_id.name)
        # No "you have been assigned" email per record (28 customers = 28 emails
        # and most of the time spent): the new salespeople still follow their
        # records and each record's chatter says who took it over and why.
        quiet = self.with_context(mail_auto_subscribe_no_notify=True).env
        for model, by_user in moves.items():
            for user, ids in by_user.items():
                recs = quiet[model].browse(ids)
                recs.write({"user_id": user.id})
                if model == "mail.activity" or not hasattr(recs, "message_post"):
                    continue
                body = Markup("%s") % _(
                    "Reassigned from %(old)s to %(new)s (%(reason)s).",
                    old=self.from_user_id.name,
                    new=user.name,
                    reason=reason,
                )
                # one note per record, logged in one batch (no notification to send)
                recs._message_log_batch(
                    bodies=dict.fromkeys(recs.ids, body), message_type="comment"
                )

    def action_reassign(self):
        self.ensure_one()
        if not self.to_user_ids:
            raise UserError(_("Choose at least one salesperson to take over the customers."))
        if self.from_user_id in self.to_user_ids:
            raise UserError(_("The departing salesperson cannot be one of the new salespeople."))
        if self.company_id not in self.env.companies:
            raise UserError(_("Choose one of your companies."))
        outsiders = self.to_user_ids.filtered(lambda u: self.company_id not in u.company_ids)
        if outsiders:
            raise UserError(
                _(
                    "The new salespeople must work for %(company)s: %(names)s",
                    company=self.company_id.name,
                    names=", ".join(outsiders.mapped("name")),
                )
            )
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
