"""Bar charts drawn on the server as inline SVG (no JavaScript, nothing fetched): the numbers become geometry here,
the template `finance/_chart.html` draws them with a title, a description and the same data as a table."""

from __future__ import annotations

from decimal import Decimal

WIDTH = 356  # fits a 390 px phone inside the page padding; drawn at its own size (no scaling)
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
GAP = 12
COLOURS = ("#0b5cad", "#b35c00")  # 3:1 or more against white (WCAG 1.4.11)


def bar_chart(chart_id: str, title: str, rows: list[dict], series: list[tuple[str, str]],
              description: str = "", is_share: bool = False) -> dict:
    """Horizontal bars, one group per row: `rows` are dicts with "name" and a value per key of `series`
    (pairs of key and label). Each row's label sits above its bars, so the chart reads on a narrow phone."""
    values = [row.get(key) for row in rows for key, _ in series]
    top = max([value for value in values if value is not None] or [Decimal(0)]) or Decimal(1)
    legend_height = LABEL_HEIGHT + 6
    y = legend_height
    groups = []
    for row in rows:
        bars = []
        label_y = y + LABEL_HEIGHT - 6
        y += LABEL_HEIGHT
        for index, (key, label) in enumerate(series):
            value = row.get(key)
            length = 0 if value is None else int(Decimal(WIDTH - 2) * max(value, Decimal(0)) / top)
            bars.append({"x": 0, "y": y, "width": max(length, 1 if value else 0), "height": BAR_HEIGHT,
                         "fill": COLOURS[index % len(COLOURS)], "value": value, "series": label})
            y += BAR_HEIGHT + 2
        y += GAP
        groups.append({"name": row["name"], "label_y": label_y, "bars": bars, "row": row})
    legend = [{"x": index * 170, "label": label, "fill": COLOURS[index % len(COLOURS)]}
              for index, (_, label) in enumerate(series)]
    return {"id": chart_id, "title": title, "description": description, "width": WIDTH, "height": y,
            "groups": groups, "legend": legend, "series": series, "is_share": is_share, "rows": rows}
