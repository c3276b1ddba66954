"""Read and write participatory-budgeting elections in the pabulib `.pb` format.

A `.pb` file has three `;`-separated sections: META (key;value), PROJECTS (project_id;cost;...) and VOTES
(voter_id;vote;...). See Stolicki, Szufa, Talmon, "Pabulib: A Participatory Budgeting Library" (arXiv:2012.06539).

Every field is kept: META values and the extra PROJECTS/VOTES columns as the strings of the file, so writing an
instance back loses nothing. Amounts (budget, costs, points) are parsed exactly: an `int` when integral, a
`Fraction` otherwise (never a float). Ballots are stored lean, as one flat array of project indices with an offset
per voter (CSR), which keeps a 65,000-voter file to a few arrays.

A malformed file raises `PabulibError` naming the line and the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

Number = int | Fraction

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal", "scoring")
# Vote types whose ballots carry a `points` column that the rules use as utilities.
POINT_VOTE_TYPES = ("cumulative", "scoring")


class PabulibError(ValueError):
    """A `.pb` file that cannot be read: `line` is its 1-based line number (0 when it concerns the whole file)."""

    def __init__(self, line: int, reason: str, path: str | None = None) -> None:
        self.line = line
        self.reason = reason
        self.path = path
        where = f"{path}, " if path else ""
        super().__init__(f"{where}line {line}: {reason}" if line else f"{where}{reason}")


def parse_number(text: str) -> Number:
    """An exact number from a pabulib field: '1500', '400000.0', '2,5' (decimal comma) or '1/3'."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise ValueError("empty number")
    value = Fraction(cleaned)
    return value.numerator if value.denominator == 1 else value


def format_number(value: Number) -> str:
    """The text of an exact number as pabulib writes it: integers plainly, others as a terminating decimal."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:  # not a terminating decimal: keep it exact as a ratio (read back by parse_number)
        return f"{value.numerator}/{value.denominator}"
    text = f"{value.numerator / value.denominator!r}"
    if parse_number(text) == value:
        return text
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Project:
    """One row of PROJECTS: its id, its exact cost and every other column as written in the file."""

    project_id: str
    cost: Number
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fields.get("name", "") or self.project_id

    @property
    def selected(self) -> bool | None:
        """The `selected` column (what the city funded): True, False, or None when the file does not say."""
        value = self.fields.get("selected", "").strip()
        if value in ("", "None"):
            return None
        return value not in ("0", "false", "False")


@dataclass(eq=False)
class PBInstance:
    """A participatory-budgeting election: META, projects and ballots.

    Ballot i is `ballot_projects[ballot_offsets[i]:ballot_offsets[i + 1]]` (indices into `projects`, in the order
    of the file, which is the ranking for ordinal ballots), with the matching `ballot_points` when the file has a
    `points` column.
    """

    meta: dict[str, str]
    projects: list[Project]
    project_columns: list[str]
    vote_columns: list[str]
    voter_ids: list[str]
    ballot_offsets: np.ndarray
    ballot_projects: np.ndarray
    ballot_points: np.ndarray | None = None
    voter_fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def budget(self) -> Number:
        return parse_number(self.meta["budget"])

    @property
    def n_voters(self) -> int:
        return len(self.voter_ids)

    @property
    def project_ids(self) -> list[str]:
        return [project.project_id for project in self.projects]

    def ballot(self, voter: int) -> list[str]:
        """The project ids on one voter's ballot, in the order written."""
        start, end = self.ballot_offsets[voter], self.ballot_offsets[voter + 1]
        return [self.projects[index].project_id for index in self.ballot_projects[start:end]]

    def points(self, voter: int) -> list[Number] | None:
        if self.ballot_points is None:
            return None
        start, end = self.ballot_offsets[voter], self.ballot_offsets[voter + 1]
        return [_exact(value) for value in self.ballot_points[start:end]]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PBInstance):
            return NotImplemented
        return (
            self.meta == other.meta
            and self.projects == other.projects
            and self.project_columns == other.project_columns
            and self.vote_columns == other.vote_columns
            and self.voter_ids == other.voter_ids
            and np.array_equal(self.ballot_offsets, other.ballot_offsets)
            and np.array_equal(self.ballot_projects, other.ballot_projects)
            and (self.ballot_points is None) == (other.ballot_points is None)
            and (self.ballot_points is None or list(self.ballot_points) == list(other.ballot_points))
            and self.voter_fields == other.voter_fields
        )


def _exact(value: object) -> Number:
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    return int(value)  # numpy integers


def read_pabulib(path: str | Path) -> PBInstance:
    """Read a `.pb` file; raises PabulibError (with the line) if it is malformed, OSError if unreadable."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            return _parse(handle)
        except PabulibError as error:
            raise PabulibError(error.line, error.reason, str(path)) from None


def parse_pabulib(text: str) -> PBInstance:
    """Parse the text of a `.pb` file."""
    return _parse(io.StringIO(text.lstrip("\ufeff"), newline=""))


def _section_name(row: list[str]) -> str | None:
    if len(row) >= 1 and all(not cell.strip() for cell in row[1:]):
        name = row[0].strip().lower()
        if name in ("meta", "projects", "votes"):
            return name
    return None


def _parse(handle: Iterable[str]) -> PBInstance:
    reader = csv.reader(handle, delimiter=";")
    rows = iter(reader)
    section: str | None = None
    seen: list[str] = []
    meta: dict[str, str] = {}
    projects: list[Project] = []
    project_index: dict[str, int] = {}
    project_columns: list[str] = []
    vote_columns: list[str] = []
    meta_line = 0
    votes: _VotesBuilder | None = None
    for row in rows:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        name = _section_name(row)
        if name is not None:
            if name in seen:
                raise PabulibError(line, f"section {name.upper()} appears twice")
            expected = ("meta", "projects", "votes")[len(seen)]
            if name != expected:
                raise PabulibError(line, f"section {name.upper()} found where {expected.upper()} was expected")
            seen.append(name)
            section = name
            header = next(rows, None)
            header_line = reader.line_num
            if header is None:
                raise PabulibError(line, f"section {name.upper()} has no header line")
            header = [cell.strip() for cell in header]
            if len(set(header)) != len(header):
                raise PabulibError(header_line, f"{name.upper()} header repeats a column: {';'.join(header)}")
            if name == "meta":
                meta_line = line
                if header[:2] != ["key", "value"]:
                    raise PabulibError(header_line, "META header must be 'key;value'")
            elif name == "projects":
                _check_meta(meta, meta_line)
                if header[:1] != ["project_id"] or "cost" not in header:
                    raise PabulibError(header_line, "PROJECTS header must start with 'project_id' and have 'cost'")
                project_columns = header
            else:
                if header[:1] != ["voter_id"] or "vote" not in header:
                    raise PabulibError(header_line, "VOTES header must start with 'voter_id' and have 'vote'")
                vote_columns = header
                votes = _VotesBuilder(header, meta.get("vote_type", "approval"), project_index)
            continue
        if section is None:
            raise PabulibError(line, "content before the META section")
        if section == "meta":
            if len(row) < 2:
                raise PabulibError(line, "META line needs a key and a value")
            key = row[0].strip()
            if key in meta:
                raise PabulibError(line, f"META key {key!r} appears twice")
            meta[key] = ";".join(row[1:]).strip()
        elif section == "projects":
            projects.append(_parse_project(row, project_columns, line, project_index))
        else:
            assert votes is not None
            votes.add(row, line)
    for name in ("meta", "projects", "votes"):
        if name not in seen:
            raise PabulibError(0, f"the file has no {name.upper()} section")
    assert votes is not None
    return votes.build(meta, projects, project_columns, vote_columns)


def _check_meta(meta: dict[str, str], line: int) -> None:
    if "budget" not in meta:
        raise PabulibError(line, "META has no 'budget'")
    try:
        budget = parse_number(meta["budget"])
    except (ValueError, ZeroDivisionError):
        raise PabulibError(line, f"META budget {meta['budget']!r} is not a number") from None
    if budget < 0:
        raise PabulibError(line, "META budget is negative")
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(line, f"META vote_type {vote_type!r} is not one of {', '.join(VOTE_TYPES)}")


def _parse_project(row: list[str], columns: list[str], line: int, index: dict[str, int]) -> Project:
    if len(row) != len(columns):
        raise PabulibError(line, f"project line has {len(row)} fields, the PROJECTS header has {len(columns)}")
    values = dict(zip(columns, row, strict=True))
    project_id = values.pop("project_id").strip()
    if not project_id:
        raise PabulibError(line, "empty project_id")
    if project_id in index:
        raise PabulibError(line, f"project {project_id!r} appears twice")
    try:
        cost = parse_number(values.pop("cost"))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(line, f"cost of project {project_id!r} is not a number") from None
    if cost < 0:
        raise PabulibError(line, f"cost of project {project_id!r} is negative")
    index[project_id] = len(index)
    return Project(project_id, cost, values)


class _VotesBuilder:
    """Accumulates VOTES rows into flat arrays; one small loop per row keeps big files fast."""

    def __init__(self, columns: list[str], vote_type: str, project_index: dict[str, int]) -> None:
        self.columns = columns
        self.width = len(columns)
        self.vote_type = vote_type
        self.project_index = project_index
        self.vote_column = columns.index("vote")
        self.points_column = columns.index("points") if "points" in columns else None
        self.other_columns = [(i, name) for i, name in enumerate(columns) if name not in ("voter_id", "vote", "points")]
        self.voter_ids: list[str] = []
        self.seen_ids: set[str] = set()
        self.offsets: list[int] = [0]
        self.flat: list[int] = []
        self.points: list[Number] = []
        self.others: dict[str, list[str]] = {name: [] for _, name in self.other_columns}
        self.needs_points = vote_type in POINT_VOTE_TYPES

    def add(self, row: list[str], line: int) -> None:
        if len(row) != self.width:
            raise PabulibError(line, f"vote line has {len(row)} fields, the VOTES header has {self.width}")
        voter_id = row[0].strip()
        if voter_id in self.seen_ids:
            raise PabulibError(line, f"voter {voter_id!r} appears twice")
        self.seen_ids.add(voter_id)
        self.voter_ids.append(voter_id)
        vote = row[self.vote_column].strip()
        names = vote.split(",") if vote and vote != "None" else []
        index = self.project_index
        try:
            chosen = [index[name.strip()] for name in names]
        except KeyError as missing:
            raise PabulibError(line, f"vote names project {missing.args[0]!r}, which is not in PROJECTS") from None
        if len(set(chosen)) != len(chosen):
            raise PabulibError(line, "a project appears twice on the same ballot")
        if self.vote_type == "choose-1" and len(chosen) > 1:
            raise PabulibError(line, f"a choose-1 ballot names {len(chosen)} projects")
        if self.points_column is not None:
            text = row[self.points_column].strip()
            pieces = text.split(",") if text and text != "None" else []
            if len(pieces) != len(chosen):
                raise PabulibError(line, f"{len(pieces)} points for {len(chosen)} projects")
            try:
                points = [int(piece) if piece.strip().isdigit() else parse_number(piece) for piece in pieces]
            except (ValueError, ZeroDivisionError):
                raise PabulibError(line, f"points {text!r} are not numbers") from None
            if self.vote_type == "cumulative" and any(value < 0 for value in points):
                raise PabulibError(line, "cumulative points must not be negative")
            self.points.extend(points)
        elif self.needs_points and chosen:
            raise PabulibError(line, f"a {self.vote_type} ballot needs a 'points' column")
        self.flat.extend(chosen)
        self.offsets.append(len(self.flat))
        for column, name in self.other_columns:
            self.others[name].append(row[column])

    def build(self, meta: dict[str, str], projects: list[Project], project_columns: list[str],
              vote_columns: list[str]) -> PBInstance:
        points: np.ndarray | None = None
        if self.points_column is not None:
            if all(isinstance(value, int) for value in self.points):
                points = np.array(self.points, dtype=np.int64)
            else:
                points = np.array(self.points, dtype=object)
        return PBInstance(
            meta=meta,
            projects=projects,
            project_columns=project_columns,
            vote_columns=vote_columns,
            voter_ids=self.voter_ids,
            ballot_offsets=np.array(self.offsets, dtype=np.int64),
            ballot_projects=np.array(self.flat, dtype=np.int32),
            ballot_points=points,
            voter_fields=self.others,
        )


def write_pabulib(instance: PBInstance, path: str | Path) -> None:
    """Write an instance as a `.pb` file (UTF-8, `;`-separated)."""
    Path(path).write_text(dump_pabulib(instance), encoding="utf-8")


def dump_pabulib(instance: PBInstance) -> str:
    """The text of the `.pb` file for an instance."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in instance.meta.items():
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    writer.writerow(instance.project_columns)
    for project in instance.projects:
        writer.writerow(_project_row(project, instance.project_columns))
    writer.writerow(["VOTES"])
    writer.writerow(instance.vote_columns)
    ids = instance.project_ids
    offsets = instance.ballot_offsets.tolist()
    flat = instance.ballot_projects.tolist()
    points = None if instance.ballot_points is None else [_format_point(v) for v in instance.ballot_points]
    other = [(i, instance.voter_fields.get(name)) for i, name in enumerate(instance.vote_columns)]
    for voter, voter_id in enumerate(instance.voter_ids):
        start, end = offsets[voter], offsets[voter + 1]
        row: list[str] = []
        for column, values in other:
            name = instance.vote_columns[column]
            if name == "voter_id":
                row.append(voter_id)
            elif name == "vote":
                row.append(",".join(ids[index] for index in flat[start:end]))
            elif name == "points":
                row.append(",".join(points[start:end]) if points is not None else "")
            else:
                row.append(values[voter] if values is not None else "")
        writer.writerow(row)
    return out.getvalue()


def _format_point(value: object) -> str:
    return format_number(_exact(value))


def _project_row(project: Project, columns: Sequence[str]) -> list[str]:
    row = []
    for name in columns:
        if name == "project_id":
            row.append(project.project_id)
        elif name == "cost":
            row.append(format_number(project.cost))
        else:
            row.append(project.fields.get(name, ""))
    return row
