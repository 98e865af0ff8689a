/** @odoo-module */
import { rpcBus } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

/**
 * The pivots of crm_sme's reports read all their groupings in one request
 * (issue 11): a manager opens Revenue by Tier and ABC Class, the matrix comes
 * from one crm_sme_read_groups call (no read_group per grouping), a cell
 * opens its customers.
 */
const MODEL = "crm.sme.customer.analysis";
const calls = [];

function record(ev) {
    const params = ev.detail.data?.params;
    if (params?.model === MODEL && /read_group/.test(params.method)) {
        calls.push(params.method);
    }
}

registry.category("web_tour.tours").add("crm_sme_pivot_tour", {
    steps: () => [
        {
            content: "open the revenue matrix, recording the report's requests",
            trigger: ".o_main_navbar",
            run() {
                rpcBus.addEventListener("RPC:REQUEST", record);
                return odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
                    "crm_sme.crm_sme_customer_revenue_action"
                );
            },
        },
        {
            content: "the matrix: tiers in rows, ABC classes in columns",
            trigger: ".o_pivot table thead th.o_pivot_header_cell_opened",
        },
        {
            content: "a cell with a figure",
            trigger: ".o_pivot table tbody td.o_pivot_cell_value:not(.o_empty)",
            run() {
                rpcBus.removeEventListener("RPC:REQUEST", record);
                const expected = JSON.stringify(["crm_sme_read_groups"]);
                if (JSON.stringify(calls) !== expected) {
                    throw new Error(`the pivot sent ${JSON.stringify(calls)}, expected ${expected}`);
                }
            },
        },
        {
            content: "drill down into the first cell",
            trigger: ".o_pivot table tbody td.o_pivot_cell_value:not(.o_empty)",
            run: "click",
        },
        { content: "its customers", trigger: ".o_list_view .o_data_row" },
    ],
});
