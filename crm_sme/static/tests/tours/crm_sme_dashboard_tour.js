/** @odoo-module */
import { registry } from "@web/core/registry";

const CELL = ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell";

function clickableCells() {
    return [...document.querySelectorAll(CELL)];
}

/**
 * The manager opens the SME CRM dashboard in the Dashboards app: its figures
 * load (a pivot cell becomes clickable once its value is computed) and a
 * number opens the records behind it.
 */
registry.category("web_tour.tours").add("crm_sme_dashboard_tour", {
    steps: () => [
        {
            content: "open the SME CRM dashboard",
            trigger: ".o_search_panel_category_value:contains(SME CRM)",
            timeout: 60000, // the Dashboards app's first load is slow on a loaded machine
            run: "click",
        },
        {
            content: "it is the active dashboard",
            trigger: ".o_search_panel_category_value.active:contains(SME CRM)",
            timeout: 30000,
        },
        {
            content: "the figures are loaded: the visible numbers open their records",
            trigger: CELL,
            async run() {
                for (let waited = 0; waited < 30000; waited += 250) {
                    if (clickableCells().length >= 8) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 250));
                }
                throw new Error(`only ${clickableCells().length} clickable figures`);
            },
        },
        {
            content: "click a number (right of the labels: a pivot value, not a title link)",
            trigger: CELL,
            run() {
                const cells = clickableCells();
                const left = Math.min(...cells.map((el) => el.getBoundingClientRect().left));
                const number = cells.find((el) => el.getBoundingClientRect().left > left + 250);
                if (!number) {
                    throw new Error("no clickable number right of the labels");
                }
                number.click();
            },
        },
        {
            content: "the records behind the number are listed",
            trigger: ".o_list_view .o_data_row",
            timeout: 30000,
        },
    ],
});
