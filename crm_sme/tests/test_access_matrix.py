# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Access matrix: every role × every crm_sme model and extended core model ×
search / read / read_group / name_search / export_data / write / unlink /
create, on customers created the way the web client creates them.

Each table row reads: role -> keys of the records (see AccessCommon) the role
reaches; ``None``: no access to the model at all (AccessError).
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_common import AccessCommon

ALL_ROLES = (
    "salesperson",
    "colleague",
    "other_team",
    "team_leader",
    "manager",
    "service",
    "accountant",
    "employee",
    "portal",
    "other_company",
)


def table(default, **rows):
    """{role: keys} with ``default`` for the roles not given."""
    return {role: rows.get(role, default) for role in ALL_ROLES}


COMPANY_1 = {"sally", "sam"}
# Who sees what (search, read, read_group, name_search, export_data).
READ = {
    "res.partner": table(
        set(),
        salesperson={"sally"},
        other_team={"sam"},
        team_leader={"sally"},
        manager=COMPANY_1,
        service=COMPANY_1,
        accountant=COMPANY_1,
        employee=COMPANY_1,
        other_company={"other"},
    ),
    "crm.lead": table(
        None,
        salesperson={"sally", "unassigned"},
        colleague={"unassigned"},
        other_team={"sam", "unassigned"},
        team_leader={"sally", "unassigned"},
        manager={"sally", "sam", "unassigned"},
        # the service agent reads the company's opportunities for feedback links
        service={"sally", "sam", "unassigned"},
        accountant={"sally", "sam", "unassigned"},
        other_company={"other"},
    ),
    "crm.sme.interaction": table(
        None,
        salesperson={"sally", "sally_on_sam"},
        colleague=set(),
        other_team={"sam", "sally_on_sam"},
        team_leader={"sally", "sally_on_sam"},
        manager={"sally", "sam", "sally_on_sam"},
        service={"sally", "sam", "sally_on_sam"},
        accountant={"sally", "sam", "sally_on_sam"},
        other_company={"other"},
    ),
    "crm.sme.feedback": table(
        None,
        salesperson={"sally", "sally_on_sam"},
        colleague=set(),
        other_team={"sam", "sally_on_sam"},
        team_leader={"sally"},
        manager={"sally", "sam", "sally_on_sam"},
        service={"sally", "sam", "sally_on_sam"},
        accountant={"sally", "sam", "sally_on_sam"},
        other_company={"other"},
    ),
    "crm.sme.customer.position": table(
        None,
        salesperson={"sally"},
        colleague=set(),
        other_team={"sam"},
        team_leader={"sally"},
        manager=COMPANY_1,
        accountant=COMPANY_1,
        other_company={"other"},
    ),
    "crm.sme.important.date": table(
        None,
        salesperson={"sally"},
        colleague=set(),
        other_team={"sam"},
        team_leader=COMPANY_1,
        manager=COMPANY_1,
        service=COMPANY_1,
        accountant=COMPANY_1,
        employee=COMPANY_1,
        other_company={"other"},
    ),
    "crm.sme.lead.line": table(
        None,
        salesperson={"sally"},
        colleague=set(),
        other_team={"sam"},
        team_leader={"sally"},
        manager=COMPANY_1,
        accountant=COMPANY_1,
        other_company={"other"},
    ),
}
# What each role may change (write) and delete (unlink).
WRITE = {
    "res.partner": table(
        set(),
        salesperson={"sally"},
        other_team={"sam"},
        team_leader={"sally"},
        manager=COMPANY_1,
        other_company={"other"},
    ),
    "crm.lead": table(
        set(),
        salesperson={"sally", "unassigned"},
        colleague={"unassigned"},
        other_team={"sam", "unassigned"},
        team_leader={"sally", "unassigned"},
        manager={"sally", "sam", "unassigned"},
        other_company={"other"},
    ),
    "crm.sme.interaction": table(
        set(),
        salesperson={"sally", "sally_on_sam"},
        other_team={"sam", "sally_on_sam"},
        team_leader={"sally", "sally_on_sam"},
        manager={"sally", "sam", "sally_on_sam"},
        service={"sally", "sam", "sally_on_sam"},
        other_company={"other"},
    ),
    "crm.sme.feedback": table(
        set(),
        team_leader={"sally"},
        manager={"sally", "sam", "sally_on_sam"},
        service={"sally", "sam", "sally_on_sam"},
    ),
    "crm.sme.customer.position": table(set()),
    "crm.sme.important.date": table(
        set(),
        salesperson={"sally"},
        other_team={"sam"},
        team_leader=COMPANY_1,
        manager=COMPANY_1,
        other_company={"other"},
    ),
    "crm.sme.lead.line": table(
        set(),
        salesperson={"sally"},
        other_team={"sam"},
        team_leader={"sally"},
        manager=COMPANY_1,
        other_company={"other"},
    ),
}
UNLINK = {
    # customers are archived, never deleted (but by an administrator)
    "res.partner": table(set()),
    "crm.lead": table(set(), manager={"sally", "sam", "unassigned"}),
    "crm.sme.interaction": table(set(), manager={"sally", "sam", "sally_on_sam"}),
    "crm.sme.feedback": table(set(), manager={"sally", "sam", "sally_on_sam"}),
    "crm.sme.customer.position": table(set()),
    "crm.sme.important.date": WRITE["crm.sme.important.date"],
    "crm.sme.lead.line": WRITE["crm.sme.lead.line"],
}
WRITE_VALUES = {
    "res.partner": {"comment": "Checked (access test)"},
    "crm.lead": {"description": "Checked (access test)"},
    "crm.sme.interaction": {"next_step": "Call again"},
    "crm.sme.feedback": {"email_from": "checked@example.com"},
    "crm.sme.customer.position": {"receivable": 0.0},
    "crm.sme.important.date": {"name": "Anniversary"},
    "crm.sme.lead.line": {"product_uom_qty": 3.0},
}
# Who may create a record filed on their own customer (Sally's for the roles
# without customers of their own).
CREATE = {
    "res.partner": {
        "salesperson",
        "colleague",
        "other_team",
        "team_leader",
        "manager",
        "other_company",
    },
    "crm.lead": {
        "salesperson",
        "other_team",
        "team_leader",
        "manager",
        "other_company",
    },
    "crm.sme.interaction": {
        "salesperson",
        "other_team",
        "team_leader",
        "manager",
        "service",
        "other_company",
    },
    "crm.sme.feedback": {
        "salesperson",
        "other_team",
        "team_leader",
        "manager",
        "service",
        "other_company",
    },
    "crm.sme.customer.position": set(),
    "crm.sme.important.date": {
        "salesperson",
        "other_team",
        "team_leader",
        "manager",
        "other_company",
    },
    "crm.sme.lead.line": {"salesperson", "other_team", "team_leader", "manager", "other_company"},
}
ROLE_CUSTOMER = {"other_team": "sam", "other_company": "other"}


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_access")
class TestAccessMatrix(AccessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Position = cls.env["crm.sme.customer.position"]
        cls.positions = {
            key: Position.search(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", (cls.company_other if key == "other" else cls.company).id),
                ]
            )
            for key, customer in cls.customers.items()
        }
        cls.lines = {
            key: lead.crm_sme_line_ids for key, lead in cls.leads.items() if key in cls.customers
        }
        cls.records = {
            "res.partner": cls.customers,
            "crm.lead": cls.leads,
            "crm.sme.interaction": cls.interactions,
            "crm.sme.feedback": cls.feedback,
            "crm.sme.customer.position": cls.positions,
            "crm.sme.important.date": cls.dates,
            "crm.sme.lead.line": cls.lines,
        }

    def _keys(self, model, records):
        ids = set(records.ids)
        return {key for key, record in self.records[model].items() if record.id in ids}

    def _all(self, model):
        return self.env[model].union(*self.records[model].values())

    def _reach(self, model, user):
        """What ``user`` reaches of the model's test records, by each way of reading."""
        records = self._all(model)
        Model = self.env[model].with_user(user)
        domain = [("id", "in", records.ids)]
        try:
            found = self._keys(model, Model.search(domain))
        except AccessError:
            return None
        groups = Model.read_group(domain, ["__count"], [])
        self.assertEqual(groups[0]["__count"] if groups else 0, len(found), "read_group")
        if "display_name" in Model._fields and model != "crm.sme.customer.position":
            named = Model.name_search("", domain, limit=100)
            self.assertEqual(
                self._keys(model, self.env[model].browse([i for i, _n in named])),
                found,
                "name_search",
            )
        for key, record in self.records[model].items():
            mine = record.with_user(user)
            if key in found:
                mine.read(["display_name"])
                mine.export_data(["id", "display_name"])
            else:
                with self.assertRaises(AccessError, msg=f"read {key}"):
                    mine.read(["display_name"])
                with self.assertRaises(AccessError, msg=f"export {key}"):
                    mine.export_data(["display_name"])
        return found

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_read_matrix(self):
        for model, expected in READ.items():
            for role, keys in expected.items():
                with self.subTest(model=model, role=role):
                    self.assertEqual(self._reach(model, self.roles[role]), keys)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_write_unlink_matrix(self):
        for model, expected in WRITE.items():
            for role in ALL_ROLES:
                user = self.roles[role]
                for key, record in self.records[model].items():
                    with self.subTest(model=model, role=role, key=key, op="write"):
                        if key in expected[role]:
                            with self.env.cr.savepoint(flush=True) as savepoint:
                                record.with_user(user).write(WRITE_VALUES[model])
                                savepoint.rollback()
                        else:
                            with self.assertRaises(AccessError):
                                record.with_user(user).write(WRITE_VALUES[model])
                    with self.subTest(model=model, role=role, key=key, op="unlink"):
                        if key in UNLINK[model][role]:
                            with self.env.cr.savepoint(flush=True) as savepoint:
                                record.with_user(user).unlink()
                                savepoint.rollback()
                        else:
                            self._assert_refused(record.with_user(user).unlink)
                    self.env.invalidate_all()

    def _assert_refused(self, func):
        """An AccessError or a UserError (salespeople archive customers), nothing written."""
        try:
            with self.env.cr.savepoint():
                func()
        except (AccessError, UserError):
            return
        self.fail(f"{func} was not refused")

    def _create_vals(self, model, role):
        key = ROLE_CUSTOMER.get(role, "sally")
        customer, user = self.customers[key], self.roles[role]
        return {
            "res.partner": {"name": "New shop (access test)", "is_company": True},
            "crm.lead": {"name": "New deal", "type": "opportunity", "partner_id": customer.id},
            "crm.sme.interaction": {"name": "Call", "partner_id": customer.id},
            "crm.sme.feedback": {"name": "Question", "partner_id": customer.id},
            "crm.sme.customer.position": {
                "partner_id": customer.id,
                "company_id": user.company_id.id,
            },
            "crm.sme.important.date": {
                "partner_id": self.contacts[key].id,
                "name": "Birthday",
                "date": "2000-05-01",
            },
            "crm.sme.lead.line": {"lead_id": self.leads[key].id, "product_id": self.product.id},
        }[model]

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_create_matrix(self):
        for model, allowed in CREATE.items():
            for role in ALL_ROLES:
                with self.subTest(model=model, role=role):
                    Model = self.env[model].with_user(self.roles[role])
                    vals = self._create_vals(model, role)
                    if role in allowed:
                        with self.env.cr.savepoint(flush=True) as savepoint:
                            Model.create(vals)
                            savepoint.rollback()
                    else:
                        with self.assertRaises(AccessError):
                            Model.create(vals)
