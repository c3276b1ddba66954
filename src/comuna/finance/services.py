"""Finance actions: `check_*` validates, `do_*` changes the data and writes the audit event, in one transaction."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import has_role
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.budgeting.links import describe_project
from comuna.core.errors import Conflict, DomainError, NotFound
from comuna.spheres.models import Function, Sphere

from . import actions
from .amounts import AmountError, parse_amount
from .csvio import Problem, Row, read_rows
from .models import ZERO, Budget, BudgetLine, BudgetStatus, Direction, ProjectLink

FIRST_YEAR, LAST_YEAR = 1990, 2100


class InvalidBudgetFile(DomainError):
    """A budget file refused whole; `problems` names every line and column at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__("invalid_budget_file",
                         _("The file was not imported: %(count)s problem(s) to fix. Nothing was changed.")
                         % {"count": count},
                         errors=[problem.as_dict() for problem in problems])
        self.problems = problems


def check_can_import(user, sphere: Sphere) -> None:
    check_perm(user, "finance.import_budget", sphere,
               _("Only a finance officer or an admin of %(sphere)s can import its budget.") % {"sphere": sphere.name})


def check_budget_header(sphere: Sphere, fiscal_year: int, currency: str, status: str) -> None:
    if sphere.is_network:
        raise DomainError("network_budget", _("Budgets belong to a sphere of government, not to a network."))
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise DomainError("bad_year", _("The fiscal year must be between %(first)s and %(last)s.")
                          % {"first": FIRST_YEAR, "last": LAST_YEAR})
    if not re.fullmatch(r"[A-Z]{3}", currency or ""):
        raise DomainError("bad_currency", _("The currency must be a three-letter ISO 4217 code such as EUR."))
    if status not in BudgetStatus.values:
        raise DomainError("bad_status", _("The status must be draft or adopted."))


def read_budget_file(raw: bytes) -> list[Row]:
    """Every row of a budget CSV, or InvalidBudgetFile listing every problem (nothing is written either way)."""
    rows, problems = read_rows(raw, function_codes=set(Function.objects.values_list("code", flat=True)),
                               sphere_slugs=set(Sphere.objects.values_list("slug", flat=True)))
    if problems:
        raise InvalidBudgetFile(problems)
    return rows


@transaction.atomic
def do_import_budget(sphere: Sphere, fiscal_year: int, raw: bytes, *, actor, currency: str = "EUR",
                     status: str = BudgetStatus.ADOPTED) -> Budget:
    """Import a year's budget from CSV bytes; a re-import of the same year replaces that year's lines.

    The whole file is validated first; any problem refuses it whole (InvalidBudgetFile, every line and column
    named) and nothing is written. Lines keep their identity by code across re-imports, so the projects linked
    to a line stay linked; a re-import that would drop a line that projects are linked to is refused."""
    check_can_import(actor, sphere)
    currency = (currency or "").strip().upper()
    check_budget_header(sphere, fiscal_year, currency, status)
    rows = read_budget_file(raw)
    return write_budget(sphere, fiscal_year, rows, actor=actor, currency=currency, status=status,
                        digest=hashlib.sha256(raw).hexdigest())


def write_budget(sphere: Sphere, fiscal_year: int, rows: list[Row], *, actor, currency: str, status: str,
                 digest: str = "") -> Budget:
    """Write validated rows (permission settled by the caller; the demo loader calls this directly)."""
    budget = Budget.objects.select_for_update().filter(sphere=sphere, fiscal_year=fiscal_year).first()
    replaced = budget is not None
    existing: dict[str, BudgetLine] = {}
    if budget is None:
        budget = Budget.objects.create(sphere=sphere, fiscal_year=fiscal_year, currency=currency, status=status)
    else:
        existing = {line.code: line for line in budget.lines.all()}
        new_codes = {row.code for row in rows}
        linked = sorted(set(ProjectLink.objects.filter(budget_line__budget=budget)
                            .values_list("budget_line__code", flat=True)) - new_codes)
        if linked:
            raise Conflict("linked_lines_dropped",
                           _("The file drops lines that participatory-budget projects are linked to: %(codes)s. "
                             "Keep these codes in the file. Nothing was changed.") % {"codes": ", ".join(linked)},
                           codes=linked)
        budget.currency, budget.status, budget.imported_at = currency, status, timezone.now()
        budget.save(update_fields=["currency", "status", "imported_at"])
    slugs = {row.transfer_from for row in rows if row.transfer_from}
    sphere_ids = dict(Sphere.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    keep, create = [], []
    for row in rows:
        line = existing.pop(row.code, None) or BudgetLine(budget=budget, code=row.code)
        line.direction, line.revenue_type, line.economic_type = row.direction, row.revenue_type, row.economic_type
        line.transfer_from_id = sphere_ids.get(row.transfer_from)
        line.function_id = row.function or None
        line.label, line.planned, line.executed = row.label, row.planned, row.executed
        (keep if line.pk else create).append(line)
    BudgetLine.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
    BudgetLine.objects.bulk_update(keep, ["direction", "revenue_type", "economic_type", "transfer_from", "function",
                                          "label", "planned", "executed"], batch_size=500)
    BudgetLine.objects.bulk_create(create, batch_size=500)
    revenue = sum((row.planned for row in rows if row.direction == Direction.REVENUE), ZERO)
    spending = sum((row.planned for row in rows if row.direction == Direction.EXPENDITURE), ZERO)
    role = Role.ADMIN if has_role(actor, sphere, [Role.ADMIN]) else Role.FINANCE_OFFICER
    record(actions.BUDGET_REPLACED if replaced else actions.BUDGET_IMPORTED, actor=actor, actor_role=role,
           sphere=sphere, target=budget,
           data={"fiscal_year": fiscal_year, "lines": len(rows), "removed": len(existing), "status": status,
                 "currency": currency, "planned_revenue": str(revenue), "planned_expenditure": str(spending),
                 "file_sha256": digest})
    return budget


@transaction.atomic
def link_project(budget_line: BudgetLine, project_ref: str, amount: Decimal | str, *, actor=None) -> ProjectLink:
    """Record that the participatory-budget project `project_ref` is funded by `amount` of `budget_line`.

    For the budgeting app: call it once the project is selected, inside your own transaction if you like (it
    joins it). `project_ref` is your stable reference of the project (up to 100 characters); `amount` is a
    Decimal or a string read by comuna.finance.amounts.parse_amount, positive, and the amounts linked to one
    line may not exceed its planned amount. The caller has already checked that `actor` may select projects;
    the link is written to the audit log. Refusals raise DomainError / Conflict before anything is written."""
    project_ref = (project_ref or "").strip()
    if not project_ref or len(project_ref) > 100:
        raise DomainError("bad_project_ref", _("Give the project's reference (1 to 100 characters)."))
    if not isinstance(amount, Decimal):
        try:
            amount = parse_amount(str(amount))
        except AmountError as error:
            raise DomainError("bad_amount", _("The amount cannot be read: %(why)s.") % {"why": error}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError("bad_amount", _("The amount must be positive, with at most two decimals."))
    line = BudgetLine.objects.select_for_update().select_related("budget__sphere").get(pk=budget_line.pk)
    if line.direction != Direction.EXPENDITURE:
        raise DomainError("revenue_line", _("Projects are funded by expenditure lines, not revenue lines."))
    if ProjectLink.objects.filter(budget_line=line, project_ref=project_ref).exists():
        raise Conflict("already_linked", _("The project %(ref)s is already linked to line %(code)s.")
                       % {"ref": project_ref, "code": line.code})
    linked = sum(ProjectLink.objects.filter(budget_line=line).values_list("amount", flat=True), ZERO)
    if linked + amount > line.planned:
        raise Conflict("over_line", _("Line %(code)s plans %(planned)s; %(linked)s is already linked to projects, "
                                      "so %(amount)s more would exceed it.")
                       % {"code": line.code, "planned": line.planned, "linked": linked, "amount": amount})
    link = ProjectLink.objects.create(budget_line=line, project_ref=project_ref, amount=amount)
    record(actions.PROJECT_LINKED, actor=actor, sphere=line.budget.sphere, target=link,
           data={"line": line.code, "fiscal_year": line.budget.fiscal_year, "project": project_ref,
                 "amount": str(amount)})
    return link


@transaction.atomic
def do_link_project(budget_line: BudgetLine, project_ref: str, amount: Decimal | str, *, actor) -> ProjectLink:
    """An official's link, from the line's page or the API: the project must be a participatory-budget project of
    the line's own sphere (read through comuna.budgeting.links), then `link_project` checks the amount."""
    sphere = budget_line.budget.sphere
    check_perm(actor, "finance.link_project", sphere,
               _("Only an official, a finance officer or an admin of %(sphere)s can link projects to its budget.")
               % {"sphere": sphere.name})
    project_ref = (project_ref or "").strip()
    project = describe_project(project_ref)
    if project is None:
        raise NotFound("unknown_project", _("There is no participatory-budget project %(ref)s.")
                       % {"ref": project_ref or "—"})
    if project.sphere_id != sphere.pk:
        raise DomainError("other_sphere", _("The project “%(title)s” belongs to another sphere's participatory "
                                            "budget; link it to a line of that sphere's budget.")
                          % {"title": project.title})
    return link_project(budget_line, project_ref, amount, actor=actor)


@transaction.atomic
def do_unlink_project(link: ProjectLink, *, actor) -> None:
    """Undo a link made by mistake (or for a project that was dropped): the line's money is free again."""
    line = link.budget_line
    sphere = line.budget.sphere
    check_perm(actor, "finance.link_project", sphere,
               _("Only an official, a finance officer or an admin of %(sphere)s can link projects to its budget.")
               % {"sphere": sphere.name})
    data = {"line": line.code, "fiscal_year": line.budget.fiscal_year, "project": link.project_ref,
            "amount": str(link.amount)}
    link.delete()
    record(actions.PROJECT_UNLINKED, actor=actor, sphere=sphere, target=line, data=data)
