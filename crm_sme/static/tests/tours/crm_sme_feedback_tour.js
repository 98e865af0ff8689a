/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Back office: a service agent records a key account's complaint (green
 * channel shown on the form), starts working on it, and writes a resolution.
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
            content: "and saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
