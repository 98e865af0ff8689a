/** @odoo-module */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** A salesperson's week: accept the first visit, dismiss another with a reason. */
registry.category("web_tour.tours").add("crm_sme_visit_plan_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        { content: "open the app", trigger: '.o_app[data-menu-xmlid="crm_sme.menu_crm_sme_root"]', run: "click" },
        {
            content: "customers menu",
            trigger: '.o_menu_sections .dropdown-toggle[data-menu-xmlid="crm_sme.menu_crm_sme_customer_section"]',
            run: "click",
        },
        { content: "visit plan", trigger: '.dropdown-item[data-menu-xmlid="crm_sme.menu_crm_sme_visit_plan"]', run: "click" },
        { content: "the reason is shown", trigger: ".o_data_row:contains(Tour Key Mart) td[name=reason]:contains(overdue)" },
        { content: "accept", trigger: ".o_data_row:contains(Tour Key Mart) button[name=action_accept]", run: "click" },
        { content: "accepted", trigger: ".o_data_row:contains(Tour Key Mart) td[name=state]:contains(Accepted)" },
        { content: "edit the reason", trigger: ".o_data_row:contains(Tour Grow Shop) td[name=dismiss_reason]", run: "click" },
        {
            content: "type the reason",
            trigger: ".o_data_row:contains(Tour Grow Shop) .o_field_widget[name=dismiss_reason] input",
            run: "edit Closed for works",
        },
        { content: "dismiss", trigger: ".o_data_row:contains(Tour Grow Shop) button[name=action_dismiss]", run: "click" },
        { content: "dismissed", trigger: ".o_data_row:contains(Tour Grow Shop) td[name=state]:contains(Dismissed)" },
    ],
});
