# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .crm_sme_customer_figures_mixin import CRM_GROUPS


class DigestDigest(models.Model):
    """crm_sme KPIs in Odoo's periodic digest emails.

    Computed as the recipient (the digest renders each user's email with
    their rights), so a salesperson's digest counts their own customers.
    """

    _inherit = "digest.digest"

    kpi_crm_sme_new_customers = fields.Boolean("New Customers")
    kpi_crm_sme_new_customers_value = fields.Integer(
        compute="_compute_kpi_crm_sme_new_customers_value"
    )
    kpi_crm_sme_at_risk_customers = fields.Boolean("At-Risk Customers")
    kpi_crm_sme_at_risk_customers_value = fields.Integer(
        compute="_compute_kpi_crm_sme_at_risk_customers_value"
    )
    kpi_crm_sme_tier_moves = fields.Boolean("Value Tier Moves")
    kpi_crm_sme_tier_moves_value = fields.Integer(compute="_compute_kpi_crm_sme_tier_moves_value")
    kpi_crm_sme_overdue = fields.Boolean("Overdue Receivables")
    kpi_crm_sme_overdue_value = fields.Monetary(compute="_compute_kpi_crm_sme_overdue_value")
    kpi_crm_sme_feedback_breached = fields.Boolean("Feedback Deadlines Breached")
    kpi_crm_sme_feedback_breached_value = fields.Integer(
        compute="_compute_kpi_crm_sme_feedback_breached_value"
    )
    kpi_crm_sme_nps = fields.Boolean("Net Promoter Score")
    kpi_crm_sme_nps_value = fields.Float(compute="_compute_kpi_crm_sme_nps_value")

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    def _crm_sme_check_kpi_access(self, groups=CRM_GROUPS):
        if not any(self.env.user.has_group(group) for group in groups.split(",")):
            raise AccessError(_("Do not have access, skip this data for user's digest email"))

    def _crm_sme_per_company(self, field_name, compute):
        """Writes ``compute(company)`` on each digest, once per company."""
        __, __, companies = self._get_kpi_compute_parameters()
        values = {company.id: compute(company) for company in companies}
        for digest in self:
            digest[field_name] = values.get((digest.company_id or self.env.company).id, 0)

    def _compute_kpi_crm_sme_new_customers_value(self):
        """Customers whose first posted invoice in the company falls in the period."""
        self._crm_sme_check_kpi_access()
        start, end, __ = self._get_kpi_compute_parameters()
        data = self.env["crm.sme.dynamic.report.data"]

        def compute(company):
            self.env.cr.execute(
                SQL(
                    """
                SELECT COUNT(*) FROM (
                    SELECT m.commercial_partner_id
                      FROM account_move m
                     WHERE m.company_id = %(company)s AND m.state = 'posted'
                       AND m.move_type = 'out_invoice'
                       AND m.commercial_partner_id IN (%(scope)s)
                  GROUP BY 1
                    HAVING MIN(m.invoice_date) >= %(start)s::date
                       AND MIN(m.invoice_date) < %(end)s::date
                ) firsts
                    """,
                    company=company.id,
                    scope=data._dynamic_scope_sql(company),
                    start=start,
                    end=end,
                )
            )
            return self.env.cr.fetchone()[0]

        self.env.flush_all()
        self._crm_sme_per_company("kpi_crm_sme_new_customers_value", compute)

    def _compute_kpi_crm_sme_at_risk_customers_value(self):
        """Customers at risk or dormant now (lifecycle of the company)."""
        self._crm_sme_check_kpi_access()

        def compute(company):
            return (
                self.env["res.partner"]
                .with_company(company)
                .search_count(
                    [("parent_id", "=", False), ("crm_sme_lifecycle", "in", ("at_risk", "dormant"))]
                )
            )

        self._crm_sme_per_company("kpi_crm_sme_at_risk_customers_value", compute)

    def _compute_kpi_crm_sme_tier_moves_value(self):
        """Customers whose monthly snapshot in the period has another tier than the one before."""
        self._crm_sme_check_kpi_access()
        start, end, __ = self._get_kpi_compute_parameters()
        data = self.env["crm.sme.dynamic.report.data"]

        def compute(company):
            self.env.cr.execute(
                SQL(
                    """
                SELECT COUNT(DISTINCT partner_id) FROM (
                    SELECT h.partner_id, h.period, h.value_tier,
                           LAG(h.value_tier) OVER (PARTITION BY h.partner_id ORDER BY h.period)
                               AS previous_tier
                      FROM crm_sme_customer_value_history h
                     WHERE h.company_id = %(company)s AND h.period < %(end)s::date
                       AND h.partner_id IN (%(scope)s)
                ) snapshots
                 WHERE period >= date_trunc('month', %(start)s::date)
                   AND previous_tier IS NOT NULL AND value_tier IS NOT NULL
                   AND previous_tier <> value_tier
                    """,
                    company=company.id,
                    scope=data._dynamic_scope_sql(company),
                    start=start,
                    end=end,
                )
            )
            return self.env.cr.fetchone()[0]

        self.env.flush_all()
        self._crm_sme_per_company("kpi_crm_sme_tier_moves_value", compute)

    def _compute_kpi_crm_sme_overdue_value(self):
        """Overdue receivables of the customers the user reads, now."""
        self._crm_sme_check_kpi_access(
            "sales_team.group_sale_salesman,account.group_account_invoice"
        )

        def compute(company):
            [(total,)] = (
                self.env["crm.sme.customer.position"]
                .with_company(company)
                ._read_group([("company_id", "=", company.id)], [], ["overdue_total:sum"])
            )
            return total or 0.0

        self._crm_sme_per_company("kpi_crm_sme_overdue_value", compute)

    def _compute_kpi_crm_sme_feedback_breached_value(self):
        self._crm_sme_check_kpi_access()
        self._calculate_company_based_kpi(
            "crm.sme.feedback",
            "kpi_crm_sme_feedback_breached_value",
            date_field="date_breached",
            additional_domain=[("is_breached", "=", True)],
        )

    def _compute_kpi_crm_sme_nps_value(self):
        """NPS (% promoters - % detractors) of the answers given in the period."""
        self._crm_sme_check_kpi_access()
        start, end, companies = self._get_kpi_compute_parameters()
        groups = self.env["crm.sme.feedback"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("date_nps", ">=", start),
                ("date_nps", "<", end),
                ("nps_category", "!=", False),
            ],
            ["company_id", "nps_category"],
            ["__count"],
        )
        counts = {}
        for company, category, count in groups:
            counts.setdefault(company.id, {})[category] = count
        for digest in self:
            company_counts = counts.get((digest.company_id or self.env.company).id, {})
            answers = sum(company_counts.values())
            digest.kpi_crm_sme_nps_value = (
                100.0
                * (company_counts.get("promoter", 0) - company_counts.get("detractor", 0))
                / answers
                if answers
                else 0.0
            )

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("crm_sme.menu_crm_sme_root").id
        res["kpi_crm_sme_new_customers"] = f"crm_sme.action_crm_sme_customer&menu_id={menu}"
        res["kpi_crm_sme_at_risk_customers"] = f"crm_sme.action_crm_sme_customer&menu_id={menu}"
        res["kpi_crm_sme_tier_moves"] = f"crm_sme.crm_sme_dynamic_report_action&menu_id={menu}"
        res["kpi_crm_sme_overdue"] = f"crm_sme.action_crm_sme_customer_position&menu_id={menu}"
        res["kpi_crm_sme_feedback_breached"] = (
            f"crm_sme.action_crm_sme_feedback_breached&menu_id={menu}"
        )
        res["kpi_crm_sme_nps"] = f"crm_sme.action_crm_sme_feedback_report&menu_id={menu}"
        return res
