"""The budget CSV layout (docs/finance-csv.md): reading it with every problem named by line and column, and writing
it back (the open-data export re-imports to the same lines).

Columns, in any order, header on the first line, UTF-8 (a BOM is fine), separated by ";" or ",":

code           required  the line's code, unique within the budget (up to 40 characters)
direction      required  revenue | expenditure
revenue_type   revenue   own_taxes | fees | transfers | borrowing | other (empty on expenditure lines)
transfer_from  optional  short name of the sphere a transfer comes from (transfers only)
function       expend.   COFOG code of a division ("09") or group ("09.1") (empty on revenue lines)
economic_type  expend.   personnel | goods_services | interest | current_transfers | investment | debt_repayment
label          required  what the line is (up to 200 characters)
planned        required  adopted amount, not negative (see comuna.finance.amounts for the number rule)
executed       optional  executed amount so far, not negative; empty means 0
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .amounts import AmountError, format_amount, parse_amount
from .models import ZERO, Direction, EconomicType, RevenueType

COLUMNS = ["code", "direction", "revenue_type", "transfer_from", "function", "economic_type", "label", "planned",
           "executed"]
OPTIONAL_COLUMNS = {"transfer_from", "executed"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)s, column “%(column)s”: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message}
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    direction: str
    revenue_type: str
    transfer_from: str
    function: str
    economic_type: str
    label: str
    planned: Decimal
    executed: Decimal


def read_rows(raw: bytes, *, function_codes: set[str], sphere_slugs: set[str]) -> tuple[list[Row], list[Problem]]:
    """Every row of the file, or every problem found in it (then the rows are not to be used)."""
    if len(raw) > MAX_BYTES:
        return [], [Problem(0, "", _("the file is larger than 5 MB"))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [Problem(line, "", _("the file is not UTF-8 text (save it as “CSV UTF-8”)"))]
    lines = text.splitlines()
    if not text.strip() or not lines[0].strip():
        return [], [Problem(1, "", _("the file is empty or its first line holds no column names"))]
    delimiter = ";" if ";" in lines[0] else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        return [], [Problem(1, "", str(error))]
    problems: list[Problem] = []
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        problems.append(Problem(1, ", ".join(missing), _("missing column (the header must name %(columns)s)")
                                % {"columns": ", ".join(COLUMNS)}))
    for name in header:
        if name not in COLUMNS:
            problems.append(Problem(1, name[:40], _("unknown column")))
        elif header.count(name) > 1:
            problems.append(Problem(1, name, _("this column appears twice")))
    if problems:
        return [], sorted(set(problems), key=lambda p: (p.line, p.column))
    rows: list[Row] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(Problem(line, "", _("more than %(max)s lines") % {"max": MAX_ROWS}))
                break
            if len(record) != len(header):
                problems.append(Problem(line, "", _("%(found)s fields where the header names %(expected)s")
                                        % {"found": len(record), "expected": len(header)}))
                continue
            values = {name: cell.strip() for name, cell in zip(header, record, strict=True)}
            row, row_problems = _read_row(line, values, function_codes, sphere_slugs)
            if row is not None and row.code in seen:
                row_problems.append(Problem(line, "code", _("the code “%(code)s” is already used on line %(first)s")
                                            % {"code": row.code, "first": seen[row.code]}))
            if row is not None:
                seen.setdefault(row.code, line)
            problems.extend(row_problems)
            if row is not None and not row_problems:
                rows.append(row)
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as error:
        problems.append(Problem(reader.line_num, "", str(error)))
    if not rows and not problems:
        problems.append(Problem(2, "", _("the file has no budget lines")))
    return rows, sorted(problems, key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1))


def _read_row(line: int, values: dict[str, str], function_codes: set[str],
              sphere_slugs: set[str]) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    code = values["code"]
    if not code:
        problem("code", _("the line code is empty"))
    elif len(code) > 40:
        problem("code", _("the line code is longer than 40 characters"))
    direction = values["direction"].lower()
    revenue_type = values["revenue_type"].lower()
    transfer_from = values.get("transfer_from", "")
    function = values["function"]
    economic_type = values["economic_type"].lower()
    if direction == Direction.REVENUE:
        if revenue_type not in RevenueType.values:
            problem("revenue_type", _("“%(value)s” is not a revenue type (use one of %(choices)s)")
                    % {"value": revenue_type[:40], "choices": ", ".join(RevenueType.values)})
        if transfer_from and revenue_type != RevenueType.TRANSFERS:
            problem("transfer_from", _("only transfers come from another sphere"))
        elif transfer_from and transfer_from not in sphere_slugs:
            problem("transfer_from", _("there is no sphere “%(slug)s”") % {"slug": transfer_from[:80]})
        if function:
            problem("function", _("revenue lines have no COFOG function"))
        if economic_type:
            problem("economic_type", _("revenue lines have no economic type"))
    elif direction == Direction.EXPENDITURE:
        if revenue_type:
            problem("revenue_type", _("expenditure lines have no revenue type"))
        if transfer_from:
            problem("transfer_from", _("expenditure lines have no transferring sphere"))
        if not function:
            problem("function", _("expenditure lines need a COFOG function code"))
        elif function not in function_codes:
            problem("function", _("“%(code)s” is not a COFOG division or group code") % {"code": function[:10]})
        if economic_type not in EconomicType.values:
            problem("economic_type", _("“%(value)s” is not an economic type (use one of %(choices)s)")
                    % {"value": economic_type[:40], "choices": ", ".join(EconomicType.values)})
    else:
        problem("direction", _("“%(value)s” is neither revenue nor expenditure") % {"value": direction[:40]})
    label = values["label"]
    if not label:
        problem("label", _("the label is empty"))
    elif len(label) > 200:
        problem("label", _("the label is longer than 200 characters"))
    amounts = {}
    for column in ("planned", "executed"):
        text = values.get(column, "")
        if column == "executed" and not text:
            amounts[column] = ZERO
            continue
        try:
            amounts[column] = parse_amount(text)
        except AmountError as error:
            problem(column, str(error))
            continue
        if amounts[column] < 0:
            problem(column, _("amounts cannot be negative"))
    if problems:
        return Row(line, code, direction, revenue_type, transfer_from, function, economic_type, label, ZERO, ZERO) \
            if code else None, problems
    return Row(line, code, direction, revenue_type if direction == Direction.REVENUE else "", transfer_from,
               function, economic_type, label, amounts["planned"], amounts["executed"]), []


def export_rows(lines) -> list[dict[str, str]]:
    """Each line as the import columns, amounts in the plain form ("1234.50")."""
    return [{
        "code": line.code,
        "direction": line.direction,
        "revenue_type": line.revenue_type,
        "transfer_from": line.transfer_from.slug if line.transfer_from_id else "",
        "function": line.function_id or "",
        "economic_type": line.economic_type,
        "label": line.label,
        "planned": format_amount(line.planned),
        "executed": format_amount(line.executed),
    } for line in lines]


def write_csv(lines) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(export_rows(lines))
    return out.getvalue()
