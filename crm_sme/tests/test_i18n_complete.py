# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
import re

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path
from odoo.tools.translate import TranslationModuleReader, polib

# Python/JS placeholders: %s %d %(name)s, {name}, {{ expression }}
PLACEHOLDER_RE = re.compile(r"%(?:\([^)]+\))?[sdfir]|\{\{.*?\}\}|\{[A-Za-z_][\w.]*\}")
# markup: each tag with its name and its non-translatable attributes (t-*, class, href...)
TAG_RE = re.compile(r"<(/?)([A-Za-z][\w.-]*)([^<>]*?)(/?)>")
ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
TRANSLATABLE_ATTRS = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "data-tooltip",
    "string",
    "label",
    "help",
}


def placeholders(text):
    return Counter(PLACEHOLDER_RE.findall(text))


def markup(text):
    tags = Counter()
    for closing, name, attrs, selfclosing in TAG_RE.findall(text):
        kept = sorted(
            (attr, value)
            for attr, value in ATTR_RE.findall(attrs)
            if attr.lower() not in TRANSLATABLE_ATTRS
        )
        tags[(closing, name.lower(), tuple(kept), selfclosing)] += 1
    return tags


def check_entries(sources, translations):
    """Problems of the zh_CN translations ``translations`` ({msgid: msgstr}) for ``sources``."""
    problems = []
    for source in sorted(sources):
        value = translations.get(source)
        if not value:
            problems.append(f"untranslated: {source!r}")
        elif placeholders(source) != placeholders(value):
            problems.append(f"placeholders differ: {source!r} -> {value!r}")
        elif markup(source) != markup(value):
            problems.append(f"markup differs: {source!r} -> {value!r}")
    return problems


@tagged("post_install", "-at_install", "crm_sme")
class TestChineseComplete(TransactionCase):
    """Every term crm_sme shows (fields, selections, views, data, mail templates, reports,
    portal, Python and JS texts) has a Simplified Chinese translation that keeps its
    placeholders and markup. The terms come from the installed module, not from the
    committed .pot, so a new untranslated term anywhere fails here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        po = polib.pofile(file_path("crm_sme/i18n/zh_CN.po"))
        cls.translations = {
            entry.msgid: entry.msgstr for entry in po if not entry.obsolete and entry.msgid
        }
        reader = TranslationModuleReader(cls.env.cr, modules=["crm_sme"])
        cls.sources = {
            source for _module, _type, _name, _res_id, source, _value, _comments in reader if source
        }

    def test_terms_are_exported_from_the_module(self):
        # the export really covers each kind of term (else the completeness check proves nothing)
        for term in (
            "Key Account",  # field label
            "Customer 360° figures",  # model description
            "Supermarket",  # data record (customer type)
            "{{ object.company_id.name }}: how did we handle {{ object.reference }}?",  # mail template
            "Send us your feedback",  # portal template
            "Operation not supported on this field: %(operator)s",  # Python code
        ):
            self.assertIn(term, self.sources)
        self.assertGreater(len(self.sources), 500)

    def test_every_term_translated_with_same_placeholders_and_markup(self):
        problems = check_entries(self.sources, self.translations)
        self.assertFalse(problems, "zh_CN.po of crm_sme:\n" + "\n".join(problems))

    def test_checker_catches_missing_placeholder_and_markup(self):
        self.assertEqual(
            check_entries(
                {"New", "Hello %(name)s", "Order {name}", "<b>Due</b> today", "Total"},
                {
                    "New": "新建",
                    "Hello %(name)s": "你好",
                    "Order {name}": "订单 {名称}",
                    "<b>Due</b> today": "<i>今天</i>到期",
                },
            ),
            [
                "markup differs: '<b>Due</b> today' -> '<i>今天</i>到期'",
                "placeholders differ: 'Hello %(name)s' -> '你好'",
                "placeholders differ: 'Order {name}' -> '订单 {名称}'",
                "untranslated: 'Total'",
            ],
        )
