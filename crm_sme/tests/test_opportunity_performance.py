# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import tagged

from .test_opportunity_common import OpportunityCommon

KANBAN_FIELDS = [
    "name",
    "stage_id",
    "expected_revenue",
    "partner_id",
    "user_id",
    "priority",
    "probability",
    "active",
    "company_currency",
    "team_id",
    "color",
    "crm_sme_availability",
    "crm_sme_payment_status",
]


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity", "crm_sme_performance")
class TestOpportunityPerformance(OpportunityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        dates = [fields.Date.add(today, days=7 * i) for i in range(4)]

        def batch(name, lines_per_lead):
            products = [cls.product_stocked, cls.product_short]
            return cls.env["crm.lead"].create(
                [
                    {
                        "name": f"{name} {i}",
                        "type": "opportunity",
                        "partner_id": cls.customer.id,
                        "user_id": cls.user_salesman.id,
                        "team_id": cls.team.id,
                        "stage_id": cls.stage_new.id,
                        "date_deadline": dates[i % 4],
                        "crm_sme_line_ids": [
                            Command.create(
                                {"product_id": products[(i + j) % 2].id, "product_uom_qty": 3.0 + j}
                            )
                            for j in range(lines_per_lead)
                        ],
                    }
                    for i in range(80)
                ]
            )

        cls.leads_1_line = batch("One line", 1)
        cls.leads_4_lines = batch("Four lines", 4)
        # a few with orders so that the trail query has work to do
        for lead in cls.leads_1_line[:5] | cls.leads_4_lines[:5]:
            cls.env["sale.order"].with_context(
                **lead._prepare_opportunity_quotation_context()
            ).create({})

    def _kanban_read(self, leads):
        return (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .web_search_read([("id", "in", leads.ids)], {name: {} for name in KANBAN_FIELDS})
        )

    def _count_queries(self, leads):
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self._kanban_read(leads)  # warm-up: ormcache, rules
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        result = self._kanban_read(leads)
        self.assertEqual(result["length"], 80)
        return self.cr.sql_log_count - start

    def test_kanban_queries_do_not_grow_with_lines(self):
        one = self._count_queries(self.leads_1_line)
        four = self._count_queries(self.leads_4_lines)
        self.assertEqual(
            one, four, "reading the pipeline must not cost more with more product lines"
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=27):
            self._kanban_read(self.leads_4_lines)
        self.assertLessEqual(four, 27)
