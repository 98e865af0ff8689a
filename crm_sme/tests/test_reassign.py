# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CrmSmeCommon


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_reassign")
class TestReassign(CrmSmeCommon):
    """Scenario 8: a salesperson leaves; customers and open work move, history stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaver = cls.user_salesman
        cls.north = cls.env["crm.sme.region"].create(
            {"name": "Jiangbei (test)", "user_id": cls.user_salesman_2.id}
        )
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Leaver customer {i}",
                    "is_company": True,
                    "user_id": cls.leaver.id,
                    "region_id": cls.north.id if i == 0 else False,
                }
                for i in range(4)
            ]
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Contact of 0",
                "parent_id": cls.customers[0].id,
                "user_id": cls.leaver.id,
            }
        )
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_lead = cls.env["crm.lead"].create(
            {
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": cls.customers[0].id,
                "user_id": cls.leaver.id,
            }
        )
        cls.won_lead = cls.env["crm.lead"].create(
            {
                "name": "Won deal",
                "type": "opportunity",
                "partner_id": cls.customers[1].id,
                "user_id": cls.leaver.id,
                "stage_id": won_stage.id,
            }
        )
        cls.past_visit = cls.env["crm.sme.interaction"].create(
            {
                "name": "Past visit",
                "partner_id": cls.customers[0].id,
                "user_id": cls.leaver.id,
            }
        )
        cls.planned_visit = cls.env["crm.sme.interaction"].create(
            {
                "name": "Planned visit",
                "partner_id": cls.customers[2].id,
                "user_id": cls.leaver.id,
                "state": "planned",
                "date": fields.Datetime.now(),
            }
        )
        cls.feedback = cls.env["crm.sme.feedback"].create(
            {
                "name": "Late delivery complaint",
                "partner_id": cls.customers[1].id,
                "user_id": cls.leaver.id,
            }
        )
        cls.activity = cls.customers[3].activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call back",
            user_id=cls.leaver.id,
        )

    def _wizard(self, **vals):
        wizard = Form(self.env["crm.sme.reassign.wizard"].with_user(self.user_sales_manager))
        wizard.from_user_id = self.leaver
        for key, value in vals.items():
            setattr(wizard, key, value)
        return wizard

    def test_scenario_8_reassign_by_region(self):
        form = self._wizard(method="region")
        form.to_user_ids.add(self.user_salesman_2)
        form.to_user_ids.add(self.user_team_leader)
        self.assertEqual(form.customer_count, 4)
        self.assertEqual(form.opportunity_count, 1)
        self.assertEqual(form.interaction_count, 1)
        self.assertGreaterEqual(form.activity_count, 1)
        self.assertEqual(form.feedback_count, 1)
        wizard = form.save()
        result = wizard.action_reassign()
        self.assertEqual(result["params"]["type"], "success")
        self.assertFalse(self.customers.filtered(lambda c: c.user_id == self.leaver))
        self.assertEqual(self.customers[0].user_id, self.user_salesman_2, "region's salesperson")
        self.assertEqual(
            set(self.customers.mapped("user_id")), {self.user_salesman_2, self.user_team_leader}
        )
        self.assertEqual(self.contact.user_id, self.user_salesman_2)
        # Open work follows the customer's new salesperson; history stays as it was.
        self.assertEqual(self.open_lead.user_id, self.customers[0].user_id)
        self.assertEqual(self.won_lead.user_id, self.leaver)
        self.assertEqual(self.past_visit.user_id, self.leaver)
        self.assertEqual(self.planned_visit.user_id, self.customers[2].user_id)
        self.assertEqual(self.activity.user_id, self.customers[3].user_id)
        self.assertEqual(
            self.feedback.user_id, self.customers[1].user_id, "open feedback follows the customer"
        )
        # Logged on each moved record.
        for record in [*self.customers, self.open_lead, self.planned_visit, self.feedback]:
            self.assertIn("Reassigned from Sally Salesman", record.message_ids[0].body)
        # The new salesperson now sees the customer and its history.
        new_owner = self.customers[0].user_id
        self.assertEqual(self.customers[0].with_user(new_owner).crm_sme_interaction_count, 1)

    def test_activities_only_of_records_concerned(self):
        """Issue 8.8: only the activities of the customers, their opportunities,
        interactions and feedback move, in the chosen company."""
        todo = "mail.mail_activity_data_todo"
        product = self.env["product.template"].create({"name": "Pen (test)"})
        product_activity = product.activity_schedule(todo, summary="Stock", user_id=self.leaver.id)
        lead_activity = self.open_lead.activity_schedule(
            todo, summary="Send offer", user_id=self.leaver.id
        )
        foreign = self.env["res.partner"].create(
            {
                "name": "Other company customer",
                "is_company": True,
                "user_id": self.leaver.id,
                "company_id": self.company_other.id,
            }
        )
        foreign_activity = foreign.activity_schedule(todo, summary="Call", user_id=self.leaver.id)
        form = self._wizard()
        form.to_user_ids.add(self.user_salesman_2)
        form.to_user_ids.add(self.user_team_leader)
        self.assertEqual(form.activity_count, 2)
        form.save().action_reassign()
        self.assertEqual(product_activity.user_id, self.leaver)
        self.assertEqual(foreign_activity.user_id, self.leaver)
        self.assertEqual(foreign.user_id, self.leaver)
        self.assertEqual(lead_activity.user_id, self.open_lead.user_id)
        self.assertEqual(self.activity.user_id, self.customers[3].user_id)

    def test_round_robin_is_even(self):
        form = self._wizard()
        form.to_user_ids.add(self.user_salesman_2)
        form.to_user_ids.add(self.user_team_leader)
        form.save().action_reassign()
        counts = {
            user: len(self.customers.filtered(lambda c, u=user: c.user_id == u))
            for user in (self.user_salesman_2, self.user_team_leader)
        }
        self.assertEqual(sorted(counts.values()), [2, 2])

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self._wizard().save().action_reassign()
        form = self._wizard()
        form.to_user_ids.add(self.leaver)
        with self.assertRaises(UserError):
            form.save().action_reassign()
        self.assertEqual(
            set(self.customers.mapped("user_id")), {self.leaver}, "nothing half-written"
        )
        nobody = Form(self.env["crm.sme.reassign.wizard"])
        nobody.from_user_id = self.user_employee
        nobody.to_user_ids.add(self.user_salesman_2)
        with self.assertRaises(UserError):
            nobody.save().action_reassign()

    def test_only_managers(self):
        with self.assertRaises(AccessError):
            self.env["crm.sme.reassign.wizard"].with_user(self.user_team_leader).create(
                {"from_user_id": self.leaver.id}
            )
