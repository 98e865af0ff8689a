# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# customer key: (type, district, source, salesperson, 12-month revenue, tier, ABC class)
CUSTOMERS = {
    "c01": ("supermarket", "haishu", "newspaper", "sally", 5000.0, "key", "a"),
    "c02": ("supermarket", "haishu", "newspaper", "sally", 3000.0, "key", "a"),
    "c03": ("supermarket", "haishu", "referral", "sally", 1000.0, "grow", "b"),
    "c04": ("supermarket", "haishu", "referral", "sally", 500.0, "maintain", "b"),
    "c05": ("supermarket", "jiangbei", "referral", "sally", 300.0, "maintain", "c"),
    "c06": ("supermarket", "jiangbei", "referral", "sam", 100.0, "basic", "c"),
    "c07": ("retail", "jiangbei", "referral", "sam", 50.0, "basic", "c"),
    "c08": ("retail", "jiangbei", "website", "sam", 30.0, "basic", "c"),
    "c09": ("retail", "jiangbei", "website", "sam", 20.0, "basic", "c"),
    "c10": ("online", "jiangbei", "tv", "sam", 0.0, "basic", "c"),
}


class AnalyticsCommon(AccountTestInvoicingCommon):
    """Ten customers of the test company with known shares (supermarkets
    60 %, retail 30 %, online 10 %; Haishu 40 %, Jiangbei 60 %), revenue of the
    last 12 months 10 000 (A: c01-c02 = 80 %, B: c03-c04 = 15 %, C: the rest),
    Sally (team A, led by Tina) owns c01-c05, Sam (no team) c06-c10, Otto a
    customer of the other company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        cls.today = fields.Date.context_today(cls.env.user)
        ctx = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.sally = new_test_user(
            cls.env, "an_sally", "sales_team.group_sale_salesman", name="Sally", **ctx
        )
        cls.sam = new_test_user(
            cls.env, "an_sam", "sales_team.group_sale_salesman", name="Sam", **ctx
        )
        cls.tina = new_test_user(
            cls.env, "an_tina", "crm_sme.group_crm_sme_team_leader", name="Tina", **ctx
        )
        cls.mona = new_test_user(
            cls.env, "an_mona", "sales_team.group_sale_manager", name="Mona", **ctx
        )
        cls.anna = new_test_user(
            cls.env, "an_anna", "account.group_account_invoice", name="Anna", **ctx
        )
        cls.eddie = new_test_user(cls.env, "an_eddie", "base.group_user", name="Eddie", **ctx)
        cls.otto = new_test_user(
            cls.env,
            "an_otto",
            "sales_team.group_sale_salesman",
            name="Otto",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        export = cls.env.ref("base.group_allow_export")
        for user in cls.sally | cls.sam | cls.tina | cls.mona | cls.anna | cls.otto:
            user.groups_id = [Command.link(export.id)]
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Analytics Team A",
                "company_id": cls.company.id,
                "user_id": cls.tina.id,
                "invoiced_target": 1000.0,
            }
        )
        cls.team.member_ids = cls.sally | cls.tina
        Region = cls.env["crm.sme.region"]
        cls.ningbo = Region.create({"name": "Ningbo (analytics)", "company_id": cls.company.id})
        cls.districts = {
            key: Region.create(
                {
                    "name": f"{key} (analytics)",
                    "parent_id": cls.ningbo.id,
                    "company_id": cls.company.id,
                }
            )
            for key in ("haishu", "jiangbei")
        }
        cls.types = {
            key: cls.env.ref(f"crm_sme.customer_type_{key}")
            for key in ("supermarket", "retail", "online")
        }
        cls.sources = {
            key: cls.env.ref(f"crm_sme.utm_source_{key}")
            for key in ("newspaper", "referral", "website", "tv")
        }
        owners = {"sally": cls.sally, "sam": cls.sam}
        cls.customers = {}
        for key, (ctype, district, source, owner, __, tier, abc) in CUSTOMERS.items():
            partner = cls.env["res.partner"].create(
                {
                    "name": f"Analytics {key}",
                    "is_company": True,
                    "company_id": cls.company.id,
                    "customer_type_id": cls.types[ctype].id,
                    "region_id": cls.districts[district].id,
                    "source_id": cls.sources[source].id,
                    "user_id": owners[owner].id,
                    "team_id": cls.team.id if owner == "sally" else False,
                }
            )
            # the value job's company-dependent fields, set directly
            partner.sudo().with_company(cls.company).write(
                {
                    "crm_sme_value_tier": tier,
                    "crm_sme_abc_class": abc,
                    "crm_sme_lifecycle": "active",
                }
            )
            cls.customers[key] = partner
        cls.mine = cls.env["res.partner"].browse([p.id for p in cls.customers.values()])
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Analytics other company customer",
                "is_company": True,
                "company_id": cls.company_2.id,
                "customer_type_id": cls.types["supermarket"].id,
                "user_id": cls.otto.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Analytics pens", "type": "consu", "list_price": 1000.0}
        )
        cls.product.with_company(cls.company).standard_price = 600.0
        # revenue: c01 5 500 invoiced then 500 credited; an old invoice outside the 12 months
        moves = cls.env["account.move"]
        for key, values in CUSTOMERS.items():
            amount = values[4] + (500.0 if key == "c01" else 0.0)
            if not amount:
                continue
            user = owners[values[3]]
            if key == "c02":  # 3 x 1 000 of a product costing 600: margin 1 200
                moves |= cls._analytics_invoice(cls.customers[key], 1000.0, 20, user, qty=3)
            else:
                moves |= cls._analytics_invoice(cls.customers[key], amount, 30, user)
        moves |= cls._analytics_invoice(
            cls.customers["c01"], 500.0, 10, cls.sally, move_type="out_refund"
        )
        moves |= cls._analytics_invoice(cls.customers["c01"], 7000.0, 400, cls.sally)
        moves.action_post()
        cls.month = cls.today.replace(day=1)
        cls.month_before = cls.month - relativedelta(months=12)

    @classmethod
    def _analytics_invoice(cls, partner, amount, days_ago, user, move_type="out_invoice", qty=1):
        line = {"name": "pens", "quantity": qty, "price_unit": amount, "tax_ids": []}
        if qty > 1:
            line["product_id"] = cls.product.id
        return cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_user_id": user.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )

    @classmethod
    def _snapshot(cls, key, period, tier, lifecycle, revenue, user=None):
        partner = cls.customers[key]
        user = user or partner.user_id
        return (
            cls.env["crm.sme.customer.value.history"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "period": period,
                    "user_id": user.id,
                    "team_id": cls.team.id if user == cls.sally else False,
                    "value_tier": tier,
                    "lifecycle": lifecycle,
                    "revenue": revenue,
                }
            )
        )

    def _history(self):
        before = (
            ("c01", "key", "active", 4000.0),
            ("c02", "grow", "active", 2000.0),
            ("c04", "maintain", "active", 400.0),
            ("c05", "basic", "lost", 0.0),
            ("c06", "basic", "active", 80.0),
        )
        after = (
            ("c01", "key", "active", 5000.0),
            ("c02", "key", "active", 3000.0),
            ("c03", "grow", "new", 1000.0),
            ("c04", "maintain", "lost", 500.0),
            ("c05", "maintain", "active", 300.0),
        )
        for period, snapshots in ((self.month_before, before), (self.month, after)):
            for key, tier, lifecycle, revenue in snapshots:
                self._snapshot(key, period, tier, lifecycle, revenue)

    def _tier_moves(self, user, date_from):
        """The tier-move report as the period wizard opens it for ``user``
        (from ``date_from`` to today): (model in the action's context, domain)."""
        wizard = (
            self.env["crm.sme.analysis.period.wizard"]
            .with_user(user)
            .create({"date_from": date_from, "date_to": self.today})
        )
        action = wizard.action_open_tier_moves()
        moves = (
            self.env["crm.sme.tier.move.report"].with_user(user).with_context(**action["context"])
        )
        return moves, action["domain"]
