"""Who may do what with public services, as object permissions on the sphere concerned."""

import rules

from comuna.accounts.rules import is_sphere_admin, is_sphere_official

rules.add_perm("public_services.manage_catalogue", is_sphere_admin)
rules.add_perm("public_services.issue_api_key", is_sphere_admin)
rules.add_perm("public_services.triage", is_sphere_official)
