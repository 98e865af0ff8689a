/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { cartesian, sections } from "@web/core/utils/arrays";
import { PivotModel } from "@web/views/pivot/pivot_model";

/**
 * Pivot model of crm_sme's reports: a (re)load reads all the groupings the
 * table needs (the total, row and column headers, cells: one per prefix of
 * the row group-bys x prefix of the column group-bys) in one request per
 * origin, ``crm_sme_read_groups`` of ``crm.sme.grouping.sets.mixin``, which
 * answers them from one query. Odoo's pivot sends one ``read_group`` per
 * grouping, the total first then the others. Expanding a header afterwards
 * reads as usual; so does the sample data of an empty report.
 */
export class CrmSmePivotModel extends PivotModel {
    setup() {
        super.setup(...arguments);
        this.crmSmeBatch = new Map();
    }

    /**
     * @override
     */
    async _loadData(config, prune = true) {
        const batch = new Map();
        if (!this.orm.isSample) {
            const { metaData } = config;
            const divisors = cartesian(
                sections(metaData.fullRowGroupBys),
                sections(metaData.fullColGroupBys)
            );
            const groupBys = divisors.map(([rowGroupBy, colGroupBy]) =>
                this._getGroupBySpecs(rowGroupBy, colGroupBy)
            );
            const measureSpecs = this._getMeasureSpecs(config);
            const context = this.searchParams.context;
            await Promise.all(
                metaData.domains.map(async (domain) => {
                    const results = await this.orm.call(
                        metaData.resModel,
                        "crm_sme_read_groups",
                        [domain, measureSpecs, groupBys],
                        { lazy: false, context }
                    );
                    groupBys.forEach((groupBy, index) => {
                        batch.set(JSON.stringify([domain, groupBy]), results[index]);
                    });
                })
            );
        }
        this.crmSmeBatch = batch;
        try {
            return await super._loadData(config, prune);
        } finally {
            if (this.crmSmeBatch === batch) {
                this.crmSmeBatch = new Map();
            }
        }
    }

    /**
     * @override
     */
    async _getSubGroups(groupBy, params) {
        const key = JSON.stringify([params.groupDomain, groupBy]);
        if (this.crmSmeBatch.has(key)) {
            return this.crmSmeBatch.get(key);
        }
        return super._getSubGroups(groupBy, params);
    }
}
