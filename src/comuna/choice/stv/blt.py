"""Read and write ranked ballots in the BLT format (the format of OpenSTV, eSTV, the ERS and most STV tools).

    10 4            candidates and seats
    -3 -7           optional: withdrawn candidates, as negative numbers (also accepted after the seats)
    126 1 0         a weight (how many identical ballots), the preferences in order, then 0
    9 1 2=4 - 5 0   "2=4": candidates 2 and 4 ranked equal; "-": a preference left out
    0               end of ballots
    "Yvonne ALLAN (Lab)"      one name per candidate, quoted (several per line allowed) or one bare name a line
    ...
    "Torry/Ferryhill"         the title (optional)

`#` starts a comment (at the start of a line or after a space, outside quotes); blank lines are ignored.
A file that breaks these rules is refused with a `BltFormatError` naming the line and the reason.
Candidates are numbered from 1, as in the file, everywhere in this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIPPED = "-"


class BltFormatError(ValueError):
    """A BLT file that cannot be read: where (source and line number, 1-based) and why."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}, line {line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Ballot:
    """`weight` identical ballots. Each entry of `rankings` is one preference position: a tuple of candidate
    numbers, several when they were ranked equal, empty when the voter left that preference out."""

    weight: int
    rankings: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Election:
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""

    @property
    def ballot_count(self) -> int:
        return sum(ballot.weight for ballot in self.ballots)


def read_blt(path: str | Path) -> Election:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BltFormatError(str(path), text_line_of_byte(path.read_bytes(), error.start), "not UTF-8 text") from None
    return parse_blt(text, source=str(path))


def text_line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_blt(text: str, source: str = "<blt>") -> Election:
    lines = _meaningful_lines(text, source)
    header_line, header = _next_or_fail(lines, source, text, "the file is empty: expected 'candidates seats'")
    candidate_count, seats, withdrawn = _parse_header(header, header_line, source)

    ballots: list[Ballot] = []
    line_number, content = _next_or_fail(lines, source, text, "the ballots end without the closing line '0'")
    while True:
        tokens = content.split()
        if tokens == ["0"]:
            break
        if all(_is_negative_integer(token) for token in tokens) and not ballots:
            withdrawn |= _parse_withdrawn(tokens, line_number, source)
        else:
            ballots.append(_parse_ballot(tokens, line_number, source, candidate_count))
        line_number, content = _next_or_fail(lines, source, text, "the ballots end without the closing line '0'")
    _check_candidates(withdrawn, candidate_count, header_line, source, "withdrawn candidate")

    strings: list[tuple[int, str]] = []
    for line_number, content in lines:
        strings.extend((line_number, name) for name in _parse_names(content, line_number, source))
    if len(strings) < candidate_count:
        last_line = strings[-1][0] if strings else _line_count(text)
        raise BltFormatError(source, last_line,
                             f"expected {candidate_count} candidate names after the ballots, found {len(strings)}")
    if len(strings) > candidate_count + 1:
        raise BltFormatError(source, strings[candidate_count + 1][0], "unexpected text after the title")
    names = tuple(name for _, name in strings[:candidate_count])
    title = strings[candidate_count][1] if len(strings) > candidate_count else ""
    return Election(candidates=names, seats=seats, ballots=tuple(ballots), withdrawn=frozenset(withdrawn),
                    title=title)


def format_blt(election: Election) -> str:
    """The BLT text of `election`; `parse_blt(format_blt(e)) == e`."""
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(f"-{candidate}" for candidate in sorted(election.withdrawn)))
    for ballot in election.ballots:
        preferences = [("=".join(map(str, group)) if group else SKIPPED) for group in ballot.rankings]
        out.append(" ".join([str(ballot.weight), *preferences, "0"]))
    out.append("0")
    out.extend(_quote(name) for name in election.candidates)
    out.append(_quote(election.title))
    return "\n".join(out) + "\n"


def write_blt(election: Election, path: str | Path) -> None:
    Path(path).write_text(format_blt(election), encoding="utf-8")


def _quote(text: str) -> str:
    if '"' in text or "\n" in text or "\r" in text:
        raise ValueError(f"a BLT name cannot hold a double quote or a line break: {text!r}")
    return f'"{text}"'


def _meaningful_lines(text: str, source: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        content = _strip_comment(raw, number, source).strip()
        if content:
            yield number, content


def _strip_comment(line: str, number: int, source: str) -> str:
    if "#" not in line and '"' not in line:  # the common case, kept fast: ballot lines
        return line
    in_quotes = False
    for position, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == "#" and not in_quotes and (position == 0 or line[position - 1].isspace()):
            return line[:position]
    if in_quotes:
        raise BltFormatError(source, number, "a quoted name is not closed on its line")
    return line


def _next_or_fail(lines: Iterator[tuple[int, str]], source: str, text: str, reason: str) -> tuple[int, str]:
    try:
        return next(lines)
    except StopIteration:
        raise BltFormatError(source, _line_count(text), reason) from None


def _line_count(text: str) -> int:
    return max(1, len(text.splitlines()))


def _parse_header(content: str, line: int, source: str) -> tuple[int, int, set[int]]:
    tokens = content.split()
    if len(tokens) < 2 or not all(_is_integer(token) for token in tokens):
        raise BltFormatError(source, line, f"expected 'candidates seats' (two whole numbers), found {content!r}")
    candidate_count, seats = int(tokens[0]), int(tokens[1])
    if candidate_count < 1:
        raise BltFormatError(source, line, "the number of candidates must be at least 1")
    if not 1 <= seats <= candidate_count:
        raise BltFormatError(source, line, f"the number of seats must be between 1 and {candidate_count}, not {seats}")
    return candidate_count, seats, _parse_withdrawn(tokens[2:], line, source)


def _parse_withdrawn(tokens: list[str], line: int, source: str) -> set[int]:
    if not all(_is_negative_integer(token) for token in tokens):
        raise BltFormatError(source, line, "withdrawn candidates must be written as negative numbers, e.g. -3")
    return {-int(token) for token in tokens}


def _parse_ballot(tokens: list[str], line: int, source: str, candidate_count: int) -> Ballot:
    weight_text = tokens[0]
    if not weight_text.isdigit() or int(weight_text) == 0:
        raise BltFormatError(source, line, f"a ballot starts with its weight, a whole number above 0, not {weight_text!r}")
    if tokens[-1] != "0" or len(tokens) < 2:
        raise BltFormatError(source, line, "a ballot line must end with 0")
    preferences = tokens[1:-1]
    if all(token.isdigit() for token in preferences):  # the common case, kept fast: a plain strict ranking
        numbers = [int(token) for token in preferences]
        if (not numbers or (min(numbers) >= 1 and max(numbers) <= candidate_count)) and len(set(numbers)) == len(numbers):
            return Ballot(weight=int(weight_text), rankings=tuple((number,) for number in numbers))
    rankings: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for token in tokens[1:-1]:
        if token == SKIPPED:
            rankings.append(())
            continue
        parts = token.split("=")
        if not all(part.isdigit() for part in parts):
            raise BltFormatError(source, line, f"a preference must be a candidate number, 'a=b' or '-', not {token!r}")
        group = tuple(int(part) for part in parts)
        for candidate in group:
            if not 1 <= candidate <= candidate_count:
                _check_candidates({candidate}, candidate_count, line, source, "candidate")
            if candidate in seen:
                raise BltFormatError(source, line, f"candidate {candidate} is ranked more than once")
            seen.add(candidate)
        rankings.append(group)
    return Ballot(weight=int(weight_text), rankings=tuple(rankings))


def _check_candidates(numbers: set[int], candidate_count: int, line: int, source: str, what: str) -> None:
    for number in sorted(numbers):
        if not 1 <= number <= candidate_count:
            raise BltFormatError(source, line, f"{what} {number} does not exist (candidates are 1 to {candidate_count})")


def _parse_names(content: str, line: int, source: str) -> list[str]:
    if not content.startswith('"'):
        return [content]
    names: list[str] = []
    rest = content
    while rest:
        if not rest.startswith('"'):
            raise BltFormatError(source, line, f"expected a quoted name, found {rest!r}")
        end = rest.find('"', 1)
        names.append(rest[1:end])
        rest = rest[end + 1:].lstrip()
    return names


def _is_integer(token: str) -> bool:
    return token.lstrip("-").isdigit() and token.count("-") <= 1 and not token.endswith("-")


def _is_negative_integer(token: str) -> bool:
    return token.startswith("-") and token[1:].isdigit() and int(token[1:]) > 0
