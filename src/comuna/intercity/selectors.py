"""Read helpers: which spheres a person may speak for."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comuna.accounts.models import Role, RoleAssignment
from comuna.spheres.models import Sphere


def official_spheres(user, *, among: QuerySet[Sphere] | None = None) -> QuerySet[Sphere]:
    """Spheres the person is an official (or admin) of, directly or through a sphere above."""
    spheres = among if among is not None else Sphere.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return spheres.none()
    if user.is_superuser:
        return spheres
    held = list(RoleAssignment.objects.filter(user=user, role__in=[Role.ADMIN, Role.OFFICIAL])
                .select_related("sphere").values_list("sphere_id", "sphere__path"))
    if not held:
        return spheres.none()
    condition = Q(pk__in=[pk for pk, _path in held])
    for pk, path in held:
        condition |= Q(path__startswith=f"{path}{pk}/")
    return spheres.filter(condition)
