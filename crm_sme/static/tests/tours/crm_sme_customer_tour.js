/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Scenarios 1 and 2 of the spec, as a salesperson: entering a customer that
 * already exists warns of the duplicate (without blocking); create a
 * supermarket customer in a district with its source, then log a visit with
 * an expense in three clicks from the customer.
 */
registry.category("web_tour.tours").add("crm_sme_customer_tour", {
    url: "/odoo/action-crm_sme.action_crm_sme_customer",
    steps: () => [
        { content: "new customer", trigger: ".o_list_button_add", run: "click" },
        {
            content: "a customer that exists already",
            trigger: ".o_field_widget[name=name] :is(input, textarea)",
            run: "edit NINGBO TOUR MART && click body",
        },
        {
            content: "duplicate warning names the existing customer",
            trigger: "div.alert[name=crm_sme_duplicate_warning]:contains(Ningbo Tour Mart)",
        },
        {
            content: "a new company name after all",
            trigger: ".o_field_widget[name=name] :is(input, textarea)",
            run: "edit Tour Supermarket Co., Ltd. && click body",
        },
        { content: "no more warning", trigger: "body:not(:has(div.alert[name=crm_sme_duplicate_warning]))" },
        { content: "email", trigger: ".o_field_widget[name=email] input", run: "edit buy@tour-mart.example.com" },
        { content: "customer file tab", trigger: "a.nav-link:contains(Customer File)", run: "click" },
        { content: "district", trigger: ".o_field_widget[name=region_id] input", run: "edit Tour District" },
        { content: "pick the district", trigger: ".o-autocomplete--dropdown-item a:contains(Tour District)", run: "click" },
        { content: "type", trigger: ".o_field_widget[name=customer_type_id] input", run: "edit Supermarket" },
        { content: "pick supermarket", trigger: ".o-autocomplete--dropdown-item a:contains(Supermarket)", run: "click" },
        { content: "source", trigger: ".o_field_widget[name=source_id] input", run: "edit Referral" },
        { content: "pick referral", trigger: ".o-autocomplete--dropdown-item a:contains(Referral)", run: "click" },
        { content: "save", trigger: ".o_form_button_save", run: "click" },
        { content: "saved", trigger: ".o_form_saved" },
        // Scenario 2: three clicks to log a visit.
        { content: "log interaction (1)", trigger: "button[name=action_crm_sme_log_interaction]", run: "click" },
        { content: "subject", trigger: ".modal .o_field_widget[name=name] input", run: "edit First visit" },
        { content: "expense", trigger: ".modal .o_field_widget[name=expense_amount] input", run: "edit 88" },
        { content: "save the visit", trigger: ".modal .o_form_button_save", run: "click" },
        { content: "dialog closed", trigger: "body:not(:has(.modal))" },
        { content: "the figures after the first four", trigger: ".o-form-buttonbox .o_button_more", run: "click" },
        {
            content: "the visit counts on the customer",
            trigger: "button[name=action_crm_sme_open_interactions]:contains(1)",
        },
    ],
});
