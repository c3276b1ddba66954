"""Who may do what in local finance, as object permissions on the sphere concerned."""

import rules

from comuna.accounts.models import Role
from comuna.accounts.selectors import has_role


@rules.predicate
def is_finance_officer(user, sphere) -> bool:
    """A finance officer or an admin of the sphere (or of a sphere above it)."""
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.FINANCE_OFFICER])


rules.add_perm("finance.import_budget", is_finance_officer)


@rules.predicate
def may_link_projects(user, sphere) -> bool:
    """An admin, official or finance officer of the sphere (or of a sphere above it)."""
    return sphere is not None and has_role(user, sphere, [Role.ADMIN, Role.OFFICIAL, Role.FINANCE_OFFICER])


rules.add_perm("finance.link_project", may_link_projects)
