# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_tour")
class TestCustomerValueTour(HttpCase):
    def test_value_card_tour(self):
        """A manager opens a scored customer, reads why it is in its tier and
        drills down to the invoices behind the scores."""
        company = self.env.company
        self.env["res.partner"]._crm_sme_recompute_values(company)
        self.env.cr.execute(
            "SELECT partner_id FROM crm_sme_customer_value WHERE company_id = %s AND revenue_12m > 0"
            " ORDER BY revenue_12m DESC, partner_id LIMIT 1",
            [company.id],
        )
        row = self.env.cr.fetchone()
        if row:
            customer = self.env["res.partner"].browse(row[0])
        else:  # a database without demo invoices
            # (the demo's invoices are in its own Ningbo company): a prospect of ours
            customer = self.env["res.partner"].create(
                {
                    "name": "Tour Value Co",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": company.id,
                }
            )
            self.env["res.partner"]._crm_sme_recompute_values(company)
        self.start_tour(f"/odoo/contacts/{customer.id}", "crm_sme_value_tour", login="admin")
