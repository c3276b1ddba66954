from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from comuna.api.auth import OptionalAuth
from comuna.spheres.models import Sphere

from .models import Event

router = Router(tags=["audit"], auth=OptionalAuth())


class EventOut(Schema):
    sequence: int
    created_at: datetime
    action: str
    actor_role: str
    target_type: str
    target_id: str
    data: dict

    @staticmethod
    def resolve_data(event: Event) -> dict:
        return event.public_data()
    prev_hash: str
    hash: str


@router.get("/spheres/{slug}/events", response=list[EventOut], summary="A sphere's public audit events")
@paginate(PageNumberPagination, page_size=50)
def sphere_events(request, slug: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    return Event.objects.filter(sphere=sphere).order_by("-sequence")
