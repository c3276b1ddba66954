"""The 17 Sustainable Development Goals and their 169 targets, with the UN's official titles (data/sdg.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from comuna.core.translated import pick

DATA = Path(__file__).parent / "data" / "sdg.json"


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def goals() -> dict[str, dict]:
    return _data()["goals"]


def targets() -> dict[str, dict]:
    return _data()["targets"]


def is_goal(code: str) -> bool:
    return code in goals()


def is_target(code: str) -> bool:
    return code in targets()


def goal_of(target: str) -> str:
    return target.split(".", 1)[0]


def goal_title(code: str, language: str | None = None) -> str:
    return pick(goals().get(code, {}), language)


def target_title(code: str, language: str | None = None) -> str:
    return pick(targets().get(code, {}), language)


def target_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {target_title(code)[:120]}") for code in targets()]


def describe(codes: list[str]) -> list[dict]:
    """Targets with their goal and title in the reader's language, in the official order."""
    order = list(targets())
    known = sorted((c for c in codes if c in targets()), key=order.index)
    return [{"code": c, "goal": goal_of(c), "goal_title": goal_title(goal_of(c)), "title": target_title(c)}
            for c in known]
