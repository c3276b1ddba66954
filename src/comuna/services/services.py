"""Public services actions: `check_*` validates, `do_*` changes the data and writes one audit event, in one
transaction. The same functions serve the web pages and the Open311 API."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import has_role
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound
from comuna.core.images import JPEG, PNG, WEBP, reencode_image
from comuna.spheres.models import Sphere

from . import actions
from .models import (
    ApiKey,
    Datatype,
    RequestNote,
    RequestStatus,
    Service,
    ServiceAttribute,
    ServiceRequest,
    ServiceType,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = frozenset({JPEG, PNG, WEBP})
MAX_DESCRIPTION = 4000


# --- Checks ------------------------------------------------------------------------------------------------------

def clean_photo(name: str, raw: bytes) -> tuple[str, bytes, str]:
    """An image recognised by its content and re-encoded, which drops EXIF data such as the phone's GPS position."""
    if not raw:
        raise DomainError("empty_file", _("The photo is empty."))
    if len(raw) > MAX_PHOTO_BYTES:
        raise DomainError("file_too_large", _("A photo can be at most 5 MB."), size=len(raw))
    content, content_type, suffix = reencode_image(
        raw, PHOTO_FORMATS, wrong_type=_("Send a JPEG, PNG or WebP photo."),
        unreadable=_("This file is not a readable image, whatever its name says."))
    stem = Path(name).stem[:60] or "photo"
    return f"{stem}{suffix}", content, content_type


def _attribute_error(code: str, message: str) -> dict:
    return {"code": code, "description": message}


def check_attributes(service: Service, raw: dict[str, list[str]]) -> dict:
    """Validate answers (`{code: [values]}`) against the service definition; return what is stored.
    Every problem is reported at once, each naming its attribute."""
    problems: list[dict] = []
    values: dict = {}
    definitions = list(service.attributes.all())
    known = {attribute.code for attribute in definitions}
    for code in sorted(set(raw) - known):
        problems.append(_attribute_error(code, _("attribute[%(code)s] is not part of the definition of service "
                                                 "%(service)s.") % {"code": code, "service": service.service_code}))
    for attribute in definitions:
        given = [value.strip() for value in raw.get(attribute.code, []) if value is not None and value.strip()]
        if not given:
            if attribute.required and attribute.variable:
                problems.append(_attribute_error(attribute.code, _(
                    "attribute[%(code)s] is required for service %(service)s: %(question)s")
                    % {"code": attribute.code, "service": service.service_code, "question": attribute.description}))
            continue
        if attribute.datatype != Datatype.MULTIVALUELIST and len(given) > 1:
            problems.append(_attribute_error(attribute.code, _("attribute[%(code)s] takes one value, not %(n)d.")
                                             % {"code": attribute.code, "n": len(given)}))
            continue
        value = given[0]
        if attribute.datatype == Datatype.NUMBER:
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                problems.append(_attribute_error(attribute.code, _("attribute[%(code)s] must be a number, not "
                                                                   "“%(value)s”.") % {"code": attribute.code,
                                                                                      "value": value[:40]}))
                continue
            values[attribute.code] = str(number)
        elif attribute.datatype == Datatype.DATETIME:
            moment = _parse_moment(value)
            if moment is None:
                problems.append(_attribute_error(attribute.code, _(
                    "attribute[%(code)s] must be a date and time with its time zone, such as "
                    "2026-05-01T09:30:00+02:00.") % {"code": attribute.code}))
                continue
            values[attribute.code] = moment.isoformat()
        elif attribute.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST):
            keys = attribute.value_keys()
            wrong = [item for item in given if item not in keys]
            if wrong:
                problems.append(_attribute_error(attribute.code, _(
                    "attribute[%(code)s] must be one of %(keys)s, not “%(value)s”.")
                    % {"code": attribute.code, "keys": ", ".join(keys), "value": wrong[0][:40]}))
                continue
            values[attribute.code] = given if attribute.datatype == Datatype.MULTIVALUELIST else value
        else:
            limit = 4000 if attribute.datatype == Datatype.TEXT else 300
            if len(value) > limit:
                problems.append(_attribute_error(attribute.code, _("attribute[%(code)s] can be at most %(n)d "
                                                                   "characters.") % {"code": attribute.code,
                                                                                     "n": limit}))
                continue
            values[attribute.code] = value
    if problems:
        raise DomainError("bad_attributes", " ".join(problem["description"] for problem in problems),
                          errors=problems)
    return values


def _parse_moment(value: str):
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment


def _coordinate(value, name: str, bound: int) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or abs(number) > bound:
        raise DomainError("bad_location", _("%(name)s must be a number between -%(bound)d and %(bound)d.")
                          % {"name": name, "bound": bound})
    return number


@dataclass
class Report:
    """What a resident or an Open311 client sends."""

    description: str = ""
    lat: object = None
    long: object = None
    address: str = ""
    address_id: str = ""
    zipcode: str = ""
    attributes: dict = field(default_factory=dict)
    photo_name: str = ""
    photo: bytes | None = None
    media_url: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""


def check_report(service: Service, report: Report) -> dict:
    """Validate a report completely before anything is written; return the cleaned fields."""
    if not service.active:
        raise Conflict("service_closed", _("Service %(code)s no longer takes new requests.")
                       % {"code": service.service_code})
    lat = _coordinate(report.lat, "lat", 90)
    long = _coordinate(report.long, "long", 180)
    if (lat is None) != (long is None):
        raise DomainError("bad_location", _("Send lat and long together."))
    address = (report.address or "").strip()
    if lat is None and not address and not (report.address_id or "").strip():
        raise DomainError("missing_location", _("Give a location: lat and long, address_string or address_id."))
    description = (report.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("description_too_long", _("The description can be at most 4,000 characters."))
    media_url = (report.media_url or "").strip()
    if media_url and not media_url.startswith(("https://", "http://")):
        raise DomainError("bad_media_url", _("media_url must be an http or https address."))
    attributes = check_attributes(service, report.attributes)
    photo = clean_photo(report.photo_name, report.photo) if report.photo is not None else None
    return {"lat": lat, "long": long, "address": address[:300], "description": description,
            "attributes": attributes, "photo": photo, "media_url": media_url[:500]}


# --- Requests -----------------------------------------------------------------------------------------------------

@transaction.atomic
def do_submit_request(service: Service, report: Report, *, author=None, api_key: ApiKey | None = None,
                      via: str = "web") -> ServiceRequest:
    cleaned = check_report(service, report)
    now = timezone.now()
    item = ServiceRequest(
        service=service, sphere=service.sphere, description=cleaned["description"], lat=cleaned["lat"],
        long=cleaned["long"], address=cleaned["address"], address_id=report.address_id.strip()[:100],
        zipcode=report.zipcode.strip()[:20], external_media_url=cleaned["media_url"], requested_at=now,
        updated_at=now, agency_responsible=service.agency_responsible, service_notice=service.service_notice,
        attributes=cleaned["attributes"], author=author, api_key=api_key,
        email=report.email.strip()[:254], first_name=report.first_name.strip()[:100],
        last_name=report.last_name.strip()[:100], phone=report.phone.strip()[:40],
        device_id=report.device_id.strip()[:200], account_id=report.account_id.strip()[:200],
        expected_at=now + timedelta(days=service.expected_days) if service.expected_days else None,
        token=secrets.token_hex(16) if service.type == ServiceType.BATCH else None,
    )
    if cleaned["photo"] is not None:
        name, content, content_type = cleaned["photo"]
        item.photo.save(name, ContentFile(content), save=False)
        item.photo_type = content_type
    item.save()
    record(actions.REQUEST_SUBMITTED, actor=author, sphere=service.sphere, target=item,
           data={"service": service.service_code, "via": via})
    return item


def check_can_triage(user, item: ServiceRequest) -> None:
    check_perm(user, "public_services.triage", item.sphere, _("Only the sphere's officials can triage requests."))


@transaction.atomic
def do_assign(actor, item: ServiceRequest, assignee, note: str = "") -> ServiceRequest:
    check_can_triage(actor, item)
    if assignee is not None and not has_role(assignee, item.sphere, [Role.ADMIN, Role.OFFICIAL]):
        raise DomainError("not_staff", _("Requests can only be assigned to the sphere's officials."))
    if item.status == RequestStatus.CLOSED:
        raise Conflict("closed", _("This request is closed."))
    item.assigned_to = assignee
    item.updated_at = timezone.now()
    item.save(update_fields=["assigned_to", "updated_at"])
    RequestNote.objects.create(request=item, author=actor, text=note.strip(), internal=True, assigned_to=assignee)
    record(actions.REQUEST_ASSIGNED, actor=actor, actor_role=Role.OFFICIAL, sphere=item.sphere, target=item,
           data={"assigned_to": f"user:{assignee.pk}" if assignee else ""})
    return item


@transaction.atomic
def do_update(actor, item: ServiceRequest, *, status: str, note: str, internal: bool = False,
              expected_at=None) -> ServiceRequest:
    """Change the status with a note. Public notes become the request's status notes; closing needs one."""
    check_can_triage(actor, item)
    note = (note or "").strip()
    if status not in RequestStatus.values:
        raise DomainError("bad_status", _("The status must be open or closed."))
    if status == RequestStatus.CLOSED and (not note or internal):
        raise DomainError("note_required", _("Say to the resident why the request is closed, in a public note."))
    if not note and status == item.status and expected_at is None:
        raise DomainError("nothing_to_do", _("Write a note or change the status."))
    if len(note) > 4000:
        raise DomainError("note_too_long", _("A note can be at most 4,000 characters."))
    was = item.status
    item.status = status
    item.updated_at = timezone.now()
    if note and not internal:
        item.status_notes = note
    if expected_at is not None:
        item.expected_at = expected_at
    item.save(update_fields=["status", "status_notes", "updated_at", "expected_at"])
    RequestNote.objects.create(request=item, author=actor, text=note, internal=internal,
                               status=status if status != was else "")
    action = actions.REQUEST_CLOSED if status == RequestStatus.CLOSED and was != status else actions.REQUEST_UPDATED
    record(action, actor=actor, actor_role=Role.OFFICIAL, sphere=item.sphere, target=item,
           data={"from": was, "to": status, "internal": internal})
    return item


# --- Catalogue ----------------------------------------------------------------------------------------------------

@transaction.atomic
def do_create_service(actor, sphere: Sphere, *, service_code: str, name: str, attributes: list[dict] = (),
                      **fields) -> Service:
    """Add a service with its attributes. `name` is the English name (`name_fr`, `name_es` may come in `fields`).
    `actor=None` is the platform itself (demo, command line)."""
    if actor is not None:
        check_perm(actor, "public_services.manage_catalogue", sphere,
                   _("Only the sphere's administrators can change its service catalogue."))
    if sphere.is_network:
        raise DomainError("network", _("A network of spheres offers no public services of its own."))
    code = (service_code or "").strip()
    if not code or not name.strip():
        raise DomainError("missing_fields", _("A service needs a code and a name."))
    if Service.objects.filter(service_code=code).exists():
        raise Conflict("code_taken", _("The service code %(code)s is already used.") % {"code": code})
    service = Service.objects.create(sphere=sphere, service_code=code, name_en=name.strip(), **fields)
    for order, attribute in enumerate(attributes, start=1):
        service.attributes.create(order=attribute.pop("order", order), **attribute)
    record(actions.SERVICE_CREATED, actor=actor, actor_role=Role.ADMIN if actor else "", sphere=sphere,
           target=service, data={"service_code": code})
    return service


def parse_choices(text: str) -> list[dict]:
    """One choice a line, `key: name` (or just a name, which is also its key); errors name the line."""
    choices: list[dict] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        key, _sep, name = line.partition(":")
        key, name = key.strip(), (name.strip() or key.strip())
        if not key or len(key) > 60 or any(ch in key for ch in ",[] "):
            raise DomainError("bad_choice", _("Line %(line)d: the key must be a short word without spaces, commas "
                                              "or brackets.") % {"line": number}, line=number)
        if key in {choice["key"] for choice in choices}:
            raise DomainError("duplicate_choice", _("Line %(line)d: the key %(key)s is already used.")
                              % {"line": number, "key": key}, line=number)
        choices.append({"key": key, "name": name[:200]})
    return choices


@transaction.atomic
def do_add_attribute(actor, service: Service, *, code: str, datatype: str, description: str, required: bool = False,
                     datatype_description: str = "", choices: str = "") -> object:
    """Add a question to a service's definition; list questions need their choices."""
    check_perm(actor, "public_services.manage_catalogue", service.sphere,
               _("Only the sphere's administrators can change its service catalogue."))
    code = (code or "").strip()
    if not code or len(code) > 60 or any(ch in code for ch in ",[] "):
        raise DomainError("bad_code", _("The code must be a short word without spaces, commas or brackets."))
    if datatype not in Datatype.values:
        raise DomainError("bad_datatype", _("Choose a type of answer."))
    if service.attributes.filter(code=code).exists():
        raise Conflict("code_taken", _("This service already asks a question with the code %(code)s.")
                       % {"code": code})
    values = parse_choices(choices)
    is_list = datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)
    if is_list and not values:
        raise DomainError("missing_choices", _("A question with a list of choices needs at least one choice."))
    if values and not is_list:
        raise DomainError("unexpected_choices", _("Only list questions take choices."))
    order = (service.attributes.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    attribute = service.attributes.create(code=code, datatype=datatype, description=description.strip()[:500],
                                          required=required, datatype_description=datatype_description.strip()[:300],
                                          values=values, order=order)
    record(actions.SERVICE_QUESTION_ADDED, actor=actor, actor_role=Role.ADMIN, sphere=service.sphere,
           target=service, data={"code": code, "datatype": datatype, "required": required})
    return attribute


EDITABLE_SERVICE_FIELDS = ("name_en", "name_fr", "name_es", "description", "group", "keywords", "type",
                           "agency_responsible", "service_notice", "expected_days")


def check_can_manage_catalogue(actor, sphere: Sphere) -> None:
    check_perm(actor, "public_services.manage_catalogue", sphere,
               _("Only the sphere's administrators can change its service catalogue."))


@transaction.atomic
def do_edit_service(actor, service: Service, **fields) -> Service:
    """Change a service's names, description, group, keywords, type and service level (its code stays: apps
    use it). Requests already made keep the agency and notice they were given."""
    check_can_manage_catalogue(actor, service.sphere)
    unknown = set(fields) - set(EDITABLE_SERVICE_FIELDS)
    if unknown:
        raise DomainError("bad_fields", _("These fields cannot be changed: %(fields)s.")
                          % {"fields": ", ".join(sorted(unknown))})
    cleaned = {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}
    if "name_en" in cleaned and not cleaned["name_en"]:
        raise DomainError("missing_fields", _("A service needs a name in English."))
    if "type" in cleaned and cleaned["type"] not in ServiceType.values:
        raise DomainError("bad_type", _("The type must be realtime, batch or blackbox."))
    days = cleaned.get("expected_days")
    if days is not None and not (isinstance(days, int) and 1 <= days <= 365):
        raise DomainError("bad_days", _("The days to fulfil must be a whole number from 1 to 365."))
    changed = sorted(key for key, value in cleaned.items() if getattr(service, key) != value)
    if not changed:
        raise DomainError("nothing_to_do", _("Nothing was changed."))
    for key in changed:
        limit = Service._meta.get_field(key).max_length
        if limit and len(cleaned[key] or "") > limit:
            raise DomainError("too_long", _("%(field)s can be at most %(n)d characters.")
                              % {"field": Service._meta.get_field(key).verbose_name, "n": limit})
        setattr(service, key, cleaned[key])
    service.save(update_fields=changed)
    record(actions.SERVICE_EDITED, actor=actor, actor_role=Role.ADMIN, sphere=service.sphere, target=service,
           data={"service_code": service.service_code, "changed": changed})
    return service


@transaction.atomic
def do_set_service_active(actor, service: Service, active: bool) -> Service:
    """Switch a service off (it leaves the catalogue and the Open311 list and refuses new requests; its requests
    stay readable and are still triaged) or on again."""
    check_can_manage_catalogue(actor, service.sphere)
    if service.active == active:
        raise Conflict("unchanged", _("This service is already open to new requests.") if active
                       else _("This service is already switched off."))
    service.active = active
    service.save(update_fields=["active"])
    record(actions.SERVICE_REOPENED if active else actions.SERVICE_SWITCHED_OFF, actor=actor, actor_role=Role.ADMIN,
           sphere=service.sphere, target=service, data={"service_code": service.service_code})
    return service


def answers_to(attribute: ServiceAttribute) -> list:
    """The answers requests gave to this question (the stored value: a string, or a list for several choices)."""
    return [answers[attribute.code] for answers in ServiceRequest.objects.filter(
        service_id=attribute.service_id, attributes__has_key=attribute.code).values_list("attributes", flat=True)]


@transaction.atomic
def do_edit_attribute(actor, attribute: ServiceAttribute, *, description: str, required: bool = False,
                      datatype_description: str = "", choices: str = "") -> ServiceAttribute:
    """Reword a question, make it required or not, change its help and its choices. Its code and type of answer
    stay, so that the answers already given keep their meaning; a choice that requests chose cannot be dropped."""
    service = attribute.service
    check_can_manage_catalogue(actor, service.sphere)
    description = (description or "").strip()
    if not description:
        raise DomainError("missing_question", _("Write the question."))
    values = parse_choices(choices)
    is_list = attribute.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)
    if is_list and not values:
        raise DomainError("missing_choices", _("A question with a list of choices needs at least one choice."))
    if values and not is_list:
        raise DomainError("unexpected_choices", _("Only list questions take choices."))
    if is_list:
        kept = {choice["key"] for choice in values}
        used: set[str] = set()
        for answer in answers_to(attribute):
            used.update(answer if isinstance(answer, list) else [answer])
        dropped = sorted(used - kept)
        if dropped:
            raise Conflict("choice_in_use", _("Requests already chose %(keys)s: keep these choices (you may "
                                              "rename them).") % {"keys": ", ".join(dropped)}, keys=dropped)
    attribute.description, attribute.required = description[:500], bool(required)
    attribute.datatype_description, attribute.values = (datatype_description or "").strip()[:300], values
    attribute.save(update_fields=["description", "required", "datatype_description", "values"])
    record(actions.SERVICE_QUESTION_EDITED, actor=actor, actor_role=Role.ADMIN, sphere=service.sphere,
           target=service, data={"code": attribute.code, "required": attribute.required})
    return attribute


@transaction.atomic
def do_remove_attribute(actor, attribute: ServiceAttribute) -> None:
    """Remove a question nobody has answered yet. Once requests answered it, removing it would hide what residents
    said, so it is refused: make it optional instead."""
    service = attribute.service
    check_can_manage_catalogue(actor, service.sphere)
    answered = len(answers_to(attribute))
    if answered:
        raise Conflict("question_answered", _(
            "%(count)d request(s) already answered the question %(code)s, so it stays with their answers. "
            "Make it optional if it should no longer be required.") % {"count": answered, "code": attribute.code},
            answered=answered)
    code = attribute.code
    attribute.delete()
    record(actions.SERVICE_QUESTION_REMOVED, actor=actor, actor_role=Role.ADMIN, sphere=service.sphere,
           target=service, data={"code": code})


# --- Open311 API keys -----------------------------------------------------------------------------------------------

def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def do_issue_api_key(actor, sphere: Sphere, name: str) -> tuple[ApiKey, str]:
    """Issue a key for a client application. The key itself is returned once and never stored."""
    check_perm(actor, "public_services.issue_api_key", sphere,
               _("Only the sphere's administrators can issue Open311 API keys."))
    name = (name or "").strip()
    if not name:
        raise DomainError("missing_name", _("Name the client application that will use the key."))
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(sphere=sphere, name=name[:200], prefix=raw[:8], digest=key_digest(raw),
                                created_by=actor)
    record(actions.API_KEY_ISSUED, actor=actor, actor_role=Role.ADMIN, sphere=sphere, target=key,
           data={"name": key.name})
    return key, raw


@transaction.atomic
def do_revoke_api_key(actor, key: ApiKey) -> ApiKey:
    check_perm(actor, "public_services.issue_api_key", key.sphere,
               _("Only the sphere's administrators can revoke Open311 API keys."))
    if key.revoked_at is not None:
        raise Conflict("revoked", _("This key is already revoked."))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record(actions.API_KEY_REVOKED, actor=actor, actor_role=Role.ADMIN, sphere=key.sphere, target=key)
    return key


def check_api_key(raw: str | None, sphere: Sphere) -> ApiKey:
    """The key must exist, be live, and belong to the jurisdiction or a sphere above it."""
    if not raw:
        raise NotAllowed("missing_api_key", _("api_key is missing: ask the sphere's administrators for one."))
    key = ApiKey.objects.filter(digest=key_digest(raw), revoked_at__isnull=True).first()
    if key is None or key.sphere_id not in sphere.chain_ids():
        raise NotAllowed("bad_api_key", _("Invalid api_key received: it is unknown, revoked or for another "
                                          "jurisdiction."))
    return key


def find_service(sphere: Sphere, code: str | None) -> Service:
    if not code:
        raise DomainError("missing_service_code", _("service_code was not provided."))
    service = Service.objects.filter(sphere=sphere, service_code=code).first()
    if service is None:
        raise NotFound("unknown_service_code", _("service_code %(code)s was not found in this jurisdiction.")
                       % {"code": code[:60]})
    return service
