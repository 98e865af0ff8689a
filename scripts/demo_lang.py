# ruff: noqa: F821  (env is given by odoo-bin shell)
# Run by scripts/run.sh through `odoo-bin shell` (stdin): the language of the
# demo: CRM_SME_DEMO_LANG=zh_CN loads Simplified Chinese (Odoo's and crm_sme's
# terms) and gives it to the demo users; en_US (the default) gives them English
# back. Prints "DEMO_LANG <code>: ok" (read by run.sh and the lifecycle check).
import os

lang = os.environ.get("CRM_SME_DEMO_LANG") or "en_US"
if lang != "en_US":
    env["res.lang"]._activate_lang(lang)
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(lang)
users_data = env["ir.model.data"].search(
    [("module", "=", "crm_sme"), ("model", "=", "res.users"), ("name", "=like", "user_%_demo")]
)
users = env["res.users"].browse(users_data.mapped("res_id")).exists()
users |= env.ref("base.user_admin")
users.write({"lang": lang})
env.cr.commit()
print(f"DEMO_LANG {lang}: ok ({len(users)} users)", flush=True)
