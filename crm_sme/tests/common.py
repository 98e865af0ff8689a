# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class CrmSmeCommon(BaseCommon):
    """Users for every role of crm_sme, built once per test class.

    Two companies: ``company`` (the main one) and ``company_other``, whose
    salesperson must never see the main company's records.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_other = cls.env["res.company"].create({"name": "Other Co (crm_sme test)"})
        ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.user_salesman = new_test_user(
            cls.env,
            "crm_sme_salesman",
            "sales_team.group_sale_salesman",
            name="Sally Salesman",
            email="sally@example.com",
            **ctx,
        )
        cls.user_salesman_2 = new_test_user(
            cls.env,
            "crm_sme_salesman_2",
            "sales_team.group_sale_salesman",
            name="Sam Salesman",
            email="sam@example.com",
            **ctx,
        )
        cls.user_team_leader = new_test_user(
            cls.env,
            "crm_sme_team_leader",
            "crm_sme.group_crm_sme_team_leader",
            name="Tina Team Leader",
            email="tina@example.com",
            **ctx,
        )
        cls.user_sales_manager = new_test_user(
            cls.env,
            "crm_sme_manager",
            "sales_team.group_sale_manager",
            name="Mona Manager",
            email="mona@example.com",
            **ctx,
        )
        cls.user_service_agent = new_test_user(
            cls.env,
            "crm_sme_service",
            "crm_sme.group_crm_sme_service_agent",
            name="Sergio Service",
            email="sergio@example.com",
            **ctx,
        )
        cls.user_accountant = new_test_user(
            cls.env,
            "crm_sme_accountant",
            "account.group_account_invoice",
            name="Anna Accountant",
            email="anna@example.com",
            **ctx,
        )
        cls.user_employee = new_test_user(
            cls.env,
            "crm_sme_employee",
            "base.group_user",
            name="Eddie Employee",
            email="eddie@example.com",
            **ctx,
        )
        cls.user_portal = new_test_user(
            cls.env,
            "crm_sme_portal",
            "base.group_portal",
            name="Paula Portal",
            email="paula@example.com",
            **ctx,
        )
        cls.user_other_company = new_test_user(
            cls.env,
            "crm_sme_other_co",
            "sales_team.group_sale_salesman",
            name="Otto Other",
            email="otto@example.com",
            company_id=cls.company_other.id,
            company_ids=[(6, 0, cls.company_other.ids)],
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Ningbo Sales (test)",
                "company_id": cls.company.id,
                "user_id": cls.user_team_leader.id,
            }
        )
        cls.team.member_ids = cls.user_salesman | cls.user_team_leader
