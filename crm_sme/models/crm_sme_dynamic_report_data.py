# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import _, models
from odoo.tools import SQL

TOP_CUSTOMERS = 20


class CrmSmeDynamicReportData(models.AbstractModel):
    """Figures of the customer dynamic analysis report, set-based.

    Two queries per report whatever the number of customers: one row of facts
    per customer of the company (revenue and invoices of the period, first
    invoice, value snapshots before and at the end of the period, feedback and
    satisfaction of the period) and one row per salesperson for interactions.
    Customers are those the user may read (``res.partner`` record rules as a
    subquery), so a salesperson's report holds their own customers only and a
    team leader's their teams'.  Sections are plain data (title, columns,
    rows, totals) shared by the PDF and the xlsx.
    """

    _name = "crm.sme.dynamic.report.data"
    _description = "Customer Dynamic Analysis Figures"

    # ------------------------------------------------------------------
    # QUERIES
    # ------------------------------------------------------------------
    def _dynamic_scope_sql(self, company):
        """Commercial customers the current user reads in ``company`` (record rules)."""
        query = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(active_test=False)
            ._search([("parent_id", "=", False)])
        )
        return query.subselect()

    def _dynamic_facts(self, company, date_from, date_to):
        cid = str(company.id)
        next_day = date_to + timedelta(days=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH scope AS (%(scope)s),
            rev AS (
                SELECT m.commercial_partner_id AS pid,
                       SUM(m.amount_untaxed_signed) AS revenue,
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice') AS invoices
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                   AND m.commercial_partner_id IN (SELECT id FROM scope)
              GROUP BY 1
            ),
            first_inv AS (
                SELECT m.commercial_partner_id AS pid, MIN(m.invoice_date) AS first_date
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type = 'out_invoice' AND m.invoice_date <= %(date_to)s
                   AND m.commercial_partner_id IN (SELECT id FROM scope)
              GROUP BY 1
            ),
            h_start AS (
                SELECT DISTINCT ON (h.partner_id) h.partner_id AS pid, h.value_tier, h.lifecycle
                  FROM crm_sme_customer_value_history h
                 WHERE h.company_id = %(company)s AND h.period < %(date_from)s
                   AND h.partner_id IN (SELECT id FROM scope)
              ORDER BY h.partner_id, h.period DESC
            ),
            h_end AS (
                SELECT DISTINCT ON (h.partner_id) h.partner_id AS pid, h.value_tier, h.lifecycle
                  FROM crm_sme_customer_value_history h
                 WHERE h.company_id = %(company)s AND h.period <= %(date_to)s
                   AND h.partner_id IN (SELECT id FROM scope)
              ORDER BY h.partner_id, h.period DESC
            ),
            fb AS (
                SELECT f.partner_id AS pid,
                       COUNT(*) AS feedback,
                       COUNT(*) FILTER (WHERE t.is_complaint) AS complaints,
                       COUNT(*) FILTER (WHERE f.is_breached) AS breached,
                       SUM(f.csat_score) FILTER (WHERE f.csat_score > 0) AS csat_sum,
                       COUNT(*) FILTER (WHERE f.csat_score > 0) AS csat_count,
                       COUNT(*) FILTER (WHERE f.nps_score >= 9) AS promoters,
                       COUNT(*) FILTER (WHERE f.nps_score <= 6) AS detractors,
                       COUNT(f.nps_score) AS nps_count
                  FROM crm_sme_feedback f
             LEFT JOIN crm_sme_feedback_type t ON t.id = f.type_id
                 WHERE f.company_id = %(company)s
                   AND f.date_received >= %(date_from)s AND f.date_received < %(next_day)s
                   AND f.partner_id IN (SELECT id FROM scope)
              GROUP BY 1
            )
            SELECT p.id, p.complete_name, p.user_id, p.region_id, p.customer_type_id,
                   p.source_id,
                   COALESCE(rev.revenue, 0), COALESCE(rev.invoices, 0), first_inv.first_date,
                   hs.value_tier, hs.lifecycle,
                   COALESCE(he.value_tier, p.crm_sme_value_tier->>%(cid)s),
                   COALESCE(he.lifecycle, p.crm_sme_lifecycle->>%(cid)s),
                   COALESCE(fb.feedback, 0), COALESCE(fb.complaints, 0),
                   COALESCE(fb.breached, 0), COALESCE(fb.csat_sum, 0),
                   COALESCE(fb.csat_count, 0), COALESCE(fb.promoters, 0),
                   COALESCE(fb.detractors, 0), COALESCE(fb.nps_count, 0)
              FROM res_partner p
         LEFT JOIN rev ON rev.pid = p.id
         LEFT JOIN first_inv ON first_inv.pid = p.id
         LEFT JOIN h_start hs ON hs.pid = p.id
         LEFT JOIN h_end he ON he.pid = p.id
         LEFT JOIN fb ON fb.pid = p.id
             WHERE p.id IN (SELECT id FROM scope)
               AND (rev.pid IS NOT NULL OR first_inv.pid IS NOT NULL OR hs.pid IS NOT NULL
                    OR he.pid IS NOT NULL OR fb.pid IS NOT NULL)
          ORDER BY p.id
                """,
                scope=self._dynamic_scope_sql(company),
                company=company.id,
                cid=cid,
                date_from=date_from,
                date_to=date_to,
                next_day=next_day,
            )
        )
        keys = (
            "id name user_id region_id type_id source_id revenue invoices first_date "
            "start_tier start_life end_tier end_life feedback complaints breached "
            "csat_sum csat_count promoters detractors nps_count"
        ).split()
        return [dict(zip(keys, row, strict=True)) for row in self.env.cr.fetchall()]

    def _dynamic_interactions(self, company, date_from, date_to):
        self.env.cr.execute(
            SQL(
                """
            SELECT i.user_id,
                   COUNT(*) FILTER (WHERE i.interaction_type = 'visit' AND i.state = 'done'),
                   COUNT(*) FILTER (WHERE i.interaction_type = 'visit' AND i.state = 'planned'),
                   COALESCE(SUM(i.expense_amount) FILTER (WHERE i.state = 'done'), 0)
              FROM crm_sme_interaction i
             WHERE i.company_id = %(company)s
               AND i.date >= %(date_from)s AND i.date < %(next_day)s
               AND i.partner_id IN (%(scope)s)
          GROUP BY 1
                """,
                company=company.id,
                date_from=date_from,
                next_day=date_to + timedelta(days=1),
                scope=self._dynamic_scope_sql(company),
            )
        )
        return {row[0] or False: row[1:] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # SECTIONS
    # ------------------------------------------------------------------
    def _dynamic_labels(self):
        history = self.env["crm.sme.customer.value.history"]
        tiers = dict(history._fields["value_tier"]._description_selection(self.env))
        stages = dict(history._fields["lifecycle"]._description_selection(self.env))
        return tiers, stages

    def _dynamic_names(self, model, ids):
        """Display names of the labels (salespeople, regions...) used as row headers."""
        ids = [i for i in ids if i]
        # sudo: only the names of the grouping labels, read into a local dict
        records_sudo = self.env[model].sudo().with_context(active_test=False).browse(ids)
        return {rec.id: rec.display_name for rec in records_sudo}

    def _dynamic_sections(self, company, date_from, date_to):
        """Every section of the report: list of dicts (key, title, columns, rows, totals)."""
        facts = self._dynamic_facts(company, date_from, date_to)
        visits = self._dynamic_interactions(company, date_from, date_to)
        tiers, stages = self._dynamic_labels()
        none = _("(none)")
        total_revenue = sum(f["revenue"] for f in facts)

        def share(amount):
            return amount / total_revenue if total_revenue else 0.0

        def tier_label(key):
            return tiers.get(key, none)

        users = self._dynamic_names("res.users", {f["user_id"] for f in facts} | set(visits))
        for fact in facts:
            fact["is_new"] = bool(fact["first_date"] and fact["first_date"] >= date_from)
            fact["is_lost"] = fact["end_life"] == "lost" and fact["start_life"] != "lost"
            fact["is_at_risk"] = fact["end_life"] in ("at_risk", "dormant")
            fact["is_reactivated"] = fact["start_life"] in ("dormant", "lost") and (
                fact["revenue"] > 0 or fact["end_life"] in ("new", "active")
            )
        sections = [self._dynamic_summary(facts, total_revenue)]
        customer_cols = [
            (_("Customer"), "text"),
            (_("Salesperson"), "text"),
            (_("Value Tier"), "text"),
            (_("Lifecycle"), "text"),
            (_("Revenue"), "money"),
        ]
        for key, flag, title in (
            ("new", "is_new", _("New Customers")),
            ("lost", "is_lost", _("Lost Customers")),
            ("at_risk", "is_at_risk", _("At-Risk Customers")),
            ("reactivated", "is_reactivated", _("Reactivated Customers")),
        ):
            rows = [
                (
                    f["name"],
                    users.get(f["user_id"], none),
                    tier_label(f["end_tier"]),
                    stages.get(f["end_life"], none),
                    f["revenue"],
                )
                for f in sorted(facts, key=lambda f: (-f["revenue"], f["name"] or ""))
                if f[flag]
            ]
            sections.append(
                {
                    "key": key,
                    "title": title,
                    "columns": customer_cols,
                    "rows": rows,
                    "totals": (
                        _("Total: %(count)s", count=len(rows)),
                        None,
                        None,
                        None,
                        sum(r[4] for r in rows),
                    ),
                }
            )
        sections.append(self._dynamic_tier_moves(facts, tier_label))
        sections.append(
            self._dynamic_revenue_by(
                facts,
                "end_tier",
                _("Revenue by Value Tier"),
                "revenue_tier",
                _("Value Tier"),
                tier_label,
                share,
            )
        )
        for field, model, key, title, label in (
            ("region_id", "crm.sme.region", "revenue_region", _("Revenue by Region"), _("Region")),
            (
                "type_id",
                "crm.sme.customer.type",
                "revenue_type",
                _("Revenue by Customer Type"),
                _("Customer Type"),
            ),
            ("source_id", "utm.source", "revenue_source", _("Revenue by Source"), _("Source")),
        ):
            names = self._dynamic_names(model, {f[field] for f in facts})
            sections.append(
                self._dynamic_revenue_by(
                    facts,
                    field,
                    title,
                    key,
                    label,
                    lambda k, names=names: names.get(k, none),
                    share,
                )
            )
        top = sorted(
            (f for f in facts if f["revenue"]), key=lambda f: (-f["revenue"], f["name"] or "")
        )
        sections.append(
            {
                "key": "top",
                "title": _("Top Customers"),
                "columns": [
                    (_("Customer"), "text"),
                    (_("Salesperson"), "text"),
                    (_("Value Tier"), "text"),
                    (_("Invoices"), "int"),
                    (_("Revenue"), "money"),
                    (_("Share"), "percent"),
                ],
                "rows": [
                    (
                        f["name"],
                        users.get(f["user_id"], none),
                        tier_label(f["end_tier"]),
                        f["invoices"],
                        f["revenue"],
                        share(f["revenue"]),
                    )
                    for f in top[:TOP_CUSTOMERS]
                ],
                "totals": None,
            }
        )
        sections.append(self._dynamic_satisfaction(facts, tier_label))
        sections.append(self._dynamic_salespeople(facts, visits, users, none, share))
        return sections

    def _dynamic_summary(self, facts, total_revenue):
        def count(flag):
            return sum(1 for f in facts if f[flag])

        rows = [
            (_("Customers with revenue in the period"), sum(1 for f in facts if f["revenue"])),
            (_("New customers"), count("is_new")),
            (_("Lost customers"), count("is_lost")),
            (_("At-risk customers"), count("is_at_risk")),
            (_("Reactivated customers"), count("is_reactivated")),
            (
                _("Customers changing value tier"),
                sum(
                    1
                    for f in facts
                    if f["start_tier"] and f["end_tier"] and f["start_tier"] != f["end_tier"]
                ),
            ),
            (_("Feedback received"), sum(f["feedback"] for f in facts)),
            (_("Complaints"), sum(f["complaints"] for f in facts)),
            (_("Revenue"), total_revenue),
        ]
        return {
            "key": "summary",
            "title": _("Summary"),
            "columns": [(_("Figure"), "text"), (_("Value"), "float")],
            "rows": rows,
            "totals": None,
        }

    def _dynamic_tier_moves(self, facts, tier_label):
        moves = defaultdict(lambda: [0, 0.0])
        for f in facts:
            if f["start_tier"] and f["end_tier"]:
                move = moves[(f["start_tier"], f["end_tier"])]
                move[0] += 1
                move[1] += f["revenue"]
        order = [
            key
            for key, _label in self.env["crm.sme.customer.value.history"]
            ._fields["value_tier"]
            .selection
        ]
        rows = [
            (tier_label(start), tier_label(end), count, revenue)
            for (start, end), (count, revenue) in sorted(
                moves.items(),
                key=lambda kv: (
                    order.index(kv[0][0]) if kv[0][0] in order else 99,
                    order.index(kv[0][1]) if kv[0][1] in order else 99,
                ),
            )
        ]
        return {
            "key": "tier_moves",
            "title": _("Value Tier Moves"),
            "columns": [
                (_("From Tier"), "text"),
                (_("To Tier"), "text"),
                (_("Customers"), "int"),
                (_("Revenue"), "money"),
            ],
            "rows": rows,
            "totals": (_("Total"), None, sum(r[2] for r in rows), sum(r[3] for r in rows)),
        }

    def _dynamic_revenue_by(self, facts, field, title, key, label, name, share):
        groups = defaultdict(lambda: [0, 0.0])
        for f in facts:
            if f["revenue"]:
                group = groups[f[field] or False]
                group[0] += 1
                group[1] += f["revenue"]
        rows = sorted(
            ((name(k), count, revenue, share(revenue)) for k, (count, revenue) in groups.items()),
            key=lambda r: -r[2],
        )
        return {
            "key": key,
            "title": title,
            "columns": [
                (label, "text"),
                (_("Customers"), "int"),
                (_("Revenue"), "money"),
                (_("Share"), "percent"),
            ],
            "rows": rows,
            "totals": (
                _("Total"),
                sum(r[1] for r in rows),
                sum(r[2] for r in rows),
                sum(r[3] for r in rows),
            ),
        }

    @staticmethod
    def _dynamic_satisfaction_row(label, items):
        csat_count = sum(f["csat_count"] for f in items)
        nps_count = sum(f["nps_count"] for f in items)
        nps = (
            100.0
            * (sum(f["promoters"] for f in items) - sum(f["detractors"] for f in items))
            / nps_count
            if nps_count
            else None
        )
        return (
            label,
            sum(f["feedback"] for f in items),
            sum(f["complaints"] for f in items),
            sum(f["breached"] for f in items),
            sum(f["csat_sum"] for f in items) / csat_count if csat_count else None,
            nps,
        )

    def _dynamic_satisfaction(self, facts, tier_label):
        by_tier = defaultdict(list)
        for f in facts:
            if f["feedback"]:
                by_tier[f["end_tier"] or False].append(f)
        rows = [
            self._dynamic_satisfaction_row(tier_label(k), items) for k, items in by_tier.items()
        ]
        rows.sort(key=lambda r: -r[1])
        all_items = [f for items in by_tier.values() for f in items]
        return {
            "key": "satisfaction",
            "title": _("Complaints and Satisfaction by Tier"),
            "columns": [
                (_("Value Tier"), "text"),
                (_("Feedback"), "int"),
                (_("Complaints"), "int"),
                (_("Deadlines Breached"), "int"),
                (_("CSAT (1-5)"), "float"),
                (_("NPS"), "float"),
            ],
            "rows": rows,
            "totals": self._dynamic_satisfaction_row(_("Total"), all_items),
        }

    def _dynamic_salespeople(self, facts, visits, users, none, share):
        by_user = defaultdict(list)
        for f in facts:
            by_user[f["user_id"] or False].append(f)
        for user_id in visits:
            by_user.setdefault(user_id, [])
        rows = []
        for user_id, items in by_user.items():
            done, planned, expense = visits.get(user_id, (0, 0, 0.0))
            revenue = sum(f["revenue"] for f in items)
            satisfaction = self._dynamic_satisfaction_row("", items)
            rows.append(
                (
                    users.get(user_id, none),
                    sum(1 for f in items if f["revenue"]),
                    sum(1 for f in items if f["is_new"]),
                    sum(1 for f in items if f["is_lost"]),
                    sum(1 for f in items if f["is_at_risk"]),
                    revenue,
                    share(revenue),
                    done,
                    planned,
                    expense,
                    expense / revenue if revenue > 0 else None,
                    satisfaction[1],
                    satisfaction[4],
                    satisfaction[5],
                )
            )
        rows.sort(key=lambda r: -r[5])
        return {
            "key": "salespeople",
            "title": _("Salesperson Performance"),
            "columns": [
                (_("Salesperson"), "text"),
                (_("Active Customers"), "int"),
                (_("New"), "int"),
                (_("Lost"), "int"),
                (_("At Risk"), "int"),
                (_("Revenue"), "money"),
                (_("Share"), "percent"),
                (_("Visits Done"), "int"),
                (_("Visits Planned"), "int"),
                (_("Expense"), "money"),
                (_("Expense Ratio"), "percent"),
                (_("Feedback"), "int"),
                (_("CSAT (1-5)"), "float"),
                (_("NPS"), "float"),
            ],
            "rows": rows,
            "totals": None,
        }
