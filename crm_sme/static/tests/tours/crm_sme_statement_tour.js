/** @odoo-module */
import { registry } from "@web/core/registry";

/** The accountant opens a customer and prints its statement through the wizard. */
registry.category("web_tour.tours").add("crm_sme_statement_tour", {
    steps: () => [
        { content: "open the customer", trigger: ".o_data_row td:contains(Statement Tour Mart)", run: "click" },
        { content: "statement button", trigger: ".o_form_view button.o_crm_sme_statement_button", run: "click" },
        { content: "the customer is filled in", trigger: ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Statement Tour Mart)" },
        { content: "start of the period", trigger: ".modal .o_field_widget[name=date_from] input", run: "edit 01/01/2020" },
        { content: "print", trigger: ".modal button.o_crm_sme_statement_pdf", run: "click" },
        { content: "the wizard closes after the download", trigger: "body:not(:has(.modal)) .o_form_view" },
    ],
});
