"""Who may do what in conversations, tensions and mediation, as object permissions on the sphere concerned.

Roles hold in the spheres below the one they are given in (accounts.selectors.has_role)."""

import rules

from comuna.accounts.models import Role
from comuna.accounts.selectors import has_role


@rules.predicate
def is_sphere_mediator(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.MEDIATOR])


@rules.predicate
def is_sphere_moderator(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.MODERATOR])


@rules.predicate
def is_sphere_official(user, sphere) -> bool:
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.OFFICIAL])


# Officials and mediators open conversations; admins and moderators moderate their statements.
rules.add_perm("conversations.open_conversation", is_sphere_official | is_sphere_mediator)
rules.add_perm("conversations.moderate", is_sphere_moderator | is_sphere_mediator)
# Importing a Pol.is export opens a conversation with its statements and votes: officials and moderators.
rules.add_perm("conversations.import_export", is_sphere_official | is_sphere_moderator)
# The tensions register and the cases are the mediators' work; officials may read cases (never their notes).
rules.add_perm("conversations.triage_tensions", is_sphere_mediator)
rules.add_perm("conversations.mediate", is_sphere_mediator)
rules.add_perm("conversations.see_cases", is_sphere_mediator | is_sphere_official)
rules.add_perm("conversations.read_case_notes", is_sphere_mediator)
