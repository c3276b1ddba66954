"""Reader for abcvoting's test-instance files (`*.abc.yaml`): a profile, a committee size and expected results.

The files use a small, fixed subset of YAML, parsed here without a YAML library:

    description: "..."
    profile: [[3, 4], [1, 2], []]
    num_cand: 6
    committeesize: 3
    compute:
    - rule_id: av
      result: [[1, 2, 3], [1, 3, 4]]
      resolute: false

Every value is a JSON literal (numbers, true/false, double-quoted strings, flow lists) or a plain unquoted
name; an empty value means null.
Anything else raises AbcYamlError with the file, line and reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from comuna.choice.committee.profile import ApprovalProfile, Committee

_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


class AbcYamlError(ValueError):
    """An abcvoting instance file that does not follow the expected format."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")
        self.source, self.line, self.reason = source, line, reason


@dataclass(frozen=True)
class ExpectedResult:
    """One `compute:` entry: the winning committees abcvoting computed for `rule_id` (None if not computed)."""

    rule_id: str
    resolute: bool
    committees: tuple[Committee, ...] | None


@dataclass(frozen=True)
class AbcInstance:
    description: str
    profile: ApprovalProfile
    committee_size: int
    expected: tuple[ExpectedResult, ...]

    def expected_for(self, rule_id: str, resolute: bool) -> tuple[Committee, ...] | None:
        """The expected committees for a rule, or None if the file has no (non-null) entry for it."""
        for entry in self.expected:
            if entry.rule_id == rule_id and entry.resolute == resolute:
                return entry.committees
        return None


def _value(text: str, source: str, line: int) -> object:
    text = text.strip()
    if not text:
        return None
    if _PLAIN_WORD.fullmatch(text) and text not in ("true", "false", "null"):
        return text  # an unquoted name such as `rule_id: seqphragmen`
    if text.startswith('"'):
        text = text.replace("\\ ", " ")  # YAML's escaped space, which JSON lacks
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise AbcYamlError(source, line, f"value is not a literal this reader understands: {error}") from None


def _key_value(text: str, source: str, line: int) -> tuple[str, object]:
    key, colon, rest = text.partition(":")
    if not colon or not key.strip().replace("_", "").replace("-", "").isalnum():
        raise AbcYamlError(source, line, f"expected 'key: value', got {text!r}")
    return key.strip(), _value(rest, source, line)


def _committees(value: object, source: str, line: int) -> tuple[Committee, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(c, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in c) for c in value
    ):
        raise AbcYamlError(source, line, "result must be a list of lists of candidate numbers")
    return tuple(tuple(sorted(c)) for c in value)


def _is_open(text: str) -> bool:
    """True while a flow list or a double-quoted string started on this logical line is not yet closed."""
    depth, quoted, escaped = 0, False, False
    for char in text:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return quoted or depth > 0


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines numbered from 1, with a long flow value that the writer wrapped joined back into one line."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if lines and _is_open(lines[-1][1]):
            start, previous = lines[-1]
            if previous.endswith("\\"):  # YAML escaped line break inside a quoted string: no space is added
                lines[-1] = (start, previous[:-1] + raw.strip())
            else:  # a wrapped flow value or plain line break: folded into one space
                lines[-1] = (start, previous + " " + raw.strip())
        elif raw.strip() and not raw.lstrip().startswith("#"):
            lines.append((number, raw.rstrip()))
    return lines


def parse_abc_yaml(text: str, source: str = "<string>") -> AbcInstance:
    """Parse the text of one abcvoting instance file."""
    top: dict[str, tuple[object, int]] = {}
    entries: list[dict[str, tuple[object, int]]] = []
    in_compute = False
    for number, raw in _logical_lines(text):
        if raw.startswith("- ") and in_compute:
            entries.append({})
            key, value = _key_value(raw[2:], source, number)
            entries[-1][key] = (value, number)
        elif raw.startswith("  ") and in_compute and entries:
            key, value = _key_value(raw[2:], source, number)
            entries[-1][key] = (value, number)
        elif not raw[0].isspace():
            key, value = _key_value(raw, source, number)
            if key in top:
                raise AbcYamlError(source, number, f"key {key!r} appears twice")
            top[key] = (value, number)
            in_compute = key == "compute"
        else:
            raise AbcYamlError(source, number, "unexpected indentation")

    def required(key: str, kind: type) -> tuple[object, int]:
        if key not in top:
            raise AbcYamlError(source, 1, f"missing key {key!r}")
        value, number = top[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise AbcYamlError(source, number, f"{key} must be of type {kind.__name__}")
        return value, number

    ballots, profile_line = required("profile", list)
    num_cand, num_cand_line = required("num_cand", int)
    committee_size, _ = required("committeesize", int)
    if not all(isinstance(b, list) and all(isinstance(c, int) and not isinstance(c, bool) for c in b) for b in ballots):
        raise AbcYamlError(source, profile_line, "profile must be a list of lists of candidate numbers")
    try:
        profile = ApprovalProfile.from_ballots(num_cand, ballots)
    except (TypeError, ValueError) as error:
        raise AbcYamlError(source, profile_line, str(error)) from None

    expected = []
    for entry in entries:
        first_line = min(number for _, number in entry.values())
        if set(entry) != {"rule_id", "result", "resolute"}:
            raise AbcYamlError(source, first_line, "compute entries need exactly rule_id, result and resolute")
        rule_id, resolute = entry["rule_id"][0], entry["resolute"][0]
        if not isinstance(resolute, bool):
            raise AbcYamlError(source, entry["resolute"][1], "resolute must be true or false")
        if not isinstance(rule_id, str):
            raise AbcYamlError(source, entry["rule_id"][1], "rule_id must be a name")
        result, result_line = entry["result"]
        expected.append(ExpectedResult(rule_id, resolute, _committees(result, source, result_line)))
    description = top.get("description", ("", 0))[0]
    return AbcInstance(str(description or ""), profile, committee_size, tuple(expected))


def read_abc_yaml(path: str | Path) -> AbcInstance:
    """Read one abcvoting instance file."""
    path = Path(path)
    return parse_abc_yaml(path.read_text(encoding="utf-8"), source=str(path))
