/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";
import { pivotView } from "@web/views/pivot/pivot_view";
import { CrmSmePivotModel } from "./crm_sme_pivot_model";

/** The pivot of crm_sme's reports (``js_class="crm_sme_pivot"``): all the
 * groupings of a (re)load in one request. */
export const crmSmePivotView = {
    ...pivotView,
    Model: CrmSmePivotModel,
};

registry.category("views").add("crm_sme_pivot", crmSmePivotView);
