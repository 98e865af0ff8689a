# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

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

    @api.depends("partner_id", "company_id", "amount_total", "state", "order_line.crm_sme_is_free")
    def _compute_crm_sme_credit_warning(self):
        self.crm_sme_credit_warning = False
        issues = (
            self.filtered(lambda order: order.state in ("draft", "sent"))
            ._crm_sme_subject_to_gate()
            ._crm_sme_credit_gate_issues(hide_unreadable=True)
        )
        for order, messages in issues.items():
            order.crm_sme_credit_warning = "\n".join(messages)

    # ------------------------------------------------------------
    # ONCHANGES
    # ------------------------------------------------------------

    @api.onchange("company_id")
    def _onchange_company_id_warning(self):
        # a new quotation opened with its lines ("New Quotation" of an opportunity)
        # has not changed company: it opens clean; a real change still warns
        default_company_id = self.env.context.get("default_company_id") or self.env.company.id
        if not self._origin and self.company_id.id == default_company_id:
            return None
        return super()._onchange_company_id_warning()

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
        # the orders the gate blocks wait (override wizard for a manager, a manager's
        # activity when the customer confirms); the others are confirmed
        blocked, gate_action = orders._crm_sme_apply_credit_gate()
        to_confirm = orders - blocked
        res = True
        if to_confirm:
            res = super(SaleOrder, to_confirm).action_confirm()
            to_confirm.opportunity_id._crm_sme_auto_win("order")
        return gate_action or res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.opportunity_id._crm_sme_reopen_if_cancelled()
        return res

    # ------------------------------------------------------------
    # CREDIT / OVERDUE GATE
    # ------------------------------------------------------------

    def _crm_sme_gate_partner(self):
        return self.partner_id

    def _crm_sme_subject_to_gate(self):
        """The orders the credit gate applies to: not the free replacement orders
        of customer feedback (every product line free: nothing to pay)."""
        return self.filtered(
            lambda order: not (
                order.order_line.filtered("product_id")
                and all(order.order_line.filtered("product_id").mapped("crm_sme_is_free"))
            )
        )

    def _crm_sme_gate_amount(self):
        self.ensure_one()
        return self.amount_total / (self.currency_rate or 1.0)

    def _crm_sme_apply_credit_gate(self):
        """Warn (chatter) or block the confirmation of the orders that trip the gate.

        :return: (blocked orders, action): a sales manager gets the override wizard
            for the blocked orders; a customer confirming on the portal (signature,
            online payment) or a system job (sudo) sees nothing of the gate, the
            order waits for a manager (activity); anyone else gets an error.
        """
        issues = (
            self.filtered(lambda order: not order.crm_sme_credit_override_reason)
            ._crm_sme_subject_to_gate()
            ._crm_sme_credit_gate_issues()
        )
        blocked = self.browse()
        for order, messages in issues.items():
            if order.company_id.crm_sme_credit_gate == "block":
                blocked |= order
            else:
                order.message_post(
                    body=_("Credit gate warning: %(issues)s", issues=" ".join(messages))
                )
        if not blocked:
            return blocked, False
        if self.env.user.share or self.env.su:
            # the customer (portal signature, online payment) or a system job: no
            # error and no figure for them, the order waits for a manager
            blocked._crm_sme_wait_for_credit_override(issues)
            return blocked, False
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(
                _(
                    "This order cannot be confirmed; ask a sales manager to override the credit gate.\n%(issues)s",
                    issues="\n".join(msg for order in blocked for msg in issues[order]),
                )
            )
        return blocked, {
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

    def _crm_sme_wait_for_credit_override(self, issues):
        """The customer confirmed (signed on the portal, paid online) but the gate
        blocks: the order stays a quotation, an internal note and an activity ask
        the salesperson (else the team leader, else a sales manager) to have a sales
        manager override the gate. The customer sees none of it."""
        odoobot = self.env.ref("base.partner_root")
        managers = self.env.ref("sales_team.group_sale_manager").users.filtered(
            lambda user: not user.share
        )
        for order in self:
            figures = "\n".join(issues.get(order, []))
            order.message_post(
                body=_(
                    "Confirmed by the customer but blocked by the credit gate; a sales "
                    "manager must override it to confirm the order.\n%(issues)s",
                    issues=figures,
                ),
                author_id=odoobot.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            responsible = (
                order.user_id
                or order.team_id.user_id
                or managers.filtered(lambda user, o=order: o.company_id in user.company_ids)[:1]
            )
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Credit gate: confirm the order the customer accepted"),
                note=plaintext2html(figures),
                user_id=responsible.id or SUPERUSER_ID,
            )
