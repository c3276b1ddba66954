"""Read helpers: the opinion map as drawable geometry and lists, the tensions dashboard, who sees what."""

from __future__ import annotations

import string
from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.spheres.models import Sphere

from .models import Conversation, MediationCase, Participant, Statement, TensionReport, TensionStatus

WIDTH, HEIGHT, PAD = 356, 280, 14  # fits a 390 px phone, drawn at its own size
# Distinct at 3:1 or more against white (WCAG 1.4.11); each group also has its own letter in the table.
GROUP_COLOURS = ("#0b5cad", "#b35c00", "#2e7d32", "#8e24aa", "#c62828")
NOT_GROUPED = "#6b7580"


def group_label(group: int) -> str:
    return string.ascii_uppercase[group] if group < 26 else str(group + 1)


def can_moderate(user, sphere: Sphere) -> bool:
    return user.is_authenticated and user.has_perm("conversations.moderate", sphere)


def can_mediate(user, sphere: Sphere) -> bool:
    return user.is_authenticated and user.has_perm("conversations.mediate", sphere)


def can_see_cases(user, sphere: Sphere) -> bool:
    return user.is_authenticated and user.has_perm("conversations.see_cases", sphere)


def can_read_notes(user, sphere: Sphere) -> bool:
    return user.is_authenticated and user.has_perm("conversations.read_case_notes", sphere)


def _ranked(item, statements: dict[int, Statement]) -> dict | None:
    statement = statements.get(item.statement_id)
    if statement is None:
        return None
    return {"statement": statement, "direction": item.repful_for, "percent": round(100 * item.p_success),
            "votes": item.n_trials, "count": item.n_success}


def map_view(conversation: Conversation, opinion_map, participant: Participant | None) -> dict:
    """Everything the map page draws: points per group (scaled into the SVG), where I stand, the consensus,
    divisive and representative statements, with their statements' texts."""
    statements = {s.number: s for s in Statement.objects.filter(conversation=conversation)}
    groups = opinion_map.groups()
    positions = opinion_map.positions()
    placed = {pid: positions[pid] for pid in groups if pid in positions}
    xs = [x for x, _y in placed.values()] or [0.0]
    ys = [y for _x, y in placed.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def scale(x: float, y: float) -> tuple[float, float]:
        return (round(PAD + (x - min(xs)) / span_x * (WIDTH - 2 * PAD), 1),
                round(PAD + (y - min(ys)) / span_y * (HEIGHT - 2 * PAD), 1))

    group_ids = sorted(set(groups.values()))
    sizes = {g: 0 for g in group_ids}
    points = []
    for pid, (x, y) in sorted(placed.items()):
        group = groups[pid]
        sizes[group] += 1
        cx, cy = scale(x, y)
        points.append({"x": cx, "y": cy, "fill": GROUP_COLOURS[group % len(GROUP_COLOURS)]})
    me = None
    if participant is not None and participant.number in positions and participant.number in placed:
        cx, cy = scale(*positions[participant.number])
        group = groups.get(participant.number)
        me = {"x": cx, "y": cy, "group": group_label(group) if group is not None else None}
    representative = opinion_map.representative()
    group_rows = [{
        "label": group_label(g), "colour": GROUP_COLOURS[g % len(GROUP_COLOURS)], "size": sizes[g],
        "statements": [row for row in (_ranked(item, statements) for item in representative.get(g, [])) if row],
        "legend_y": 16 + 20 * index,
    } for index, g in enumerate(group_ids)]
    consensus = opinion_map.consensus()
    informed = opinion_map.group_informed_consensus() if len(group_ids) > 1 else {}
    return {
        "width": WIDTH, "height": HEIGHT, "points": points, "me": me, "groups": group_rows,
        "consensus_agree": [row for row in (_ranked(item, statements) for item in consensus["agree"]) if row],
        "consensus_disagree": [row for row in (_ranked(item, statements) for item in consensus["disagree"]) if row],
        "bridging": [statements[sid] for sid in list(informed)[:3] if sid in statements],
        "divisive": [statements[sid] for sid in opinion_map.divisive(limit=5) if sid in statements],
        "participants": len(positions), "in_map": len(placed),
    }


# --- Tensions -------------------------------------------------------------------------------------------------

def spheres_below(sphere: Sphere) -> Q:
    return Q(sphere=sphere) | Q(sphere__path__startswith=f"{sphere.path}{sphere.pk}/")


def tension_reports(sphere: Sphere, status: str = ""):
    reports = TensionReport.objects.filter(spheres_below(sphere)).select_related("sphere", "case")
    if status in TensionStatus.values:
        reports = reports.filter(status=status)
    return reports


CHART_WIDTH, CHART_HEIGHT, AXIS = 356, 200, 24
SEVERITY_COLOURS = {1: "#6b7580", 2: "#0b5cad", 3: "#2e7d32", 4: "#b35c00", 5: "#c62828"}


def weekly_signals(sphere: Sphere, weeks: int = 12, now=None) -> dict:
    """Reports per week over the last `weeks` weeks, in the sphere and below, stacked by severity: a table's rows
    and the bars of an SVG chart drawn from them."""
    now = now or timezone.now()
    start = timezone.localtime(now - timedelta(weeks=weeks - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=start.weekday())
    counts = (TensionReport.objects.filter(spheres_below(sphere), created_at__gte=start)
              .annotate(week=TruncWeek("created_at")).values("week", "severity").annotate(n=Count("id")))
    table: dict = {}
    for row in counts:
        week = timezone.localtime(row["week"]).date() if hasattr(row["week"], "tzinfo") else row["week"]
        table.setdefault(week, {})[row["severity"]] = row["n"]
    rows = []
    for index in range(weeks):
        week = (start + timedelta(weeks=index)).date()
        by_severity = table.get(week, {})
        rows.append({"week": week, "by_severity": [by_severity.get(s, 0) for s in range(1, 6)],
                     "total": sum(by_severity.values())})
    top = max([row["total"] for row in rows] + [1])
    bar_width = (CHART_WIDTH - AXIS) / weeks
    for index, row in enumerate(rows):
        y = CHART_HEIGHT - AXIS
        bars = []
        for severity, count in zip(range(1, 6), row["by_severity"], strict=True):
            if count:
                height = count / top * (CHART_HEIGHT - AXIS - 8)
                y -= height
                bars.append({"x": round(AXIS + index * bar_width + 2, 1), "y": round(y, 1),
                             "width": round(bar_width - 4, 1), "height": round(height, 1),
                             "fill": SEVERITY_COLOURS[severity], "severity": severity, "count": count})
        row["bars"] = bars
        row["label_x"] = round(AXIS + index * bar_width + bar_width / 2, 1)
    return {"rows": rows, "top": top, "width": CHART_WIDTH, "height": CHART_HEIGHT, "axis_y": CHART_HEIGHT - AXIS,
            "axis": AXIS, "legend": [{"severity": s, "fill": c, "x": AXIS + (s - 1) * 64}
                                     for s, c in SEVERITY_COLOURS.items()],
            "description": _("Tension reports per week over the last %(weeks)d weeks, by severity; the most in one "
                             "week: %(top)d.") % {"weeks": weeks, "top": top}}


def signals_by_sphere(sphere: Sphere, weeks: int = 12, now=None) -> list[dict]:
    """Reports of the last `weeks` weeks per sphere (the sphere and each one below that had any), by status."""
    since = (now or timezone.now()) - timedelta(weeks=weeks)
    counts = list(TensionReport.objects.filter(spheres_below(sphere), created_at__gte=since)
                  .values("sphere_id", "status").annotate(n=Count("id")))
    spheres = Sphere.objects.in_bulk({row["sphere_id"] for row in counts})
    rows: dict[int, dict] = {}
    for row in counts:
        place = spheres[row["sphere_id"]]
        entry = rows.setdefault(place.pk, {"sphere": place.name, "path": f"{place.path}{place.pk}/", "total": 0,
                                           **{status: 0 for status in TensionStatus.values}})
        entry[row["status"]] += row["n"]
        entry["total"] += row["n"]
    ordered = sorted(rows.values(), key=lambda entry: entry["path"])
    for entry in ordered:
        entry["cells"] = [entry[status] for status in TensionStatus.values]
    return ordered


def cases_of(sphere: Sphere):
    return MediationCase.objects.filter(spheres_below(sphere)).select_related("sphere")
