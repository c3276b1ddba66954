"""Read helpers: who holds which role where, who is resident where."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from comuna.spheres.models import Sphere

from .models import Residency, Role, RoleAssignment

STAFF_ROLES = [Role.ADMIN, Role.OFFICIAL, Role.MODERATOR, Role.MEDIATOR, Role.FINANCE_OFFICER]


def has_role(user, sphere: Sphere, roles: Iterable[str]) -> bool:
    """A role held in the sphere or in any sphere above it. Server administrators hold every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    chain = sphere.chain_ids()
    return RoleAssignment.objects.filter(user=user, sphere_id__in=chain, role__in=list(roles)).exists()


def is_resident(user, sphere: Sphere) -> bool:
    """Residency in the sphere or in any sphere below it (a neighbourhood's resident lives in its city)."""
    if user is None or not user.is_authenticated:
        return False
    below = f"{sphere.path}{sphere.pk}/"
    return Residency.objects.filter(Q(sphere=sphere) | Q(sphere__path__startswith=below), user=user).exists()


def holds_any_staff_role(user) -> bool:
    return user.is_authenticated and (user.is_superuser or RoleAssignment.objects.filter(user=user).exists())


def officials_of(sphere: Sphere):
    return (RoleAssignment.objects.filter(sphere=sphere).select_related("user").order_by("role", "user__display_name"))
