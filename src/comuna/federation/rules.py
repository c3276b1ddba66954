"""Who may act for a sphere towards other instances: its officials and admins."""

import rules

from comuna.accounts.rules import is_sphere_official

rules.add_perm("federation.manage", is_sphere_official)
