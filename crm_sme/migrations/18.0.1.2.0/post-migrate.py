# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Version 18.0.1.2.0 no longer indexes the value job's result fields on
res.partner (value tier, scores, ABC, RFM, lifecycle): Odoo indexes
company-dependent fields by default, ten index entries more for each
customer the job writes. Odoo keeps an index that a field no longer
declares: drop them, as a new installation has none."""

from odoo.tools import sql

from odoo.addons.crm_sme.models.crm_sme_customer_value_job import PARTNER_FIELDS


def migrate(cr, version):
    if not version:
        return
    for name in PARTNER_FIELDS:
        sql.drop_index(cr, sql.make_index_name("res_partner", name), "res_partner")
