# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Record rules ship in <data noupdate="1"> so that an administrator's edits
survive upgrades. Version 18.0.1.1.0 rewrites them (team rules on stored fields
of the record instead of a computed field of the user, a company rule on every
model): load those files once more as on installation, so that an upgraded
database gets the same rules as a new one. Their records stay noupdate."""

from odoo import SUPERUSER_ID, api
from odoo.tools.convert import convert_file

RULE_FILES = (
    "security/crm_sme_security.xml",
    "security/crm_sme_opportunity_security.xml",
    "security/crm_sme_feedback_security.xml",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for filename in RULE_FILES:
        convert_file(env, "crm_sme", filename, {}, mode="init", noupdate=True, kind="data")
