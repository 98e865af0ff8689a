/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Each role lands where its work is (the demo users' Home Action): one tour
 * per role, started on /odoo without choosing any menu.
 */
const landing = (name, steps) => registry.category("web_tour.tours").add(name, { url: "/odoo", steps: () => steps });

landing("crm_sme_landing_salesperson", [
    { content: "the customers list", trigger: ".o_breadcrumb .active:contains(Customers)" },
    { content: "with the salesperson's customers", trigger: ".o_list_view .o_data_row" },
]);
landing("crm_sme_landing_service_agent", [
    { content: "the feedback queue", trigger: ".o_breadcrumb .active:contains(Feedback)" },
    { content: "with feedback to handle", trigger: ".o_action_manager .o_view_controller .o_data_row, .o_kanban_record" },
]);
landing("crm_sme_landing_manager", [
    { content: "the dashboards", trigger: ".o_spreadsheet_dashboard_action" },
]);
landing("crm_sme_landing_accountant", [
    { content: "the sales reconciliation", trigger: ".o_breadcrumb .active:contains(Sales Reconciliation)" },
]);
