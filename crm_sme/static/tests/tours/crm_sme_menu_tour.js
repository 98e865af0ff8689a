/** @odoo-module */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Opens the SME CRM app and every section of its menu, checking that each
 * action loads a view. Sections are [menu xmlid, dropdown xmlid or null].
 */
const SECTIONS = [
    ["crm_sme.menu_crm_sme_customer", "crm_sme.menu_crm_sme_customer_section"],
    ["crm_sme.menu_crm_sme_customer_position", "crm_sme.menu_crm_sme_customer_section"],
    ["crm_sme.menu_crm_sme_contact", null],
    ["crm_sme.menu_crm_sme_interaction", null],
    ["crm_sme.menu_crm_sme_opportunity", null],
    ["crm_sme.menu_crm_sme_feedback", "crm_sme.menu_crm_sme_feedback_section"],
    ["crm_sme.menu_crm_sme_feedback_breached", "crm_sme.menu_crm_sme_feedback_section"],
    ["crm_sme.menu_crm_sme_analysis_pipeline", "crm_sme.menu_crm_sme_analysis"],
    ["crm_sme.menu_crm_sme_analysis_sales", "crm_sme.menu_crm_sme_analysis"],
    ["crm_sme.menu_crm_sme_analysis_campaign", "crm_sme.menu_crm_sme_analysis"],
    ["crm_sme.menu_crm_sme_analysis_competitor", "crm_sme.menu_crm_sme_analysis"],
    ["crm_sme.menu_crm_sme_analysis_feedback", "crm_sme.menu_crm_sme_analysis"],
    ["crm_sme.menu_crm_sme_reconciliation_to_invoice", "crm_sme.menu_crm_sme_reconciliation"],
    ["crm_sme.menu_crm_sme_reconciliation_invoices", "crm_sme.menu_crm_sme_reconciliation"],
    ["crm_sme.menu_crm_sme_config_team", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_region", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_customer_type", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_source", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_industry", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_competitor", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_feedback_stage", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_feedback_type", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_feedback_root_cause", "crm_sme.menu_crm_sme_config"],
    ["crm_sme.menu_crm_sme_config_feedback_sla", "crm_sme.menu_crm_sme_config"],
];

function sectionSteps([xmlid, dropdown]) {
    // Mark the screen on view: the next checks wait for a new one, not the
    // previous action's (otherwise the tour may end while the last action
    // still loads, and its request outlives the test).
    const steps = [
        {
            content: `${xmlid}: the current screen is the previous one`,
            trigger: ".o_action_manager .o_view_controller",
            run() {
                for (const el of document.querySelectorAll(".o_action_manager .o_view_controller")) {
                    el.dataset.crmSmePrevious = "1";
                }
            },
        },
    ];
    if (dropdown) {
        steps.push({
            content: `open the ${dropdown} dropdown`,
            trigger: `.o_menu_sections .dropdown-toggle[data-menu-xmlid="${dropdown}"]`,
            run: "click",
        });
        steps.push({
            content: `open ${xmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid="${xmlid}"]`,
            run: "click",
        });
    } else {
        steps.push({
            content: `open ${xmlid}`,
            trigger: `.o_menu_sections [data-menu-xmlid="${xmlid}"]`,
            run: "click",
        });
    }
    steps.push({
        content: `${xmlid} shows a view`,
        trigger: `.o_action_manager .o_view_controller:not([data-crm-sme-previous]):not(.o_loading)`,
    });
    steps.push({
        content: `${xmlid} breadcrumb is its own`,
        trigger: `.o_action_manager:not(:has(.o_view_controller[data-crm-sme-previous])) .o_breadcrumb .active`,
    });
    return steps;
}

registry.category("web_tour.tours").add("crm_sme_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the SME CRM app",
            trigger: '.o_app[data-menu-xmlid="crm_sme.menu_crm_sme_root"]',
            run: "click",
        },
        {
            content: "the customers view is the app's first screen",
            trigger: ".o_action_manager .o_view_controller",
        },
        ...SECTIONS.flatMap(sectionSteps),
    ],
});
