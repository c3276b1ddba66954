"""Object permissions, as data (django-rules). Each predicate takes the sphere the action concerns."""

import rules

from .models import Role
from .selectors import has_role


@rules.predicate
def is_sphere_admin(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.ADMIN])


@rules.predicate
def is_sphere_official(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.OFFICIAL])


rules.add_perm("spheres.change_sphere", is_sphere_admin)
rules.add_perm("spheres.manage_roles", is_sphere_admin)
rules.add_perm("accounts.upload_census", is_sphere_admin)
rules.add_perm("accounts.issue_codes", is_sphere_official)
rules.add_perm("accounts.decide_residency", is_sphere_official)
