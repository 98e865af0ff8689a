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
    ],
    "data": [
        "security/crm_sme_security.xml",
        "security/crm_sme_opportunity_security.xml",
        "security/ir.model.access.csv",
        "views/crm_sme_region_views.xml",
        "views/crm_sme_customer_type_views.xml",
        "views/crm_sme_interaction_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "views/sale_order_views.xml",
        "views/utm_campaign_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_sme_competitor_views.xml",
        "wizard/crm_sme_credit_override_views.xml",
        "report/crm_sme_campaign_report_views.xml",
        "views/crm_sme_menus.xml",
    ],
    "demo": [
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_sme/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
