/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Scenario 9 on screen, as the accountant: the reconciliation opens on the
 * open exceptions, the delivered-not-invoiced filter narrows them, the
 * exception is assigned with a note and marked explained, and leaves the list.
 */
registry.category("web_tour.tours").add("crm_sme_reconciliation_tour", {
    steps: () => [
        {
            content: "the report lists the exceptions",
            trigger: ".o_list_view .o_data_row:contains(Tour Reconciliation Mart)",
        },
        {
            content: "the export button is there",
            trigger: ".o_control_panel button[name=action_export_xlsx]",
        },
        {
            content: "open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "filter the deliveries not invoiced",
            trigger: ".o_filter_menu .o_menu_item:contains(Delivered, Not Invoiced)",
            run: "click",
        },
        {
            content: "the order is still listed",
            trigger: ".o_list_view .o_data_row:contains(Tour Reconciliation Mart)",
        },
        {
            content: "follow it up",
            trigger: ".o_data_row:contains(Tour Reconciliation Mart) button[name=action_open_exception]",
            run: "click",
        },
        {
            content: "assign it",
            trigger: ".modal .o_field_widget[name=assigned_user_id] input",
            run: "edit Tour Rep",
        },
        {
            content: "pick the salesperson",
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Rep)",
            run: "click",
        },
        {
            content: "leave a note",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Invoice goes out on Monday",
        },
        {
            content: "mark it explained",
            trigger: ".modal .o_field_widget[name=is_explained] input",
            run: "click",
        },
        {
            content: "save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "explained: it leaves the open exceptions",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Tour Reconciliation Mart)))",
        },
    ],
});
