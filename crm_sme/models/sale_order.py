# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# Fields set only by the override wizard, under this context key (as superuser).
OVERRIDE_FIELDS = {"crm_sme_credit_override_reason", "crm_sme_credit_override_user_id"}
OVERRIDE_CONTEXT_KEY = "crm_sme_credit_override"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.sme.credit.gate.mixin", "crm.sme.input.mixin"]

    crm_sme_credit_warning = fields.Text(
        string="Credit Gate",
        compute="_compute_crm_sme_credit_warning",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,account.group_account_invoice",
    )
    crm_sme_credit_override_reason = fields.Text(
        string="Credit Override Reason", readonly=True, copy=False, tracking=True
    )
    crm_sme_credit_override_user_id = fields.Many2one(
        "res.users", string="Credit Override By", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id", "amount_total", "state")
    def _compute_crm_sme_credit_warning(self):
        self.crm_sme_credit_warning = False
        issues = self.filtered(
            lambda order: order.state in ("draft", "sent")
        )._crm_sme_credit_gate_issues(hide_unreadable=True)
        for order, messages in issues.items():
            order.crm_sme_credit_warning = "\n".join(messages)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _crm_sme_check_override_vals(self, vals_list):
        """The override fields are written only by the manager's override wizard
        (crm.sme.credit.override), as superuser with its context key: create,
        write and import by anyone else are refused."""
        if any(OVERRIDE_FIELDS & set(vals) for vals in vals_list) and not (
            self.env.su and self.env.context.get(OVERRIDE_CONTEXT_KEY)
        ):
            raise AccessError(
                _(
                    "The credit gate is overridden only through the override wizard of a "
                    "sales manager, with a reason."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_sme_check_override_vals(vals_list)
        self.env["res.partner"]._crm_sme_check_linkable(
            [vals.get("partner_id") for vals in vals_list]
        )
        orders = super().create(vals_list)
        # a document is only filed on a customer the user may read
        self.env["res.partner"]._crm_sme_check_linkable(orders.partner_id.ids)
        return orders

    def write(self, vals):
        self._crm_sme_check_override_vals([vals])
        self.env["res.partner"]._crm_sme_check_linkable([vals.get("partner_id")])
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        # the quotation defaults of the opportunity must not leak into pickings/moves
        ctx = {
            key: value
            for key, value in self.env.context.items()
            if key not in ("default_order_line", "default_warehouse_id")
        }
        orders = self.with_env(self.env(context=ctx))
        gate = orders._crm_sme_apply_credit_gate()
        if gate:
            return gate
        res = super(SaleOrder, orders).action_confirm()
        orders.opportunity_id._crm_sme_auto_win("order")
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.opportunity_id._crm_sme_reopen_if_cancelled()
        return res

    # ------------------------------------------------------------
    # CREDIT / OVERDUE GATE
    # ------------------------------------------------------------

    def _crm_sme_gate_partner(self):
        return self.partner_id

    def _crm_sme_gate_amount(self):
        self.ensure_one()
        return self.amount_total / (self.currency_rate or 1.0)

    def _crm_sme_apply_credit_gate(self):
        """Warn (chatter) or block the confirmation; a blocked manager gets the
        override wizard, anyone else an error."""
        issues = self.filtered(
            lambda order: not order.crm_sme_credit_override_reason
        )._crm_sme_credit_gate_issues()
        if not issues:
            return False
        blocked = self.browse()
        for order, messages in issues.items():
            if order.company_id.crm_sme_credit_gate == "block":
                blocked |= order
            else:
                order.message_post(
                    body=_("Credit gate warning: %(issues)s", issues=" ".join(messages))
                )
        if not blocked:
            return False
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(
                _(
                    "This order cannot be confirmed; ask a sales manager to override the credit gate.\n%(issues)s",
                    issues="\n".join(msg for order in blocked for msg in issues[order]),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Override the Credit Gate"),
            "res_model": "crm.sme.credit.override",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_ids": [(6, 0, blocked.ids)],
                "default_warning": "\n".join(msg for order in blocked for msg in issues[order]),
            },
        }
