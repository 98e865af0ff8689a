/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * Portal: a customer sends feedback from "My Account", finds it in the list
 * and opens its history, then rates a closed complaint (CSAT and NPS).
 */
registry.category("web_tour.tours").add("crm_sme_feedback_portal_tour", {
    url: "/my/feedback",
    steps: () => [
        {
            content: "new feedback",
            trigger: "a.o_crm_sme_feedback_new",
            run: "click",
        },
        {
            content: "subject",
            trigger: "form.o_crm_sme_feedback_form input[name=name]",
            run: "edit Portal tour: missing cartons",
        },
        {
            content: "description",
            trigger: "form.o_crm_sme_feedback_form textarea[name=description]",
            run: "edit Two cartons were missing from the last delivery.",
        },
        {
            content: "send",
            trigger: "button.o_crm_sme_feedback_submit",
            run: "click",
        },
        {
            content: "the feedback page shows it",
            trigger: ".o_crm_sme_feedback_detail .o_crm_sme_feedback_name:contains(missing cartons)",
        },
        {
            content: "its history is there",
            trigger: "#discussion",
        },
        {
            content: "back to the list",
            trigger: ".breadcrumb a[href='/my/feedback']",
            run: "click",
        },
        {
            content: "the list shows it",
            trigger: ".o_crm_sme_feedback_row:contains(missing cartons)",
        },
        {
            content: "open the closed complaint",
            trigger: ".o_crm_sme_feedback_row:contains(Pens leak) a",
            run: "click",
        },
        {
            content: "satisfied: 4 out of 5",
            trigger: "form.o_crm_sme_feedback_rate label[for=csat_4]",
            run: "click",
        },
        {
            content: "would recommend: 9",
            trigger: "form.o_crm_sme_feedback_rate select[name=nps]",
            run: "select 9",
        },
        {
            content: "rate",
            trigger: "button.o_crm_sme_feedback_rate_submit",
            run: "click",
        },
        {
            content: "thanked",
            trigger: ".o_crm_sme_feedback_rated",
        },
    ],
});
