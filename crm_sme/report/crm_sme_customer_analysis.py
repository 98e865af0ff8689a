# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..models.crm_sme_value_selections import ABC_CLASSES, LIFECYCLE_STAGES, VALUE_TIERS
from .crm_sme_grouping_sets_mixin import BATCH_KEY

# Share measures computed by _read_group from another aggregate of the same
# rows: the share of each group in the rows selected by the domain (filters
# and record rules), i.e. what a pivot's "% of total" shows, on any group-by.
SHARE_MEASURES = {
    "customer_share:sum": "__count",
    "revenue_share:sum": "revenue_12m:sum",
}
# fields of the 80/20 ranking (windows over all the company's customers)
RANKING_FIELDS = ("revenue_rank", "customer_percentile", "customer_cum_share", "revenue_cum_share")
# fields of the record rules (own / team / company)
RULE_FIELDS = ("company_id", "user_id", "team_id")
# the customers: commercial company partners with a customer type or rank,
# except the companies' own partners
CUSTOMER_WHERE = SQL(
    """p.is_company AND p.parent_id IS NULL AND p.active
       AND (p.customer_type_id IS NOT NULL OR p.customer_rank > 0)
       AND NOT EXISTS (SELECT 1 FROM res_company own WHERE own.partner_id = p.id)"""
)
# the columns of res_partner the view reads (the partial indexes below cover them)
CUSTOMER_COLUMNS = (
    "id",
    "region_id",
    "customer_type_id",
    "source_id",
    "user_id",
    "team_id",
    "is_key_account",
    "crm_sme_value_tier",
    "crm_sme_abc_class",
    "crm_sme_lifecycle",
)


class CrmSmeCustomerAnalysis(models.Model):
    """One row per customer and company: the customer file's distribution
    (region, district, type, source), the value segmentation of that company
    (tier, ABC class, lifecycle) and the trailing-12-month net revenue.

    Customers are the commercial company partners that have a customer type or
    are customers in Odoo (``customer_rank``), excluding the companies' own
    partners; a partner shared between companies (no company) is a customer of
    each company.

    Revenue is the customer file's "Net Invoiced (12 months)" of
    ``crm.sme.customer.position``, i.e. ``crm.sme.money``'s definition
    (``_invoiced_sql``: posted invoices minus credit notes, untaxed, in company
    currency, dated after "today" minus 365 days in the company's time zone),
    kept up to date when invoices are posted and every night.

    Shares:

    * ``customer_share`` / ``revenue_share`` (%) are computed in
      :meth:`_read_group` from the count / revenue of the rows the domain
      selects: they sum to 100 over any group-by and follow the filters (and
      the rows the user may read);
    * ``customer_cum_share`` / ``revenue_cum_share`` are the 80/20 curve:
      customers ranked by revenue within their company (window totals per
      company, not affected by filters), cumulative % of customers and of
      revenue at each customer; ``customer_percentile`` (1-100) is the
      curve's x axis.
    """

    _name = "crm.sme.customer.analysis"
    _inherit = ["crm.sme.grouping.sets.mixin"]
    _description = "Customer Analysis"
    _auto = False
    _rec_name = "partner_id"
    # the ranking's order (revenue_rank) without computing the ranking; the
    # companies by id as the ranking's partitions (ordering by the company's
    # own order would sort the ranked rows again after joining the company)
    _order = "company_id.id, revenue_12m desc, id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    region_id = fields.Many2one(
        "crm.sme.region", string="Region", readonly=True, help="Top-level sales region."
    )
    district_id = fields.Many2one(
        "crm.sme.region", string="District", readonly=True, help="The customer's sales region."
    )
    customer_type_id = fields.Many2one(
        "crm.sme.customer.type", string="Customer Type", readonly=True
    )
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    is_key_account = fields.Boolean(string="Key Account", readonly=True)
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    lifecycle = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    date_acquired = fields.Date(
        string="Acquired On",
        readonly=True,
        help="Date of the customer's first posted invoice in the company.",
    )
    nbr = fields.Integer(string="# Customers", readonly=True)
    customer_share = fields.Float(
        string="Share of Customers (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the customers selected by the filters.",
    )
    revenue_12m = fields.Monetary(string="Revenue (12 Months)", readonly=True)
    revenue_share = fields.Float(
        string="Share of Revenue (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the revenue of the customers selected by the filters.",
    )
    revenue_rank = fields.Integer(string="Rank", readonly=True, aggregator=None, prefetch="ranking")
    customer_percentile = fields.Integer(
        string="Customers (cumulative %)",
        readonly=True,
        aggregator=None,
        help="Percentile of the customer in the company's revenue ranking (1 = top).",
        prefetch="ranking",
    )
    customer_cum_share = fields.Float(
        string="Cumulative Share of Customers (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="max",
        prefetch="ranking",
    )
    revenue_cum_share = fields.Float(
        string="Cumulative Share of Revenue (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="max",
        prefetch="ranking",
    )

    def init(self):
        # Partial covering indexes of the customers, one per branch of the
        # view (company's own / shared; CUSTOMER_COLUMNS, CUSTOMER_WHERE):
        # counts and groupings read these narrow indexes (index-only scans)
        # instead of the partner table.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS crm_sme_res_partner_own_customer_idx
                ON res_partner (company_id, id)
                INCLUDE (region_id, customer_type_id, source_id, user_id, team_id, is_key_account,
                         crm_sme_value_tier, crm_sme_abc_class, crm_sme_lifecycle)
             WHERE company_id IS NOT NULL AND is_company AND parent_id IS NULL AND active
               AND (customer_type_id IS NOT NULL OR customer_rank > 0);
            CREATE INDEX IF NOT EXISTS crm_sme_res_partner_shared_customer_idx
                ON res_partner (id)
                INCLUDE (region_id, customer_type_id, source_id, user_id, team_id, is_key_account,
                         crm_sme_value_tier, crm_sme_abc_class, crm_sme_lifecycle)
             WHERE company_id IS NULL AND is_company AND parent_id IS NULL AND active
               AND (customer_type_id IS NOT NULL OR customer_rank > 0)
            """
        )

    @api.model
    def _customers_sql(self, columns):
        """The customers (``columns`` of res_partner, and company_id) of each
        company: its own, then the shared ones (no company) in every company.
        Two branches instead of an OR join, so that the company filter (record
        rule) reaches each branch and each reads its partial index."""
        columns = SQL(", ").join(SQL.identifier("p", name) for name in columns)
        return SQL(
            """
            SELECT %(columns)s, p.company_id
              FROM res_partner p
             WHERE p.company_id IS NOT NULL AND %(customer)s
            UNION ALL
            SELECT %(columns)s, shared.id
              FROM res_partner p
             CROSS JOIN res_company shared
             WHERE p.company_id IS NULL AND %(customer)s
            """,
            columns=columns,
            customer=CUSTOMER_WHERE,
        )

    @property
    def _table_query(self):
        # The ranking (over all the company's customers, hence the customer
        # position of each) is computed only when a query uses it: the
        # searches, counts and groupings that use no ranking field ask for the
        # view without it (context key set by the overrides below), where
        # PostgreSQL also drops the unused LEFT JOINs (region, position): a
        # count by district reads the customers only. The first invoice date
        # is looked up (index) for the rows returned only.
        ranked = not self.env.context.get("crm_sme_analysis_unranked")
        if ranked and self.env.context.get("crm_sme_analysis_first_rows"):
            # a page of rows (search with a limit): the company's totals
            # (customers, revenue) are aggregated apart and joined, so that
            # the ranking window streams its first rows in the page's order
            # (a window over the whole company would first buffer every row)
            ranking = SQL(
                """
                       ROW_NUMBER() OVER ranking AS revenue_rank,
                       100.0 * ROW_NUMBER() OVER ranking / tot.customers AS customer_cum_share,
                       CEIL(100.0 * ROW_NUMBER() OVER ranking / tot.customers)::int
                           AS customer_percentile,
                       CASE WHEN tot.revenue > 0
                            THEN 100.0 * SUM(COALESCE(pos.invoiced_12m, 0)) OVER ranking
                                 / tot.revenue
                            ELSE 0 END AS revenue_cum_share
                """
            )
            totals = SQL(
                """
                 CROSS JOIN LATERAL (
                    SELECT COUNT(*) AS customers, SUM(COALESCE(tpos.invoiced_12m, 0)) AS revenue
                      FROM (%(customers)s) t
                      LEFT JOIN crm_sme_customer_position tpos
                        ON tpos.partner_id = t.id AND tpos.company_id = t.company_id
                     WHERE t.company_id = c.id
                 ) tot
                """,
                customers=self._customers_sql(["id"]),
            )
            windows = SQL(
                """
                WINDOW ranking AS (PARTITION BY c.id
                                   ORDER BY COALESCE(pos.invoiced_12m, 0) DESC, p.id
                                   ROWS UNBOUNDED PRECEDING)
                """
            )
        elif ranked:
            # every row (groupings, the curve): the totals are windows over
            # the company, in the same pass (cheaper than a second scan here)
            ranking = SQL(
                """
                       ROW_NUMBER() OVER ranking AS revenue_rank,
                       100.0 * ROW_NUMBER() OVER ranking / COUNT(*) OVER company
                           AS customer_cum_share,
                       CEIL(100.0 * ROW_NUMBER() OVER ranking / COUNT(*) OVER company)::int
                           AS customer_percentile,
                       CASE WHEN SUM(COALESCE(pos.invoiced_12m, 0)) OVER company > 0
                            THEN 100.0 * SUM(COALESCE(pos.invoiced_12m, 0)) OVER ranking
                                 / SUM(COALESCE(pos.invoiced_12m, 0)) OVER company
                            ELSE 0 END AS revenue_cum_share
                """
            )
            totals = SQL()
            windows = SQL(
                """
                WINDOW company AS (PARTITION BY c.id),
                       ranking AS (PARTITION BY c.id
                                   ORDER BY COALESCE(pos.invoiced_12m, 0) DESC, p.id
                                   ROWS UNBOUNDED PRECEDING)
                """
            )
        else:
            ranking = SQL(
                """
                       NULL::int AS revenue_rank, NULL::numeric AS customer_cum_share,
                       NULL::int AS customer_percentile, NULL::numeric AS revenue_cum_share
                """
            )
            totals = windows = SQL()
        return SQL(
            """
            SELECT ranked.*,
                   (SELECT MIN(m.invoice_date) FROM account_move m
                     WHERE m.commercial_partner_id = ranked.partner_id
                       AND m.company_id = ranked.company_id
                       AND m.state = 'posted' AND m.move_type = 'out_invoice') AS date_acquired
              FROM (
                SELECT (p.id::bigint << 16) | c.id AS id,
                       p.id AS partner_id, c.id AS company_id, c.currency_id,
                       COALESCE(split_part(r.parent_path, '/', 1)::int, p.region_id) AS region_id,
                       p.region_id AS district_id, p.customer_type_id, p.source_id,
                       p.user_id, p.team_id, COALESCE(p.is_key_account, FALSE) AS is_key_account,
                       p.crm_sme_value_tier ->> c.id::text AS value_tier,
                       p.crm_sme_abc_class ->> c.id::text AS abc_class,
                       p.crm_sme_lifecycle ->> c.id::text AS lifecycle,
                       COALESCE(pos.invoiced_12m, 0) AS revenue_12m,
                       1 AS nbr, 0.0 AS customer_share, 0.0 AS revenue_share,
                       %(ranking)s
                  FROM (%(customers)s) p
                  JOIN res_company c ON c.id = p.company_id
                  LEFT JOIN crm_sme_region r ON r.id = p.region_id
                  LEFT JOIN crm_sme_customer_position pos
                    ON pos.partner_id = p.id AND pos.company_id = c.id
                  %(totals)s
                %(windows)s
              ) ranked
            """,
            ranking=ranking,
            customers=self._customers_sql(CUSTOMER_COLUMNS),
            totals=totals,
            windows=windows,
        )

    @api.model
    def _unranked(self, *specs):
        """This model without the ranking when none of ``specs`` (field
        names, aggregate specs, orders, domains) mentions a ranking field
        (conservative: any mention keeps the ranking)."""
        text = repr(specs)
        if self.env.context.get("crm_sme_analysis_unranked") or any(
            name in text for name in RANKING_FIELDS
        ):
            return self
        return self.with_context(crm_sme_analysis_unranked=True)

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # the record rules' fields are read with the page: the access check
        # that follows the search reads them otherwise, with another
        # evaluation of the whole view
        field_names = list(field_names)
        field_names += [name for name in RULE_FIELDS if name not in field_names]
        model = self._unranked(domain, field_names, order)
        if model is self and limit:
            model = self.with_context(crm_sme_analysis_first_rows=True)
        records = super(CrmSmeCustomerAnalysis, model).search_fetch(
            domain, field_names, offset, limit, order
        )
        return records.with_env(self.env)

    @api.model
    def search_count(self, domain, limit=None):
        model = self._unranked(domain)
        return super(CrmSmeCustomerAnalysis, model).search_count(domain, limit)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        model = self._unranked(domain, groupby, aggregates, having, order)
        if model is not self:
            rows = model._read_group(domain, groupby, aggregates, having, offset, limit, order)
            # the groups' records (many2one values) in the caller's context
            return [
                tuple(
                    value.with_env(self.env) if isinstance(value, models.BaseModel) else value
                    for value in row
                )
                for row in rows
            ]
        shares = [spec for spec in aggregates if spec in SHARE_MEASURES]
        if not shares:
            return self._read_group_by_id(domain, groupby, aggregates, having, offset, limit, order)
        # the shares come from the count / revenue of each group divided by
        # the total of all the rows the domain selects
        sources = [SHARE_MEASURES.get(spec, spec) for spec in aggregates]
        rows = self._read_group_by_id(domain, groupby, sources, having, offset, limit, order)
        width = len(groupby)
        wholes = sorted({SHARE_MEASURES[spec] for spec in shares})
        if having or offset or limit:
            total = dict(zip(wholes, super()._read_group(domain, (), wholes)[0], strict=True))
        else:
            # every row is in exactly one group (no many2many group-by on this
            # model): the total is the sum of the groups, no second query
            total = {
                whole: sum(row[width + sources.index(whole)] or 0 for row in rows)
                for whole in wholes
            }
        result = []
        for row in rows:
            values = list(row)
            for index, spec in enumerate(aggregates):
                if spec in SHARE_MEASURES:
                    whole = total[SHARE_MEASURES[spec]] or 0
                    part = values[width + index] or 0
                    values[width + index] = 100.0 * part / whole if whole else 0.0
            result.append(tuple(values))
        return result

    @api.model
    def _read_group_by_id(self, domain, groupby, aggregates, having, offset, limit, order):
        """``_read_group`` where groups of many2one values in their default
        order (what read_group asks for) are ordered here, by the values'
        model order, instead of in the query: the query then groups by the
        ids alone, without joining the values' table to every row."""
        fields = [self._fields.get(spec) for spec in groupby]
        if (
            not groupby
            or self.env.context.get(BATCH_KEY)  # the batch orders its groups itself
            or offset
            or limit
            or order not in (None, ",".join(groupby))
            or any(not field or field.type != "many2one" for field in fields)
        ):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        rows = super()._read_group(domain, groupby, aggregates, having)  # ordered by ids
        ranks = []
        for index, field in enumerate(fields):
            ids = list({row[index].id for row in rows if row[index]})
            # the ids in the values' order, as the query's join would order
            # them (whatever the user may read of them); ids only, no values
            # read into the cache
            comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
            ordered = comodel.search([("id", "in", ids)]) if ids else comodel
            ranks.append(dict(zip(ordered.ids, range(len(ordered)), strict=True)))
        return sorted(
            rows,
            key=lambda row: tuple(
                (0, ranks[index][row[index].id]) if row[index] else (1, 0)
                for index in range(len(fields))
            ),
        )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_open_customer(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sme.action_crm_sme_customer")
        action.update(
            {"res_id": self.partner_id.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action
