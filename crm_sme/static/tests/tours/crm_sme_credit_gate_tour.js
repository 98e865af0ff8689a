/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Scenario 4 on screen. The test opens a draft order of a customer over its
 * credit limit with a 45-day overdue invoice: the salesperson is refused, the
 * manager overrides with a reason.
 */
registry.category("web_tour.tours").add("crm_sme_credit_gate_salesperson_tour", {
    steps: () => [
        {
            content: "the order shows the credit gate",
            trigger: ".o_form_view .alert-danger:contains(overdue)",
        },
        {
            content: "try to confirm",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "refused: a manager must override",
            trigger: ".modal:contains(ask a sales manager)",
        },
        {
            content: "close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the order is still a quotation",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Quotation)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_sme_credit_gate_manager_tour", {
    steps: () => [
        {
            content: "confirm the order",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the override wizard explains why",
            trigger: ".modal .alert-warning:contains(credit limit)",
        },
        {
            content: "give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Customer paid by bank transfer this morning",
        },
        {
            content: "override and confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the order is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
