"""Who may do what in the intercity system: officials of the sphere concerned (the sphere passed is the one the
action speaks for: the publishing sphere, the network whose officials form the drafting group, the member sphere
that ratifies or amends, the sphere speaking in a dialogue)."""

import rules

from comuna.accounts.rules import is_sphere_official

rules.add_perm("intercity.publish_policy", is_sphere_official)
rules.add_perm("intercity.peer_learning", is_sphere_official)
rules.add_perm("intercity.draft_declaration", is_sphere_official)
rules.add_perm("intercity.decide_ratification", is_sphere_official)
rules.add_perm("intercity.speak_for_sphere", is_sphere_official)
