"""Cooperation actions: `check_*` validates, `do_*` changes the data and writes the audit event, in one transaction."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role as StaffRole
from comuna.accounts.services import check_perm, check_staff_mfa
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound
from comuna.core.images import JPEG, PNG, check_pdf, is_pdf, reencode_image
from comuna.spheres.models import Sphere

from . import actions, codelists, iati, sdg
from .models import (
    ActivityStatus,
    Budget,
    Document,
    Indicator,
    Measure,
    Organisation,
    OrganisationType,
    Participant,
    Partnership,
    Project,
    Result,
    ResultKind,
    Role,
    Transaction,
    TransactionKind,
)

# An IATI organisation identifier: a registration agency prefix (e.g. FR-INSEE, ES-DIR3, XM-DAC) and a number.
ORG_REF = re.compile(r"^[A-Z]{2}(-[A-Za-z0-9]+)+$")
MAX_IATI_REF = 150


def organisation_for(sphere: Sphere) -> Organisation:
    """The organisation that stands for a sphere in cooperation (created the first time it is needed)."""
    organisation = Organisation.objects.filter(sphere=sphere).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            sphere=sphere, name=sphere.name_en[:300],
            kind=OrganisationType.OTHER_PUBLIC if sphere.is_network else OrganisationType.LOCAL_GOVERNMENT)
    return organisation


def check_manage(user, sphere: Sphere) -> None:
    check_perm(user, "cooperation.manage", sphere,
               _("Only an admin or official of %(sphere)s can manage its cooperation.") % {"sphere": sphere.name})


def check_org_ref(ref: str) -> str:
    ref = ref.strip()
    if ref and (len(ref) > MAX_IATI_REF or not ORG_REF.match(ref)):
        raise DomainError("bad_org_ref", _("“%(ref)s” is not an IATI organisation identifier: it starts with the "
                                           "registration agency (such as FR-INSEE or ES-DIR3) followed by the "
                                           "number, e.g. FR-INSEE-213105554.") % {"ref": ref[:60]})
    return ref


@transaction.atomic
def do_set_identifier(user, sphere: Sphere, ref: str) -> Organisation:
    check_perm(user, "cooperation.set_identifier", sphere,
               _("Only an admin of %(sphere)s can set its IATI identifier.") % {"sphere": sphere.name})
    ref = check_org_ref(ref)
    organisation = organisation_for(sphere)
    if ref and Organisation.objects.filter(iati_ref=ref).exclude(pk=organisation.pk).exists():
        raise Conflict("org_ref_taken", _("Another organisation already has the identifier “%(ref)s”.") % {"ref": ref})
    organisation.iati_ref = ref
    organisation.save(update_fields=["iati_ref"])
    record(actions.IDENTIFIER_SET, actor=user, actor_role=StaffRole.ADMIN, sphere=sphere, target=organisation,
           data={"iati_ref": ref})
    return organisation


def partner_organisation(*, sphere: Sphere | None = None, name: str = "", iati_ref: str = "",
                         kind: str = OrganisationType.OTHER) -> Organisation:
    """A sphere's own organisation, or an outside organisation found by its identifier (or name) or created."""
    if sphere is not None:
        return organisation_for(sphere)
    iati_ref, name = check_org_ref(iati_ref), name.strip()[:300]
    if not name:
        raise DomainError("partner_required", _("Choose a sphere or name the partner organisation."))
    if kind not in OrganisationType.values:
        kind = OrganisationType.OTHER
    existing = Organisation.objects.filter(iati_ref=iati_ref).first() if iati_ref else \
        Organisation.objects.filter(iati_ref="", name=name, sphere__isnull=True).first()
    return existing or Organisation.objects.create(name=name, iati_ref=iati_ref, kind=kind)


@transaction.atomic
def do_create_partnership(user, sphere: Sphere, **fields) -> Partnership:
    check_manage(user, sphere)
    return build_partnership(user, sphere, **fields)


def build_partnership(user, sphere: Sphere, *, title: str, partner: Organisation, description: str = "",
                      since: date | None = None) -> Partnership:
    """The partnership, once permission is settled (the demo loader calls this directly)."""
    if not title.strip():
        raise DomainError("title_required", _("Give the partnership a title."))
    if partner.sphere_id == sphere.pk:
        raise DomainError("self_partnership", _("A sphere cannot be its own partner."))
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(sphere=sphere, partner=partner, title=title.strip()[:200],
                                                     description=description.strip()[:5000], since=since)
    except IntegrityError:
        raise Conflict("partnership_exists", _("%(sphere)s already has a partnership with %(partner)s.")
                       % {"sphere": sphere.name, "partner": partner.name}) from None
    record(actions.PARTNERSHIP_CREATED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=partnership,
           data={"partner": partner.iati_ref or partner.name})
    return partnership


def check_targets(codes: list[str]) -> list[str]:
    unknown = [code for code in codes if not sdg.is_target(code)]
    if unknown:
        raise DomainError("unknown_target", _("“%(code)s” is not an SDG target.") % {"code": unknown[0][:10]})
    return list(dict.fromkeys(codes))


def check_currency(currency: str) -> str:
    if currency not in codelists.CURRENCIES:
        raise DomainError("bad_currency", _("Give the currency as its three-letter ISO 4217 code, such as EUR."))
    return currency


def check_codes(sectors, countries) -> tuple[list[dict], list[str]]:
    """DAC sectors (vocabulary 1) and ISO 3166 countries, as the IATI codelists know them."""
    for sector in sectors:
        if str(sector.get("vocabulary", "1")) != "1" or str(sector.get("code")) not in codelists.DAC_SECTORS:
            raise DomainError("bad_sector", _("“%(code)s” is not an OECD DAC sector code.")
                              % {"code": str(sector.get("code"))[:10]})
    for country in countries:
        if country not in codelists.COUNTRIES:
            raise DomainError("bad_country", _("“%(code)s” is not a country code.") % {"code": str(country)[:10]})
    return [{"vocabulary": "1", "code": str(s["code"])} for s in sectors], list(countries)


@transaction.atomic
def do_create_project(user, sphere: Sphere, *, title: str, description: str = "", partnership: Partnership | None = None,
                      partners: list[tuple[Organisation, str]] = (), sdg_targets: list[str] = (),
                      status: str = ActivityStatus.IMPLEMENTATION, currency: str = "EUR",
                      planned_start: date | None = None, planned_end: date | None = None,
                      budget: Decimal | None = None, sectors: list[dict] = (), countries: list[str] = (),
                      places: list[dict] = (), language: str = "en", local_ref: str = "") -> Project:
    """A project published by `sphere`, funded by it, with the partners in their roles and an optional budget."""
    check_manage(user, sphere)
    return build_project(user, sphere, title=title, description=description, partnership=partnership,
                         partners=partners, sdg_targets=sdg_targets, status=status, currency=currency,
                         planned_start=planned_start, planned_end=planned_end, budget=budget, sectors=sectors,
                         countries=countries, places=places, language=language, local_ref=local_ref)


def build_project(user, sphere: Sphere, *, title: str, description: str, partnership: Partnership | None,
                  partners, sdg_targets, status: str, currency: str, planned_start: date | None,
                  planned_end: date | None, budget: Decimal | None, sectors, countries, places, language: str,
                  local_ref: str) -> Project:
    organisation = organisation_for(sphere)
    if not organisation.iati_ref:
        raise DomainError("no_iati_identifier", _("Set the IATI organisation identifier of %(sphere)s first: every "
                                                  "project's identifier starts with it.") % {"sphere": sphere.name})
    if not title.strip():
        raise DomainError("title_required", _("Give the project a title."))
    if partnership is not None and partnership.sphere_id != sphere.pk:
        raise DomainError("wrong_partnership", _("That partnership belongs to another sphere."))
    if status not in ActivityStatus.values:
        raise DomainError("bad_status", _("Unknown project status."))
    targets = check_targets(list(sdg_targets))
    currency = check_currency(currency)
    sectors, countries = check_codes(sectors, countries)
    if planned_start and planned_end and planned_end < planned_start:
        raise DomainError("dates_reversed", _("The project cannot end before it starts."))
    if budget is not None and (budget <= 0 or not (planned_start and planned_end)):
        raise DomainError("budget_period", _("A budget needs a positive amount and the project's start and end dates."))
    for _partner, role in partners:
        if role not in Role.values:
            raise DomainError("bad_role", _("Unknown partner role."))
    sequence = Project.objects.filter(reporting_org=organisation).count() + 1
    local_ref = re.sub(r"[^A-Za-z0-9-]", "", local_ref)[:40] or f"COOP-{sequence}"
    identifier = f"{organisation.iati_ref}-{local_ref}"
    if Project.objects.filter(iati_identifier=identifier).exists():
        raise Conflict("identifier_taken", _("A project with the identifier “%(id)s” already exists.")
                       % {"id": identifier})
    project = Project.objects.create(
        iati_identifier=identifier, reporting_org=organisation, sphere=sphere, partnership=partnership,
        title=title.strip()[:500], description=description.strip()[:20000], status=status, currency=currency,
        planned_start=planned_start, planned_end=planned_end, sdg_targets=targets, sectors=list(sectors),
        countries=list(countries), places=list(places), language=language[:8])
    for partner, role in [(organisation, Role.FUNDING), (organisation, Role.ACCOUNTABLE), *partners]:
        Participant.objects.get_or_create(project=project, organisation=partner, role=role)
    if budget is not None:
        Budget.objects.create(project=project, period_start=planned_start, period_end=planned_end, value=budget,
                              currency=currency, value_date=planned_start, status="2")
    record(actions.PROJECT_CREATED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"iati_identifier": identifier, "sdg_targets": targets})
    return project


def check_project_editable(user, project: Project, *, check: bool = True) -> Sphere:
    if project.imported or project.sphere is None:
        raise NotAllowed("imported_project", _("This project was imported from IATI; its publisher keeps it up to date."))
    if check:
        check_manage(user, project.sphere)
    return project.sphere


@transaction.atomic
def do_add_transaction(user, project: Project, *, kind: str, day: date, value: Decimal, description: str = "",
                       provider: Organisation | None = None, receiver: Organisation | None = None,
                       currency: str = "", check: bool = True) -> Transaction:
    """`check=False` only for the demo loader, which acts before anyone has signed in."""
    sphere = check_project_editable(user, project, check=check)
    if kind not in TransactionKind.values:
        raise DomainError("bad_transaction_type", _("Unknown transaction type."))
    if value is None or value <= 0 or value >= iati.MAX_AMOUNT:
        raise DomainError("bad_amount", _("Give a positive amount."))
    currency = check_currency(currency or project.currency)
    item = Transaction.objects.create(project=project, kind=kind, date=day, value=value, currency=currency,
                                      value_date=day, description=description.strip()[:1000], provider=provider,
                                      receiver=receiver)
    record(actions.TRANSACTION_ADDED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"type": kind, "value": str(value), "currency": currency, "date": day.isoformat()})
    return item


@transaction.atomic
def do_add_result(user, project: Project, *, title: str, indicator: str, kind: str = ResultKind.OUTPUT,
                  measure: str = Measure.UNIT, baseline_year: int | None = None, baseline: Decimal | None = None,
                  target: Decimal | None = None, actual: Decimal | None = None, period_start: date | None = None,
                  period_end: date | None = None, check: bool = True) -> Result:
    """`check=False` only for the demo loader, which acts before anyone has signed in."""
    sphere = check_project_editable(user, project, check=check)
    if not title.strip() or not indicator.strip():
        raise DomainError("result_required", _("Name the result and its indicator."))
    if kind not in ResultKind.values or measure not in Measure.values:
        raise DomainError("bad_result", _("Unknown result type or measure."))
    if (period_start is None) != (period_end is None) or (period_start and period_end < period_start):
        raise DomainError("bad_period", _("Give the indicator's period with a start before its end."))
    result = Result.objects.create(project=project, kind=kind, title=title.strip()[:500])
    Indicator.objects.create(result=result, title=indicator.strip()[:500], measure=measure,
                             baseline_year=baseline_year if baseline is not None or baseline_year else None,
                             baseline_value=baseline, target_value=target, actual_value=actual,
                             period_start=period_start, period_end=period_end)
    record(actions.RESULT_ADDED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"result": result.title})
    return result


# --- Editing --------------------------------------------------------------------------------------------------

@transaction.atomic
def do_edit_partnership(user, partnership: Partnership, *, title: str, description: str = "",
                        since: date | None = None) -> Partnership:
    check_manage(user, partnership.sphere)
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("Give the partnership a title."))
    partnership.title, partnership.description, partnership.since = title[:200], (description or "").strip()[:5000], since
    partnership.save(update_fields=["title", "description", "since"])
    record(actions.PARTNERSHIP_EDITED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=partnership.sphere,
           target=partnership, data={"title": partnership.title})
    return partnership


def parse_codes(text: str) -> list[str]:
    """Codes typed one after the other, separated by commas, spaces or new lines."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def _touch(project: Project) -> None:
    project.updated_at = timezone.now()
    project.save(update_fields=["updated_at"])


@transaction.atomic
def do_edit_project(user, project: Project, *, title: str, description: str = "", status: str,
                    sdg_targets: list[str] = (), sectors: list[str] = (), countries: list[str] = (),
                    planned_start: date | None = None, planned_end: date | None = None,
                    actual_start: date | None = None, actual_end: date | None = None) -> Project:
    """Change a published project's text, status, dates, SDG targets, DAC sectors and recipient countries. Codes
    are checked against the IATI codelists, so the export stays valid; its identifier never changes."""
    sphere = check_project_editable(user, project)
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("Give the project a title."))
    if status not in ActivityStatus.values:
        raise DomainError("bad_status", _("Unknown project status."))
    targets = check_targets(list(sdg_targets))
    countries = [code.upper() for code in countries]
    sector_list, countries = check_codes([{"vocabulary": "1", "code": code} for code in sectors],
                                         list(dict.fromkeys(countries)))
    for start, end in ((planned_start, planned_end), (actual_start, actual_end)):
        if start and end and end < start:
            raise DomainError("dates_reversed", _("The project cannot end before it starts."))
    if actual_start and actual_start > timezone.localdate():
        raise DomainError("future_actual_start", _("The actual start cannot be in the future: give the planned "
                                                   "start instead."))
    fields = {"title": title[:500], "description": (description or "").strip()[:20000], "status": status,
              "sdg_targets": targets, "sectors": list({s["code"]: s for s in sector_list}.values()),
              "countries": countries, "planned_start": planned_start, "planned_end": planned_end,
              "actual_start": actual_start, "actual_end": actual_end}
    changed = sorted(key for key, value in fields.items() if getattr(project, key) != value)
    if not changed:
        raise DomainError("nothing_to_do", _("Nothing was changed."))
    for key in changed:
        setattr(project, key, fields[key])
    project.updated_at = timezone.now()
    project.save(update_fields=[*changed, "updated_at"])
    record(actions.PROJECT_EDITED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"changed": changed})
    return project


@transaction.atomic
def do_add_budget(user, project: Project, *, period_start: date, period_end: date, value: Decimal,
                  revised: bool = False, committed: bool = True) -> Budget:
    """A budget for one period (IATI asks for periods of at most a year), original or revised."""
    sphere = check_project_editable(user, project)
    if not period_start or not period_end or period_end < period_start:
        raise DomainError("bad_period", _("Give the budget's period with a start before its end."))
    if (period_end - period_start).days > 366:
        raise DomainError("period_too_long", _("A budget period can be at most one year: add one budget a year."))
    if value is None or value <= 0 or value >= iati.MAX_AMOUNT:
        raise DomainError("bad_amount", _("Give a positive amount."))
    budget = Budget.objects.create(project=project, kind="2" if revised else "1", status="2" if committed else "1",
                                   period_start=period_start, period_end=period_end, value=value,
                                   currency=project.currency, value_date=period_start)
    _touch(project)
    record(actions.BUDGET_ADDED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"value": str(value), "currency": project.currency, "period_start": period_start.isoformat(),
                 "period_end": period_end.isoformat()})
    return budget


@transaction.atomic
def do_remove_budget(user, budget: Budget) -> None:
    project = budget.project
    sphere = check_project_editable(user, project)
    data = {"value": str(budget.value), "currency": budget.currency, "period_start": budget.period_start.isoformat()}
    budget.delete()
    _touch(project)
    record(actions.BUDGET_REMOVED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data=data)


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_IMAGES = frozenset({JPEG, PNG})


def check_document_file(name: str, raw: bytes) -> tuple[str, bytes, str]:
    """A PDF or an image, recognised by its content whatever its name says; images are re-encoded, which drops
    hidden metadata such as a phone's GPS position. Returns the stored name, the bytes and the media type."""
    if not raw:
        raise DomainError("empty_file", _("The file is empty."))
    if len(raw) > DOCUMENT_MAX_BYTES:
        raise DomainError("file_too_large", _("A document can be at most 10 MB."), size=len(raw))
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", Path(name or "document").stem)[:60] or "document"
    if is_pdf(raw):
        check_pdf(raw)
        return f"{stem}.pdf", raw, "application/pdf"
    content, content_type, suffix = reencode_image(
        raw, DOCUMENT_IMAGES, wrong_type=_("Upload a PDF, a JPEG or a PNG image."),
        unreadable=_("This file is neither a PDF nor a readable image, whatever its name says."))
    return f"{stem}{suffix}", content, content_type


@transaction.atomic
def do_add_document(user, project: Project, *, title: str, category: str, url: str = "",
                    link_format: str = "text/html", upload_name: str = "", upload: bytes | None = None,
                    language: str = "", base_url: str = "") -> Document:
    """A document: either a link to a web address (with its format) or an uploaded PDF or image, which Comuna
    serves at `base_url` + its address (so the IATI export links to it). Its category is an IATI DocumentCategory."""
    sphere = check_project_editable(user, project)
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("Give the document a title."))
    if category not in codelists.DOCUMENT_CATEGORIES:
        raise DomainError("bad_category", _("“%(code)s” is not an IATI document category.") % {"code": category[:10]})
    if language and language not in codelists.LANGUAGES:
        raise DomainError("bad_language", _("“%(code)s” is not a language code.") % {"code": language[:10]})
    url = (url or "").strip()
    if (upload is None) == (not url):
        raise DomainError("file_or_address", _("Give either the document's web address or a file, not both."))
    document = Document(project=project, title=title[:500], category=category, language=language)
    if upload is not None:
        stored, content, content_type = check_document_file(upload_name, upload)
        document.format = content_type
        document.url = "https://placeholder.invalid/"
        document.file.save(stored, ContentFile(content), save=False)
        document.save()
        document.url = (base_url.rstrip("/") + reverse("cooperation:document", args=[document.pk]))[:1000]
        document.save(update_fields=["url"])
    else:
        validator = URLValidator(schemes=["http", "https"])
        try:
            validator(url)
        except ValidationError:
            raise DomainError("bad_url", _("The address must be a full web address starting with https://.")) from None
        if len(url) > 1000:
            raise DomainError("bad_url", _("The address can be at most 1,000 characters."))
        if link_format not in codelists.LINK_FORMATS:
            raise DomainError("bad_format", _("Choose the document's format."))
        document.url, document.format = url, link_format
        document.save()
    _touch(project)
    record(actions.DOCUMENT_ADDED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"title": document.title, "category": category, "uploaded": upload is not None})
    return document


@transaction.atomic
def do_remove_document(user, document: Document) -> None:
    project = document.project
    sphere = check_project_editable(user, project)
    title = document.title
    if document.file:
        document.file.delete(save=False)
    document.delete()
    _touch(project)
    record(actions.DOCUMENT_REMOVED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"title": title})


def _coordinate(value, name: str, bound: int) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or abs(number) > bound:
        raise DomainError("bad_coordinates", _("The %(name)s must be a number between -%(bound)d and %(bound)d.")
                          % {"name": name, "bound": bound})
    return round(number, 6)


@transaction.atomic
def do_add_place(user, project: Project, *, name: str, lat, lon) -> dict:
    """A place where the project happens: a name and its WGS 84 coordinates (exported as an IATI location)."""
    sphere = check_project_editable(user, project)
    name = (name or "").strip()
    if not name:
        raise DomainError("place_name_required", _("Name the place."))
    place = {"name": name[:200], "lat": _coordinate(lat, _("latitude"), 90), "lon": _coordinate(lon, _("longitude"),
                                                                                               180)}
    if len(project.places or []) >= 50:
        raise DomainError("too_many_places", _("A project can have at most 50 places."))
    project.places = [*(project.places or []), place]
    project.updated_at = timezone.now()
    project.save(update_fields=["places", "updated_at"])
    record(actions.PLACE_ADDED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project, data=place)
    return place


@transaction.atomic
def do_remove_place(user, project: Project, index: int) -> None:
    sphere = check_project_editable(user, project)
    places = list(project.places or [])
    if not 0 <= index < len(places):
        raise NotFound("unknown_place", _("This place is not in the project."))
    place = places.pop(index)
    project.places = places
    project.updated_at = timezone.now()
    project.save(update_fields=["places", "updated_at"])
    record(actions.PLACE_REMOVED, actor=user, actor_role=StaffRole.OFFICIAL, sphere=sphere, target=project,
           data={"name": place.get("name", "")})


# --- IATI import ----------------------------------------------------------------------------------------------

@transaction.atomic
def do_import_iati(data: bytes, *, actor=None, filename: str = "") -> iati.ImportReport:
    """Import an IATI file (each activity in its own savepoint); one audit event when something changed."""
    if actor is not None and not actor.has_perm("cooperation.import_iati"):
        raise NotAllowed("forbidden", _("Only a server administrator can import IATI files."))
    if actor is not None:
        check_staff_mfa(actor)
    report = iati.import_activities(data)
    if report.changed:
        record(actions.IATI_IMPORTED, actor=actor, data={"file": filename[:200], **report.as_dict()})
    return report


# --- Reading --------------------------------------------------------------------------------------------------

def totals(transactions) -> list[dict]:
    """Sums per transaction type and currency, in a fixed order."""
    rows = transactions.values("kind", "currency").annotate(total=Sum("value")).order_by("kind", "currency")
    labels = dict(TransactionKind.choices)
    return [{"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), "currency": row["currency"],
             "total": row["total"]} for row in rows]


def sphere_overview(sphere: Sphere) -> dict:
    """What a sphere gives and receives, its partnerships, and the SDG targets it works on."""
    organisation = Organisation.objects.filter(sphere=sphere).first()
    partnerships = list(Partnership.objects.filter(Q(sphere=sphere) | Q(partner__sphere=sphere))
                        .select_related("sphere", "partner", "partner__sphere"))
    if organisation is None:
        return {"organisation": None, "partnerships": partnerships, "given": [], "received": [], "targets": [],
                "given_totals": [], "received_totals": []}
    given = Project.objects.filter(participants__organisation=organisation,
                                   participants__role__in=[Role.FUNDING, Role.EXTENDING]).distinct()
    received = Project.objects.filter(Q(participants__organisation=organisation, participants__role=Role.IMPLEMENTING)
                                      | Q(transactions__receiver=organisation)).exclude(pk__in=given).distinct()
    given, received = list(given.select_related("sphere")[:100]), list(received.select_related("sphere")[:100])
    codes = {code for project in given + received for code in project.sdg_targets}
    outgoing = Transaction.objects.filter(provider=organisation, kind__in=[TransactionKind.COMMITMENT,
                                                                          TransactionKind.DISBURSEMENT])
    incoming = Transaction.objects.filter(receiver=organisation, kind__in=[TransactionKind.COMMITMENT,
                                                                          TransactionKind.DISBURSEMENT,
                                                                          TransactionKind.INCOMING_FUNDS])
    return {"organisation": organisation, "partnerships": partnerships,
            "given": given, "received": received,
            "targets": sdg.describe(sorted(codes)),
            "given_totals": totals(outgoing), "received_totals": totals(incoming)}
