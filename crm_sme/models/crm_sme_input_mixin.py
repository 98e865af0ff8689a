# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import math

from odoo import _, api, models
from odoo.exceptions import ValidationError

# Longest text accepted in a crm_sme field: a name or subject in a Char, a
# description in a Text/Html (about 250 printed pages; pictures are attachments).
CHAR_MAX = 2_000
TEXT_MAX = 500_000
ID_MAX = 2**31 - 1  # PostgreSQL integer


class CrmSmeInputMixin(models.AbstractModel):
    """Input checks on every crm_sme field a user can write.

    Values are checked before the ORM converts and stores them, so a wrong
    type, NaN/inf, a NUL byte (PostgreSQL refuses it), a huge text, an unknown
    selection value or a missing required value is one clear ValidationError
    naming the field, never a traceback, and nothing is written. Only the
    fields crm_sme defines are checked, so Odoo's own fields of an extended
    model keep Odoo's behaviour.
    """

    _name = "crm.sme.input.mixin"
    _description = "crm_sme Input Checks"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_sme_check_input(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_sme_check_input(vals)
        return super().write(vals)

    @api.model
    def _crm_sme_check_input(self, vals, creating=False):
        problems = []
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if field is None or "crm_sme" not in (field._modules or ()):
                continue
            problem = self._crm_sme_input_problem(field, value)
            if problem:
                problems.append(
                    _(
                        "%(field)s: %(problem)s",
                        field=field._description_string(self.env),
                        problem=problem,
                    )
                )
        if problems:
            raise ValidationError(
                _(
                    "Some values cannot be saved on %(model)s:\n%(problems)s",
                    model=self._description,
                    problems="\n".join(problems),
                )
            )

    @api.model
    def _crm_sme_input_problem(self, field, value):
        """What is wrong with ``value`` for ``field`` (a translated text), or None."""
        if value is None or value is False:
            if field.required and field.type not in ("boolean", "integer", "float", "monetary"):
                return _("a value is required.")
            return None
        check = {
            "char": self._crm_sme_text_problem,
            "text": self._crm_sme_text_problem,
            "html": self._crm_sme_text_problem,
            "integer": self._crm_sme_integer_problem,
            "float": self._crm_sme_number_problem,
            "monetary": self._crm_sme_number_problem,
            "selection": self._crm_sme_selection_problem,
            "date": self._crm_sme_date_problem,
            "datetime": self._crm_sme_date_problem,
            "many2one": self._crm_sme_many2one_problem,
        }.get(field.type)
        return check(field, value) if check else None

    def _crm_sme_text_problem(self, field, value):
        if not isinstance(value, str):
            return _("text is expected.")
        if "\x00" in value:
            return _("the text contains a NUL character.")
        limit = CHAR_MAX if field.type == "char" else TEXT_MAX
        if len(value) > limit:
            return _("the text is longer than %(max)s characters.", max=limit)
        return None

    def _crm_sme_integer_problem(self, field, value):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > ID_MAX:
            return _("a whole number is expected.")
        return None

    def _crm_sme_number_problem(self, field, value):
        if isinstance(value, bool):
            return _("a number is expected.")
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _("a number is expected.")
        if not math.isfinite(number):
            return _("a finite number is expected.")
        return None

    def _crm_sme_selection_problem(self, field, value):
        if value not in field.get_values(self.env):
            return _("%(value)s is not one of the choices.", value=str(value)[:40])
        return None

    def _crm_sme_date_problem(self, field, value):
        if not isinstance(value, str | datetime.date):
            return _("a date is expected.")
        try:
            field.convert_to_cache(value, self)
        except (TypeError, ValueError, OverflowError):
            return _("%(value)s is not a valid date.", value=str(value)[:40])
        return None

    def _crm_sme_many2one_problem(self, field, value):
        if isinstance(value, models.BaseModel):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
            return _("a record is expected.")
        return None
