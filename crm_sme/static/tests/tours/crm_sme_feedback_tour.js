/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Back office, spec scenario 5: a service agent records a key account's
 * complaint about a delivery (green channel shown on the form), returns the
 * goods and credits the invoice through Odoo's wizards, then closes it with
 * a resolution (which asks the customer to rate it).
 */
registry.category("web_tour.tours").add("crm_sme_feedback_tour", {
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
            run: "edit Tour: gel pens leak",
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
            content: "the green channel raised the priority",
            trigger: ".o_form_saved .badge:contains(Green channel)",
        },
        {
            content: "open the documents tab",
            trigger: ".o_notebook a[name=documents]",
            run: "click",
        },
        {
            content: "link the delivery",
            trigger: ".o_field_widget[name=picking_id] input",
            run: "edit OUT",
        },
        {
            content: "the customer's delivery",
            // a delivery, not the "Loading..." placeholder (also a dropdown item on 2025 builds)
            trigger: ".o_field_widget[name=picking_id] .o-autocomplete--dropdown-item:first-child a:contains(/OUT/)",
            run: "click",
        },
        {
            content: "the order, product and invoice follow",
            trigger: ".o_field_widget[name=invoice_id] input:value(/INV/)",
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
            content: "return all of it",
            trigger: ".modal .o_data_row .o_data_cell[name=quantity]",
            run: "click",
        },
        {
            content: "quantity",
            trigger: ".modal .o_data_row .o_data_cell[name=quantity] input",
            run: "edit 10",
        },
        {
            content: "create the return",
            trigger: ".modal button[name=action_create_returns]",
            run: "click",
        },
        {
            content: "the return opens",
            trigger: ".o_form_view .o_field_widget[name=move_ids_without_package]",
        },
        {
            content: "back to the feedback",
            trigger: ".o_breadcrumb li:contains(Tour: gel pens leak) a, .o_breadcrumb a:contains(Tour: gel pens leak)",
            run: "click",
        },
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
            content: "reverse the invoice",
            trigger: ".modal button[name=refund_moves]",
            run: "click",
        },
        {
            content: "the credit note opens",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids]",
        },
        {
            content: "back to the feedback again",
            trigger: ".o_breadcrumb li:contains(Tour: gel pens leak) a, .o_breadcrumb a:contains(Tour: gel pens leak)",
            run: "click",
        },
        {
            content: "the credit note shows as a smart button",
            trigger: "button[name=action_view_credit_notes]",
        },
        {
            content: "start working on it",
            trigger: ".o_statusbar_status button:contains(In Progress)",
            run: "click",
        },
        {
            content: "open the resolution tab",
            trigger: ".o_notebook a[name=resolution]",
            run: "click",
        },
        {
            content: "write the resolution",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Replaced the batch and credited the customer.",
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
            content: "the closed stages are folded",
            trigger: ".o_statusbar_status .dropdown-toggle",
            run: "click",
        },
        {
            content: "close it",
            trigger: ".dropdown-item:contains(Closed)",
            run: "click",
        },
        {
            content: "it is closed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Closed)",
        },
        {
            content: "and saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
