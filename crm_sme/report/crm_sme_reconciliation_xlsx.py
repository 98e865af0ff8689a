# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.xlsx import Column, Sheet, workbook_bytes

# (field, kind) of the exported columns, in order; labels are the fields' strings.
XLSX_COLUMNS = [
    ("date", "date"),
    ("kind", "text"),
    ("partner_id", "text"),
    ("value_tier", "text"),
    ("user_id", "text"),
    ("team_id", "text"),
    ("lead_ref", "text"),
    ("order_ref", "text"),
    ("product_id", "text"),
    ("picking_refs", "text"),
    ("invoice_refs", "text"),
    ("payment_refs", "text"),
    ("qty_ordered", "float"),
    ("qty_delivered", "float"),
    ("qty_invoiced", "float"),
    ("amount_ordered", "money"),
    ("amount_delivered", "money"),
    ("amount_invoiced", "money"),
    ("amount_paid", "money"),
    ("amount_residual", "money"),
    ("amount_overdue", "money"),
    ("overdue_days", "int"),
    ("amount_at_risk", "money"),
    ("flags", "text"),
    ("assigned_user_id", "text"),
    ("is_explained", "text"),
    ("note", "text"),
]
SUM_KINDS = ("float", "money")
FLAG_FIELDS = (
    "is_delivered_not_invoiced",
    "is_invoiced_not_delivered",
    "is_over_invoiced",
    "is_overdue_unpaid",
    "is_won_without_order",
    "is_order_without_opportunity",
    "is_cancelled_with_invoice",
)
GROUPABLE = ("partner_id", "order_ref", "lead_ref", "user_id", "team_id", "value_tier", "date")
FETCH_SIZE = 2000
# selected rows passed by id in the download URL up to this number
MAX_SELECTED_IDS = 1000


class CrmSmeReconciliationXlsxMixin(models.AbstractModel):
    """xlsx export of the sales reconciliation: the rows the user reads for
    the list's domain, in the list's order or grouped (a subtotal row per
    group), formatted numbers and dates, a totals row. Rows are streamed from
    a server-side cursor into the constant-memory writer."""

    _name = "crm.sme.reconciliation.xlsx.mixin"
    _description = "Sales Reconciliation xlsx Export"

    # ------------------------------------------------------------------
    # ACTION (list header button)
    # ------------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the rows of the current search (or the selected rows)."""
        ctx = self.env.context
        domain = ctx.get("active_domain") or []
        # rows picked one by one; "select all" gives the search's domain itself
        if self.ids and len(self.ids) <= MAX_SELECTED_IDS:
            domain = [("id", "in", self.ids)]
        groupby = ctx.get("crm_sme_groupby") or ctx.get("group_by") or []
        if isinstance(groupby, str):
            groupby = [groupby]
        self._crm_sme_export_domain(domain, groupby=groupby)  # check before the download
        query = {"domain": json.dumps(domain), "groupby": ",".join(groupby)}
        return {
            "type": "ir.actions.act_url",
            "url": "/crm_sme/reconciliation/xlsx?" + urlencode(query),
            "target": "download",
        }

    # ------------------------------------------------------------------
    # INPUT
    # ------------------------------------------------------------------
    @api.model
    def _crm_sme_export_domain(
        self, domain, date_from=None, date_to=None, partner_id=None, groupby=()
    ):
        """The domain of an export, checked: a clear UserError on bad input."""
        try:
            domain = list(domain or [])
            date_from = fields.Date.to_date(date_from) if date_from else None
            date_to = fields.Date.to_date(date_to) if date_to else None
        except (TypeError, ValueError) as error:
            raise UserError(_("Invalid period or filter: %(error)s", error=error)) from error
        if date_from and date_to and date_to < date_from:
            raise UserError(
                _(
                    "The period ends (%(end)s) before it starts (%(start)s).",
                    end=date_to,
                    start=date_from,
                )
            )
        unknown = [name.split(":")[0] for name in groupby if name.split(":")[0] not in GROUPABLE]
        if unknown:
            raise UserError(
                _("The reconciliation cannot be grouped by %(fields)s.", fields=", ".join(unknown))
            )
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        if partner_id:
            partner = self.env["res.partner"].browse(int(partner_id)).exists()
            allowed = self.env.companies.ids
            if (
                not partner
                or (partner.sudo().company_id and partner.sudo().company_id.id not in allowed)
                or not partner.has_access("read")
            ):
                raise UserError(
                    _("The customer does not exist or belongs to a company you do not work in.")
                )
            domain.append(("partner_id", "=", partner.commercial_partner_id.id))
        try:
            self._search(domain)
        except (ValueError, KeyError) as error:
            raise UserError(_("Invalid filter: %(error)s", error=error)) from error
        return domain

    # ------------------------------------------------------------------
    # EXPORT
    # ------------------------------------------------------------------
    @api.model
    def _crm_sme_xlsx(self, domain, groupby=()):
        """xlsx bytes of the rows the user reads for ``domain``."""
        groupby = [name.split(":")[0] for name in groupby]
        order = ", ".join([*(f"{name}" for name in groupby), self._order])
        self.env.flush_all()
        query = self._search(domain, order=order)
        names = [name for name, _kind in XLSX_COLUMNS if name != "flags"] + list(FLAG_FIELDS)
        alias = self._table
        select = SQL(", ").join(SQL.identifier(alias, name) for name in names)
        columns = [
            Column(
                _("Exceptions") if name == "flags" else self._fields[name].string,
                kind,
                width=12 if kind in SUM_KINDS or kind == "date" else 0,
            )
            for name, kind in XLSX_COLUMNS
        ]
        header = [
            _("Sales Reconciliation"),
            _(
                "%(company)s - printed %(date)s",
                company=self.env.company.name,
                date=fields.Date.context_today(self),
            ),
        ]
        if groupby:
            header.append(
                _(
                    "Grouped by %(fields)s",
                    fields=", ".join(self._fields[name].string for name in groupby),
                )
            )
        totals = {name: 0.0 for name, kind in XLSX_COLUMNS if kind in SUM_KINDS}

        def rows():
            sql = query.select(select)
            # a server-side cursor on the same transaction keeps memory flat
            cursor = self.env.cr._cnx.cursor("crm_sme_reconciliation_xlsx")
            cursor.itersize = FETCH_SIZE
            try:
                cursor.execute(sql.code, sql.params)
                names_ = self._crm_sme_names()
                group_key, group_sums = None, None
                for record in cursor:
                    values = dict(zip(names, record, strict=True))
                    key = tuple(values[name] for name in groupby)
                    if groupby and key != group_key:
                        if group_sums is not None:
                            yield self._crm_sme_subtotal(group_key, groupby, group_sums, names_)
                        group_key, group_sums = key, dict.fromkeys(totals, 0.0)
                    for name in totals:
                        totals[name] += values[name] or 0.0
                        if group_sums is not None:
                            group_sums[name] += values[name] or 0.0
                    yield self._crm_sme_xlsx_row(values, names_)
                if group_sums is not None:
                    yield self._crm_sme_subtotal(group_key, groupby, group_sums, names_)
            finally:
                cursor.close()

        sheet = Sheet(_("Reconciliation"), columns, rows(), None, header)
        # the totals row is known once the rows are written: filled lazily
        sheet.totals = _LazyTotals(totals, _("Total"))
        return workbook_bytes([sheet])

    def _crm_sme_names(self):
        """Display names of the many2one columns and selection labels, read
        once per export (as the user) and memoised per id."""
        cache = {}
        selections = {
            name: dict(self._fields[name]._description_selection(self.env))
            for name in ("kind", "value_tier")
        }

        def name_of(field, value):
            if not value:
                return None
            if field in selections:
                return selections[field].get(value, value)
            key = (field, value)
            if key not in cache:
                comodel = self._fields[field].comodel_name
                cache[key] = self.env[comodel].browse(value).display_name
            return cache[key]

        return name_of

    def _crm_sme_xlsx_row(self, values, name_of):
        flags = ", ".join(self._fields[name].string for name in FLAG_FIELDS if values[name])
        row = []
        for name, _kind in XLSX_COLUMNS:
            if name == "flags":
                row.append(flags or None)
            elif name == "is_explained":
                row.append(_("Yes") if values[name] else None)
            elif name in ("kind", "value_tier") or self._fields[name].type == "many2one":
                row.append(name_of(name, values[name]))
            else:
                row.append(values[name])
        return row

    def _crm_sme_subtotal(self, key, groupby, sums, name_of):
        label = " / ".join(
            str(
                name_of(name, value)
                if name in ("partner_id", "user_id", "team_id", "value_tier")
                else value or ""
            )
            for name, value in zip(groupby, key, strict=True)
        )
        row = []
        for index, (name, _kind) in enumerate(XLSX_COLUMNS):
            if index == 0:
                row.append(_("Subtotal %(group)s", group=label))
            else:
                row.append(sums.get(name))
        return row


class _LazyTotals(tuple):
    """The totals row, read by the writer after the rows: ``Total`` then the
    sums of the numeric columns, None elsewhere."""

    def __new__(cls, totals, label):
        obj = super().__new__(cls)
        obj._totals = totals
        obj._label = label
        return obj

    def __iter__(self):
        first = True
        for name, _kind in XLSX_COLUMNS:
            if first:
                yield self._label
                first = False
            else:
                yield self._totals.get(name)

    def __len__(self):
        return len(XLSX_COLUMNS)
