# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
import uuid

from odoo import api, models
from odoo.exceptions import UserError
from odoo.models import (
    READ_GROUP_AGGREGATE,
    READ_GROUP_ALL_TIME_GRANULARITY,
    parse_read_group_spec,
    regex_field_agg,
)
from odoo.osv import expression
from odoo.tools import SQL

# context key: (token, groupings) of the batch being read
BATCH_KEY = "crm_sme_grouping_sets"
# at most this many groupings in one call (a pivot of 3 x 3 group-bys sends 16)
MAX_GROUPINGS = 64
# at most this many group-bys in one grouping, and characters in a spec
MAX_GROUPBYS = 8
MAX_SPEC = 200


class CrmSmeGroupingSetsMixin(models.AbstractModel):
    """Reports whose pivot reads all its groupings in one request.

    A pivot asks ``read_group`` once per prefix of its row group-bys x
    prefix of its column group-bys (the total, the row and column headers,
    the cells): four requests for a matrix, each reading the same rows.
    ``crm_sme_read_groups`` answers all of them from one query
    (``GROUP BY GROUPING SETS``): the same results as ``read_group`` for
    each grouping (same groups, order, values, domains), the record rules
    applied once. The pivot model of crm_sme's reports (``crm_sme_pivot``
    js_class) sends it.

    The batch is served below ``read_group``: each grouping's
    ``read_group`` runs as usual (formatting, the models' own
    ``_read_group`` overrides such as the shares), and ``_read_group``
    returns its rows from the batch's query. Groupings the query cannot
    serve (many2many or property group-bys, an explicit order, having,
    offset, limit) are read as usual.
    """

    _name = "crm.sme.grouping.sets.mixin"
    _description = "Report Read in One Query for All Its Groupings"

    @api.model
    @api.readonly
    def crm_sme_read_groups(self, domain, fields, groupbys, orderby=False, lazy=False):
        """``[read_group(domain, fields, groupby, orderby=orderby,
        lazy=False) for groupby in groupbys]``, from one query.

        :param list groupbys: list of lists of group-by specs (as
            ``read_group``'s ``groupby``), at most 64
        :param lazy: accepted for the pivot's keyword arguments; groupings
            are always read in full (``lazy=False``)
        """
        groupings = self._crm_sme_check_groupings(domain, fields, groupbys, orderby)
        if orderby or not self._crm_sme_batchable(groupings):
            return [
                self.read_group(domain, fields, list(gb), orderby=orderby, lazy=False)
                for gb in groupings
            ]
        annotated = tuple(
            dict.fromkeys(
                tuple(self._read_group_get_annotated_groupby(list(gb), lazy=False).values())
                for gb in groupings
            )
        )
        token = uuid.uuid4().hex
        stores = self.env.cr.cache.setdefault(BATCH_KEY, {})
        stores[token] = {}
        model = self.with_context(**{BATCH_KEY: (token, annotated)})
        try:
            results = [
                model.read_group(domain, fields, list(gb), orderby=False, lazy=False)
                for gb in groupings
            ]
        finally:
            stores.pop(token, None)
        return results

    @api.model
    def _crm_sme_check_groupings(self, domain, fields, groupbys, orderby):
        """The groupings as a list of tuples; a clear error for anything a
        client should not send."""

        def bad(what):
            raise UserError(self.env._("Invalid grouping request: %(what)s.", what=what))

        if not isinstance(domain, list | tuple):
            bad(self.env._("the domain must be a list"))
        if not isinstance(fields, list | tuple) or not all(
            isinstance(spec, str) and len(spec) <= MAX_SPEC and "\x00" not in spec
            for spec in fields
        ):
            bad(self.env._("the measures must be a list of field names"))
        for spec in fields:
            match = regex_field_agg.fullmatch(spec)
            name, func, fname = match.groups() if match else (None, None, None)
            if (
                not match
                or (name != "__count" and not fname and name not in self._fields)
                or (fname and fname not in self._fields)
                or (func and func not in READ_GROUP_AGGREGATE)
            ):
                bad(self.env._("no measure %(spec)r on this report", spec=spec))
        if orderby not in (False, None) and not (
            isinstance(orderby, str) and len(orderby) <= MAX_SPEC and "\x00" not in orderby
        ):
            bad(self.env._("the order must be a text"))
        if not isinstance(groupbys, list | tuple) or not 0 < len(groupbys) <= MAX_GROUPINGS:
            bad(self.env._("from 1 to %(max)s groupings are expected", max=MAX_GROUPINGS))
        groupings = []
        for groupby in groupbys:
            if (
                not isinstance(groupby, list | tuple)
                or len(groupby) > MAX_GROUPBYS
                or not all(
                    isinstance(spec, str) and len(spec) <= MAX_SPEC and "\x00" not in spec
                    for spec in groupby
                )
            ):
                bad(
                    self.env._(
                        "each grouping must be a list of at most %(max)s fields", max=MAX_GROUPBYS
                    )
                )
            for spec in groupby:
                if not self._crm_sme_valid_groupby(spec):
                    bad(self.env._("no field %(spec)r on this report", spec=spec))
            groupings.append(tuple(groupby))
        return groupings

    @api.model
    def _crm_sme_valid_groupby(self, spec):
        """Whether ``spec`` is a field of this model, with a granularity
        only on a date or datetime."""
        try:
            fname, property_name, granularity = parse_read_group_spec(spec)
        except ValueError:
            return False
        field = self._fields.get(fname)
        if not field:
            return False
        if property_name:
            return field.type == "properties"
        if granularity:
            return (
                field.type in ("date", "datetime")
                and granularity in READ_GROUP_ALL_TIME_GRANULARITY
            )
        return True

    @api.model
    def _crm_sme_batchable(self, groupings):
        """Whether one grouping-sets query can serve all the groupings: plain
        stored group-bys (no many2many, which multiplies the rows of every
        set, nor properties), none twice in a grouping. Each set's rows are
        ordered apart, by the ranks of its group-bys in its own order."""
        specs = list(dict.fromkeys(spec for gb in groupings for spec in gb))
        if len(specs) > 31:  # PostgreSQL's GROUPING() takes at most 31
            return False
        for spec in specs:
            fname, property_name, __ = parse_read_group_spec(spec)
            field = self._fields[fname]
            if property_name or field.type in ("many2many", "one2many", "properties"):
                return False
            if not (field.store and field.column_type):
                return False
        return all(len(set(gb)) == len(gb) for gb in groupings)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        # (a tuple: set by crm_sme_read_groups, never by a client's JSON context)
        batch = self.env.context.get(BATCH_KEY)
        groupby, aggregates = tuple(groupby), tuple(aggregates)
        if isinstance(batch, tuple) and len(batch) == 2 and not (having or offset or limit):
            token, groupings = batch
            store = self.env.cr.cache.get(BATCH_KEY, {}).get(token)
            # read_group's order: the group-bys, many2one values in their
            # model's order ('' without group-by); None: _read_group's, by id
            traverse = order is not None
            if (
                store is not None
                and groupby in groupings
                and order in (None, "", ",".join(groupby))
            ):
                key = (self._name, traverse, aggregates, repr(domain))
                if key not in store:
                    store[key] = self._crm_sme_read_grouping_sets(
                        domain, groupings, aggregates, traverse
                    )
                return store[key][groupby]
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.model
    def _crm_sme_read_grouping_sets(self, domain, groupings, aggregates, traverse):
        """``{groupby: _read_group(domain, groupby, aggregates, order=...)}``
        for each of ``groupings``, from one query. ``traverse``: groups of
        many2one values in their model's order (``read_group``'s default
        order), else by id (``_read_group``'s)."""
        self.browse().check_access("read")
        if expression.is_false(self, domain):
            return {
                groupby: []
                if groupby
                else [tuple(self._read_group_empty_value(spec) for spec in aggregates)]
                for groupby in groupings
            }
        query = self._search(domain)
        specs = list(dict.fromkeys(spec for groupby in groupings for spec in groupby))
        width = len(specs)
        terms = [self._read_group_groupby(spec, query) for spec in specs]
        selects = [self._read_group_select(spec, query) for spec in aggregates]
        columns = list(terms)
        if specs:
            # which group-bys each row's set leaves out (GROUPING: bit set =
            # left out, first argument = highest bit), and each group-by's
            # rank in its set in SQL order (ASC, NULLS LAST as read_group)
            mask = SQL("GROUPING(%s)", SQL(", ").join(terms))
            columns = [
                mask,
                *terms,
                *(
                    SQL("DENSE_RANK() OVER (PARTITION BY %s ORDER BY %s)", mask, term)
                    for term in terms
                ),
            ]
            # one set per distinct set of group-bys (a set listed twice
            # returns its rows twice): groupings of the same group-bys in
            # another order share its rows, ordered apart below
            distinct = dict.fromkeys(frozenset(groupby) for groupby in groupings)
            sets = SQL(", ").join(
                SQL(
                    "(%s)",
                    SQL(", ").join(
                        terms[index] for index, spec in enumerate(specs) if spec in group
                    ),
                )
                for group in distinct
            )
        parts = [
            SQL("SELECT %s", SQL(", ").join(columns + selects)),
            SQL("FROM %s", query.from_clause),
        ]
        if query.where_clause:
            parts.append(SQL("WHERE %s", query.where_clause))
        if specs:
            parts.append(SQL("GROUP BY GROUPING SETS (%s)", sets))
        rows = self.env.execute_query(SQL("\n").join(parts))
        if not specs:
            return {(): self._crm_sme_postprocess((), aggregates, [], rows, 0)}

        by_mask = defaultdict(list)
        for row in rows:
            by_mask[row[0]].append(row)
        ranks = self._crm_sme_many2one_ranks(specs, rows, traverse)
        result = {}
        for groupby in groupings:
            indexes = [specs.index(spec) for spec in groupby]
            mask_value = sum(
                1 << (width - 1 - index) for index in range(width) if index not in indexes
            )
            set_rows = list(by_mask.get(mask_value, ()))

            def sort_key(row, indexes=indexes):
                return tuple(
                    ranks[index].get(row[1 + index], (1, 0))
                    if index in ranks
                    else row[1 + width + index]
                    for index in indexes
                )

            set_rows.sort(key=sort_key)
            result[groupby] = self._crm_sme_postprocess(
                groupby, aggregates, indexes, set_rows, 1 + 2 * width
            )
        return result

    @api.model
    def _crm_sme_postprocess(self, groupby, aggregates, indexes, rows, first_aggregate):
        """The rows of one grouping as ``_read_group`` returns them."""
        if not rows:
            return []
        columns = [
            self._read_group_postprocess_groupby(spec, [row[1 + index] for row in rows])
            for spec, index in zip(groupby, indexes, strict=True)
        ]
        columns += [
            self._read_group_postprocess_aggregate(
                spec, [row[first_aggregate + position] for row in rows]
            )
            for position, spec in enumerate(aggregates)
        ]
        return list(zip(*columns, strict=True))

    @api.model
    def _crm_sme_many2one_ranks(self, specs, rows, traverse):
        """``{index of spec: {id: (0, rank)}}`` for the many2one group-bys
        ordered by their model's order (``read_group``'s default order joins
        that model; here its ids are ordered by one search), empty values
        last."""
        ranks = {}
        if not traverse:
            return ranks
        for index, spec in enumerate(specs):
            field = self._fields[parse_read_group_spec(spec)[0]]
            if field.type != "many2one" or self.env[field.comodel_name]._order == "id":
                continue
            ids = list({row[1 + index] for row in rows if row[1 + index]})
            comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
            ordered = comodel.search([("id", "in", ids)]).ids if ids else []
            ranks[index] = {id_: (0, rank) for rank, id_ in enumerate(ordered)}
        return ranks
