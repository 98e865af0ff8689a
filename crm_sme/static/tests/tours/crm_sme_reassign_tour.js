/** @odoo-module */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** Scenario 8: the manager hands a departing salesperson's customers to a colleague. */
registry.category("web_tour.tours").add("crm_sme_reassign_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        { content: "open the app", trigger: '.o_app[data-menu-xmlid="crm_sme.menu_crm_sme_root"]', run: "click" },
        {
            content: "customers menu",
            trigger: '.o_menu_sections .dropdown-toggle[data-menu-xmlid="crm_sme.menu_crm_sme_customer_section"]',
            run: "click",
        },
        { content: "reassign", trigger: '.dropdown-item[data-menu-xmlid="crm_sme.menu_crm_sme_reassign"]', run: "click" },
        { content: "departing", trigger: ".modal .o_field_widget[name=from_user_id] input", run: "edit Leaving" },
        { content: "pick", trigger: ".o-autocomplete--dropdown-item a:contains(Leaving Lucy)", run: "click" },
        { content: "counts", trigger: ".modal .o_field_widget[name=customer_count]:contains(2)" },
        { content: "successor", trigger: ".modal .o_field_widget[name=to_user_ids] input", run: "edit Taking" },
        { content: "pick successor", trigger: ".o-autocomplete--dropdown-item a:contains(Taking Tom)", run: "click" },
        { content: "reassign", trigger: ".modal button[name=action_reassign]", run: "click" },
        { content: "done", trigger: ".o_notification:contains(customers reassigned), .o_notification:contains(moved from)" },
    ],
});
