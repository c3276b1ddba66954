"""Citizens' assemblies by lot, on comuna.choice.sortition: volunteers answer the categories, officials set quotas,
the LEXIMIN distribution is published (with its fingerprint) before the public seed is known, then the draw."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import is_resident
from comuna.accounts.services import check_perm
from comuna.audit.actions import ASSEMBLY_CREATED, DISTRIBUTION_PUBLISHED, PANEL_DRAWN
from comuna.audit.services import record
from comuna.choice import sortition
from comuna.core.errors import Conflict, DomainError, NotAllowed

from .models import Assembly, AssemblyQuota, Volunteer


def parse_quota_lines(text: str) -> list[tuple[str, str, int, int]]:
    """Lines of "category; answer; at least; at most", e.g. "Age; 16-29; 4; 6"."""
    quotas = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 4 or not parts[0] or not parts[1] or not parts[2].isdigit() or not parts[3].isdigit():
            raise DomainError("bad_quota_line", _("Line %(line)d: write “category; answer; at least; at most”.")
                              % {"line": number}, line=number)
        low, high = int(parts[2]), int(parts[3])
        if low > high:
            raise DomainError("bad_quota_line", _("Line %(line)d: the minimum is above the maximum.") % {"line": number},
                              line=number)
        quotas.append((parts[0], parts[1], low, high))
    if not quotas:
        raise DomainError("no_quotas", _("Give at least one category with its answers and quotas."))
    return quotas


@transaction.atomic
def do_create_assembly(admin, sphere, *, slug: str, title: str, panel_size: int, quota_lines: str,
                       recruitment_closes_at: datetime, draw_at: datetime, seed_source: str,
                       purpose: str = "") -> Assembly:
    check_perm(admin, "representation.run_election", sphere,
               _("Only an admin of %(sphere)s can convene an assembly.") % {"sphere": sphere.name})
    quotas = parse_quota_lines(quota_lines)
    if draw_at <= recruitment_closes_at:
        raise DomainError("draw_before_close", _("The draw must come after volunteering closes."))
    if Assembly.objects.filter(slug=slug).exists():
        raise Conflict("slug_taken", _("The short name “%(slug)s” is already used.") % {"slug": slug[:80]})
    assembly = Assembly.objects.create(sphere=sphere, slug=slug, title=title, panel_size=panel_size,
                                       recruitment_closes_at=recruitment_closes_at, draw_at=draw_at,
                                       seed_source=seed_source, purpose=purpose)
    try:
        AssemblyQuota.objects.bulk_create([AssemblyQuota(assembly=assembly, category=c, feature=f, minimum=lo,
                                                         maximum=hi) for c, f, lo, hi in quotas])
    except IntegrityError:
        raise DomainError("duplicate_quota", _("Each answer of a category can have only one quota.")) from None
    record(ASSEMBLY_CREATED, actor=admin, actor_role=Role.ADMIN, sphere=sphere, target=assembly,
           data={"panel_size": panel_size, "seed_source": seed_source})
    return assembly


def categories_of(assembly: Assembly) -> dict[str, list[str]]:
    categories: dict[str, list[str]] = {}
    for quota in assembly.quotas.all():
        categories.setdefault(quota.category, []).append(quota.feature)
    return categories


@transaction.atomic
def do_volunteer(user, assembly: Assembly, answers: dict[str, str]) -> Volunteer:
    if not user.is_authenticated:
        raise NotAllowed("not_authenticated", _("Sign in to volunteer."))
    if timezone.now() >= assembly.recruitment_closes_at:
        raise DomainError("recruitment_closed", _("Volunteering for this assembly is closed."))
    if not is_resident(user, assembly.sphere):
        raise NotAllowed("not_resident", _("Only verified residents of %(sphere)s can volunteer.")
                         % {"sphere": assembly.sphere.name})
    categories = categories_of(assembly)
    for category, features in categories.items():
        if answers.get(category) not in features:
            raise DomainError("missing_answer", _("Answer the question “%(category)s”.") % {"category": category})
    try:
        with transaction.atomic():
            return Volunteer.objects.create(assembly=assembly, user=user,
                                            answers={c: answers[c] for c in categories})
    except IntegrityError:
        raise Conflict("already_volunteered", _("You have already volunteered for this assembly.")) from None


def selection_problem(assembly: Assembly) -> sortition.SelectionProblem:
    quotas = [sortition.Quota(q.category, q.feature, q.minimum, q.maximum) for q in assembly.quotas.all()]
    records = [{"id": str(v.pk), **v.answers} for v in assembly.volunteers.all()]
    if len(records) < assembly.panel_size:
        raise DomainError("too_few_volunteers", _("Only %(count)d people volunteered for a panel of %(size)d.")
                          % {"count": len(records), "size": assembly.panel_size})
    pool = sortition.pool_from_records(records, quotas, id_key="id")
    return sortition.SelectionProblem(pool, tuple(quotas), assembly.panel_size)


def describe_infeasibility(error: sortition.InfeasibleQuotasError) -> str:
    """The library's explanation, in the reader's language."""
    parts = []
    for bound in error.conflict:
        template = (_("at least %(n)d with %(category)s = %(feature)s") if bound.side == "min"
                    else _("at most %(n)d with %(category)s = %(feature)s"))
        parts.append(template % {"n": bound.quota.min if bound.side == "min" else bound.quota.max,
                                 "category": bound.quota.category, "feature": bound.quota.feature})
    text = _("No panel meets the quotas.")
    if parts:
        text += " " + _("These quotas cannot be met together: %(list)s.") % {"list": "; ".join(parts)}
    for old, new in error.changes:
        if new.min < old.min:
            text += " " + _("Suggestion: lower the minimum of %(category)s = %(feature)s from %(old)d to %(new)d.") % {
                "category": old.category, "feature": old.feature, "old": old.min, "new": new.min}
        if new.max > old.max:
            text += " " + _("Suggestion: raise the maximum of %(category)s = %(feature)s from %(old)d to %(new)d.") % {
                "category": old.category, "feature": old.feature, "old": old.max, "new": new.max}
    return text


@transaction.atomic
def do_publish_distribution(official, assembly: Assembly) -> Assembly:
    """LEXIMIN: the fairest lottery over panels that meet the quotas; published before the seed is known."""
    check_perm(official, "representation.count_election", assembly.sphere,
               _("Only officials of %(sphere)s can prepare the draw.") % {"sphere": assembly.sphere.name})
    if timezone.now() < assembly.recruitment_closes_at:
        raise Conflict("recruitment_open", _("Volunteering is still open."))
    if assembly.panel is not None:
        raise Conflict("already_drawn", _("The panel has already been drawn."))
    try:
        distribution = sortition.leximin_distribution(selection_problem(assembly))
    except sortition.InfeasibleQuotasError as error:
        raise DomainError("infeasible_quotas", describe_infeasibility(error)) from None
    assembly.distribution = distribution.to_json()
    assembly.fingerprint = distribution.fingerprint()
    assembly.distribution_published_at = timezone.now()
    assembly.save(update_fields=["distribution", "fingerprint", "distribution_published_at"])
    record(DISTRIBUTION_PUBLISHED, actor=official, actor_role=Role.OFFICIAL, sphere=assembly.sphere, target=assembly,
           data={"fingerprint": assembly.fingerprint})
    return assembly


@transaction.atomic
def do_draw(official, assembly: Assembly, seed: str) -> list[str]:
    check_perm(official, "representation.count_election", assembly.sphere,
               _("Only officials of %(sphere)s can draw the panel.") % {"sphere": assembly.sphere.name})
    if assembly.distribution is None:
        raise Conflict("no_distribution", _("Publish the selection probabilities before the draw."))
    if assembly.panel is not None:
        raise Conflict("already_drawn", _("The panel has already been drawn."))
    if timezone.now() < assembly.draw_at:
        raise Conflict("too_early", _("The draw takes place at the announced time, not before."))
    if not seed.strip():
        raise DomainError("seed_required", _("Enter the seed from the announced public source."))
    panel = sortition.draw_panel(sortition.PanelDistribution.from_json(assembly.distribution), seed.strip())
    assembly.seed, assembly.panel, assembly.drawn_at = seed.strip(), panel, timezone.now()
    assembly.save(update_fields=["seed", "panel", "drawn_at"])
    record(PANEL_DRAWN, actor=official, actor_role=Role.OFFICIAL, sphere=assembly.sphere, target=assembly,
           data={"seed": assembly.seed, "panel": panel})
    transaction.on_commit(lambda: invite_members(assembly))
    return panel


def invite_members(assembly: Assembly) -> int:
    """E-mail each drawn member an invitation, in their own language (one connection for all)."""
    from django.conf import settings
    from django.core import mail
    from django.template.loader import render_to_string
    from django.utils import translation

    members = Volunteer.objects.filter(assembly=assembly, pk__in=[int(n) for n in assembly.panel or []]).select_related(
        "user")
    messages = []
    for member in members:
        with translation.override(member.user.language or settings.LANGUAGE_CODE):
            subject = _("You have been drawn to sit in “%(title)s”") % {"title": assembly.title}
            body = render_to_string("representation/invitation.txt", {"assembly": assembly, "member": member})
        messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email]))
    with mail.get_connection() as connection:
        connection.send_messages(messages)
    return len(messages)


def probabilities(assembly: Assembly) -> list[tuple[str, float]]:
    if assembly.distribution is None:
        return []
    distribution = sortition.PanelDistribution.from_json(assembly.distribution)
    return list(zip(distribution.volunteers, distribution.probabilities(), strict=True))
