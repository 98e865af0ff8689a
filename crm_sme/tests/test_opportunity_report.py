# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .test_opportunity_common import OpportunityCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_opportunity")
class TestCampaignReport(OpportunityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create(
            {"name": "Spring fair (test)", "crm_sme_cost": 1000.0}
        )
        cls.source = cls.env["utm.source"].create({"name": "Trade fair (test)"})
        cls.won = cls._create_opportunity(
            lines=[(cls.product_stocked, 10.0)],
            campaign_id=cls.campaign.id,
            source_id=cls.source.id,
        )
        order = (
            cls.env["sale.order"]
            .with_context(**cls.won._prepare_opportunity_quotation_context())
            .create({})
        )
        order.action_confirm()
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        order.picking_ids.button_validate()
        cls.invoice = order._create_invoices()
        cls.invoice.action_post()
        sams_customer = cls.env["res.partner"].create(
            {"name": "Sam's Shop (test)", "is_company": True, "user_id": cls.user_salesman_2.id}
        )
        cls.lost = cls._create_opportunity(
            user=cls.user_salesman_2,
            partner_id=sams_customer.id,
            campaign_id=cls.campaign.id,
            source_id=cls.source.id,
            team_id=False,
        )
        cls.lost.action_set_lost(
            lost_reason_id=cls.env["crm.lost.reason"].create({"name": "Price (test)"}).id
        )
        cls.open = cls._create_opportunity(campaign_id=cls.campaign.id)

    def _by_campaign(self, user=None):
        Report = self.env["crm.sme.campaign.report"]
        if user:
            Report = Report.with_user(user)
        groups = Report.read_group(
            [("campaign_id", "=", self.campaign.id)],
            [
                "opportunity_count",
                "won_count",
                "lost_count",
                "won_revenue",
                "invoiced_revenue",
                "campaign_cost",
            ],
            ["campaign_id"],
        )
        self.assertEqual(len(groups), 1)
        return groups[0]

    def test_campaign_return(self):
        self.assertTrue(self.won.stage_id.is_won)
        row = self._by_campaign()
        self.assertEqual(row["opportunity_count"], 3)
        self.assertEqual(row["won_count"], 1)
        self.assertEqual(row["lost_count"], 1)
        self.assertAlmostEqual(row["won_revenue"], self.won.expected_revenue)
        self.assertAlmostEqual(row["invoiced_revenue"], self.invoice.amount_untaxed_signed)
        self.assertAlmostEqual(row["campaign_cost"], 1000.0, msg="the cost is counted once")
        by_source = self.env["crm.sme.campaign.report"].read_group(
            [("source_id", "=", self.source.id)], ["opportunity_count"], ["source_id"]
        )
        self.assertEqual(by_source[0]["opportunity_count"], 2)

    def test_campaign_return_access(self):
        # the salesperson sees their own opportunities and the campaign's cost
        row = self._by_campaign(self.user_salesman)
        self.assertEqual(row["opportunity_count"], 2)
        self.assertAlmostEqual(row["campaign_cost"], 1000.0)
        # the manager and the accountant see everything
        self.assertEqual(self._by_campaign(self.user_sales_manager)["opportunity_count"], 3)
        self.assertEqual(self._by_campaign(self.user_accountant)["opportunity_count"], 3)
