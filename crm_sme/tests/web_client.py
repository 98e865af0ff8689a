# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read records the way the web client reads them.

The web client does not call ``read()`` with a hand-picked list: it parses the
view arch returned by ``get_views()`` and turns the fields it shows into a
``web_read`` / ``web_search_read`` specification (``getFieldsSpec`` in
``web/static/src/model/relational_model/utils.js``, after
``extractFieldsFromArchInfo`` and the widgets' ``relatedFields`` /
``fieldDependencies``). This module rebuilds that specification in Python so
that tests and benchmarks (``bench/``) measure the real cost of a screen.

Usage::

    env = web_client_env(env)                               # context of a web request
    spec = form_spec(env["res.partner"])                    # default form view
    partner.web_read(spec)                                  # what opening the form costs
    spec = list_spec(env["res.partner"], "crm_sme.view_partner_customer_list")
    env["res.partner"].web_search_read([], spec, limit=80)  # what the list costs
    odoo_only = spec_without_module(env["res.partner"], spec, "crm_sme")
"""

import ast

from lxml import etree

# Widgets whose component declares ``relatedFields`` (x2many read through the
# widget, not a sub-view): every "many2many_tags*" / "many2many_avatar*" one
# reuses many2many_tags' definition.
RELATED_FIELDS_EXTRA = {
    "many2many_tags_email": ["email"],
    "many2many_binary": ["name", "mimetype"],
}
# Widgets whose component declares ``fieldDependencies``.
FIELD_DEPENDENCIES = {
    "image": ["write_date"],
    "signature": ["write_date"],
    "statusbar_duration": ["duration_tracking"],
}
SUB_VIEW_TAGS = ("list", "kanban", "form")
X2MANY = ("one2many", "many2many")


def _is_true(expr):
    return expr in ("True", "1")


def _options(node):
    try:
        return ast.literal_eval(node.get("options") or "{}")
    except (ValueError, SyntaxError):
        return {}


def _static_context(expr):
    """The context attribute when it needs no record values, else nothing."""
    if not expr:
        return None
    try:
        value = ast.literal_eval(expr)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, dict) else None


def _widget_related_fields(widget, options):
    if not widget:
        return None
    if widget.startswith(("many2many_tags", "many2many_avatar")):
        names = ["display_name"] + RELATED_FIELDS_EXTRA.get(widget, [])
        if options.get("color_field"):
            names.append(options["color_field"])
        return names
    if widget in RELATED_FIELDS_EXTRA:
        return RELATED_FIELDS_EXTRA[widget]
    return None


def _field_nodes(root):
    """<field> nodes of this view level (not those of x2many sub-views)."""
    found = []

    def visit(node):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                found.append(child)
            else:
                visit(child)

    visit(root)
    return found


def _merge(active, name, info):
    """Same field twice in a view: always invisible only if every node is."""
    if name in active:
        previous = active[name]
        previous["invisible"] = previous["invisible"] and info["invisible"]
        if info.get("related") and not previous.get("related"):
            previous.update({k: info[k] for k in ("related", "limit", "order") if k in info})
        elif info.get("related"):
            for sub_name, sub_info in info["related"].items():
                _merge(previous["related"], sub_name, sub_info)
    else:
        active[name] = info


def _x2many_related(node, desc, models, info):
    """Sub-fields of an x2many: the widget's relatedFields, else the fields of
    the sub-view the client shows (plus those of an inline form, invisible)."""
    comodel = desc["relation"]
    comodel_fields = models.get(comodel, {})
    related_names = _widget_related_fields(node.get("widget"), _options(node))
    if related_names is not None:
        return {
            name: {"type": comodel_fields.get(name, {}).get("type", "char"), "invisible": False}
            for name in related_names
            if name in comodel_fields or name == "display_name"
        }
    sub_views = {
        child.tag: child
        for child in node
        if isinstance(child.tag, str) and child.tag in SUB_VIEW_TAGS
    }
    mode = node.get("mode")
    if mode:
        mode = "list" if "," in mode else mode
    elif "list" in sub_views:
        mode = "list"
    elif "kanban" in sub_views:
        mode = "kanban"
    if mode not in sub_views:
        return {}
    sub_view = sub_views[mode]
    related = _active_fields(sub_view, comodel, models)
    info["limit"] = int(sub_view.get("limit") or 40)
    if sub_view.get("default_order"):
        info["order"] = sub_view.get("default_order")
    if "form" in sub_views:
        # inline form: its fields join the spec, invisible
        for name, sub_info in _active_fields(sub_views["form"], comodel, models).items():
            _merge(related, name, dict(sub_info, invisible=True))
    return related


def _active_fields(root, model_name, models):
    """Python mirror of extractFieldsFromArchInfo for one arch level."""
    fields = models[model_name]
    active = {}
    for node in _field_nodes(root):
        name = node.get("name")
        desc = fields.get(name)
        if desc is None:
            continue
        invisible = _is_true(node.get("invisible")) or _is_true(node.get("column_invisible"))
        info = {"type": desc["type"], "invisible": invisible}
        context = _static_context(node.get("context"))
        if context is not None:
            info["context"] = context
        if desc["type"] in X2MANY:
            info["related"] = _x2many_related(node, desc, models, info)
        _merge(active, name, info)
        for dependency in FIELD_DEPENDENCIES.get(node.get("widget") or "", ()):
            if dependency in fields:
                _merge(active, dependency, {"type": fields[dependency]["type"], "invisible": True})
    return active


def _spec(active):
    """Python mirror of getFieldsSpec (without ``withInvisible``)."""
    spec = {}
    for name, info in active.items():
        field_spec = spec[name] = {}
        if info["type"] in X2MANY:
            if "related" in info and not info["invisible"]:
                field_spec["fields"] = _spec(info["related"])
                field_spec["context"] = info.get("context", {})
                field_spec["limit"] = info.get("limit", 40)
                if info.get("order"):
                    field_spec["order"] = info["order"]
        elif info["type"] in ("many2one", "reference"):
            field_spec["fields"] = {}
            if not info["invisible"]:
                field_spec["fields"]["display_name"] = {}
                field_spec["context"] = info.get("context", {})
    return spec


def web_client_env(env, companies=None):
    """The environment of a web client request: the user context the client
    sends with every call (language, time zone, selected companies)."""
    user = env.user
    companies = companies or user.company_id
    return env(
        context=dict(
            env.context,
            lang=user.lang or "en_US",
            tz=user.tz or "UTC",
            uid=user.id,
            allowed_company_ids=companies.ids,
        )
    )


def view_spec(model, view_type, view=None):
    """The web_read specification the web client sends for ``view_type``.

    ``view``: an ``ir.ui.view`` record, its xml id or id; default view otherwise.
    Views are those of the model's environment (user, groups, language).
    """
    if isinstance(view, str):
        view = model.env.ref(view)
    view_id = view.id if hasattr(view, "id") else view
    result = model.get_views([(view_id or False, view_type)])
    models = {name: info["fields"] for name, info in result["models"].items()}
    root = etree.fromstring(result["views"][view_type]["arch"])
    active = _active_fields(root, model._name, models)
    if view_type == "form":
        # the form controller adds display_name (breadcrumbs, control panel)
        _merge(active, "display_name", {"type": "char", "invisible": True})
    return _spec(active)


def form_spec(model, view=None):
    return view_spec(model, "form", view)


def list_spec(model, view=None):
    return view_spec(model, "list", view)


def spec_without_module(model, spec, module):
    """The same specification without the fields that ``module`` adds (at any depth):
    what the screen would cost with the other modules' fields alone."""
    result = {}
    for name, field_spec in spec.items():
        field = model._fields.get(name)
        if field is not None and _field_modules(model, name) == {module}:
            continue
        field_spec = dict(field_spec)
        if field is not None and field.relational and "fields" in field_spec:
            field_spec["fields"] = spec_without_module(
                model.env[field.comodel_name], field_spec["fields"], module
            )
        result[name] = field_spec
    return result


def _field_modules(model, name):
    """Modules that define the field (``ir.model.fields``)."""
    modules = model.env["ir.model.fields"].sudo()._get(model._name, name).modules or ""
    return set(modules.split(", ")) - {""}
