/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * A salesperson opens a customer at 1440x900: the 360° (opportunities, sales,
 * deliveries, invoiced) is in the button box, not under "More"; the money block
 * shows without opening a tab; adding a contact opens a contact person form
 * with its role, primary flag, preferred channel and important dates.
 */
registry.category("web_tour.tours").add("crm_sme_customer_360_tour", {
    steps: () => [
        {
            content: "opportunities, sales, deliveries and invoiced lead the button box",
            trigger:
                ".o-form-buttonbox:has(> button[name=action_view_opportunity]):has(> button[name=action_view_sale_order]):has(> button[name=action_crm_sme_open_deliveries]):has(> button[name=action_crm_sme_open_invoices])",
        },
        {
            content: "the money block is on the sheet, outside the tabs",
            trigger: ".o_form_sheet .o_field_widget[name=crm_sme_receivable]:not(.o_notebook *)",
        },
        {
            content: "never paid: no average days to pay",
            trigger: ".o_form_sheet:not(:has(.o_field_widget[name=crm_sme_avg_days_to_pay]))",
        },
        { content: "the other figures are under More", trigger: ".o-form-buttonbox .o_button_more", run: "click" },
        {
            content: "one interaction reads singular",
            trigger: ".dropdown-menu button[name=action_crm_sme_open_interactions]:contains(Interaction):not(:contains(Interactions))",
        },
        { content: "close More", trigger: ".o-form-buttonbox .o_button_more", run: "click" },
        { content: "add a contact", trigger: ".o_field_widget[name=child_ids] .o-kanban-button-new", run: "click" },
        { content: "a contact person, not an address", trigger: ".modal .o_field_widget[name=function]" },
        { content: "name", trigger: ".modal .o_field_widget[name=name] input", run: "edit Wang Fang" },
        { content: "role", trigger: ".modal .o_field_widget[name=contact_role] select", run: "selectByLabel Purchaser" },
        { content: "primary", trigger: ".modal .o_field_widget[name=is_primary_contact] input", run: "click" },
        { content: "channel", trigger: ".modal .o_field_widget[name=preferred_channel] select", run: "selectByLabel Mobile" },
        { content: "important dates", trigger: ".modal .o_field_widget[name=important_date_ids]" },
        { content: "save the contact", trigger: ".modal .o_form_button_save", run: "click" },
        { content: "dialog closed", trigger: "body:not(:has(.modal))" },
        { content: "save the customer", trigger: ".o_form_button_save", run: "click" },
        { content: "saved", trigger: ".o_form_saved" },
    ],
});
