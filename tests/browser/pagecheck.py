"""What the browser tests ask of every page they check."""

from __future__ import annotations


def serious(results) -> list[str]:
    """axe-core's serious and critical violations, each with its rule, help text and number of elements."""
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]
