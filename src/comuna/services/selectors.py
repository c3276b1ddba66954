"""Read helpers: the jurisdiction of an Open311 call, the requests a query asks for, who sees what."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from comuna.core.errors import DomainError, NotFound
from comuna.spheres.models import Sphere

from .models import RequestStatus, Service, ServiceRequest

DEFAULT_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000


def jurisdiction(jurisdiction_id: str | None) -> Sphere:
    """The sphere named by its slug; without one, the first sphere that offers services."""
    jurisdiction_id = (jurisdiction_id or "").strip()
    if jurisdiction_id:
        sphere = Sphere.objects.filter(slug=jurisdiction_id).first()
        if sphere is None:
            raise NotFound("unknown_jurisdiction", _("jurisdiction_id %(id)s was not found.")
                           % {"id": jurisdiction_id[:80]})
        return sphere
    sphere = Sphere.objects.filter(services__active=True).order_by("pk").first()
    if sphere is None:
        raise DomainError("no_jurisdiction", _("jurisdiction_id was not provided and no sphere offers services."))
    return sphere


def catalogue(sphere: Sphere):
    return Service.objects.filter(sphere=sphere, active=True).prefetch_related("attributes")


def _moment(value: str, name: str):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise DomainError("bad_date", _("%(name)s must be a w3 date and time with its time zone, such as "
                                        "2010-01-01T00:00:00Z.") % {"name": name})
    return moment


def _commas(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def find_requests(sphere: Sphere, params) -> list[ServiceRequest]:
    """GET requests: by ids (which overrides everything else), or by service codes, status and a window of at most
    90 days (the last 90 days by default); at most 1,000, newest first."""
    base = ServiceRequest.objects.filter(sphere=sphere).select_related("service")
    ids = _commas(params.get("service_request_id"))
    if ids:
        if not all(part.isdigit() for part in ids):
            raise DomainError("bad_id", _("service_request_id takes request numbers separated by commas."))
        return list(base.filter(pk__in=[int(part) for part in ids])[:MAX_REQUESTS])
    codes = _commas(params.get("service_code"))
    if codes:
        base = base.filter(service__service_code__in=codes)
    statuses = _commas(params.get("status"))
    if any(status not in RequestStatus.values for status in statuses):
        raise DomainError("bad_status", _("status takes open, closed, or both separated by a comma."))
    if statuses:
        base = base.filter(status__in=statuses)
    start = _moment(params["start_date"], "start_date") if params.get("start_date") else None
    end = _moment(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end:
        if end < start:
            raise DomainError("bad_window", _("end_date is before start_date."))
        if end - start > DEFAULT_WINDOW:
            raise DomainError("bad_window", _("start_date and end_date may not span more than 90 days."))
    elif start:
        end = start + DEFAULT_WINDOW
    elif end:
        start = end - DEFAULT_WINDOW
    else:
        end = timezone.now()
        start = end - DEFAULT_WINDOW
    return list(base.filter(requested_at__gte=start, requested_at__lte=end)[:MAX_REQUESTS])


def can_triage(user, sphere: Sphere) -> bool:
    return user.is_authenticated and user.has_perm("public_services.triage", sphere)


def desk(sphere: Sphere, status: str | None):
    items = ServiceRequest.objects.filter(sphere=sphere).select_related("service", "assigned_to")
    if status in RequestStatus.values:
        items = items.filter(status=status)
    return items
