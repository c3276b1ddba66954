"""The count as a table of stages and as an SVG chart, from the result data of comuna.choice.stv."""

from __future__ import annotations

from decimal import Decimal


def stage_table(result: dict) -> dict:
    """Rows of candidates, a column per stage, with who was elected or excluded at which stage."""
    outcomes: dict[int, tuple[str, int]] = {}
    for stage in result["stages"]:
        for event in stage["events"]:
            outcomes.setdefault(event["candidate"], (event["outcome"], stage["number"]))
    rows = []
    for index, name in enumerate(result["candidates"], start=1):
        rows.append({"number": index, "name": name,
                     "votes": [stage["votes"][index - 1] for stage in result["stages"]],
                     "outcome": outcomes.get(index)})
    return {"stages": result["stages"], "rows": rows,
            "non_transferable": [stage["non_transferable_total"] for stage in result["stages"]]}


def votes_chart(result: dict, width: int = 640, bar_height: int = 22) -> dict:
    """Final-stage votes per candidate as horizontal bars, with the quota marked."""
    final = result["stages"][-1]["votes"]
    values = [Decimal(v) for v in final]
    quota = Decimal(result["quota"])
    top = max([*values, quota]) or Decimal(1)
    label_width, usable = 180, width - 200
    bars = []
    for index, (name, value) in enumerate(zip(result["candidates"], values, strict=True)):
        bars.append({"y": index * (bar_height + 6), "name": name, "value": value,
                     "width": int(usable * value / top), "elected": index + 1 in result["elected"]})
    return {"bars": bars, "width": width, "height": len(bars) * (bar_height + 6), "bar_height": bar_height,
            "label_width": label_width, "quota_x": label_width + int(usable * quota / top), "quota": quota}
