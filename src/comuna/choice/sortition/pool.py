"""Read a sortition pool: the quotas (`categories.csv`) and the volunteers (`respondents.csv`).

Two shapes of quota file exist in the field and both are accepted:

* `category,feature,min,max` (the Nature 2021 replication data), and
* `category,name,min,max[,min_flex,max_flex]` (the Sortition Foundation's stratification app; the flex columns
  are ignored here, since relaxations are suggested by `feasibility`).

The volunteers file has one row per volunteer and one column per category (other columns, such as names or
addresses, are allowed). Volunteers are numbered by their data row (1 = the first row after the header).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class PoolError(ValueError):
    """A quota or volunteer file that cannot be used, with the file, line and reason."""


@dataclass(frozen=True)
class Quota:
    """At least `min` and at most `max` panel members have `feature` in `category`."""

    category: str
    feature: str
    min: int
    max: int

    def describe(self) -> str:
        return f"{self.category}={self.feature} (between {self.min} and {self.max})"


@dataclass(frozen=True)
class Pool:
    """The volunteers and their answers, in file order.

    `answers[i][j]` is volunteer i's feature in `categories[j]`; `households[i]` is an integer shared by the
    volunteers at the same address (or unique per volunteer when no address columns are given).
    """

    ids: tuple[str, ...]
    categories: tuple[str, ...]
    answers: tuple[tuple[str, ...], ...]
    households: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.households:
            object.__setattr__(self, "households", tuple(range(len(self.ids))))

    @property
    def size(self) -> int:
        return len(self.ids)


def _open_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PoolError(f"{path}: cannot read the file ({error})") from error
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames:
        raise PoolError(f"{path}: the file is empty (a header row is needed)")
    header = [name.strip() for name in reader.fieldnames]
    reader.fieldnames = header
    rows = []
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # blank line
        rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}))
    return header, rows


def read_quotas(path: str | Path) -> list[Quota]:
    """Quotas in file order; each (category, feature) appears once and min <= max."""
    path = Path(path)
    header, rows = _open_rows(path)
    feature_column = "feature" if "feature" in header else "name" if "name" in header else None
    missing = [name for name in ("category", "min", "max") if name not in header]
    if feature_column is None or missing:
        raise PoolError(f"{path}, line 1: expected columns category, feature (or name), min, max; got {header}")
    quotas: list[Quota] = []
    seen: set[tuple[str, str]] = set()
    for line, row in rows:
        category, feature = row["category"], row[feature_column]
        if not category or not feature:
            raise PoolError(f"{path}, line {line}: the category and the feature must not be empty")
        try:
            low, high = int(row["min"]), int(row["max"])
        except ValueError as error:
            raise PoolError(f"{path}, line {line}: min and max must be whole numbers "
                            f"(got {row['min']!r}, {row['max']!r})") from error
        if low < 0 or high < low:
            raise PoolError(f"{path}, line {line}: need 0 <= min <= max for {category}={feature} "
                            f"(got min {low}, max {high})")
        if (category, feature) in seen:
            raise PoolError(f"{path}, line {line}: {category}={feature} is listed twice")
        seen.add((category, feature))
        quotas.append(Quota(category, feature, low, high))
    if not quotas:
        raise PoolError(f"{path}: no quotas in the file")
    return quotas


def read_pool(path: str | Path, quotas: Sequence[Quota], *, id_column: str | None = None,
              address_columns: Sequence[str] = ()) -> Pool:
    """The volunteers of the CSV file `path`, checked against the quota categories.

    Every volunteer must answer every category with one of the features that has a quota. With
    `address_columns`, volunteers whose values agree on all those columns (ignoring case) form one household:
    at most one of them may sit on a panel.
    """
    path = Path(path)
    header, rows = _open_rows(path)
    return _build_pool([(f"{path}, line {line}", row) for line, row in rows], header, quotas, id_column,
                       address_columns, where_header=f"{path}, line 1", where_file=str(path))


def pool_from_records(records: Sequence[Mapping[str, str]], quotas: Sequence[Quota], *,
                      id_key: str | None = None, address_keys: Sequence[str] = ()) -> Pool:
    """The same as `read_pool`, from in-memory records (one mapping per volunteer, e.g. from a database)."""
    keys = list(dict.fromkeys(key for record in records for key in record))
    rows = [(f"record {number}", {key: str(value).strip() for key, value in record.items()})
            for number, record in enumerate(records, start=1)]
    for _, row in rows:
        for key in keys:
            row.setdefault(key, "")
    return _build_pool(rows, keys, quotas, id_key, address_keys, where_header="records", where_file="records")


def _build_pool(rows: list[tuple[str, dict[str, str]]], header: list[str], quotas: Sequence[Quota],
                id_column: str | None, address_columns: Sequence[str], *, where_header: str,
                where_file: str) -> Pool:
    categories = tuple(dict.fromkeys(quota.category for quota in quotas))
    features = {category: {q.feature for q in quotas if q.category == category} for category in categories}
    needed = list(categories) + ([id_column] if id_column else []) + list(address_columns)
    missing = [name for name in needed if name not in header]
    if missing:
        raise PoolError(f"{where_header}: missing column(s) {', '.join(missing)} (header: {header})")
    ids: list[str] = []
    answers: list[tuple[str, ...]] = []
    addresses: dict[tuple[str, ...], int] = {}
    households: list[int] = []
    seen_ids: dict[str, str] = {}
    for number, (where, row) in enumerate(rows, start=1):
        answer = tuple(row[category] for category in categories)
        for category, value in zip(categories, answer, strict=True):
            if value not in features[category]:
                raise PoolError(f"{where}: {category}={value!r} has no quota "
                                f"(known: {', '.join(sorted(features[category]))})")
        volunteer_id = row[id_column] if id_column else str(number)
        if volunteer_id in seen_ids:
            raise PoolError(f"{where}: id {volunteer_id!r} already used on {seen_ids[volunteer_id]}")
        seen_ids[volunteer_id] = where.rsplit(", ", 1)[-1]
        ids.append(volunteer_id)
        answers.append(answer)
        if address_columns:
            address = tuple(row[column].casefold() for column in address_columns)
            households.append(addresses.setdefault(address, len(addresses)))
        else:
            households.append(number - 1)
    if not ids:
        raise PoolError(f"{where_file}: no volunteers")
    return Pool(tuple(ids), categories, tuple(answers), tuple(households))
