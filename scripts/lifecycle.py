# ruff: noqa: F821  (env is given by odoo-bin shell)
# Run by scripts/test.sh through `odoo-bin shell` (stdin): checks that
# uninstalling crm_sme keeps Odoo's own business data, and that a reinstall
# works. Prints "LIFECYCLE <check>: ok|FAILED <why>" lines that test.sh counts.
# `env` is provided by odoo-bin shell.
import os

phase = os.environ["CRM_SME_LIFECYCLE_PHASE"]
MODELS = [
    "res.partner",
    "crm.lead",
    "sale.order",
    "stock.picking",
    "account.move",
    "account.payment",
]


def report(check, ok, why=""):
    print(f"LIFECYCLE {check}: {'ok' if ok else 'FAILED ' + why}", flush=True)


def odoo_owned_counts(env):
    """Records of Odoo's own models that crm_sme did not create from its XML."""
    counts = {}
    for model in MODELS:
        own = (
            env["ir.model.data"]
            .search([("module", "=", "crm_sme"), ("model", "=", model)])
            .mapped("res_id")
        )
        counts[model] = (
            env[model].with_context(active_test=False).search_count([("id", "not in", own)])
        )
    return counts


if phase == "uninstall":
    # Business data an SME keeps in Odoo, created while crm_sme is installed.
    company = env.company
    customer = env["res.partner"].create({"name": "Lifecycle Trading Ltd", "is_company": True})
    env["res.partner"].create({"name": "Li Lifecycle", "parent_id": customer.id})
    env["crm.lead"].create(
        {"name": "Lifecycle deal", "partner_id": customer.id, "type": "opportunity"}
    )
    product = env["product.product"].create(
        {"name": "Lifecycle pen", "type": "consu", "list_price": 3.0}
    )
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 10})],
        }
    )
    order.action_confirm()
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "company_id": company.id,
            "invoice_line_ids": [
                (0, 0, {"product_id": product.id, "quantity": 10, "price_unit": 3.0})
            ],
        }
    )
    invoice.action_post()
    env.cr.commit()
    before = odoo_owned_counts(env)
    module = env["ir.module.module"].search([("name", "=", "crm_sme")])
    module.button_immediate_uninstall()
    env.cr.commit()
    env.invalidate_all()
    state = env["ir.module.module"].search([("name", "=", "crm_sme")]).state
    report("uninstall", state == "uninstalled", f"state is {state}")
    after = odoo_owned_counts(env)
    lost = {m: (before[m], after[m]) for m in MODELS if after[m] < before[m]}
    report("uninstall keeps Odoo data", not lost, f"lost records (before, after): {lost}")
    kept = (
        env["res.partner"].search([("id", "=", customer.id)])
        and env["account.move"].browse(invoice.id).exists()
    )
    report("uninstall keeps a customer and its invoice", bool(kept), "customer or invoice gone")
    leftover = env["ir.model"].search_count([("model", "=like", "crm.sme.%")])
    report("uninstall drops crm_sme models", leftover == 0, f"{leftover} crm.sme.* models left")
elif phase == "lang":
    # LANG=zh_CN make run: the demo users work in Chinese, crm_sme's terms loaded
    users = env["res.users"].search([("login", "in", ["liming", "sunli", "admin"])])
    report(
        "demo users in Chinese",
        len(users) == 3 and set(users.mapped("lang")) == {"zh_CN"},
        f"{users.mapped(lambda u: (u.login, u.lang))}",
    )
    action = env.ref("crm_sme.action_crm_sme_customer")
    name = action.with_context(lang="zh_CN").name
    report("crm_sme terms in Chinese", name != action.with_context(lang="en_US").name, name)
elif phase == "reinstalled":
    state = env["ir.module.module"].search([("name", "=", "crm_sme")]).state
    report("reinstall", state == "installed", f"state is {state}")
    customer = env["res.partner"].search([("name", "=", "Lifecycle Trading Ltd")])
    report(
        "reinstall sees data from before",
        len(customer) == 1,
        f"{len(customer)} lifecycle customers",
    )
