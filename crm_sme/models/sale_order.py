# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, plaintext2html

# Credit position of a batch of commercial partners in one company, in one query:
# open receivable (Odoo's partner.credit is the same sum of unreconciled posted
# receivable lines), the part overdue beyond the tolerance with its oldest due
# date, and what confirmed orders still have to invoice (taxes included, company
# currency, like Odoo's credit_to_invoice).
EXPOSURE_QUERY = """
    WITH receivable AS (
        SELECT partner.commercial_partner_id AS partner_id,
               SUM(aml.amount_residual) AS receivable,
               SUM(CASE WHEN aml.date_maturity < %(overdue_before)s AND aml.amount_residual > 0
                        THEN aml.amount_residual ELSE 0 END) AS overdue_amount,
               MIN(CASE WHEN aml.amount_residual > 0 THEN aml.date_maturity END) AS oldest_due
          FROM account_move_line aml
          JOIN res_partner partner ON partner.id = aml.partner_id
          JOIN account_account account ON account.id = aml.account_id
         WHERE aml.parent_state = 'posted'
           AND aml.company_id = %(company_id)s
           AND account.account_type = 'asset_receivable'
           AND NOT aml.reconciled
           AND partner.commercial_partner_id = ANY(%(partner_ids)s::int[])
         GROUP BY partner.commercial_partner_id
    ), to_invoice AS (
        SELECT partner.commercial_partner_id AS partner_id,
               SUM(sol.untaxed_amount_to_invoice
                   * CASE WHEN sol.price_subtotal <> 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
                   / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS to_invoice
          FROM sale_order_line sol
          JOIN sale_order so ON so.id = sol.order_id
          JOIN res_partner partner ON partner.id = so.partner_id
         WHERE so.state = 'sale'
           AND so.company_id = %(company_id)s
           AND sol.untaxed_amount_to_invoice > 0
           AND partner.commercial_partner_id = ANY(%(partner_ids)s::int[])
         GROUP BY partner.commercial_partner_id
    )
    SELECT COALESCE(r.partner_id, t.partner_id), r.receivable, r.overdue_amount, r.oldest_due, t.to_invoice
      FROM receivable r
      FULL OUTER JOIN to_invoice t ON t.partner_id = r.partner_id
"""


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_sme_credit_warning = fields.Text(
        string="Credit Gate", compute="_compute_crm_sme_credit_warning", compute_sudo=True
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
            ._crm_sme_credit_gate_issues()
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

    def write(self, vals):
        if {"crm_sme_credit_override_reason", "crm_sme_credit_override_user_id"} & set(
            vals
        ) and not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(_("Only a sales manager can override the credit gate."))
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

    @api.model
    def _crm_sme_credit_exposure(self, partners, company):
        """Credit position of commercial ``partners`` in ``company``, set-based (one
        query whatever the number of partners), reusable from the opportunity.

        :return: {partner_id: {"receivable", "to_invoice", "credit_limit",
                               "overdue_amount", "overdue_days"}}
        """
        partners = partners.commercial_partner_id
        if not partners:
            return {}
        today = fields.Date.context_today(self)
        overdue_before = fields.Date.subtract(today, days=company.crm_sme_overdue_days or 0)
        self.env["account.move.line"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model()
        params = {
            "company_id": company.id,
            "partner_ids": partners.ids,
            "overdue_before": overdue_before,
        }
        result = {
            partner.id: {
                "receivable": 0.0,
                "to_invoice": 0.0,
                "credit_limit": 0.0,
                "overdue_amount": 0.0,
                "overdue_days": 0,
            }
            for partner in partners
        }
        self.env.cr.execute(EXPOSURE_QUERY, params)
        for (
            partner_id,
            receivable,
            overdue_amount,
            oldest_due,
            to_invoice,
        ) in self.env.cr.fetchall():
            figures = result[partner_id]
            figures["receivable"] = receivable or 0.0
            figures["to_invoice"] = to_invoice or 0.0
            if company.crm_sme_overdue_days and overdue_amount and overdue_amount > 0:
                figures["overdue_amount"] = overdue_amount
                figures["overdue_days"] = (today - oldest_due).days if oldest_due else 0
        if company.account_use_credit_limit:
            # company-dependent limit (partner's own or the company default): accounting field
            partners_sudo = partners.with_company(company).sudo()
            for partner_sudo in partners_sudo:
                result[partner_sudo.id]["credit_limit"] = partner_sudo.credit_limit
        return result

    @api.model
    def _crm_sme_credit_issues(self, exposure, amount, company, partner):
        """Human-readable reasons why a new document of ``amount`` for ``partner``
        trips the gate (empty list when it does not)."""
        if not exposure:
            return []
        issues = []
        currency = company.currency_id
        total = exposure["receivable"] + exposure["to_invoice"] + (amount or 0.0)
        limit = exposure["credit_limit"]
        if limit and currency.compare_amounts(total, limit) > 0:
            issues.append(
                _(
                    "%(partner)s would owe %(total)s (receivable %(receivable)s + uninvoiced orders "
                    "%(to_invoice)s + this document %(amount)s), over its credit limit of %(limit)s.",
                    partner=partner.display_name,
                    total=format_amount(self.env, total, currency),
                    receivable=format_amount(self.env, exposure["receivable"], currency),
                    to_invoice=format_amount(self.env, exposure["to_invoice"], currency),
                    amount=format_amount(self.env, amount or 0.0, currency),
                    limit=format_amount(self.env, limit, currency),
                )
            )
        if exposure["overdue_amount"]:
            issues.append(
                _(
                    "%(partner)s has %(amount)s of invoices overdue by more than %(days)s days "
                    "(oldest: %(oldest)s days).",
                    partner=partner.display_name,
                    amount=format_amount(self.env, exposure["overdue_amount"], currency),
                    days=company.crm_sme_overdue_days,
                    oldest=exposure["overdue_days"],
                )
            )
        return issues

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

    def _crm_sme_credit_gate_issues(self):
        """{order: [messages]} for the orders that trip their company's gate."""
        result = {}
        by_company = defaultdict(lambda: self.env["sale.order"])
        for order in self:
            if order.partner_id and order.company_id.crm_sme_credit_gate != "none":
                by_company[order.company_id] |= order
        for company, orders in by_company.items():
            exposure = self._crm_sme_credit_exposure(orders.partner_id, company)
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                issues = self._crm_sme_credit_issues(
                    exposure.get(partner.id), order._crm_sme_gate_amount(), company, partner
                )
                if issues:
                    result[order] = issues
        return result

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
