# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, models

from .crm_sme_demo import DEMO_BIG, DEMO_DORMANT, DEMO_PROSPECTS

VISIT_SUBJECTS = [
    "Quarterly visit",
    "New catalogue presentation",
    "Shelf check",
    "Price negotiation",
    "Back-to-school promotion",
    "Payment reminder",
    "Complaint follow-up",
    "Year-end order planning",
]
# customers' feedback: (subject, type, phase, channel, root cause, product)
FEEDBACK = [
    (
        "Paper jams: reams damp after the rainy season",
        "defective",
        "after_sale",
        "phone",
        "quality",
        "product_a4_paper_demo",
    ),
    (
        "Notebook covers scratched in transport",
        "defective",
        "after_sale",
        "visit",
        "logistics",
        "product_notebook_demo",
    ),
    ("Order delivered to the wrong store", "order_problem", "in_sale", "phone", "logistics", False),
    (
        "Three boxes missing from the delivery",
        "order_problem",
        "in_sale",
        "email",
        "logistics",
        "product_folder_demo",
    ),
    (
        "Invoice total differs from the quotation",
        "dispute",
        "after_sale",
        "email",
        "billing",
        False,
    ),
    (
        "Staplers jam with other brands' staples",
        "complaint",
        "after_sale",
        "store",
        "usage",
        "product_stapler_demo",
    ),
    (
        "Highlighters dry out quickly",
        "defective",
        "after_sale",
        "portal",
        "quality",
        "product_highlighter_demo",
    ),
    ("Salesperson did not call back", "service", "in_sale", "phone", "service", False),
    (
        "Can you offer recycled copy paper?",
        "suggestion",
        "pre_sale",
        "email",
        False,
        "product_a4_paper_demo",
    ),
    ("Price list for the school season?", "inquiry", "pre_sale", "phone", False, False),
    (
        "Fast delivery before the store opening, thank you",
        "praise",
        "after_sale",
        "visit",
        False,
        False,
    ),
    (
        "Gel pens sell very well, customers love them",
        "praise",
        "after_sale",
        "portal",
        False,
        "product_gel_pen_demo",
    ),
]


class CrmSmeDemo(models.AbstractModel):
    """The demo story's service side: visits (with their expenses), calls and
    emails over the past 14 months, and feedback received over the past year."""

    _inherit = "crm.sme.demo"

    @api.model
    def _demo_interactions(self, customers, rnd, now):
        """More contact with the large buyers; visits carry the salesperson's
        expense (travel, meals), calls and emails none; dormant customers were
        last visited long ago, prospects recently."""
        vals = []
        for index, customer in enumerate(customers):
            if customer.is_key_account or index in DEMO_BIG:
                count, (oldest, newest) = rnd.randint(5, 9), (420, 2)
            elif index in DEMO_DORMANT:
                count, (oldest, newest) = rnd.randint(1, 2), (420, 280)
            elif index in DEMO_PROSPECTS:
                count, (oldest, newest) = rnd.randint(2, 3), (60, 2)
            else:
                count, (oldest, newest) = rnd.randint(1, 4), (420, 5)
            for _n in range(count):
                kind = rnd.choice(["visit", "visit", "visit", "call", "meeting", "email"])
                expense = rnd.choice([80, 120, 150, 200, 260, 350, 480]) if kind == "visit" else 0
                vals.append(
                    {
                        "name": rnd.choice(VISIT_SUBJECTS),
                        "interaction_type": kind,
                        "partner_id": customer.id,
                        "contact_id": customer.child_ids[:1].id,
                        "user_id": customer.user_id.id,
                        "date": now
                        - timedelta(days=rnd.randint(newest, oldest), hours=rnd.randint(0, 8)),
                        "duration": rnd.choice([0.25, 0.5, 1.0, 1.5, 2.0])
                        if kind != "email"
                        else 0.0,
                        "expense_amount": expense,
                        "outcome": "<p>Discussed shelf space and the new catalogue; "
                        "the buyer asked for a volume discount.</p>",
                    }
                )
            if customer.is_key_account:
                vals.append(
                    {
                        "name": "Key account review",
                        "interaction_type": "meeting",
                        "state": "planned",
                        "partner_id": customer.id,
                        "user_id": customer.user_id.id,
                        "date": now + timedelta(days=rnd.randint(2, 20)),
                    }
                )
        self.env["crm.sme.interaction"].create(vals)

    @api.model
    def _demo_feedback(self, customers, products, rnd, now):
        """Feedback received over the past 12 months: the old ones closed (some
        rated), the recent ones still open."""
        ref = self.env.ref
        buyers = [c for i, c in enumerate(customers) if i not in DEMO_PROSPECTS]
        agent = ref("crm_sme.user_sun_li_demo", raise_if_not_found=False)
        closed_stage = ref("crm_sme.feedback_stage_closed")
        for number in range(30):
            subject, kind, phase, channel, cause, product = FEEDBACK[number % len(FEEDBACK)]
            received = now - timedelta(
                days=5 + number * 12 + rnd.randint(0, 8), hours=rnd.randint(1, 9)
            )
            feedback = self.env["crm.sme.feedback"].create(
                {
                    "name": subject,
                    "type_id": ref(f"crm_sme.feedback_type_{kind}").id,
                    "phase": phase,
                    "channel": channel,
                    "partner_id": rnd.choice(buyers).id,
                    "user_id": agent.id if agent else False,
                    "product_id": products[product].id if product else False,
                    "date_received": received,
                    "description": f"<p>{subject}.</p>",
                }
            )
            if number < 4:
                continue  # the last weeks' feedback: still open
            resolved = received + timedelta(hours=rnd.randint(4, 90))
            vals = {"stage_id": closed_stage.id, "resolution": "<p>Settled with the customer.</p>"}
            if cause:
                vals["root_cause_id"] = ref(f"crm_sme.feedback_root_cause_{cause}").id
            feedback.write(vals)
            responded = received + timedelta(hours=rnd.randint(1, 6))
            calendar = feedback._get_calendar()
            dates = {
                "date_first_response": responded,
                "first_response_hours": calendar.get_work_hours_count(received, responded),
                "date_resolved": resolved,
                "resolution_hours": calendar.get_work_hours_count(received, resolved),
                "date_closed": resolved + timedelta(days=1),
            }
            if rnd.random() < 0.6:
                dates.update(
                    csat_score=rnd.choice([3, 4, 4, 5, 5, 5]),
                    date_csat=resolved + timedelta(days=2),
                )
            if rnd.random() < 0.4:
                dates.update(
                    nps_score=rnd.choice([6, 7, 8, 9, 9, 10, 10]),
                    date_nps=resolved + timedelta(days=2),
                )
            feedback.write(dates)
