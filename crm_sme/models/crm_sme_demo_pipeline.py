# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import SQL

from .crm_sme_demo import DEMO_AT_RISK, DEMO_DORMANT, DEMO_PROSPECTS

LOST = (
    # (customer position, lines, lost reason xml id, days ago)
    (9, {"product_a4_paper_demo": 200}, "crm.lost_reason_1", 300),
    (15, {"product_notebook_demo": 150, "product_folder_demo": 100}, "crm.lost_reason_1", 250),
    (21, {"product_gel_pen_demo": 400}, "crm.lost_reason_3", 230),
    (26, {"product_a4_paper_demo": 120}, "crm.lost_reason_2", 190),
    (34, {"product_highlighter_demo": 300}, "crm.lost_reason_1", 150),
    (40, {"product_stapler_demo": 120, "product_folder_demo": 60}, "crm.lost_reason_3", 110),
    (45, {"product_a4_paper_demo": 80}, "crm.lost_reason_1", 75),
    (53, {"product_notebook_demo": 100}, "crm.lost_reason_2", 40),
)
OPEN = (
    # (customer position, lines, stage xml id, days since created, days to deadline)
    (2, {"product_a4_paper_demo": 300, "product_gel_pen_demo": 200}, "crm.stage_lead3", 12, 14),
    (7, {"product_notebook_demo": 120}, "crm.stage_lead2", 20, 25),
    (12, {"product_folder_demo": 80, "product_stapler_demo": 40}, "crm.stage_lead1", 5, 40),
    (19, {"product_a4_paper_demo": 150}, "crm.stage_lead2", 30, 10),
    (24, {"product_highlighter_demo": 200}, "crm.stage_lead1", 8, 30),
    (36, {"product_gel_pen_demo": 250, "product_notebook_demo": 60}, "crm.stage_lead3", 18, 7),
    (48, {"product_a4_paper_demo": 60}, "crm.stage_lead2", 45, -5),
)
LOST_SUBJECTS = ("Copy paper tender", "School season range", "Office supply contract")
OPEN_SUBJECTS = ("Annual supply contract", "New store opening range", "Back-to-school promotion")


class CrmSmeDemo(models.AbstractModel):
    """The demo story's opportunities: won ones led to their order (same lines,
    same amount), lost ones with a reason, open ones in the pipeline, some for
    prospects that never ordered yet."""

    _inherit = "crm.sme.demo"

    @api.model
    def _demo_lead_vals(self, customer, name, lines):
        return {
            "name": name,
            "type": "opportunity",
            "partner_id": customer.id,
            "user_id": customer.user_id.id,
            "team_id": customer.team_id.id,
            "crm_sme_line_ids": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
        }

    @api.model
    def _demo_won_lead(self, entry, order_date, rnd):
        """The opportunity an order comes from: its lines are the order's, so
        its expected revenue is the order's untaxed amount; the order's
        confirmation marks it won (the team's rule)."""
        name = "Annual supply contract" if entry["segment"] == "key" else "First order"
        lead = self.env["crm.lead"].create(
            self._demo_lead_vals(entry["customer"], name, entry["lines"])
        )
        opened = order_date - timedelta(days=rnd.randint(10, 40))
        self._demo_date_lead(lead, opened, order_date)
        return lead

    @api.model
    def _demo_date_lead(self, lead, opened, closed=None):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s, date_open = %s, date_closed = %s,"
                " date_last_stage_update = %s WHERE id = %s",
                opened,
                opened,
                closed,
                closed or opened,
                lead.id,
            )
        )
        lead.invalidate_recordset()

    @api.model
    def _demo_pipeline(self, customers, products, rnd, now):
        if len(customers) < 60:
            return
        by_xmlid = products
        for index, lines, reason, days_ago in LOST:
            customer = customers[index]
            lead = self.env["crm.lead"].create(
                self._demo_lead_vals(
                    customer,
                    rnd.choice(LOST_SUBJECTS),
                    [(by_xmlid[xmlid], qty) for xmlid, qty in lines.items()],
                )
            )
            lead.action_set_lost(lost_reason_id=self.env.ref(reason).id)
            opened = now - timedelta(days=days_ago + rnd.randint(15, 45))
            self._demo_date_lead(lead, opened, now - timedelta(days=days_ago))
        opens = (
            list(OPEN)
            + [
                (
                    index,
                    {"product_a4_paper_demo": 100, "product_notebook_demo": 50},
                    "crm.stage_lead1",
                    10 + 7 * n,
                    20 + 5 * n,
                )
                for n, index in enumerate(DEMO_PROSPECTS)
            ]
            + [
                # a salesperson trying to win back a customer at risk
                (index, {"product_gel_pen_demo": 100}, "crm.stage_lead2", 15, 20)
                for index in DEMO_AT_RISK[:2] + DEMO_DORMANT[:1]
            ]
        )
        for index, lines, stage, age, deadline in opens:
            customer = customers[index]
            vals = self._demo_lead_vals(
                customer,
                rnd.choice(OPEN_SUBJECTS),
                [(by_xmlid[xmlid], qty) for xmlid, qty in lines.items()],
            )
            vals.update(
                stage_id=self.env.ref(stage).id,
                date_deadline=(now + timedelta(days=deadline)).date(),
            )
            lead = self.env["crm.lead"].create(vals)
            self._demo_date_lead(lead, now - timedelta(days=age))
