"""Participatory-budget projects as other apps see them, named by a stable reference "<process slug>/<project id>".

Local finance links budget lines to projects through these functions and never imports budgeting's models.
Projects of processes open only to residents are not offered nor described (they stay private)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Project, ProjectStatus


@dataclass(frozen=True)
class ProjectSummary:
    """What another app may show about a project: its reference, title, cost, status, sphere and page."""

    ref: str
    title: str
    cost: int
    currency: str
    status: str
    process_title: str
    sphere_id: int
    url: str


def project_ref(project: Project) -> str:
    return f"{project.budget.process.slug}/{project.pk}"


def _summary(project: Project) -> ProjectSummary:
    process = project.budget.process
    return ProjectSummary(ref=project_ref(project), title=project.title, cost=project.cost,
                          currency=project.budget.currency, status=project.get_status_display(),
                          process_title=process.title, sphere_id=process.sphere_id,
                          url=reverse("budgeting:budget", args=[process.slug]) + f"#pb-project-{project.pk}")


def _public_projects():
    return Project.objects.select_related("budget__process").filter(budget__process__is_private=False)


def projects_for_sphere(sphere) -> list[ProjectSummary]:
    """The projects of `sphere`'s own participatory budgets that can be funded (all but those found unfeasible),
    newest process first."""
    projects = (_public_projects().filter(budget__process__sphere=sphere)
                .exclude(status=ProjectStatus.UNFEASIBLE).order_by("-budget__process_id", "pk"))
    return [_summary(project) for project in projects]


def describe_projects(refs: list[str]) -> dict[str, ProjectSummary]:
    """The projects named by `refs` (one query); unknown, malformed or private references are left out."""
    ids = {}
    for ref in refs:
        slug, _, pk = (ref or "").rpartition("/")
        if slug and pk.isdigit():
            ids[int(pk)] = slug
    projects = _public_projects().filter(pk__in=ids)
    return {project_ref(project): _summary(project) for project in projects
            if ids.get(project.pk) == project.budget.process.slug}


def describe_project(ref: str) -> ProjectSummary | None:
    """The project named by `ref`, or None when there is no such (public) project."""
    return describe_projects([ref]).get(ref)
