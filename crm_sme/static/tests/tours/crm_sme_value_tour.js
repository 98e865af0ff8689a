/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * The explainable value card (issue 10): the Value tab of a customer shows
 * its tier, ABC class, RFM and lifecycle with the inputs and weights behind
 * them, and opens the invoices behind the scores.
 */
registry.category("web_tour.tours").add("crm_sme_value_tour", {
    steps: () => [
        { content: "value tab", trigger: "a.nav-link:contains(Value)", run: "click" },
        { content: "tier shown", trigger: ".o_field_widget[name=crm_sme_value_tier]" },
        { content: "the card explains the tier", trigger: ".o_crm_sme_value_card dt:contains(Value Tier)" },
        { content: "with the weights", trigger: ".o_crm_sme_value_table th:contains(Weight)" },
        {
            content: "drill down to the invoices",
            trigger: "button[name=action_crm_sme_value_invoices]",
            run: "click",
        },
        { content: "the invoices", trigger: ".o_list_view, .o_view_nocontent" },
    ],
});
