# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from markupsafe import Markup

from odoo import _, api, fields, models, modules
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_amount, format_date, split_every

from ..jobs import run_isolated
from .crm_sme_customer_figures_mixin import CRM_GROUPS
from .crm_sme_customer_position import CONCURRENCY_ERRORS
from .crm_sme_value_selections import (
    ABC_CLASSES,
    LIFECYCLE_STAGES,
    RFM_CLASSES,
    RFM_SEGMENTS,
    VALUE_TIERS,
)
from .res_company_value import CURRENT_WEIGHTS, POTENTIAL_WEIGHTS

_logger = logging.getLogger(__name__)

# Customers per batch of the input pass (one upsert each).
VALUE_BATCH = 5000
# A company with more customers than this is recomputed by the job in the
# background when a manager presses the button.
VALUE_SYNC_LIMIT = 5000
# Where the nightly job notes how far it came (resumed the same day).
VALUE_CURSOR = "crm_sme.value_job_cursor"


class ResPartner(models.Model):
    """Customer value and segmentation of a commercial partner.

    Company-dependent: a customer shared between companies has the tier, ABC
    class, RFM scores and lifecycle of each company it buys from.  Written by
    the value recompute (set-based, per company), never by hand except the
    documented overrides.
    """

    _inherit = "res.partner"

    # The results of the value job (PARTNER_FIELDS of the job) are not indexed
    # (Odoo indexes company-dependent fields by default): the job rewrites
    # them on many customers at once, each index costing an entry per
    # customer written, while the filters on them read the customers anyway.
    crm_sme_value_tier = fields.Selection(
        VALUE_TIERS,
        string="Value Tier",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        help="From the grid of current value x potential value.",
    )
    crm_sme_current_value = fields.Float(
        string="Current Value",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        aggregator="avg",
        help="0-100: weighted percentile ranks of the last 12 months' revenue, margin, "
        "order frequency, product variety, recency and payment behaviour.",
    )
    crm_sme_potential_value = fields.Float(
        string="Potential Value",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        aggregator="avg",
        help="0-100: share-of-wallet gap, industry growth and weighted open pipeline.",
    )
    crm_sme_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        help="Pareto class of the last 12 months' net revenue.",
    )
    crm_sme_rfm_r = fields.Integer(
        string="Recency Score", company_dependent=True, index=False, groups=CRM_GROUPS
    )
    crm_sme_rfm_f = fields.Integer(
        string="Frequency Score", company_dependent=True, index=False, groups=CRM_GROUPS
    )
    crm_sme_rfm_m = fields.Integer(
        string="Monetary Score", company_dependent=True, index=False, groups=CRM_GROUPS
    )
    crm_sme_rfm_segment = fields.Selection(
        RFM_SEGMENTS, string="RFM Segment", company_dependent=True, index=False, groups=CRM_GROUPS
    )
    crm_sme_rfm_class = fields.Selection(
        RFM_CLASSES,
        string="RFM Class",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        help="Recency, frequency and monetary value each above or below the company mean.",
    )
    crm_sme_lifecycle = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle",
        company_dependent=True,
        index=False,
        groups=CRM_GROUPS,
        help="From the first and last posted invoice and order dates.",
    )
    crm_sme_lifecycle_override = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle Set by Hand",
        company_dependent=True,
        groups=CRM_GROUPS,
        help="Overrides the computed lifecycle stage (a reason is required; logged).",
    )
    crm_sme_lifecycle_reason = fields.Char(
        string="Reason for the Lifecycle",
        company_dependent=True,
        groups=CRM_GROUPS,
    )
    crm_sme_key_account_manual = fields.Boolean(
        string="Key Account Set by Hand",
        tracking=True,
        help="Set when someone changes the key-account flag by hand: the flag then stays as set. "
        "Unset, the flag follows the value tier (Key).",
    )
    crm_sme_value_card = fields.Html(
        string="Why this Value",
        compute="_compute_crm_sme_value_card",
        sanitize=False,
        groups=CRM_GROUPS,
    )

    # ------------------------------------------------------------------
    # ORM: hand-set key account and lifecycle
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_sme_value_job"):
            for vals in vals_list:
                if vals.get("is_key_account") and "crm_sme_key_account_manual" not in vals:
                    vals["crm_sme_key_account_manual"] = True
        return super().create(vals_list)

    def write(self, vals):
        if (
            "is_key_account" in vals
            and "crm_sme_key_account_manual" not in vals
            and not self.env.context.get("crm_sme_value_job")
        ):
            vals = dict(vals, crm_sme_key_account_manual=True)
        if "crm_sme_lifecycle_override" in vals or "crm_sme_lifecycle_reason" in vals:
            # checked before writing: nothing half-written
            for partner in self:
                override = vals.get(
                    "crm_sme_lifecycle_override", partner.crm_sme_lifecycle_override
                )
                reason = vals.get("crm_sme_lifecycle_reason", partner.crm_sme_lifecycle_reason)
                if override and not (reason or "").strip():
                    raise ValidationError(
                        _(
                            "Give a reason for setting the lifecycle of %(customer)s by hand.",
                            customer=partner.display_name,
                        )
                    )
        res = super().write(vals)
        if "crm_sme_lifecycle_override" in vals:
            self._crm_sme_apply_lifecycle_override()
        return res

    def _crm_sme_apply_lifecycle_override(self):
        """Check, log and apply a lifecycle set (or unset) by hand in the current company."""
        company = self.env.company
        stages = dict(self._fields["crm_sme_lifecycle"]._description_selection(self.env))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_sme_customer_value v
                   SET lifecycle = COALESCE(p.crm_sme_lifecycle_override ->> %(key)s, v.lifecycle_computed)
                  FROM res_partner p
                 WHERE p.id = v.partner_id AND v.company_id = %(c)s AND v.partner_id = ANY(%(ids)s)
                   AND v.lifecycle IS DISTINCT FROM
                       COALESCE(p.crm_sme_lifecycle_override ->> %(key)s, v.lifecycle_computed)
             RETURNING v.partner_id, v.lifecycle
                """,
                key=str(company.id),
                c=company.id,
                ids=self.ids,
            )
        )
        effective = dict(self.env.cr.fetchall())
        for partner in self:
            if partner.crm_sme_lifecycle_override:
                body = _(
                    "Lifecycle set by hand to %(stage)s: %(reason)s",
                    stage=stages.get(partner.crm_sme_lifecycle_override),
                    reason=partner.crm_sme_lifecycle_reason,
                )
            else:
                body = _("Lifecycle set by hand removed: it follows the purchases again.")
            partner.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )
            stage = effective.get(partner.id)
            if stage is None and partner.crm_sme_lifecycle_override:
                stage = partner.crm_sme_lifecycle_override
            if stage and partner.crm_sme_lifecycle != stage:
                partner.with_context(crm_sme_value_job=True).crm_sme_lifecycle = stage

    # ------------------------------------------------------------------
    # RECOMPUTE
    # ------------------------------------------------------------------
    @api.model
    def _crm_sme_recompute_values(self, companies=None, today=None, resume=None):
        """Recompute every customer value score of ``companies`` (default:
        all) and upsert this month's history snapshot.

        Set-based: per company, one upsert of the inputs per batch of
        customers (:data:`VALUE_BATCH`), then one statement each for the
        scores, the customers' fields, the history and the key-account flags;
        only what changes is written (a rerun on unchanged data writes and
        logs nothing). A batch that fails is redone customer by customer and a
        customer that still fails is logged and skipped (``run_isolated``).

        :param today: date of "today" for every company (default: each
            company's date)
        :param resume: callable(company, last partner id done) called after
            each committed batch (the job's progress); ``None`` outside the job
        :return: {company id: {"customers", "inputs", "scores", "partners",
            "history", "transitions", "key_accounts"}} counts of rows written
        """
        companies = (companies or self.env["res.company"].search([])).sudo()
        Value = self.env["crm.sme.customer.value"].sudo()
        result = {}
        for company in companies:
            company_today = self.env["crm.sme.money"]._company_today(company, today)[company.id]
            stats = result[company.id] = self._crm_sme_recompute_company(
                company, company_today, Value, resume
            )
            _logger.info("crm_sme: customer values of %s: %s", company.name, stats)
        return result

    @api.model
    def _crm_sme_recompute_company(self, company, today, Value, resume=None, start_after=0):
        """The value job for one company (see :meth:`_crm_sme_recompute_values`).

        One statement computes the inputs and scores of every customer of
        the company, each source read once for the company, and keeps those
        that differ from their value row in a temporary table; each committed
        batch upserts its customers' value rows from it (marked pending); then the company pass copies the pending rows to their
        customers, upserts their snapshots (so a run that stopped after some
        batches is completed by the next one) and sets the key-account
        flags. When the first statement fails (absurd data), the batches
        read the sources themselves (a failing customer is then skipped) and
        the scores are computed in the company pass from the stored rows."""
        self.env.flush_all()
        stats = dict.fromkeys(
            ("inputs", "scores", "partners", "history", "transitions", "key_accounts"), 0
        )
        Prepared, customer_ids = Value._prepare_inputs(company, today)
        prepared = Prepared is not Value
        if not prepared:
            customer_ids = Value._customer_ids(company)
        # (prepared: the customers whose row changes; after a stop, those of
        # the batches committed before no longer differ)
        customer_ids = [pid for pid in customer_ids if pid > start_after]
        Partner = self.sudo()
        for ids in split_every(VALUE_BATCH, customer_ids):

            def process(batch):
                written = Prepared._upsert_inputs(company, batch.ids, today)
                stats["inputs"] += written
                if prepared:
                    # the batch's customers and snapshots with their rows
                    stats["scores"] += written
                    self._crm_sme_value_results(company, today, Value, stats, batch.ids)

            run_isolated(Partner.browse(ids), process, "Customer value", batch_size=VALUE_BATCH)
            if resume:
                resume(company, ids[-1])
        if prepared:
            Value._drop_inputs()
        stats["customers"] = Value.search_count([("company_id", "=", company.id)])
        # the company pass, all or nothing; in the job, a customer a user wrote
        # meanwhile (serialisation failure) is retried on a fresh snapshot
        for attempt in range(3):
            try:
                with self.env.cr.savepoint(flush=False):
                    if not prepared:
                        stats["scores"] = Value._update_scores(company, today)
                        self._crm_sme_value_results(company, today, Value, stats)
                    self._crm_sme_key_accounts(company, Value, stats)
                break
            except CONCURRENCY_ERRORS:
                if not resume or attempt == 2:
                    raise
                _logger.info(
                    "crm_sme: customer values of %s: concurrent update, retried", company.name
                )
                self.env.invalidate_all()
                self.env.cr.commit()  # pylint: disable=invalid-commit
        Value.invalidate_model()
        self.env["crm.sme.customer.value.history"].invalidate_model()
        return stats

    @api.model
    def _crm_sme_value_results(self, company, today, Value, stats, partner_ids=None):
        """Customers' fields, this month's snapshot and lifecycle messages of
        the value rows of ``partner_ids`` (default: all of ``company``)."""
        partners, transitions = Value._propagate_to_partners(company, partner_ids)
        stats["partners"] += partners
        stats["history"] += Value._upsert_history(company, today, partner_ids)
        stats["transitions"] += len(transitions)
        self._crm_sme_log_transitions(transitions)

    @api.model
    def _crm_sme_key_accounts(self, company, Value, stats):
        """Key-account flags that follow the tier (Key in any company)."""
        for key, ids in Value._key_account_changes(company).items():
            if ids:
                self.sudo().browse(ids).with_context(crm_sme_value_job=True).write(
                    {"is_key_account": key}
                )
                stats["key_accounts"] += len(ids)

    @api.model
    def _crm_sme_log_transitions(self, transitions):
        """Log each lifecycle transition once in the customer's chatter, in
        the language of the customer's salesperson."""
        by_lang = {}
        for partner_id, old, new, lang in transitions:
            by_lang.setdefault(lang or self.env.lang or "en_US", []).append((partner_id, old, new))
        for lang, rows in by_lang.items():
            partners = self.sudo().with_context(lang=lang)
            stages = dict(self._fields["crm_sme_lifecycle"]._description_selection(partners.env))
            bodies = {
                partner_id: Markup("<p>%s</p>")
                % partners.env._(
                    "Lifecycle: %(old)s → %(new)s",
                    old=stages.get(old, old),
                    new=stages.get(new, new),
                )
                for partner_id, old, new in rows
            }
            partners.browse(list(bodies))._message_log_batch(bodies=bodies)

    @api.model
    def _cron_crm_sme_recompute_values(self):
        """Nightly job: every company in committed batches with the cron
        progress; a run that stops resumes the same day after the last
        committed batch."""
        commit = not modules.module.current_test
        params = self.env["ir.config_parameter"].sudo()
        companies = self.env["res.company"].sudo().search([], order="id")
        money = self.env["crm.sme.money"]
        Value = self.env["crm.sme.customer.value"].sudo()
        cron = self.env["ir.cron"]
        try:
            cursor = json.loads(params.get_param(VALUE_CURSOR) or "{}")
        except ValueError:
            cursor = {}
        done = 0

        def save(company, partner_id):
            nonlocal done
            done += 1
            params.set_param(
                VALUE_CURSOR,
                json.dumps(
                    {"date": str(fields.Date.today()), "company": company.id, "partner": partner_id}
                ),
            )
            cron._notify_progress(done=done, remaining=len(companies))
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

        if cursor.get("date") != str(fields.Date.today()):
            cursor = {}
        for index, company in enumerate(companies):
            start_after = 0
            if cursor:
                if company.id < cursor["company"]:
                    continue
                if company.id == cursor["company"]:
                    start_after = cursor["partner"]
            today = money._company_today(company)[company.id]
            stats = self._crm_sme_recompute_company(company, today, Value, save, start_after)
            _logger.info("crm_sme: customer values of %s: %s", company.name, stats)
            cron._notify_progress(done=done + 1, remaining=len(companies) - index - 1)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        params.set_param(VALUE_CURSOR, False)

    @api.model
    def action_crm_sme_recompute_values(self):
        """Manager's button: recompute the current company now, or on a big
        company start the job in the background and say so."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only sales managers can recompute the customer values."))
        company = self.env.company
        count = len(self.env["crm.sme.customer.value"].sudo()._customer_ids(company))
        if count > VALUE_SYNC_LIMIT:
            self.env.ref("crm_sme.ir_cron_crm_sme_customer_value").sudo()._trigger()
            message = _(
                "%(count)s customers: the values are recomputed in the background; "
                "they appear within a few minutes.",
                count=count,
            )
            kind = "info"
        else:
            stats = self._crm_sme_recompute_values(company)[company.id]
            message = _(
                "Customer values recomputed: %(count)s customers, %(changed)s changed.",
                count=count,
                changed=stats["partners"],
            )
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Customer Value"),
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # EXPLAINABLE CARD
    # ------------------------------------------------------------------
    def _crm_sme_value_rows(self):
        """The value rows of these customers in the current company, read by
        SQL into local values (the customers themselves are readable by the
        user; the rows are only shown on them)."""
        if not self.ids:
            return {}
        self.env["crm.sme.customer.value"].flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                "SELECT * FROM crm_sme_customer_value WHERE company_id = %s AND partner_id = ANY(%s)",
                self.env.company.id,
                self.commercial_partner_id.ids,
            )
        )
        return {row["partner_id"]: row for row in rows}

    @api.depends_context("company", "lang")
    @api.depends(
        "crm_sme_value_tier",
        "crm_sme_lifecycle",
        "crm_sme_lifecycle_override",
        "commercial_partner_id",
    )
    def _compute_crm_sme_value_card(self):
        rows = self._crm_sme_value_rows()
        company = self.env.company
        for partner in self:
            row = rows.get(partner.commercial_partner_id.id)
            partner.crm_sme_value_card = (
                self._crm_sme_render_card(row, company)
                if row
                else Markup("<p class='text-muted'>%s</p>")
                % self.env._("Not scored yet: the customer values are recomputed every night.")
            )

    @api.model
    def _crm_sme_render_card(self, row, company):
        env = self.env
        currency = company.currency_id
        Value = env["crm.sme.customer.value"]

        def money(amount):
            return format_amount(env, amount or 0, currency)

        def date(value):
            return format_date(env, value) if value else env._("never")

        def label(fname):
            return Value._fields[fname]._description_string(env)

        def selection(fname, key):
            return dict(Value._fields[fname]._description_selection(env)).get(key, key or "-")

        def table(title, total, lines):
            head = Markup(
                "<tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr>"
            ) % (
                env._("Input"),
                env._("Value"),
                env._("Rank (0-100)"),
                env._("Weight"),
                env._("Points"),
            )
            body = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s %%</td><td class='text-end'>%s</td></tr>"
                )
                % (
                    name,
                    shown,
                    format(rank, ".0f"),
                    format(weight, "g"),
                    format(rank * weight / 100, ".1f"),
                )
                for name, shown, rank, weight in lines
            )
            return Markup(
                "<h5 class='mt-3'>%s: %s / 100</h5>"
                "<table class='table table-sm o_crm_sme_value_table'><thead>%s</thead><tbody>%s</tbody></table>"
            ) % (title, format(total or 0, ".1f"), head, body)

        w = {name: company[name] for name in (*CURRENT_WEIGHTS, *POTENTIAL_WEIGHTS)}
        current = table(
            env._("Current value"),
            row["current_value"],
            [
                (
                    label("revenue_12m"),
                    money(row["revenue_12m"]),
                    row["rank_revenue"],
                    w["crm_sme_value_w_revenue"],
                ),
                (
                    label("margin_12m"),
                    money(row["margin_12m"]),
                    row["rank_margin"],
                    w["crm_sme_value_w_margin"],
                ),
                (
                    label("invoice_count_12m"),
                    row["invoice_count_12m"],
                    row["rank_frequency"],
                    w["crm_sme_value_w_frequency"],
                ),
                (
                    label("product_count_12m"),
                    row["product_count_12m"],
                    row["rank_variety"],
                    w["crm_sme_value_w_variety"],
                ),
                (
                    env._("Last invoice"),
                    date(row["last_invoice_date"]),
                    row["rank_recency"],
                    w["crm_sme_value_w_recency"],
                ),
                (
                    env._("Days to pay / oldest overdue"),
                    " / ".join(
                        (
                            format(row["avg_days_to_pay"] or 0, "g"),
                            str(row["max_days_overdue"] or 0),
                        )
                    ),
                    row["rank_payment"],
                    w["crm_sme_value_w_payment"],
                ),
            ],
        )
        potential = table(
            env._("Potential value"),
            row["potential_value"],
            [
                (
                    env._(
                        "Share-of-wallet gap (potential %(potential)s)",
                        potential=money(row["purchase_potential"]),
                    ),
                    money(row["wallet_gap"]),
                    row["rank_gap"],
                    w["crm_sme_value_w_gap"],
                ),
                (
                    label("growth_rating"),
                    format(row["growth_rating"] or 0, "g"),
                    row["growth_rating"] or 0,
                    w["crm_sme_value_w_growth"],
                ),
                (
                    label("pipeline_weighted"),
                    money(row["pipeline_weighted"]),
                    row["rank_pipeline"],
                    w["crm_sme_value_w_pipeline"],
                ),
            ],
        )
        tier = env._(
            "%(tier)s: current value %(current)s against the bound %(cbound)s, potential value "
            "%(potential)s against the bound %(pbound)s (high current and potential: Key; high "
            "current only: Maintain; high potential only: Grow; neither: Basic).",
            tier=selection("value_tier", row["value_tier"]),
            current=format(row["current_value"] or 0, ".1f"),
            cbound=format(company.crm_sme_value_current_bound, "g"),
            potential=format(row["potential_value"] or 0, ".1f"),
            pbound=format(company.crm_sme_value_potential_bound, "g"),
        )
        if row["revenue_share_before"] is None:
            abc = env._("C: no positive net revenue in the last 12 months.")
        else:
            abc = env._(
                "%(abc)s: the larger customers make %(share)s %% of the revenue of the last 12 "
                "months (A up to %(a)s %%, B up to %(b)s %%).",
                abc=selection("abc_class", row["abc_class"]),
                share=format(row["revenue_share_before"], ".1f"),
                a=format(company.crm_sme_abc_a_share, "g"),
                b=format(company.crm_sme_abc_a_share + company.crm_sme_abc_b_share, "g"),
            )
        if row["rfm_r"]:
            rfm = env._(
                "R %(r)s, F %(f)s, M %(m)s (1-5, quintiles of the company's customers): "
                "%(segment)s; %(cls)s (each above or below the company mean).",
                r=row["rfm_r"],
                f=row["rfm_f"],
                m=row["rfm_m"],
                segment=selection("rfm_segment", row["rfm_segment"]),
                cls=selection("rfm_class", row["rfm_class"]),
            )
        else:
            rfm = env._("No invoice yet: no RFM scores.")
        lifecycle = env._(
            "%(stage)s: first purchase %(first)s, last purchase %(last)s; at risk after %(risk)s "
            "days, dormant after %(dormant)s, lost after %(lost)s, new for %(new)s days.",
            stage=selection("lifecycle", row["lifecycle"]),
            first=date(
                min(
                    filter(None, (row["first_invoice_date"], row["first_order_date"])), default=None
                )
            ),
            last=date(
                max(filter(None, (row["last_invoice_date"], row["last_order_date"])), default=None)
            ),
            risk=company.crm_sme_lifecycle_at_risk_days,
            dormant=company.crm_sme_lifecycle_dormant_days,
            lost=company.crm_sme_lifecycle_lost_days,
            new=company.crm_sme_lifecycle_new_days,
        )
        if row["lifecycle"] != row["lifecycle_computed"]:
            lifecycle += " " + env._(
                "Set by hand (computed: %(stage)s).",
                stage=selection("lifecycle", row["lifecycle_computed"]),
            )
        facts = Markup("").join(
            Markup("<dt>%s</dt><dd>%s</dd>") % (name, text)
            for name, text in (
                (env._("Value Tier"), tier),
                (env._("ABC Class"), abc),
                (env._("RFM"), rfm),
                (env._("Lifecycle"), lifecycle),
            )
        )
        return Markup("<div class='o_crm_sme_value_card'><dl>%s</dl>%s%s</div>") % (
            facts,
            current,
            potential,
        )

    def action_crm_sme_value_invoices(self):
        """The posted invoices and credit notes of the last 12 months behind
        the scores, in the current company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">", fields.Date.subtract(fields.Date.context_today(self), days=365)),
        ]
        action["context"] = {"create": False}
        action["name"] = _("Invoices behind the value of %(customer)s", customer=self.display_name)
        return action
