# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields

from .common import CrmSmeCommon


class PlanCommon(CrmSmeCommon):
    """Builders for the tier policies, visit plan, churn watch and sales
    expense tests: customers whose value scores are set directly (the value
    recompute is not under test here), visits, feedback and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.Plan = cls.env["crm.sme.visit.plan.line"]
        cls.policies = cls.env["crm.sme.tier.policy"]._policies_by_tier(cls.company)
        # Sally can make one visit a day: her week holds one line per working day
        cls.env["crm.team.member"].search(
            [("user_id", "=", cls.user_salesman.id), ("crm_team_id", "=", cls.team.id)]
        ).crm_sme_daily_visit_capacity = 1
        cls.days = cls.Plan._working_days(cls.company)
        export = cls.env.ref("base.group_allow_export")
        (
            cls.user_salesman
            | cls.user_salesman_2
            | cls.user_accountant
            | cls.user_team_leader
            | cls.user_sales_manager
            | cls.user_service_agent
        ).groups_id = [Command.link(export.id)]

    @classmethod
    def _customer(cls, name, tier="grow", value=50.0, lifecycle="active", user=None, company=None):
        company = company or cls.company
        user = user or cls.user_salesman
        customer = cls.env["res.partner"].create(
            {"name": name, "is_company": True, "user_id": user.id, "company_id": company.id}
        )
        customer.sudo().with_company(company).write(
            {
                "crm_sme_value_tier": tier,
                "crm_sme_current_value": value,
                "crm_sme_lifecycle": lifecycle,
            }
        )
        return customer

    @classmethod
    def _visit(cls, customer, days_ago, expense=0.0, user=None, interaction_type="visit"):
        return cls.env["crm.sme.interaction"].create(
            {
                "name": f"Visit {customer.name}",
                "partner_id": customer.id,
                "user_id": (user or customer.user_id).id,
                "interaction_type": interaction_type,
                "state": "done",
                "date": fields.Datetime.now() - timedelta(days=days_ago),
                "expense_amount": expense,
                "company_id": customer.company_id.id or cls.company.id,
            }
        )

    @classmethod
    def _feedback(cls, customer):
        return cls.env["crm.sme.feedback"].create(
            {"name": f"Complaint of {customer.name}", "partner_id": customer.id}
        )

    @classmethod
    def _invoice(cls, customer, amount, days_ago, move_type="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": customer.id,
                "invoice_user_id": customer.user_id.id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Pens", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _lines(self, user=None):
        return self.Plan.search(
            [
                ("user_id", "=", (user or self.user_salesman).id),
                ("company_id", "=", self.company.id),
            ],
            order="rank",
        )
