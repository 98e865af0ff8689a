# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM for SMEs",
    "summary": "Customer file, contacts, interactions, opportunities and feedback "
    "wired into sales, stock and accounting",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-sme/crm_sme",
    "author": "crm_sme contributors",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "sale_crm",
        "sale_stock",
        "account",
        "portal",
        "rating",
        "resource",
    ],
    "data": [
        "security/crm_sme_security.xml",
        "security/crm_sme_feedback_security.xml",
        "security/ir.model.access.csv",
        "data/crm_sme_feedback_data.xml",
        "views/crm_sme_region_views.xml",
        "views/crm_sme_customer_type_views.xml",
        "views/crm_sme_interaction_views.xml",
        "views/res_partner_views.xml",
        "views/crm_sme_feedback_views.xml",
        "views/portal_templates.xml",
        "report/crm_sme_feedback_report_views.xml",
        "views/crm_sme_menus.xml",
    ],
    "demo": [
        "demo/crm_sme_feedback_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_sme/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
