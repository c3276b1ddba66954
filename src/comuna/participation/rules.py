"""Who may do what in participation, as object permissions on the sphere concerned."""

import rules

from comuna.accounts.models import Role
from comuna.accounts.rules import is_sphere_admin, is_sphere_official
from comuna.accounts.selectors import has_role

rules.add_perm("participation.create_process", is_sphere_admin)
rules.add_perm("participation.answer_proposal", is_sphere_official)
rules.add_perm("participation.refer_proposal", is_sphere_official)
rules.add_perm("participation.update_commitment", is_sphere_official)


@rules.predicate
def is_sphere_moderator(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.MODERATOR])


rules.add_perm("participation.moderate", is_sphere_moderator)
