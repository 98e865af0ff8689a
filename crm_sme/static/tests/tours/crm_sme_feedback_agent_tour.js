/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Spec scenario 5 by the service agent alone (no sales, warehouse or
 * invoicing rights): they pick the customer's delivery on the feedback (the
 * order, invoice and opportunity follow), make the return and the draft
 * credit note through the feedback's buttons, and close it.
 */
const backToFeedback = {
    content: "back to the feedback",
    trigger: ".o_breadcrumb a:contains(Agent tour: pens leak)",
    run: "click",
};

registry.category("web_tour.tours").add("crm_sme_feedback_agent_tour", {
    url: "/odoo/action-crm_sme.action_crm_sme_feedback",
    steps: () => [
        {
            content: "the feedback pipeline opens",
            trigger: ".o_kanban_view",
        },
        {
            content: "create feedback",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new",
            run: "click",
        },
        {
            content: "subject",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Agent tour: pens leak",
        },
        {
            content: "customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Hangzhou Stationery",
        },
        {
            content: "pick the key account",
            trigger: ".o-autocomplete--dropdown-item a:contains(Hangzhou Stationery)",
            run: "click",
        },
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved, green channel",
            trigger: ".o_form_saved .badge:contains(Green channel)",
        },
        {
            content: "open the documents tab",
            trigger: ".o_notebook a[name=documents]",
            run: "click",
        },
        {
            content: "search the customer's deliveries",
            trigger: ".o_field_widget[name=picking_id] input",
            run: "edit OUT",
        },
        {
            content: "pick the delivery",
            // a delivery, not the "Loading..." placeholder (also a dropdown item on 2025 builds)
            trigger: ".o_field_widget[name=picking_id] .o-autocomplete--dropdown-item:first-child a:contains(/OUT/)",
            run: "click",
        },
        {
            content: "the invoice follows",
            trigger: ".o_field_widget[name=invoice_id] input:value(/INV/)",
        },
        {
            content: "the opportunity follows",
            trigger: ".o_field_widget[name=lead_id] input:value(Agent tour opportunity)",
        },
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "return the goods",
            trigger: ".o_form_saved button[name=action_return_goods]",
            run: "click",
        },
        {
            content: "the return opens, read-only for the agent",
            trigger: ".o_form_view .o_field_widget[name=move_ids_without_package]",
        },
        backToFeedback,
        {
            content: "the return shows as a smart button",
            trigger: "button[name=action_view_returns]",
        },
        {
            content: "credit note",
            trigger: "button[name=action_credit_note]",
            run: "click",
        },
        {
            content: "the draft credit note opens",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids]",
        },
        backToFeedback,
        {
            content: "the credit note shows as a smart button",
            trigger: "button[name=action_view_credit_notes]",
        },
        {
            content: "open the resolution tab",
            trigger: ".o_notebook a[name=resolution]",
            run: "click",
        },
        {
            content: "write the resolution",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Goods taken back, credit note drafted.",
        },
        {
            content: "resolve it",
            trigger: ".o_statusbar_status button:contains(Resolved)",
            run: "click",
        },
        {
            content: "it is resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Resolved)",
        },
        {
            content: "and saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
