# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record rules are noupdate again once this upgrade has loaded them."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data
           SET noupdate = TRUE
         WHERE module = 'crm_sme' AND model = 'ir.rule' AND NOT noupdate
        """
    )
