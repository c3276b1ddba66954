"""The Open311 GeoReport v2 API, in `.json` and `.xml`, with the specification's shapes and element names.

Plain Django views (not ninja): every resource answers in both formats, and errors use the specification's
`[{"code": 400, "description": "…"}]` / `<errors><error>…</error></errors>`. Ids and postal codes are strings.
Personal data of requesters (e-mail, names, phone, device, account) is never sent back."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from comuna.core.errors import DomainError, NotFound
from comuna.core.ratelimits import WRITE_RATE

from . import selectors, services
from .models import Service, ServiceRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00Z"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Lists in the XML form: the element of the list and the element of each item.
XML_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


# --- Serialising ----------------------------------------------------------------------------------------------------

def w3(moment) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, data: dict) -> None:
    for name, value in data.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            for item in value:
                entry = ET.SubElement(child, XML_ITEMS[name])
                if isinstance(item, dict):
                    _fill(entry, item)
                else:
                    entry.text = _text(item)
        else:
            child.text = _text(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    """`<root><item>…</item>…</root>` for a list, `<root>…</root>` for one object; None becomes an empty element."""
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def answer(fmt: str, data, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, problems: list[tuple[int, str]]) -> HttpResponse:
    data = [{"code": code, "description": str(description)} for code, description in problems]
    return answer(fmt if fmt in CONTENT_TYPES else "json", data, "errors", "error", status)


def refusal(fmt: str, error: DomainError) -> HttpResponse:
    listed = error.details.get("errors")
    if listed:
        return errors(fmt, error.status, [(error.status, problem["description"]) for problem in listed])
    return errors(fmt, error.status, [(error.status, error.message)])


def service_data(service: Service) -> dict:
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description or None,
        "metadata": bool(service.attributes.all()),
        "type": service.type,
        "keywords": service.keywords or None,
        "group": service.group or None,
    }


def definition_data(service: Service) -> dict:
    return {
        "service_code": service.service_code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description or None,
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": str(value["key"]), "name": str(value["name"])} for value in attribute.values],
            }
            for attribute in service.attributes.all()
        ],
    }


def media_url(request: HttpRequest, item: ServiceRequest) -> str | None:
    if item.photo:
        return request.build_absolute_uri(item.photo_url())
    return item.external_media_url or None


def request_data(request: HttpRequest, item: ServiceRequest) -> dict:
    """The public face of a request: no e-mail, name, phone, device or account."""
    return {
        "service_request_id": str(item.pk),
        "status": item.status,
        "status_notes": item.status_notes or None,
        "service_name": item.service.name,
        "service_code": item.service.service_code,
        "description": item.description or None,
        "agency_responsible": item.agency_responsible or None,
        "service_notice": item.service_notice or None,
        "requested_datetime": w3(item.requested_at),
        "updated_datetime": w3(item.updated_at),
        "expected_datetime": w3(item.expected_at),
        "address": item.address or None,
        "address_id": item.address_id or None,
        "zipcode": item.zipcode or None,
        "lat": item.lat,
        "long": item.long,
        "media_url": media_url(request, item),
    }


# --- Views ----------------------------------------------------------------------------------------------------------

def _format_or_404(fmt: str) -> HttpResponse | None:
    if fmt not in CONTENT_TYPES:
        return errors("json", 404, [(404, _("Unknown format %(format)s: use .json or .xml.") % {"format": fmt[:10]})])
    return None


def _only(request: HttpRequest, fmt: str, methods: tuple[str, ...]) -> HttpResponse | None:
    if request.method not in methods:
        response = errors(fmt, 405, [(405, _("This resource answers %(methods)s only.")
                                      % {"methods": ", ".join(methods)})])
        response["Allow"] = ", ".join(methods)
        return response
    return None


@csrf_exempt
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD"))
    if early:
        return early
    root = request.build_absolute_uri(reverse("services:open311_root"))
    data = {
        "changeset": CHANGESET,
        "contact": _("Ask the administrators of the sphere whose services you use."),
        "key_service": _("API keys are issued by each sphere's administrators, on the sphere's service page."),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": root.rstrip("/"),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return answer(fmt, data, "discovery", None)


@csrf_exempt
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD"))
    if early:
        return early
    try:
        sphere = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    except DomainError as error:
        return refusal(fmt, error)
    return answer(fmt, [service_data(service) for service in selectors.catalogue(sphere)], "services", "service")


@csrf_exempt
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD"))
    if early:
        return early
    try:
        sphere = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
        service = services.find_service(sphere, code)
    except DomainError as error:
        return refusal(fmt, error)
    return answer(fmt, definition_data(service), "service_definition", None)


def _report(request: HttpRequest) -> services.Report:
    data = request.POST
    attributes: dict[str, list[str]] = {}
    for name in data:
        match = ATTRIBUTE_FIELD.match(name)
        if match:
            attributes.setdefault(match.group(1), []).extend(data.getlist(name))
    upload = request.FILES.get("media")
    return services.Report(
        description=data.get("description", ""), lat=data.get("lat"), long=data.get("long"),
        address=data.get("address_string", ""), address_id=data.get("address_id", ""),
        zipcode=data.get("zipcode", ""), attributes=attributes, media_url=data.get("media_url", ""),
        photo_name=upload.name if upload else "", photo=upload.read(services.MAX_PHOTO_BYTES + 1) if upload else None,
        email=data.get("email", ""), first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
        phone=data.get("phone", ""), device_id=data.get("device_id", ""), account_id=data.get("account_id", ""),
    )


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    if is_ratelimited(request, group="open311.post", key="ip", rate=WRITE_RATE, increment=True):
        return errors(fmt, 429, [(429, _("Too many requests. Wait a minute and try again."))])
    try:
        sphere = selectors.jurisdiction(request.POST.get("jurisdiction_id"))
        key = services.check_api_key(request.POST.get("api_key"), sphere)
        service = services.find_service(sphere, request.POST.get("service_code"))
        item = services.do_submit_request(service, _report(request), api_key=key, via="open311")
    except DomainError as error:
        return refusal(fmt, error)
    if service.type == "batch":
        created = {"token": item.token, "service_notice": item.service_notice or None, "account_id": None}
    elif service.type == "blackbox":
        created = {"service_notice": item.service_notice or None, "account_id": None}
    else:
        created = {"service_request_id": str(item.pk), "service_notice": item.service_notice or None,
                   "account_id": None}
    return answer(fmt, [created], "service_requests", "request", status=201)


@csrf_exempt
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD", "POST"))
    if early:
        return early
    if request.method == "POST":
        return _post_request(request, fmt)
    try:
        sphere = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
        items = selectors.find_requests(sphere, request.GET)
    except DomainError as error:
        return refusal(fmt, error)
    return answer(fmt, [request_data(request, item) for item in items], "service_requests", "request")


def _find_request(request: HttpRequest, **lookup) -> ServiceRequest:
    items = ServiceRequest.objects.select_related("service", "sphere").filter(**lookup)
    if request.GET.get("jurisdiction_id"):
        items = items.filter(sphere=selectors.jurisdiction(request.GET.get("jurisdiction_id")))
    item = items.first()
    if item is None:
        raise NotFound("unknown_request", _("This service request was not found."))
    return item


@csrf_exempt
def request_detail(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD"))
    if early:
        return early
    try:
        if not pk.isdigit():
            raise NotFound("unknown_request", _("This service request was not found."))
        item = _find_request(request, pk=int(pk))
    except DomainError as error:
        return refusal(fmt, error)
    return answer(fmt, [request_data(request, item)], "service_requests", "request")


@csrf_exempt
def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    early = _format_or_404(fmt) or _only(request, fmt, ("GET", "HEAD"))
    if early:
        return early
    try:
        item = _find_request(request, token=token_id)
    except DomainError as error:
        return refusal(fmt, error)
    return answer(fmt, [{"service_request_id": str(item.pk), "token": item.token}], "service_requests", "request")


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    """The endpoint's base address: points to the discovery document."""
    return discovery(request, "json")

