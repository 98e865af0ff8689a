/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Scenario 3 on screen: an opportunity with two products shows a shortfall,
 * "New Quotation" opens clean (no warning) and carries both lines with the agreed
 * discount (5 % on the boxes), confirming it marks the opportunity won,
 * and an interaction is logged from the opportunity in three clicks.
 * The test opens the opportunity form first (see test_opportunity_ui.py).
 */
registry.category("web_tour.tours").add("crm_sme_opportunity_tour", {
    steps: () => [
        {
            content: "open the Products tab",
            trigger: ".o_notebook .nav-link:contains(Products)",
            run: "click",
        },
        {
            content: "two product lines",
            trigger: ".o_field_widget[name=crm_sme_line_ids] .o_data_row:nth-child(2)",
        },
        {
            content: "the lamp line shows its shortfall",
            trigger: ".o_field_widget[name=crm_sme_line_ids] .o_data_row.text-danger:contains(Desk lamp)",
        },
        {
            content: "the opportunity shows a shortfall",
            trigger: ".o_field_widget[name=crm_sme_availability]:contains(Shortfall)",
        },
        {
            content: "make the quotation",
            trigger: "button[name=action_sale_quotations_new]",
            run: "click",
        },
        {
            content: "the quotation carries the lamp line",
            trigger: ".o_field_widget[name=order_line] .o_data_row:contains(Desk lamp)",
        },
        {
            content: "and the box line at the agreed discount (10 x 100 - 5 %)",
            trigger:
                ".o_field_widget[name=order_line] .o_data_row:contains(Stationery box):contains(950.00)",
        },
        {
            content: "the new quotation opened without any warning dialog",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "confirm the order",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the order is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Sales Order)",
        },
        {
            content: "back to the opportunity",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Stationery for the new store)",
            run: "click",
        },
        {
            content: "the opportunity is won",
            trigger: ".o_form_view .ribbon:contains(Won)",
        },
        {
            content: "1st click: log an interaction",
            trigger: "button[name=action_crm_sme_log_interaction]",
            run: "click",
        },
        {
            content: "type its subject",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Call about the lamp delivery",
        },
        {
            content: "2nd click: save it",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "the interaction counts on the opportunity",
            trigger: "button[name=action_crm_sme_open_interactions] .o_stat_value:contains(1)",
        },
    ],
});
