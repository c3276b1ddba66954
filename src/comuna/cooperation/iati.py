"""IATI 2.03: write a sphere's projects as an `iati-activities` file, and read published files back.

Reading is tolerant, as real published files need: an activity without an identifier or a reporting organisation
is skipped with its reason; a budget, transaction or sector that cannot be read is left out with a warning; the
rest of the activity is imported. Each activity is written in its own savepoint, keyed by its iati-identifier, with
a hash of its XML so that importing the same file again changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from comuna.core.errors import DomainError

from . import codelists, sdg
from .models import (
    ActivityStatus,
    Budget,
    Document,
    Indicator,
    Organisation,
    Participant,
    Project,
    Result,
    Role,
    Transaction,
)

VERSION = "2.03"
MAX_IATI_BYTES = 50 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
SDG_GOAL_VOCABULARY, SDG_TARGET_VOCABULARY = "7", "8"
MAX_AMOUNT = Decimal("1e17")


def safe_parser() -> etree.XMLParser:
    """No network, no entity expansion, no billion laughs."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=True, remove_pis=True)


# --- Export ---------------------------------------------------------------------------------------------------

def _narrative(parent, tag: str, text: str, **attrs):
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    etree.SubElement(element, "narrative").text = text
    return element


def _org(parent, tag: str, organisation: Organisation | None, **attrs):
    if organisation is None:
        return None
    kind = organisation.kind if organisation.kind in codelists.ORGANISATION_TYPES else ""
    attributes = {"ref": organisation.iati_ref, "type": kind, **attrs}
    return _narrative(parent, tag, organisation.name, **attributes)


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _percentages(count: int) -> list[str]:
    """Equal shares that add up to exactly 100, as IATI asks of several sectors in one vocabulary."""
    base = Decimal(100) / count
    shares = [base.quantize(Decimal("0.01")) for _ in range(count)]
    shares[-1] = Decimal(100) - sum(shares[:-1])
    return [_amount(s) for s in shares]


def activity_element(project: Project) -> etree._Element:
    activity = etree.Element("iati-activity", {
        "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
        XML_LANG: project.language or "en",
        "default-currency": project.currency,
    })
    etree.SubElement(activity, "iati-identifier").text = project.iati_identifier
    _org(activity, "reporting-org", project.reporting_org)
    _narrative(activity, "title", project.title)
    if project.description:
        _narrative(activity, "description", project.description, type="1")
    for participant in project.participants.all():
        _org(activity, "participating-org", participant.organisation, role=participant.role)
    etree.SubElement(activity, "activity-status", code=project.status)
    for kind, day in (("1", project.planned_start), ("2", project.actual_start), ("3", project.planned_end),
                      ("4", project.actual_end)):
        if day:
            etree.SubElement(activity, "activity-date", type=kind, **{"iso-date": day.isoformat()})
    countries = project.countries or []
    shares = _percentages(len(countries)) if len(countries) > 1 else [""] * len(countries)
    for country, share in zip(countries, shares, strict=True):
        etree.SubElement(activity, "recipient-country", {k: v for k, v in (("code", country), ("percentage", share)) if v})
    for place in project.places or []:
        location = etree.SubElement(activity, "location")
        _narrative(location, "name", place.get("name", ""))
        if place.get("lat") is not None and place.get("lon") is not None:
            point = etree.SubElement(location, "point", srsName=WGS84)
            etree.SubElement(point, "pos").text = f"{place['lat']} {place['lon']}"
    by_vocabulary: dict[str, list[str]] = {}
    for sector in project.sectors or []:
        by_vocabulary.setdefault(str(sector.get("vocabulary", "1")), []).append(str(sector["code"]))
    targets = [code for code in project.sdg_targets or [] if sdg.is_target(code)]
    if targets:
        by_vocabulary[SDG_TARGET_VOCABULARY] = targets
        by_vocabulary[SDG_GOAL_VOCABULARY] = list(dict.fromkeys(sdg.goal_of(code) for code in targets))
    for vocabulary, codes in by_vocabulary.items():
        shares = _percentages(len(codes))
        for code, share in zip(codes, shares, strict=True):
            etree.SubElement(activity, "sector", vocabulary=vocabulary, code=code, percentage=share)
    for budget in project.budgets.all():
        element = etree.SubElement(activity, "budget", type=budget.kind, status=budget.status)
        etree.SubElement(element, "period-start", **{"iso-date": budget.period_start.isoformat()})
        etree.SubElement(element, "period-end", **{"iso-date": budget.period_end.isoformat()})
        etree.SubElement(element, "value", currency=budget.currency,
                         **{"value-date": budget.value_date.isoformat()}).text = _amount(budget.value)
    for item in project.transactions.all():
        element = etree.SubElement(activity, "transaction")
        etree.SubElement(element, "transaction-type", code=item.kind)
        etree.SubElement(element, "transaction-date", **{"iso-date": item.date.isoformat()})
        etree.SubElement(element, "value", currency=item.currency,
                         **{"value-date": item.value_date.isoformat()}).text = _amount(item.value)
        if item.description:
            _narrative(element, "description", item.description)
        _org(element, "provider-org", item.provider)
        _org(element, "receiver-org", item.receiver)
    for document in project.documents.all():
        element = etree.SubElement(activity, "document-link", url=document.url, format=document.format)
        _narrative(element, "title", document.title)
        etree.SubElement(element, "category", code=document.category)
        if document.language:
            etree.SubElement(element, "language", code=document.language)
    for result in project.results.all():
        element = etree.SubElement(activity, "result", type=result.kind)
        _narrative(element, "title", result.title)
        if result.description:
            _narrative(element, "description", result.description)
        for indicator in result.indicators.all():
            measure = etree.SubElement(element, "indicator", measure=indicator.measure,
                                       ascending="1" if indicator.ascending else "0")
            _narrative(measure, "title", indicator.title)
            if indicator.baseline_year:
                baseline = etree.SubElement(measure, "baseline", year=str(indicator.baseline_year))
                if indicator.baseline_value is not None:
                    baseline.set("value", _amount(indicator.baseline_value))
            if indicator.period_start and indicator.period_end:
                period = etree.SubElement(measure, "period")
                etree.SubElement(period, "period-start", **{"iso-date": indicator.period_start.isoformat()})
                etree.SubElement(period, "period-end", **{"iso-date": indicator.period_end.isoformat()})
                if indicator.target_value is not None:
                    etree.SubElement(period, "target", value=_amount(indicator.target_value))
                if indicator.actual_value is not None:
                    etree.SubElement(period, "actual", value=_amount(indicator.actual_value))
    return activity


def export_projects(projects) -> bytes:
    """An `iati-activities` document (UTF-8 bytes) for the given projects."""
    root = etree.Element("iati-activities", version=VERSION,
                         **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()})
    projects = projects.select_related("reporting_org").prefetch_related(
        "participants__organisation", "budgets", "transactions__provider", "transactions__receiver", "documents",
        "results__indicators")
    for project in projects:
        root.append(activity_element(project))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_sphere(sphere) -> bytes:
    """The activities a sphere publishes. Refused if the sphere has no IATI organisation identifier."""
    organisation = Organisation.objects.filter(sphere=sphere).first()
    if organisation is None or not organisation.iati_ref:
        raise DomainError("no_iati_identifier",
                          _("%(sphere)s has no IATI organisation identifier yet: an admin sets it on the "
                            "cooperation page before publishing.") % {"sphere": sphere.name})
    projects = Project.objects.filter(sphere=sphere, imported=False).order_by("pk")
    if not projects.exists():  # the schema wants at least one activity
        raise DomainError("nothing_to_publish", _("%(sphere)s has no cooperation project to publish yet.")
                          % {"sphere": sphere.name})
    return export_projects(projects)


# --- Import ---------------------------------------------------------------------------------------------------

OUTCOMES = {"imported": gettext_lazy("imported"), "updated": gettext_lazy("updated"),
            "unchanged": gettext_lazy("unchanged"), "skipped": gettext_lazy("skipped")}


@dataclass
class ActivityReport:
    identifier: str
    outcome: str  # imported | updated | unchanged | skipped
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    line: int | None = None

    @property
    def label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))


@dataclass
class ImportReport:
    activities: list[ActivityReport] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for a in self.activities if a.outcome == outcome)

    @property
    def changed(self) -> int:
        return self.count("imported") + self.count("updated")

    def as_dict(self) -> dict:
        return {"imported": self.count("imported"), "updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "skipped": self.count("skipped")}


class Skip(Exception):
    """This activity cannot be imported; the message says why."""


def parse_document(data: bytes) -> etree._Element:
    """The root `iati-activities` element, or a precise DomainError (nothing has been written)."""
    if len(data) > MAX_IATI_BYTES:
        raise DomainError("file_too_large", _("The file is larger than %(mb)d MB.") % {"mb": MAX_IATI_BYTES // 2**20})
    if not data.strip():
        raise DomainError("empty_file", _("The file is empty."))
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (0, 0)
        raise DomainError("not_xml", _("The file is not XML: %(problem)s (line %(line)d, column %(column)d).")
                          % {"problem": error.msg, "line": line, "column": column}, line=line, column=column) from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "iati-activities":
        raise DomainError("not_iati", _("The file is XML but not IATI activities: its root element is <%(tag)s>, "
                                        "not <iati-activities>.") % {"tag": str(root.tag)[:80]})
    version = root.get("version", "")
    if version.startswith("1."):
        raise DomainError("iati_version", _("This file uses IATI version %(version)s; only versions 2.01 to 2.03 "
                                            "are read.") % {"version": version[:10]})
    return root


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _narrative_text(element, language: str) -> str:
    """The narrative in the activity's language, else the first one (or the element's own text, IATI 1 style)."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    for narrative in narratives:
        if narrative.get(XML_LANG, language) == language and _text(narrative):
            return _text(narrative)
    for narrative in narratives:
        if _text(narrative):
            return _text(narrative)
    return _text(element)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _decimal(value: str | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip().replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= MAX_AMOUNT:
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _attr(parent, tag: str, attribute: str) -> str:
    """An attribute of a child element, or "" when either is missing."""
    child = parent.find(tag) if parent is not None else None
    return (child.get(attribute) or "").strip() if child is not None else ""


def _attr_date(parent, tag: str) -> date | None:
    return _date(_attr(parent, tag, "iso-date"))


class _Organisations:
    """Organisations found in a file: by IATI identifier when there is one, else by name."""

    def __init__(self):
        self.cache: dict[tuple[str, str], Organisation] = {}

    def get(self, element) -> Organisation | None:
        if element is None:
            return None
        ref = (element.get("ref") or "").strip()[:150]
        name = (_narrative_text(element, "en") or ref)[:300]
        if not ref and not name:
            return None
        key = (ref, "" if ref else name)
        if key not in self.cache:
            if ref:
                organisation = Organisation.objects.filter(iati_ref=ref).first() or Organisation.objects.create(
                    iati_ref=ref, name=name, kind=(element.get("type") or "")[:8])
            else:
                organisation = Organisation.objects.filter(iati_ref="", name=name).first() or \
                    Organisation.objects.create(name=name, kind=(element.get("type") or "")[:8])
            self.cache[key] = organisation
        return self.cache[key]


def _sectors(activity, warnings: list[str]) -> tuple[list[dict], list[str]]:
    sectors, targets = [], []
    for element in activity.findall("sector"):
        vocabulary, code = (element.get("vocabulary") or "1").strip(), (element.get("code") or "").strip()
        if not code:
            warnings.append(_("A sector without a code was left out."))
            continue
        if vocabulary == SDG_TARGET_VOCABULARY and sdg.is_target(code):
            targets.append(code)
            continue
        if vocabulary == SDG_GOAL_VOCABULARY:
            continue  # implied by the targets, or too broad to keep
        percentage = _decimal(element.get("percentage"))
        sectors.append({"vocabulary": vocabulary[:4], "code": code[:20],
                        **({"percentage": float(percentage)} if percentage is not None else {})})
    for element in activity.findall("tag"):  # IATI 2.03 tags with the SDG vocabularies (3: targets)
        code = (element.get("code") or "").strip()
        if element.get("vocabulary") == "3" and sdg.is_target(code):
            targets.append(code)
    return sectors, list(dict.fromkeys(targets))


def _write_activity(activity, identifier: str, digest: str, existing: Project | None, organisations: _Organisations,
                    warnings: list[str]) -> None:
    language = activity.get(XML_LANG, "en")[:8]
    currency = (activity.get("default-currency") or "").strip()[:3]
    reporting = organisations.get(activity.find("reporting-org"))
    if reporting is None:
        raise Skip(_("no reporting organisation"))
    title = _narrative_text(activity.find("title"), language)
    if not title:
        warnings.append(_("No title: the identifier is shown instead."))
        title = identifier
    dates = {d.get("type"): _date(d.get("iso-date")) for d in activity.findall("activity-date")}
    sectors, targets = _sectors(activity, warnings)
    status = _attr(activity, "activity-status", "code")
    if status not in ActivityStatus.values:
        warnings.append(_("No known activity status: “implementation” is assumed."))
        status = ActivityStatus.IMPLEMENTATION
    places = []
    for location in activity.findall("location"):
        name = _narrative_text(location.find("name"), language)[:200]
        place: dict = {"name": name}
        position = location.findtext("point/pos") or ""
        try:
            lat, lon = (float(part) for part in position.split())
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                place.update(lat=lat, lon=lon)
        except ValueError:
            pass
        if name or "lat" in place:
            places.append(place)
    fields = {
        "reporting_org": reporting, "title": title[:500],
        "description": _narrative_text(activity.find("description"), language)[:20000],
        "language": language, "status": status,
        "currency": currency or "USD",
        "planned_start": dates.get("1"), "actual_start": dates.get("2"),
        "planned_end": dates.get("3"), "actual_end": dates.get("4"),
        "sectors": sectors[:50], "sdg_targets": targets,
        "countries": [c.get("code", "")[:2] for c in activity.findall("recipient-country") if c.get("code")][:50],
        "places": places[:50], "imported": True, "content_hash": digest, "updated_at": timezone.now(),
    }
    if existing is None:
        project = Project.objects.create(iati_identifier=identifier, **fields)
    else:
        project = existing
        for name, value in fields.items():
            setattr(project, name, value)
        project.save()
        for related in (project.participants, project.budgets, project.transactions, project.results,
                        project.documents):
            related.all().delete()
    seen = set()
    for element in activity.findall("participating-org"):
        role, organisation = (element.get("role") or "").strip(), organisations.get(element)
        if role not in Role.values or organisation is None:
            warnings.append(_("A participating organisation without a known role or name was left out."))
        elif (organisation.pk, role) not in seen:
            seen.add((organisation.pk, role))
            Participant.objects.create(project=project, organisation=organisation, role=role)
    for element in activity.findall("budget"):
        value = element.find("value")
        start, end = _attr_date(element, "period-start"), _attr_date(element, "period-end")
        amount = _decimal(value.text) if value is not None else None
        if start is None or end is None or amount is None:
            warnings.append(_("A budget without its period or amount was left out."))
            continue
        Budget.objects.create(project=project, kind=(element.get("type") or "1")[:1],
                              status=(element.get("status") or "1")[:1], period_start=start, period_end=end,
                              value=amount, currency=(value.get("currency") or currency or "USD")[:3],
                              value_date=_date(value.get("value-date")) or start)
    for element in activity.findall("transaction"):
        kind = _attr(element, "transaction-type", "code")
        day = _attr_date(element, "transaction-date")
        value = element.find("value")
        amount = _decimal(value.text) if value is not None else None
        if not kind or day is None or amount is None:
            warnings.append(_("A transaction without its type, date or amount was left out."))
            continue
        Transaction.objects.create(
            project=project, kind=kind[:2], date=day, value=amount,
            currency=(value.get("currency") or currency or "USD")[:3],
            value_date=_date(value.get("value-date")) or day,
            description=_narrative_text(element.find("description"), language)[:1000],
            provider=organisations.get(element.find("provider-org")),
            receiver=organisations.get(element.find("receiver-org")))
    for element in activity.findall("document-link"):
        url = (element.get("url") or "").strip()
        if not url.startswith(("http://", "https://")) or len(url) > 1000:
            warnings.append(_("A document without a web address was left out."))
            continue
        Document.objects.create(
            project=project, url=url, format=(element.get("format") or "")[:100],
            title=(_narrative_text(element.find("title"), language) or url)[:500],
            category=_attr(element, "category", "code")[:3] or "A01", language=_attr(element, "language", "code")[:8])
    for element in activity.findall("result"):
        result = Result.objects.create(
            project=project, kind=(element.get("type") or "9")[:1],
            title=(_narrative_text(element.find("title"), language) or _("Result"))[:500],
            description=_narrative_text(element.find("description"), language)[:5000])
        for item in element.findall("indicator"):
            baseline = item.find("baseline")
            period = item.find("period")
            year = (baseline.get("year") or "") if baseline is not None else ""

            start, end = _attr_date(period, "period-start"), _attr_date(period, "period-end")
            Indicator.objects.create(
                result=result, title=(_narrative_text(item.find("title"), language) or _("Indicator"))[:500],
                measure=(item.get("measure") or "1")[:1], ascending=item.get("ascending", "1") not in ("0", "false"),
                baseline_year=int(year) if year.isdigit() and 1900 <= int(year) <= 2200 else None,
                baseline_value=_decimal(baseline.get("value"), 4) if baseline is not None else None,
                period_start=start if start and end else None, period_end=end if start and end else None,
                target_value=_decimal(_attr(period, "target", "value") or None, 4),
                actual_value=_decimal(_attr(period, "actual", "value") or None, 4))


def import_activities(data: bytes) -> ImportReport:
    """Import every activity of an IATI file; each is imported, updated, unchanged or skipped with its reason."""
    root = parse_document(data)
    report = ImportReport()
    organisations = _Organisations()
    seen: set[str] = set()
    for activity in root.iterchildren("iati-activity"):
        identifier = " ".join((activity.findtext("iati-identifier") or "").split())[:200]
        line = activity.sourceline
        warnings: list[str] = []
        if not identifier:
            report.activities.append(ActivityReport("", "skipped", _("no iati-identifier"), line=line))
            continue
        if identifier in seen:
            report.activities.append(ActivityReport(identifier, "skipped", _("the same identifier came earlier in "
                                                                             "the file"), line=line))
            continue
        seen.add(identifier)
        digest = hashlib.sha256(etree.tostring(activity)).hexdigest()
        existing = Project.objects.filter(iati_identifier=identifier).first()
        if existing is not None and not existing.imported:
            report.activities.append(ActivityReport(identifier, "skipped", _("published by a sphere here; an import "
                                                                             "never overwrites it"), line=line))
            continue
        if existing is not None and existing.content_hash == digest:
            report.activities.append(ActivityReport(identifier, "unchanged", line=line))
            continue
        try:
            with transaction.atomic():
                _write_activity(activity, identifier, digest, existing, organisations, warnings)
        except Skip as reason:
            organisations.cache.clear()  # rolled back with the savepoint
            report.activities.append(ActivityReport(identifier, "skipped", str(reason), line=line))
            continue
        except (ValueError, TypeError, AttributeError) as error:  # malformed data deep in an activity
            organisations.cache.clear()
            report.activities.append(ActivityReport(identifier, "skipped", _("unreadable data: %(error)s")
                                                    % {"error": str(error)[:200]}, line=line))
            continue
        report.activities.append(ActivityReport(identifier, "updated" if existing else "imported",
                                                warnings=list(dict.fromkeys(warnings)), line=line))
    return report


# --- Validation against the official schema -------------------------------------------------------------------

def load_schema(schema_dir) -> etree.XMLSchema:
    """The official `iati-activities-schema.xsd` (with its includes) from a folder of IATI schemas."""
    from pathlib import Path

    return etree.XMLSchema(etree.parse(str(Path(schema_dir) / "iati-activities-schema.xsd"), safe_parser()))


def schema_errors(data: bytes, schema: etree.XMLSchema) -> list[str]:
    """Each way `data` breaks the schema, with its line; [] when it is valid."""
    try:
        document = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        return [f"line {error.position[0] if error.position else 0}: {error.msg}"]
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
