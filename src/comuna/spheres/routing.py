"""Subsidiarity: a matter goes to the lowest sphere that is competent for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from comuna.core.errors import DomainError

from .models import Competence, Function, Sphere


@dataclass(frozen=True)
class Routing:
    function: Function
    origin: Sphere
    sphere: Sphere | None
    competence: Competence | None
    passed_over: list[Sphere] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.sphere is None:
            return _("No sphere from %(origin)s upwards holds the competence for “%(function)s”.") % {
                "origin": self.origin.name, "function": self.function.name}
        held = _("exclusively") if self.competence.kind == "exclusive" else _("shared with other spheres")
        if self.sphere.pk == self.origin.pk:
            return _("%(sphere)s holds the competence for “%(function)s” (%(held)s).") % {
                "sphere": self.sphere.name, "function": self.function.name, "held": held}
        return _(
            "%(origin)s does not hold the competence for “%(function)s”; the lowest sphere above it that does "
            "is %(sphere)s (%(held)s)."
        ) % {"origin": self.origin.name, "function": self.function.name, "sphere": self.sphere.name, "held": held}


def competent_sphere(function: Function | str, origin: Sphere) -> Routing:
    """The lowest sphere on `origin`'s chain of ancestors (itself first) holding a competence for `function`.

    A competence on a COFOG division covers all its groups. Two queries whatever the depth of the tree.
    """
    if isinstance(function, str):
        function = Function.objects.filter(pk=function).first() or _unknown_function(function)
    if origin.is_network:
        raise DomainError("network_not_in_tree", _("Matters are routed from a sphere of government, not a network."))
    chain = origin.chain_ids()
    competences = {
        c.sphere_id: c
        for c in Competence.objects.filter(sphere_id__in=chain, function_id__in=function.covering_codes())
        .order_by("function_id")  # the group ("05.1") comes after its division ("05"), so its own entry wins
        .select_related("sphere")
    }
    spheres = Sphere.objects.in_bulk(chain)
    passed: list[Sphere] = []
    for sphere_id in chain:
        if sphere_id in competences:
            competence = competences[sphere_id]
            return Routing(function, origin, competence.sphere, competence, passed)
        passed.append(spheres[sphere_id])
    return Routing(function, origin, None, None, passed)


def _unknown_function(code: str):
    raise DomainError("unknown_function", _("“%(code)s” is not a COFOG function code.") % {"code": code}, function=code)
