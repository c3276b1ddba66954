"""Public services: a catalogue per sphere (Open311 services and their attributes) and residents' service requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.core.translated import TranslatedNameMixin
from comuna.spheres.models import Sphere


class ServiceType(models.TextChoices):
    REALTIME = "realtime", _("Real time: the request number is given at once")
    BATCH = "batch", _("Batch: a token is given, the request number later")
    BLACKBOX = "blackbox", _("Black box: no request number is given")


class Datatype(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("One choice in a list")
    MULTIVALUELIST = "multivaluelist", _("Several choices in a list")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Service(TranslatedNameMixin, models.Model):
    """A kind of problem residents can report to a sphere (Open311 "service"). Its name is given in English and
    optionally in French and Spanish; `name` is the reader's language with English as fallback."""

    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.CASCADE, related_name="services")
    service_code = models.CharField(_("service code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=16, choices=ServiceType.choices, default=ServiceType.REALTIME)
    keywords = models.CharField(_("keywords (comma separated)"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    agency_responsible = models.CharField(_("agency responsible"), max_length=200, blank=True)
    service_notice = models.TextField(_("what residents can expect"), blank=True)
    expected_days = models.PositiveIntegerField(_("days to fulfil (service level)"), null=True, blank=True)
    active = models.BooleanField(_("open to new requests"), default=True)

    class Meta:
        ordering = ["group", "name_en"]
        verbose_name = _("public service")
        verbose_name_plural = _("public services")

    @property
    def metadata(self) -> bool:
        """Open311: whether the service has attributes to fill in (a service definition)."""
        return self.attributes.exists()


class ServiceAttribute(models.Model):
    """A question asked when reporting a problem of this kind (Open311 service definition attribute)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(_("code"), max_length=60)
    datatype = models.CharField(_("type of answer"), max_length=20, choices=Datatype.choices)
    variable = models.BooleanField(_("asks for an answer"), default=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=1)
    description = models.CharField(_("question"), max_length=500)
    datatype_description = models.CharField(_("help on the answer"), max_length=300, blank=True)
    values = models.JSONField(_("choices (key and name)"), default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="service_attribute_code_unique")]

    def __str__(self) -> str:
        return self.code

    def value_keys(self) -> list[str]:
        return [str(value["key"]) for value in self.values]


class ServiceRequest(models.Model):
    """A problem reported by a resident (through the site or an Open311 client), triaged by staff."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="service_requests")
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    status_notes = models.TextField(_("status notes"), blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    long = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(_("postal code"), max_length=20, blank=True)
    photo = models.FileField(upload_to="service-requests/%Y/%m/", blank=True)
    photo_type = models.CharField(max_length=32, blank=True)
    external_media_url = models.URLField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)
    agency_responsible = models.CharField(_("agency responsible"), max_length=200, blank=True)
    service_notice = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Personal data: shown to the sphere's staff only, never in the public API or pages.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="service_requests")
    email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    device_id = models.CharField(max_length=200, blank=True)
    account_id = models.CharField(max_length=200, blank=True)
    api_key = models.ForeignKey("ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="assigned_service_requests", verbose_name=_("assigned to"))

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("services:request", args=[self.pk])

    def photo_url(self) -> str:
        return reverse("services:photo", args=[self.pk]) if self.photo else ""


class RequestNote(models.Model):
    """The history of a request: each triage step with its note; internal notes are for staff only."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("for staff only"), default=False)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]


class ApiKey(models.Model):
    """An Open311 client application's key, issued by a sphere admin; only its SHA-256 digest is kept."""

    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="open311_keys")
    name = models.CharField(_("client application"), max_length=200)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
