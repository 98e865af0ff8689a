# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.crm_sme_customer_value_inputs import CrmSmeCustomerValue as CustomerValueInputs
from ..models.crm_sme_customer_value_job import CrmSmeCustomerValue

# Twelve months of revenue per customer: four large customers make ~80 %.
LARGE = (40000.0, 30000.0, 20000.0, 10000.0)
SMALL = 1500.0
SMALL_COUNT = 16


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_value")
class TestCustomerValue(AccountTestInvoicingCommon):
    """Scenario 6 and the rules of the customer value job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        cls.today = fields.Date.context_today(cls.env.user)
        ctx = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.salesman = new_test_user(cls.env, "val_sales", "sales_team.group_sale_salesman", **ctx)
        cls.salesman_2 = new_test_user(
            cls.env, "val_sales2", "sales_team.group_sale_salesman", **ctx
        )
        cls.manager = new_test_user(cls.env, "val_manager", "sales_team.group_sale_manager", **ctx)
        cls.accountant = new_test_user(
            cls.env, "val_account", "account.group_account_invoice", **ctx
        )
        cls.other_company_user = new_test_user(
            cls.env,
            "val_other",
            "sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.products = cls.env["product.product"].create(
            [
                {"name": f"Stationery {i} (value test)", "list_price": 10.0, "standard_price": 6.0}
                for i in range(5)
            ]
        )
        Partner = cls.env["res.partner"].with_company(cls.company)
        cls.large = Partner.create(
            [
                {
                    "name": f"Large customer {i}",
                    "is_company": True,
                    "company_id": cls.company.id,
                    "user_id": cls.salesman.id,
                }
                for i in range(len(LARGE))
            ]
        )
        cls.small = Partner.create(
            [
                {
                    "name": f"Small customer {i:02d}",
                    "is_company": True,
                    "company_id": cls.company.id,
                    "user_id": cls.salesman_2.id,
                }
                for i in range(SMALL_COUNT)
            ]
        )
        # a year of invoices: large customers monthly, small ones 3 times
        vals = []
        for partner, total in zip(cls.large, LARGE, strict=True):
            for month in range(12):
                vals.append(cls._invoice_vals(partner, total / 12, 15 + 30 * month, month % 5))
        for index, partner in enumerate(cls.small):
            for number in range(3):
                vals.append(
                    cls._invoice_vals(partner, SMALL / 3, 20 + 100 * number + index, number)
                )
        cls.invoices = cls.env["account.move"].create(vals)
        cls.invoices.action_post()
        cls.Value = cls.env["crm.sme.customer.value"]

    @classmethod
    def _invoice_vals(
        cls, partner, amount, days_ago, product_index=0, move_type="out_invoice", company=None
    ):
        date = cls.today - timedelta(days=days_ago)
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "company_id": (company or cls.company).id,
            "invoice_date": date,
            "date": date,
            "invoice_date_due": date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": cls.products[product_index].id,
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [],
                    }
                )
            ],
        }

    def _invoice(self, partner, amount, days_ago, move_type="out_invoice", product_index=0):
        move = self.env["account.move"].create(
            self._invoice_vals(partner, amount, days_ago, product_index, move_type)
        )
        move.action_post()
        return move

    def _recompute(self, **kwargs):
        return self.env["res.partner"]._crm_sme_recompute_values(self.company, **kwargs)[
            self.company.id
        ]

    def _row(self, partner):
        return self.Value.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def _p(self, partner):
        partner = partner.with_company(self.company)
        partner.invalidate_recordset()
        return partner

    # ------------------------------------------------------------------
    # Scenario 6
    # ------------------------------------------------------------------
    def test_scenario_6_year_of_invoices(self):
        stats = self._recompute()
        customers = self.large | self.small
        self.assertGreaterEqual(stats["customers"], len(customers))
        rows = self.Value.search(
            [("partner_id", "in", customers.ids), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), len(customers))
        # ABC: the A customers are the large ones and hold about 80 % of revenue
        a_rows = rows.filtered(lambda r: r.abc_class == "a")
        self.assertEqual(a_rows.partner_id, self.large)
        total = sum(rows.mapped("revenue_12m"))
        self.assertAlmostEqual(total, sum(LARGE) + SMALL * SMALL_COUNT, delta=1)
        share = sum(a_rows.mapped("revenue_12m")) / total
        self.assertGreaterEqual(share, 0.75)
        self.assertLessEqual(share, 0.85)
        self.assertEqual(set(rows.mapped("abc_class")), {"a", "b", "c"})
        # the partner fields carry the results in the company
        top = self._p(self.large[0])
        self.assertEqual(top.crm_sme_abc_class, "a")
        self.assertEqual(top.crm_sme_rfm_r, 5)
        self.assertEqual(top.crm_sme_rfm_m, 5)
        self.assertEqual(top.crm_sme_rfm_class, "hhh")
        self.assertEqual(top.crm_sme_rfm_segment, "champions")
        self.assertEqual(top.crm_sme_lifecycle, "active")
        self.assertGreater(top.crm_sme_current_value, self._p(self.small[0]).crm_sme_current_value)
        self.assertIn(top.crm_sme_value_tier, ("key", "maintain"))
        self.assertEqual(self._p(self.small[-1]).crm_sme_abc_class, "c")
        for partner in customers:
            p = self._p(partner)
            self.assertTrue(p.crm_sme_value_tier)
            self.assertIn(p.crm_sme_rfm_r, range(1, 6))
            self.assertTrue(0 <= p.crm_sme_current_value <= 100)
        # margin from the product cost (6 per unit, 1 unit per line)
        top_row = self._row(self.large[0])
        self.assertAlmostEqual(top_row.margin_12m, top_row.revenue_12m - 12 * 6.0, places=2)
        self.assertEqual(self._row(self.large[0]).product_count_12m, 5)
        # the monthly snapshot
        history = self.env["crm.sme.customer.value.history"].search(
            [("partner_id", "in", customers.ids), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(history), len(customers))
        self.assertEqual(set(history.mapped("period")), {self.today.replace(day=1)})
        # the other company has no scores for them
        self.assertFalse(self.large[0].with_company(self.company_2).crm_sme_value_tier)

        # rerun on unchanged data: nothing written, nothing logged
        self.env.flush_all()
        write_dates = {p.id: p.write_date for p in customers}
        messages = self.env["mail.message"].search_count([("model", "=", "res.partner")])
        self.env.cr.execute("SELECT max(write_date) FROM crm_sme_customer_value")
        value_date = self.env.cr.fetchone()[0]
        stats = self._recompute()
        self.assertEqual(
            {k: v for k, v in stats.items() if k != "customers"},
            dict.fromkeys(
                ("inputs", "scores", "partners", "history", "transitions", "key_accounts"), 0
            ),
        )
        customers.invalidate_recordset()
        self.assertEqual({p.id: p.write_date for p in customers}, write_dates)
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "res.partner")]), messages
        )
        self.env.cr.execute("SELECT max(write_date) FROM crm_sme_customer_value")
        self.assertEqual(self.env.cr.fetchone()[0], value_date)

    def test_queries_constant_per_batch(self):
        """The job costs the same number of queries for 20 or 40 customers."""
        self._recompute()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self._recompute()
        few = self.env.cr.sql_log_count - before
        more = self.env["res.partner"].create(
            [
                {"name": f"Extra {i}", "is_company": True, "company_id": self.company.id}
                for i in range(20)
            ]
        )
        self.env["account.move"].create(
            [self._invoice_vals(p, 100.0, 10) for p in more]
        ).action_post()
        self._recompute()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self._recompute()
        self.assertEqual(self.env.cr.sql_log_count - before, few)

    def test_queries_per_batch_of_inputs(self):
        """Each batch of the input pass is one upsert, whatever its size."""
        self.env.flush_all()
        Value = self.Value.sudo()
        ids = (self.large | self.small).ids
        with self.assertQueryCount(1):
            Value._upsert_inputs(self.company, ids[:3], self.today)
        with self.assertQueryCount(1):
            Value._upsert_inputs(self.company, ids, self.today)

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------
    def test_lifecycle_thresholds_and_transition_logged_once(self):
        late = self.env["res.partner"].create(
            {"name": "Late customer", "is_company": True, "company_id": self.company.id}
        )
        prospect = self.env["res.partner"].create(
            {
                "name": "Prospect",
                "is_company": True,
                "company_id": self.company.id,
                "customer_rank": 1,
            }
        )
        self._invoice(late, 500.0, 400)
        self._invoice(late, 500.0, 100)
        self._recompute()
        self.assertEqual(self._p(late).crm_sme_lifecycle, "at_risk")
        self.assertEqual(self._p(prospect).crm_sme_lifecycle, "prospect")
        self.assertEqual(self._p(self.large[0]).crm_sme_lifecycle, "active")
        messages = late.message_ids
        self.company.crm_sme_lifecycle_at_risk_days = 120
        self._recompute()
        self.assertEqual(self._p(late).crm_sme_lifecycle, "active")
        late.invalidate_recordset()
        logged = late.message_ids - messages
        self.assertEqual(len(logged), 1)
        self.assertIn("At Risk", logged.body)
        self.assertIn("Active", logged.body)
        self._recompute()
        late.invalidate_recordset()
        self.assertEqual(len(late.message_ids - messages), 1)
        # dormant, lost, new
        self.company.write(
            {
                "crm_sme_lifecycle_at_risk_days": 30,
                "crm_sme_lifecycle_dormant_days": 60,
                "crm_sme_lifecycle_lost_days": 99,
            }
        )
        self._recompute()
        self.assertEqual(self._p(late).crm_sme_lifecycle, "lost")
        new = self.env["res.partner"].create(
            {"name": "New one", "is_company": True, "company_id": self.company.id}
        )
        self._invoice(new, 50.0, 5)
        self._recompute()
        self.assertEqual(self._p(new).crm_sme_lifecycle, "new")

    def test_lifecycle_override_with_reason(self):
        self._recompute()
        customer = self._p(self.small[0]).with_user(self.salesman_2)
        with self.assertRaises(ValidationError):
            customer.write({"crm_sme_lifecycle_override": "lost"})
        customer.write(
            {"crm_sme_lifecycle_override": "lost", "crm_sme_lifecycle_reason": "Went bankrupt"}
        )
        self.assertEqual(customer.crm_sme_lifecycle, "lost")
        self.assertIn("Went bankrupt", customer.message_ids[0].body)
        self._recompute()
        self.assertEqual(self._p(self.small[0]).crm_sme_lifecycle, "lost")
        self.assertEqual(self._row(self.small[0]).lifecycle_computed, "active")
        customer.write({"crm_sme_lifecycle_override": False})
        self.assertEqual(self._p(self.small[0]).crm_sme_lifecycle, "active")

    # ------------------------------------------------------------------
    # Key account
    # ------------------------------------------------------------------
    def test_key_account_follows_tier_unless_set_by_hand(self):
        top = self.large[0]
        top.purchase_potential = 1_000_000.0
        self._recompute()
        self.assertEqual(self._p(top).crm_sme_value_tier, "key")
        self.assertTrue(top.is_key_account)
        self.assertFalse(top.crm_sme_key_account_manual)
        self.assertFalse(self.small[0].is_key_account)
        # set by hand: stays
        top.with_user(self.salesman).write({"is_key_account": False})
        self.assertTrue(top.crm_sme_key_account_manual)
        self._recompute()
        self.assertFalse(top.is_key_account)
        # back to following the tier
        top.crm_sme_key_account_manual = False
        self._recompute()
        self.assertTrue(top.is_key_account)

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------
    def test_history_upsert(self):
        History = self.env["crm.sme.customer.value.history"]
        self._recompute()
        row = History.search(
            [("partner_id", "=", self.small[0].id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.revenue, SMALL, places=2)
        self._invoice(self.small[0], 700.0, 3)
        self._recompute()
        rows = History.search(
            [("partner_id", "=", self.small[0].id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(rows, row)
        self.assertAlmostEqual(row.revenue, SMALL + 700.0, places=2)
        # next month: a second snapshot
        next_month = (self.today.replace(day=1) + timedelta(days=32)).replace(day=1)
        self._recompute(today=next_month)
        rows = History.search(
            [("partner_id", "=", self.small[0].id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), 2)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_access_per_role(self):
        self._recompute()
        own, other = self.large[0], self.small[0]
        # salesperson: scores of the customers they can read
        self.assertTrue(self._p(own).with_user(self.salesman).crm_sme_value_tier)
        Value = self.Value.with_user(self.salesman)
        self.assertTrue(Value.search([("partner_id", "=", own.id)]))
        self.assertFalse(Value.search([("partner_id", "=", other.id)]))
        card = self._p(own).with_user(self.salesman).crm_sme_value_card
        self.assertIn("o_crm_sme_value_table", card)
        History = self.env["crm.sme.customer.value.history"]
        self.assertTrue(History.with_user(self.salesman).search([("partner_id", "=", own.id)]))
        self.assertFalse(History.with_user(self.salesman).search([("partner_id", "=", other.id)]))
        # accountant reads all of the company, writes nothing
        self.assertTrue(
            self.Value.with_user(self.accountant).search([("partner_id", "=", other.id)])
        )
        with self.assertRaises(AccessError):
            self._row(other).with_user(self.accountant).write({"current_value": 1})
        # other company: never
        outsider = self.Value.with_user(self.other_company_user)
        self.assertFalse(outsider.search([("partner_id", "in", (own | other).ids)]))
        self.assertFalse(
            History.with_user(self.other_company_user).search(
                [("partner_id", "in", (own | other).ids)]
            )
        )
        # settings and the button: managers only
        with self.assertRaises(AccessError):
            self.company.with_user(self.salesman).write({"crm_sme_abc_a_share": 70})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).action_crm_sme_recompute_values()
        action = (
            self.env["res.partner"]
            .with_user(self.manager)
            .with_company(self.company)
            .action_crm_sme_recompute_values()
        )
        self.assertEqual(action["params"]["type"], "success")
        # no computed figure without groups
        for name in ("crm_sme_value_card", "crm_sme_value_tier", "crm_sme_lifecycle_override"):
            self.assertTrue(self.env["res.partner"]._fields[name].groups)

    def test_button_on_big_company_runs_in_background(self):
        cron = self.env.ref("crm_sme.ir_cron_crm_sme_customer_value")
        with patch("odoo.addons.crm_sme.models.res_partner_value.VALUE_SYNC_LIMIT", 5):
            action = (
                self.env["res.partner"]
                .with_user(self.manager)
                .with_company(self.company)
                .action_crm_sme_recompute_values()
            )
        self.assertEqual(action["params"]["type"], "info")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.assertFalse(self._row(self.large[0]))

    def test_cron_resumes_after_last_batch(self):
        self.env["res.partner"]._cron_crm_sme_recompute_values()
        self.assertTrue(self._row(self.large[0]))
        self.assertFalse(self.env["ir.config_parameter"].get_param("crm_sme.value_job_cursor"))

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------
    def test_settings_validation(self):
        for vals in (
            {"crm_sme_value_w_revenue": 31.0},
            {"crm_sme_value_w_gap": float("nan")},
            {"crm_sme_value_w_revenue": -10.0, "crm_sme_value_w_margin": 60.0},
            {"crm_sme_value_current_bound": 0.0},
            {"crm_sme_value_potential_bound": 120.0},
            {"crm_sme_abc_a_share": 90.0, "crm_sme_abc_b_share": 15.0},
            {"crm_sme_lifecycle_dormant_days": 60},
            {"crm_sme_lifecycle_lost_days": -1},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.company.write(vals)
        # several weights changed at once through the settings: checked as a whole
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company)
            .create({"crm_sme_value_w_revenue": 40.0, "crm_sme_value_w_margin": 10.0})
        )
        settings.execute()
        self.assertEqual(self.company.crm_sme_value_w_revenue, 40.0)
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company)
            .create({"crm_sme_value_w_revenue": 50.0})
        )
        with self.assertRaises(ValidationError):
            settings.execute()
        with self.assertRaises(ValidationError):
            self.env["res.partner.industry"].create({"name": "Bad", "crm_sme_growth_rating": 101})

    def test_company_without_invoices(self):
        self.env["res.partner"].create(
            {
                "name": "Lonely prospect",
                "is_company": True,
                "company_id": self.company_2.id,
                "customer_rank": 1,
            }
        )
        stats = self.env["res.partner"]._crm_sme_recompute_values(self.company_2)[self.company_2.id]
        self.assertEqual(stats["customers"], 1)
        row = self.Value.search([("company_id", "=", self.company_2.id)])
        self.assertEqual(
            (row.lifecycle, row.value_tier, row.abc_class, row.current_value),
            ("prospect", "basic", "c", 0),
        )
        self.assertEqual(row.rfm_r, 0)
        self.assertFalse(row.rfm_segment)

    def test_credit_notes_only_zero_revenue_and_absurd_customer(self):
        refunds = self.env["res.partner"].create(
            {"name": "Refunds only", "is_company": True, "company_id": self.company.id}
        )
        zero = self.env["res.partner"].create(
            {"name": "Zero", "is_company": True, "company_id": self.company.id}
        )
        absurd = self.env["res.partner"].create(
            {
                "name": "Absurd",
                "is_company": True,
                "company_id": self.company.id,
                "purchase_potential": 1e13,
            }
        )
        self._invoice(refunds, 300.0, 10, move_type="out_refund")
        self._invoice(zero, 100.0, 10)
        self._invoice(zero, 100.0, 9, move_type="out_refund")
        self._invoice(absurd, 1e11, 5)
        self._recompute()
        r = self._row(refunds)
        self.assertAlmostEqual(r.revenue_12m, -300.0, places=2)
        self.assertEqual((r.abc_class, r.rank_revenue, r.lifecycle), ("c", 0, "prospect"))
        z = self._row(zero)
        self.assertEqual((z.abc_class, z.rank_revenue, z.lifecycle), ("c", 0, "new"))
        a = self._row(absurd)
        self.assertEqual((a.abc_class, a.rank_revenue), ("a", 100))
        self.assertTrue(0 <= a.current_value <= 100 and 0 <= a.potential_value <= 100)
        # the others are still ranked; behind the absurd one everybody is C
        self.assertEqual(self._row(self.large[0]).abc_class, "c")
        self.assertGreater(
            self._row(self.large[0]).rank_revenue, self._row(self.small[0]).rank_revenue
        )

    def test_one_bad_customer_is_skipped(self):
        bad = self.small[0]
        original = CrmSmeCustomerValue._upsert_inputs

        def failing(model, company, partner_ids, today):
            if bad.id in partner_ids:
                raise ValueError("absurd data")
            return original(model, company, partner_ids, today)

        with (
            patch.object(CrmSmeCustomerValue, "_upsert_inputs", failing),
            self.assertLogs("odoo.addons.crm_sme.jobs", "ERROR"),
        ):
            self._recompute()
        self.assertFalse(self._row(bad))
        self.assertTrue(self._row(self.small[1]))
        self.assertTrue(self._p(self.small[1]).crm_sme_value_tier)

    def test_company_statement_fails_batches_read_the_sources(self):
        """When the company-wide statement fails, the batches read the
        sources themselves and the scores follow from the stored rows: the
        same values, so that a normal run afterwards writes nothing."""
        original = CustomerValueInputs._inputs_sql

        def failing(model, company, today, partner_ids=None):
            if partner_ids is None:
                raise ValueError("company-wide statement failed")
            return original(model, company, today, partner_ids)

        with (
            patch.object(CustomerValueInputs, "_inputs_sql", failing),
            self.assertLogs("odoo.addons.crm_sme.models.crm_sme_customer_value_job", "ERROR"),
        ):
            stats = self._recompute()
        customers = self.large | self.small
        self.assertEqual(stats["inputs"], len(customers))
        self.assertEqual(stats["scores"], len(customers))
        self.assertEqual(self._row(self.large[0]).abc_class, "a")
        self.assertEqual(self._p(self.large[0]).crm_sme_abc_class, "a")
        self.assertTrue(
            self.env["crm.sme.customer.value.history"].search_count(
                [("partner_id", "in", customers.ids), ("company_id", "=", self.company.id)]
            )
        )
        stats = self._recompute()
        self.assertEqual((stats["inputs"], stats["scores"], stats["partners"]), (0, 0, 0))

    def test_fields_and_snapshot_out_of_date_are_repaired(self):
        """A customer whose snapshot of the month is missing (e.g. restored
        from a backup) gets it with the next run, and its fields are checked
        with it, although its scores do not change; nobody else is written."""
        self._recompute()
        customer = self.large[0]
        Value = self.Value.sudo()
        prepared, ids = Value._prepare_inputs(self.company, self.today)
        self.assertEqual(ids, [])  # nothing differs
        Value._drop_inputs()
        self.env.cr.execute(
            "UPDATE res_partner SET crm_sme_value_tier = crm_sme_value_tier - %s WHERE id = %s",
            [str(self.company.id), customer.id],
        )
        self.env.cr.execute(
            "DELETE FROM crm_sme_customer_value_history WHERE partner_id = %s AND company_id = %s",
            [customer.id, self.company.id],
        )
        self.assertFalse(self._p(customer).crm_sme_value_tier)
        stats = self._recompute()
        self.assertEqual(
            (stats["inputs"], stats["scores"], stats["partners"], stats["history"]), (0, 0, 1, 1)
        )
        self.assertEqual(self._p(customer).crm_sme_value_tier, self._row(customer).value_tier)
        self.assertEqual(
            self.env["crm.sme.customer.value.history"].search_count(
                [("partner_id", "=", customer.id), ("company_id", "=", self.company.id)]
            ),
            1,
        )
