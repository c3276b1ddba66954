"""Changing the tree of spheres and their competences: `check_*` validates, `do_*` changes and audits."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed

from .models import KIND_RANK, Competence, CompetenceKind, Function, NetworkMembership, Sphere, SphereKind


def path_below(parent: Sphere | None) -> str:
    return f"{parent.path}{parent.pk}/" if parent is not None else "/"


def check_parent(sphere: Sphere, parent: Sphere | None) -> None:
    if sphere.is_network:
        if parent is not None:
            raise DomainError("network_has_no_parent", _("A network is not part of the tree of spheres."))
        return
    if parent is None:
        return
    if parent.is_network:
        raise DomainError("parent_is_network", _("A network cannot be the parent of a sphere; add the sphere as a member instead."))
    if sphere.pk is not None and (parent.pk == sphere.pk or f"/{sphere.pk}/" in parent.path):
        raise DomainError(
            "cycle", _("%(sphere)s cannot be placed under %(parent)s: it would become its own ancestor.")
            % {"sphere": sphere.name, "parent": parent.name},
        )
    if KIND_RANK[SphereKind(parent.kind)] <= KIND_RANK[SphereKind(sphere.kind)]:
        raise DomainError(
            "parent_not_wider",
            _("A %(kind)s cannot be placed under a %(parent_kind)s.")
            % {"kind": sphere.get_kind_display(), "parent_kind": parent.get_kind_display()},
        )


@transaction.atomic
def do_create_sphere(*, actor=None, parent: Sphere | None = None, **fields) -> Sphere:
    sphere = Sphere(parent=parent, **fields)
    check_parent(sphere, parent)
    sphere.path = path_below(parent)
    sphere.full_clean(exclude=["parent"])
    sphere.save()
    record(actions.SPHERE_CREATED, actor=actor, sphere=sphere, target=sphere,
           data={"kind": sphere.kind, "parent": parent.pk if parent else None})
    return sphere


@transaction.atomic
def do_move_sphere(sphere: Sphere, new_parent: Sphere | None, *, actor=None) -> Sphere:
    """Re-hang a sphere (and its subtree) under another parent, refusing cycles."""
    sphere.refresh_from_db()
    check_parent(sphere, new_parent)
    old_prefix = f"{sphere.path}{sphere.pk}/"
    sphere.parent = new_parent
    sphere.path = path_below(new_parent)
    sphere.save(update_fields=["parent", "path"])
    new_prefix = f"{sphere.path}{sphere.pk}/"
    for child in Sphere.objects.filter(path__startswith=old_prefix):
        child.path = new_prefix + child.path[len(old_prefix):]
        child.save(update_fields=["path"])
    record(actions.SPHERE_MOVED, actor=actor, sphere=sphere, target=sphere,
           data={"parent": new_parent.pk if new_parent else None})
    return sphere


def check_competence(sphere: Sphere, function: Function, kind: str) -> None:
    if sphere.is_network:
        raise DomainError("network_has_no_competence", _("Networks hold no competences; their members do."))
    codes = function.covering_codes()
    above = Competence.objects.filter(sphere_id__in=sphere.ancestor_ids(), function_id__in=codes,
                                      kind=CompetenceKind.EXCLUSIVE).select_related("sphere").first()
    if above is not None:
        raise Conflict(
            "held_exclusively_above",
            _("%(sphere)s holds this competence exclusively, so %(here)s cannot hold it too.")
            % {"sphere": above.sphere.name, "here": sphere.name},
            sphere=above.sphere.slug,
        )
    if kind == CompetenceKind.EXCLUSIVE:
        group_codes = [function.code, *function.groups.values_list("code", flat=True)]
        below = (Competence.objects.filter(sphere__path__startswith=f"{sphere.path}{sphere.pk}/",
                                           function_id__in=group_codes).select_related("sphere").first())
        if below is not None:
            raise Conflict(
                "held_below",
                _("%(sphere)s already holds this competence, so it cannot be exclusive to %(here)s.")
                % {"sphere": below.sphere.name, "here": sphere.name},
                sphere=below.sphere.slug,
            )


@transaction.atomic
def do_set_competence(sphere: Sphere, function: Function, kind: str, *, actor=None) -> Competence:
    if kind not in CompetenceKind.values:
        raise DomainError("bad_competence_kind", _("A competence is either exclusive or shared."))
    check_competence(sphere, function, kind)
    competence, _created = Competence.objects.update_or_create(
        sphere=sphere, function=function, defaults={"kind": kind}
    )
    record(actions.COMPETENCE_SET, actor=actor, sphere=sphere, target=competence,
           data={"function": function.code, "kind": kind})
    return competence


@transaction.atomic
def do_remove_competence(competence: Competence, *, actor=None) -> None:
    record(actions.COMPETENCE_REMOVED, actor=actor, sphere=competence.sphere, target=competence,
           data={"function": competence.function_id})
    competence.delete()


@transaction.atomic
def do_add_network_member(network: Sphere, member: Sphere, *, actor=None, joined_on=None) -> NetworkMembership:
    if not network.is_network:
        raise DomainError("not_a_network", _("%(sphere)s is not a network.") % {"sphere": network.name})
    if member.is_network:
        raise DomainError("network_in_network", _("A network cannot be a member of another network."))
    if NetworkMembership.objects.filter(network=network, member=member).exists():
        raise Conflict("already_member", _("%(member)s is already a member of %(network)s.")
                       % {"member": member.name, "network": network.name})
    membership = NetworkMembership.objects.create(network=network, member=member, joined_on=joined_on)
    record(actions.NETWORK_MEMBER_ADDED, actor=actor, sphere=network, target=membership,
           data={"member": member.pk})
    return membership


def require_role_to_change(user, sphere: Sphere) -> None:
    if not user.has_perm("spheres.change_sphere", sphere):
        raise NotAllowed("not_sphere_admin", _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})
