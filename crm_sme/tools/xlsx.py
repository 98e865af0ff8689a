# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One xlsx writer for every crm_sme export (reconciliation, statements,
analysis reports): xlsxwriter in constant-memory mode, rows streamed in order,
formatted numbers and dates, frozen header, autofilter and an optional totals
row.  Returns the file's bytes."""

from dataclasses import dataclass, field
import datetime
import os
import tempfile

import xlsxwriter

# Column kinds -> xlsxwriter number formats.
FORMATS = {
    "text": None,
    "int": "#,##0",
    "float": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass
class Column:
    label: str
    kind: str = "text"
    width: int = 0


@dataclass
class Sheet:
    """A sheet: ``rows`` may be any iterable (a generator keeps memory flat);
    ``totals`` is a row of the same length (None cells are left blank)."""

    title: str
    columns: list
    rows: object = ()
    totals: tuple = None
    header_lines: list = field(default_factory=list)


def _sheet_title(title, used):
    # Excel: 31 characters, none of []:*?/\ and unique per workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in (title or "Sheet"))[:31] or "Sheet"
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _cell(value):
    if value is None or value is False:
        return None
    if isinstance(value, str):
        # Excel cells hold 32 767 characters at most; NUL is not valid XML.
        return value.replace("\x00", "")[:32767]
    return value


def workbook_bytes(sheets):
    """Write ``sheets`` (iterable of :class:`Sheet`) and return the xlsx bytes."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
        bold = book.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        title_fmt = book.add_format({"bold": True, "font_size": 13})
        fmts = {
            kind: book.add_format({"num_format": f}) if f else None for kind, f in FORMATS.items()
        }
        total_fmts = {
            kind: book.add_format({"bold": True, "top": 1, **({"num_format": f} if f else {})})
            for kind, f in FORMATS.items()
        }
        used = set()
        for sheet in sheets:
            ws = book.add_worksheet(_sheet_title(sheet.title, used))
            row = 0
            for line in sheet.header_lines:
                ws.write(row, 0, _cell(line), title_fmt if row == 0 else None)
                row += 1
            if sheet.header_lines:
                row += 1
            header_row = row
            for col, column in enumerate(sheet.columns):
                ws.set_column(col, col, column.width or max(10, min(40, len(column.label) + 4)))
                ws.write(row, col, column.label, bold)
            ws.freeze_panes(row + 1, 0)
            kinds = [c.kind for c in sheet.columns]
            for values in sheet.rows:
                row += 1
                for col, value in enumerate(values):
                    _write(
                        ws,
                        row,
                        col,
                        _cell(value),
                        fmts.get(kinds[col] if col < len(kinds) else "text"),
                    )
            if sheet.columns:
                ws.autofilter(header_row, 0, max(row, header_row), len(sheet.columns) - 1)
            if sheet.totals is not None:
                row += 1
                for col, value in enumerate(sheet.totals):
                    kind = kinds[col] if col < len(kinds) else "text"
                    _write(
                        ws, row, col, _cell(value), total_fmts[kind] if value is not None else None
                    )
        book.close()
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(path)


def _write(ws, row, col, value, fmt):
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, datetime.date):
        ws.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
