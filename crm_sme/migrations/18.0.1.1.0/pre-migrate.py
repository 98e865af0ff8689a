# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record rules ship in <data noupdate="1"> so that an administrator's edits
survive upgrades; this version rewrites them (team rules on stored fields of the
record, company rules on every model). Let this one upgrade load them again;
post-migrate sets them back to noupdate."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data
           SET noupdate = FALSE
         WHERE module = 'crm_sme' AND model = 'ir.rule' AND noupdate
        """
    )
