"""Two Comuna instances on loopback federate: A is the live server, B a separate process with its own database."""

from __future__ import annotations

import requests

from comuna.federation.models import Follower, InboxRejection, ReceivedActivity

B_SEED = """
from comuna.accounts.models import Role, RoleAssignment, User
from comuna.spheres.cofog import ensure_functions
from comuna.spheres.models import SphereKind
from comuna.spheres.services import do_create_sphere
from allauth.mfa.models import Authenticator
ensure_functions()
sphere = do_create_sphere(slug="bcity", kind=SphereKind.MUNICIPALITY, name_en="B City")
official = User.objects.create_user("official@b.example", "a-long-test-password-42", display_name="official")
RoleAssignment.objects.create(user=official, sphere=sphere, role=Role.OFFICIAL)
Authenticator.objects.create(user=official, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
result = sphere.pk
"""

B_FOLLOW = """
from comuna.accounts.models import User
from comuna.federation.services import do_follow_remote
from comuna.spheres.models import Sphere
following = do_follow_remote(Sphere.objects.get(slug="bcity"), "{handle}",
                             actor=User.objects.get(email="official@b.example"))
following.refresh_from_db()
result = {{"state": following.state, "actor": following.actor.uri, "name": following.actor.name}}
"""


B_POLICIES = """
from comuna.intercity.models import Policy
result = [{"title": p.title, "origin_uri": p.origin_uri, "origin_instance": p.origin_instance,
           "publisher": p.publisher, "results": [row.name for row in p.indicators.all()], "sphere": p.sphere_id}
          for p in Policy.objects.order_by("title")]
"""


B_RATIFY = """
from comuna.accounts.models import User
from comuna.federation.services import do_send_ratification
from comuna.spheres.models import Sphere
sent = do_send_ratification(Sphere.objects.get(slug="{sphere}"), "{declaration}", "{decision}",
                            actor=User.objects.get(email="official@b.example"))
result = [(delivery.delivered_at is not None, delivery.last_error) for delivery in sent.deliveries.all()]
"""

B_SECOND_SPHERE = """
from comuna.accounts.models import Role, RoleAssignment, User
from comuna.spheres.models import SphereKind
from comuna.spheres.services import do_create_sphere
village = do_create_sphere(slug="bvillage", kind=SphereKind.MUNICIPALITY, name_en="B Village")
RoleAssignment.objects.create(user=User.objects.get(email="official@b.example"), sphere=village, role=Role.OFFICIAL)
"""


def publish_on_a(sphere, official, title: str):
    from comuna.intercity.services import PolicyInput, do_publish_policy

    return do_publish_policy(sphere, PolicyInput(
        title=title, problem="Cars fill the streets where children used to play.",
        measures="Close inner streets to through traffic; plant trees.", languages=["en"],
        indicators=[{"name": "Green area", "baseline": "1.2", "value": "3.4", "unit": "ha", "year": 2024}]),
        actor=official)


def test_b_follows_a_sphere_of_a(instance_a, instance_b, tree, people):
    a_host = instance_a.url.split("://", 1)[1]
    instance_b.run(B_SEED)

    answer = requests.get(f"{instance_b.url}/.well-known/webfinger",
                          params={"resource": f"acct:bcity@{instance_b.host}"}, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["links"][0]["href"] == f"{instance_b.url}/federation/spheres/bcity"

    publish_on_a(tree["city"], people["official"], "Superblocks")  # before the follow: B gets it on following

    followed = instance_b.run(B_FOLLOW.format(handle=f"city@{a_host}"))

    assert followed == {"state": "accepted", "actor": f"{instance_a.url}/federation/spheres/city", "name": "City"}
    follower = Follower.objects.get(sphere=tree["city"])
    assert follower.actor.uri == f"{instance_b.url}/federation/spheres/bcity"
    assert ReceivedActivity.objects.filter(activity_type="Follow").count() == 1

    # A policy published on A after the follow appears in B's library too, with its origin.
    later = publish_on_a(tree["city"], people["official"], "Tactical urbanism")
    policies = instance_b.run(B_POLICIES)
    assert [policy["title"] for policy in policies] == ["Superblocks", "Tactical urbanism"]
    assert policies[1] == {"title": "Tactical urbanism", "origin_uri": f"{instance_a.url}/federation/policies/{later.pk}",
                           "origin_instance": a_host, "publisher": f"City (city@{a_host})", "results": ["Green area"],
                           "sphere": None}
    library = requests.get(f"{instance_b.url}/policies/", timeout=10).text
    assert "Tactical urbanism" in library and f"from {a_host}" in library

    # Forgeries sent to A over the network: A fetches the real actor from B and refuses them.
    b_actor = f"{instance_b.url}/federation/spheres/bcity"
    assert forged_follow(instance_a.url, b_actor, b_actor + "#main-key").json()["code"] == "bad_signature"
    ghost = f"{instance_b.url}/federation/spheres/ghost"
    assert forged_follow(instance_a.url, ghost, ghost + "#main-key").json()["code"] == "unknown_actor"
    assert Follower.objects.count() == 1



def forged_follow(a_url: str, actor: str, key_id: str) -> requests.Response:
    """A Follow claiming to come from `actor`, signed with a key that is not its own."""
    import json

    from comuna.federation.signatures import generate_key_pair, load_private_key, signed_post_headers

    inbox = f"{a_url}/federation/spheres/town/inbox"
    body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/forged/1",
                       "type": "Follow", "actor": actor, "object": f"{a_url}/federation/spheres/town"}).encode()
    headers = signed_post_headers(inbox, body, key_id=key_id, private_key=load_private_key(generate_key_pair()[1]))
    response = requests.post(inbox, data=body, headers=headers, timeout=10)
    assert response.status_code == 401
    return response


def network_official(network):
    from allauth.mfa.models import Authenticator

    from comuna.accounts.models import Role, RoleAssignment, User

    user = User.objects.create_user("drafter@a.example", "a-long-test-password-42", display_name="drafter")
    RoleAssignment.objects.create(user=user, sphere=network, role=Role.OFFICIAL)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_a_sphere_on_b_ratifies_a_declaration_of_a_network_on_a(instance_a, instance_b, tree):
    from comuna.intercity.declarations import declaration_as_dict, do_create_declaration, do_open_ratification
    from comuna.intercity.models import RemoteMember

    instance_b.run(B_SEED)
    instance_b.run(B_SECOND_SPHERE)
    drafter = network_official(tree["net"])
    # Recorded on A as a member of A's network (do_add_remote_member takes https addresses only; B is on http).
    RemoteMember.objects.create(network=tree["net"], uri=f"{instance_b.url}/federation/spheres/bcity", label="B City")
    declaration = do_create_declaration(tree["net"], title="Cities for the right to housing",
                                        text="We, the member cities, commit to housing as a right.", actor=drafter)
    do_open_ratification(declaration, quorum_count=2, actor=drafter)
    address = f"{instance_a.url}/federation/declarations/{declaration.pk}"

    # A sphere of B that is not a member is refused by A, and nothing changes there.
    refused = instance_b.run(B_RATIFY.format(sphere="bvillage", declaration=address, decision="ratify"))
    assert refused == [[False, "http_403"]]
    assert InboxRejection.objects.filter(reason="not_a_member").count() == 1
    assert declaration_as_dict(declaration)["quorum"]["ratified"] == 0

    sent = instance_b.run(B_RATIFY.format(sphere="bcity", declaration=address, decision="ratify"))

    assert sent == [[True, ""]]
    statuses = declaration_as_dict(declaration)
    assert statuses["quorum"] == {"count": 2, "share": None, "needed": 2, "ratified": 1, "members": 3}
    b_city = next(member for member in statuses["members"] if member["uri"])
    assert b_city == {**b_city, "label": "B City", "decision": "ratify", "method": "remote"}
    page = requests.get(address, timeout=10)  # people asking for the object get the declaration's page
    assert page.url.endswith(f"/declarations/{declaration.pk}/")
    assert "1 of 3 members ratified" in page.text and "Decided on its own instance" in page.text

    # Sending it again is refused: the decision is final.
    again = instance_b.run(B_RATIFY.format(sphere="bcity", declaration=address, decision="reject"))
    assert again == [[False, "http_409"]]
    assert declaration_as_dict(declaration)["quorum"]["ratified"] == 1
