# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import new_test_user

from .common import CrmSmeCommon


class AccessCommon(CrmSmeCommon):
    """Every role, and for each of three salespeople (Sally in team A, Sam in
    team B, Otto in the other company) a customer created the way the web client
    creates it (by the salesperson, no company given) with a contact, an
    interaction, a feedback, an opportunity with a product line and an
    important date. Sally also owns an interaction and a feedback on Sam's
    customer, and an unassigned opportunity sits on Sam's customer.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.user_colleague = new_test_user(
            cls.env,
            "crm_sme_colleague",
            "sales_team.group_sale_salesman",
            name="Cole Colleague",
            email="cole@example.com",
            **ctx,
        )
        cls.team.member_ids |= cls.user_colleague
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Zhenhai Sales (test)", "company_id": cls.company.id}
        )
        cls.team_b.member_ids = cls.user_salesman_2
        cls.team_other = cls.env["crm.team"].create(
            {"name": "Other Co Sales (test)", "company_id": cls.company_other.id}
        )
        cls.roles = {
            "salesperson": cls.user_salesman,
            "colleague": cls.user_colleague,
            "other_team": cls.user_salesman_2,
            "team_leader": cls.user_team_leader,
            "manager": cls.user_sales_manager,
            "service": cls.user_service_agent,
            "accountant": cls.user_accountant,
            "employee": cls.user_employee,
            "portal": cls.user_portal,
            "other_company": cls.user_other_company,
        }
        export = cls.env.ref("base.group_allow_export")
        for user in cls.roles.values():
            user.groups_id = [Command.link(export.id)]
        cls.product = cls.env["product.product"].create(
            {"name": "Gel pens (access test)", "type": "consu", "list_price": 20.0}
        )
        owners = {
            "sally": (cls.user_salesman, cls.team),
            "sam": (cls.user_salesman_2, cls.team_b),
            "other": (cls.user_other_company, cls.team_other),
        }
        cls.customers, cls.contacts, cls.interactions, cls.feedback = {}, {}, {}, {}
        cls.leads, cls.dates = {}, {}
        for key, (user, team) in owners.items():
            customer = cls._ui_customer(user, f"{key.title()}'s Supermarket (access test)", team)
            cls.customers[key] = customer
            cls.contacts[key] = (
                cls.env["res.partner"]
                .with_user(user)
                .create(
                    {
                        "name": f"Buyer of {key}",
                        "parent_id": customer.id,
                        "phone": "+86 574 1234 5678",
                        "email": f"buyer-{key}@example.com",
                    }
                )
            )
            cls.interactions[key] = (
                cls.env["crm.sme.interaction"]
                .with_user(user)
                .create({"name": f"Visit {key}", "partner_id": customer.id})
            )
            cls.feedback[key] = (
                cls.env["crm.sme.feedback"]
                .with_user(user)
                .create({"name": f"Complaint {key}", "partner_id": customer.id})
            )
            cls.leads[key] = (
                cls.env["crm.lead"]
                .with_user(user)
                .create(
                    {
                        "name": f"Deal {key}",
                        "type": "opportunity",
                        "partner_id": customer.id,
                        "user_id": user.id,
                        "team_id": team.id,
                        "crm_sme_line_ids": [Command.create({"product_id": cls.product.id})],
                    }
                )
            )
            cls.dates[key] = (
                cls.env["crm.sme.important.date"]
                .with_user(user)
                .create(
                    {
                        "partner_id": cls.contacts[key].id,
                        "name": "Founding day",
                        "date": fields.Date.today(),
                    }
                )
            )
        # Sally's work on Sam's customer (filed by a manager) and an unassigned deal
        cls.interactions["sally_on_sam"] = cls.env["crm.sme.interaction"].create(
            {
                "name": "Sally visits Sam's customer",
                "partner_id": cls.customers["sam"].id,
                "user_id": cls.user_salesman.id,
            }
        )
        cls.feedback["sally_on_sam"] = cls.env["crm.sme.feedback"].create(
            {
                "name": "Sally handles Sam's customer's complaint",
                "partner_id": cls.customers["sam"].id,
                "user_id": cls.user_salesman.id,
            }
        )
        cls.leads["unassigned"] = cls.env["crm.lead"].create(
            {
                "name": "Unassigned deal on Sam's customer",
                "type": "opportunity",
                "partner_id": cls.customers["sam"].id,
                "user_id": False,
                "team_id": False,
            }
        )
        # Sam's customer owes money
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customers["sam"].id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Pens", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()

    @classmethod
    def _ui_customer(cls, user, name, team):
        """A customer as the web client's Customers menu creates it: by the
        salesperson, with their defaults, no company given."""
        return (
            cls.env["res.partner"]
            .with_user(user)
            .with_context(res_partner_search_mode="customer", default_is_company=True)
            .create(
                {
                    "name": name,
                    "is_company": True,
                    "user_id": user.id,
                    "team_id": team.id,
                    "phone": "+86 574 8765 4321",
                    "email": f"{user.login}-customer@example.com",
                    "vat": "CN91330200MA2AB" + str(user.id).zfill(4),
                }
            )
        )
