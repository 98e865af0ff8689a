# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_common import AccessCommon

SEEN = {
    "salesperson": {"sally"},
    "colleague": set(),
    "other_team": {"sam"},
    "team_leader": {"sally"},
    "manager": {"sally", "sam"},
    "service": None,
    "accountant": {"sally", "sam"},
    "employee": None,
    "portal": None,
    "other_company": {"other"},
}


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_plan")
class TestPlanAccess(AccessCommon):
    """Visit plan lines and the churn watch by role: own / team / all, the
    company, and every way of reading (search, read_group, name_search, export)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for key, company in (
            ("sally", cls.company),
            ("sam", cls.company),
            ("other", cls.company_other),
        ):
            cls.customers[key].sudo().with_company(company).write(
                {"crm_sme_value_tier": "key", "crm_sme_lifecycle": "at_risk"}
            )
        Plan = cls.env["crm.sme.visit.plan.line"]
        Plan._generate(cls.company)
        Plan._generate(cls.company_other)
        customer_ids = [c.id for c in cls.customers.values()]
        cls.records = {
            "crm.sme.visit.plan.line": Plan.search([("partner_id", "in", customer_ids)]),
            "crm.sme.churn.watch": cls.env["crm.sme.churn.watch"].search(
                [("partner_id", "in", customer_ids)]
            ),
        }
        for records in cls.records.values():
            assert len(records) == 3, records

    def _key(self, record):
        return next(k for k, c in self.customers.items() if c == record.partner_id)

    def _reach(self, model, user):
        records = self.records[model]
        Model = self.env[model].with_user(user)
        domain = [("id", "in", records.ids)]
        try:
            found = Model.search(domain)
        except AccessError:
            return None
        keys = {self._key(record) for record in found}
        groups = Model.read_group(domain, ["__count"], [])
        self.assertEqual(groups[0]["__count"] if groups else 0, len(found), "read_group")
        named = Model.name_search("", domain, limit=100)
        self.assertEqual({i for i, _n in named}, set(found.ids), "name_search")
        for record in records:
            mine = record.with_user(user)
            if record in found:
                mine.read(["partner_id"])
                mine.export_data(["partner_id"])
            else:
                with self.assertRaises(AccessError):
                    mine.read(["partner_id"])
                with self.assertRaises(AccessError):
                    mine.export_data(["partner_id"])
        return keys

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_read_matrix(self):
        for model in self.records:
            for role, user in self.roles.items():
                with self.subTest(model=model, role=role):
                    self.assertEqual(self._reach(model, user), SEEN[role])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_plan_write(self):
        lines = self.records["crm.sme.visit.plan.line"]
        sally_line = lines.filtered(lambda line: line.partner_id == self.customers["sally"])
        for role in ("other_team", "accountant", "other_company", "employee", "colleague"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                sally_line.with_user(self.roles[role]).write({"dismiss_reason": "no"})
        for role in ("salesperson", "manager", "accountant"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["crm.sme.visit.plan.line"].with_user(self.roles[role]).create(
                    {
                        "company_id": self.company.id,
                        "user_id": self.roles[role].id,
                        "partner_id": self.customers["sally"].id,
                        "week_start": sally_line.week_start,
                    }
                )
        with self.assertRaises(AccessError):
            sally_line.with_user(self.user_salesman).unlink()
        sally_line.with_user(self.user_salesman).write({"dismiss_reason": "Holiday"})
        sally_line.with_user(self.user_salesman).action_dismiss()
        self.assertEqual(sally_line.state, "dismissed")
