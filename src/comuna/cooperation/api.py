"""Cooperation over HTTP: a sphere's partnerships and projects, and one project in full (public reads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from comuna.api.auth import OptionalAuth
from comuna.spheres.models import Sphere

from . import services
from .models import Project

router = Router(tags=["cooperation"], auth=OptionalAuth())


class OrganisationOut(Schema):
    name: str
    iati_ref: str
    sphere: str | None = Field(None, alias="sphere.slug")


class ParticipantOut(Schema):
    organisation: OrganisationOut
    role: str


class BudgetOut(Schema):
    period_start: date
    period_end: date
    value: Decimal
    currency: str


class TransactionOut(Schema):
    kind: str
    date: date
    value: Decimal
    currency: str
    provider: OrganisationOut | None
    receiver: OrganisationOut | None


class IndicatorOut(Schema):
    title: str
    measure: str
    baseline_year: int | None
    baseline_value: Decimal | None
    target_value: Decimal | None
    actual_value: Decimal | None


class ResultOut(Schema):
    kind: str
    title: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(result) -> list:
        return list(result.indicators.all())


class ProjectSummaryOut(Schema):
    id: int
    iati_identifier: str
    title: str
    status: str
    sdg_targets: list[str]


class PlaceOut(Schema):
    name: str
    lat: float | None = None
    lon: float | None = None


class DocumentOut(Schema):
    title: str
    url: str
    format: str
    category: str
    language: str


class ProjectOut(ProjectSummaryOut):
    description: str
    currency: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    countries: list[str]
    sectors: list[dict[str, str]]
    places: list[PlaceOut]
    reporting_org: OrganisationOut
    participants: list[ParticipantOut]
    budgets: list[BudgetOut]
    transactions: list[TransactionOut]
    results: list[ResultOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_sectors(project) -> list:
        return [{"vocabulary": str(s.get("vocabulary", "1")), "code": str(s.get("code", ""))}
                for s in project.sectors or []]

    @staticmethod
    def resolve_documents(project) -> list:
        return list(project.documents.all())

    @staticmethod
    def resolve_participants(project) -> list:
        return list(project.participants.select_related("organisation__sphere"))

    @staticmethod
    def resolve_budgets(project) -> list:
        return list(project.budgets.all())

    @staticmethod
    def resolve_transactions(project) -> list:
        return list(project.transactions.select_related("provider__sphere", "receiver__sphere"))

    @staticmethod
    def resolve_results(project) -> list:
        return list(project.results.prefetch_related("indicators"))


class PartnershipOut(Schema):
    title: str
    sphere: str = Field(alias="sphere.slug")
    partner: OrganisationOut
    since: date | None


class TargetOut(Schema):
    code: str
    goal: str
    title: str


class SphereCooperationOut(Schema):
    sphere: str
    iati_ref: str
    partnerships: list[PartnershipOut]
    given: list[ProjectSummaryOut]
    received: list[ProjectSummaryOut]
    targets: list[TargetOut]


@router.get("/spheres/{slug}", response=SphereCooperationOut,
            summary="A sphere's partnerships, the projects it funds and carries out, its SDG targets")
def sphere_cooperation(request, slug: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    overview = services.sphere_overview(sphere)
    organisation = overview["organisation"]
    return {"sphere": sphere.slug, "iati_ref": organisation.iati_ref if organisation else "",
            "partnerships": overview["partnerships"], "given": overview["given"], "received": overview["received"],
            "targets": overview["targets"]}


@router.get("/projects/{pk}", response=ProjectOut, summary="One cooperation project in full")
def project(request, pk: int):
    return get_object_or_404(Project.objects.select_related("reporting_org__sphere"), pk=pk)
