"""Intercity actions: `check_*` validates, `do_*` changes the data and writes the audit event, in one transaction.

Functions the federation app calls (through comuna.federation.bridge), with these exact signatures:

- `policy_as_dict(policy) -> dict`: a local policy as plain JSON-ready data.
- `upsert_remote_policy(data: dict, *, origin_uri: str, origin_instance: str, sphere_label: str) -> Policy`:
  create or update the read-only local copy of a policy published on another instance (validated, size-limited).
- `withdraw_remote_policy(*, origin_uri: str, origin_instance: str) -> bool`: remove that copy (a Delete).
- `declaration_as_dict(declaration) -> dict`: a declaration with its text, quorum and each member's status.
- `record_remote_ratification(declaration, member_label, member_uri, decision, decided_at) -> Ratification`:
  a member on another instance decided (decision: "ratify", "reject" or "abstain").

Functions for participation (it must not import this app's models):

- `dialogues_for_proposal(proposal_id: int) -> list[dict]`: dialogues between spheres about the referrals of a
  proposal, each {"title", "url", "spheres", "messages"}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.cooperation import sdg
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation.amendments import word_diff
from comuna.spheres.models import Function, Sphere

from . import actions
from .declarations import (  # noqa: F401  (re-exported for federation and the views)
    declaration_as_dict,
    record_remote_ratification,
)
from .models import (
    Dialogue,
    DialogueMessage,
    Document,
    ExchangeSession,
    HelpRequest,
    HelpStatus,
    Indicator,
    MentorOffer,
    OfferStatus,
    Policy,
)
from .search import search_policies

LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MAX_INDICATORS = 30
MAX_DOCUMENTS = 30
MAX_TARGETS = 40
MAX_LANGUAGES = 20


# --- SDG targets: the cooperation app's data, through its lookup functions ----------------------------------------

def sdg_goal_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {sdg.goal_title(code)}") for code in sdg.goals()]


def sdg_target_choices() -> list[tuple[str, str]]:
    return sdg.target_choices()


def describe_targets(codes: list[str]) -> list[dict]:
    return sdg.describe(codes)


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


# --- Policy library -----------------------------------------------------------------------------------------------

@dataclass
class PolicyInput:
    title: str
    problem: str
    measures: str
    function: Function | None = None
    sdg_targets: list[str] | None = None
    languages: list[str] | None = None
    contact: str = ""
    indicators: list[dict] | None = None
    documents: list[dict] | None = None
    adaptation: str = ""


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e13") else None


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2200 else None


def clean_indicators(rows: list[dict] | None) -> list[dict]:
    cleaned = []
    for row in (rows or [])[:MAX_INDICATORS]:
        if not isinstance(row, dict) or not str(row.get("name") or "").strip():
            continue
        cleaned.append({"name": str(row["name"]).strip()[:200], "baseline": _decimal(row.get("baseline")),
                        "value": _decimal(row.get("value")), "unit": str(row.get("unit") or "")[:40],
                        "year": _year(row.get("year"))})
    return cleaned


def check_policy(data: PolicyInput) -> None:
    if not data.title.strip():
        raise DomainError("title_required", _("Give the policy a title."))
    if len(data.problem.strip()) < 10:
        raise DomainError("problem_required", _("Describe the problem the policy answers."))
    if len(data.measures.strip()) < 10:
        raise DomainError("measures_required", _("Describe the measures taken."))
    unknown = [code for code in data.sdg_targets or [] if not sdg.is_target(code)]
    if unknown:
        raise DomainError("unknown_sdg_target", _("“%(code)s” is not a Sustainable Development Goal target.")
                          % {"code": unknown[0][:20]})
    wrong = [code for code in data.languages or [] if not LANGUAGE.match(code)]
    if wrong:
        raise DomainError("unknown_language", _("Give languages as ISO 639 codes, such as en, fr or es."))
    for document in data.documents or []:
        if not str(document.get("title") or "").strip() or not (document.get("url") or document.get("file")):
            raise DomainError("document_incomplete", _("Each document needs a title and a link or a file."))


def _fill(policy: Policy, data: PolicyInput) -> None:
    policy.title = data.title.strip()[:200]
    policy.problem = data.problem.strip()
    policy.measures = data.measures.strip()
    policy.adaptation = data.adaptation.strip()
    policy.function = data.function
    policy.sdg_targets = list(dict.fromkeys(data.sdg_targets or []))[:MAX_TARGETS]
    policy.languages = list(dict.fromkeys(data.languages or []))[:MAX_LANGUAGES]
    policy.contact = data.contact.strip()[:300]


def _replace_children(policy: Policy, data: PolicyInput) -> None:
    if data.indicators is not None:
        policy.indicators.all().delete()
        Indicator.objects.bulk_create([Indicator(policy=policy, **row) for row in clean_indicators(data.indicators)])
    if data.documents is not None:
        policy.documents.all().delete()
        for document in data.documents[:MAX_DOCUMENTS]:
            Document.objects.create(policy=policy, title=str(document["title"]).strip()[:200],
                                    url=str(document.get("url") or "")[:500], file=document.get("file") or "")


def _check_publisher(actor, sphere: Sphere) -> None:
    check_perm(actor, "intercity.publish_policy", sphere,
               _("Only officials of %(sphere)s can publish its policies.") % {"sphere": sphere.name})


@transaction.atomic
def do_publish_policy(sphere: Sphere, data: PolicyInput, *, actor, check: bool = True) -> Policy:
    """A sphere (or a network) publishes a policy or practice with its results (`check=False`: the demo loader,
    which acts without a signed-in official)."""
    if check:
        _check_publisher(actor, sphere)
    check_policy(data)
    policy = Policy(sphere=sphere, country=sphere.country, created_by=actor)
    _fill(policy, data)
    policy.save()
    _replace_children(policy, data)
    record(actions.POLICY_PUBLISHED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=policy)
    return policy


@transaction.atomic
def do_update_policy(policy: Policy, data: PolicyInput, *, actor) -> Policy:
    if policy.is_remote or policy.sphere is None:
        raise NotAllowed("remote_read_only", _("This policy comes from another instance: it can only be changed "
                                               "where it was published."))
    _check_publisher(actor, policy.sphere)
    check_policy(data)
    _fill(policy, data)
    policy.updated_at = timezone.now()
    policy.save()
    _replace_children(policy, data)
    record(actions.POLICY_UPDATED, actor=actor, actor_role=Role.OFFICIAL, sphere=policy.sphere, target=policy)
    return policy


@transaction.atomic
def do_adopt_policy(parent: Policy, sphere: Sphere, data: PolicyInput, *, actor, check: bool = True) -> Policy:
    """Another sphere adopts the policy and adapts it: a derived policy, linked to its parent (the lineage)."""
    if check:
        _check_publisher(actor, sphere)
    if parent.sphere_id == sphere.pk:
        raise Conflict("adopt_own", _("%(sphere)s published this policy: edit it instead of adopting it.")
                       % {"sphere": sphere.name})
    if Policy.objects.filter(parent=parent, sphere=sphere).exists():
        raise Conflict("already_adopted", _("%(sphere)s has already adopted this policy.") % {"sphere": sphere.name})
    if len(data.adaptation.strip()) < 10:
        raise DomainError("adaptation_required", _("Say what you adapted and why: other cities learn from it."))
    check_policy(data)
    policy = Policy(sphere=sphere, country=sphere.country, parent=parent, created_by=actor)
    _fill(policy, data)
    policy.save()
    _replace_children(policy, data)
    record(actions.POLICY_ADOPTED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=policy,
           data={"parent": parent.pk})
    return policy


def adoption_draft(parent: Policy) -> dict:
    """What the adoption form starts from: the parent's text, for the adopter to adapt."""
    return {"title": parent.title, "problem": parent.problem, "measures": parent.measures,
            "function": parent.function_id, "sdg_targets": parent.sdg_targets,
            "languages": ", ".join(parent.languages), "contact": ""}


def differences(policy: Policy) -> dict | None:
    """Word by word, what the adopter changed from the policy it adapted."""
    parent = policy.parent
    if parent is None:
        return None
    return {field: word_diff(getattr(parent, field), getattr(policy, field))
            for field in ("title", "problem", "measures")}


def lineage(policy: Policy) -> dict:
    """The whole family of a policy: from its root, every adaptation, laid out for an SVG drawing.

    Each generation steps right, rows follow a depth-first walk, so each adaptation sits below its parent."""
    root, seen = policy, {policy.pk}
    while root.parent_id and root.parent_id not in seen:
        seen.add(root.parent_id)
        root = Policy.objects.select_related("sphere").get(pk=root.parent_id)
    nodes: list[dict] = []
    edges: list[tuple[int, int]] = []
    level = [root]
    depth = 0
    family: dict[int, list[Policy]] = {}
    known = {root.pk}
    while level and depth < 20:
        children = list(Policy.objects.filter(parent__in=level).select_related("sphere").order_by("created_at", "pk"))
        fresh = [child for child in children if child.pk not in known]
        for child in fresh:
            known.add(child.pk)
            family.setdefault(child.parent_id, []).append(child)
        level = fresh
        depth += 1

    def walk(node: Policy, generation: int) -> int:
        index = len(nodes)
        nodes.append({"policy": node, "column": generation, "row": index, "current": node.pk == policy.pk})
        for child in family.get(node.pk, []):
            child_index = walk(child, generation + 1)
            edges.append((index, child_index))
        return index

    walk(root, 0)
    # An indented tree: each generation steps right, each version has its own row, so it stays narrow on a phone.
    width, height, column, row = 280, 56, 32, 72
    for node in nodes:
        node["x"], node["y"] = 10 + node["column"] * column, 10 + node["row"] * row
    lines = [{"x1": nodes[a]["x"] + 16, "y1": nodes[a]["y"] + height,
              "x2": nodes[b]["x"], "y2": nodes[b]["y"] + height // 2} for a, b in edges]
    columns = max(node["column"] for node in nodes) + 1
    return {"root": root, "nodes": nodes, "lines": lines, "node_width": width, "node_height": height,
            "width": 20 + (columns - 1) * column + width, "height": 20 + (len(nodes) - 1) * row + height,
            "cities": len({node["policy"].publisher for node in nodes})}


# --- Search with facets ----------------------------------------------------------------------------------------

@dataclass
class PolicyQuery:
    text: str = ""
    sphere: str = ""  # a sphere's or network's slug: a network covers its members' policies too
    country: str = ""
    function: str = ""
    goal: str = ""
    language: str = ""


def find_policies(query: PolicyQuery) -> QuerySet[Policy]:
    policies = Policy.objects.select_related("sphere", "function")
    if query.sphere:
        sphere = Sphere.objects.filter(slug=query.sphere[:80]).first()
        if sphere is None:
            return policies.none()
        if sphere.is_network:
            policies = policies.filter(Q(sphere=sphere) | Q(sphere__networks=sphere))
        else:
            policies = policies.filter(sphere=sphere)
    if query.country:
        policies = policies.filter(country=query.country.upper()[:2])
    if query.function:
        policies = policies.filter(Q(function_id=query.function[:8]) | Q(function__parent_id=query.function[:8]))
    if query.goal:
        policies = policies.filter(sdg_goal_keys__contains=f"|{query.goal[:3]}|")
    if query.language:
        policies = policies.filter(language_keys__contains=f"|{query.language[:3].lower()}|")
    return search_policies(policies, query.text).distinct()


FACET_SCAN_LIMIT = 5000


def facets(policies: QuerySet[Policy]) -> dict[str, list[dict]]:
    """Counts of the found policies by network, publishing sphere, country, COFOG division, SDG goal and
    language."""
    rows = list(policies.order_by().values_list("pk", "country", "function_id", "sdg_goal_keys",
                                                "language_keys", "sphere_id")[:FACET_SCAN_LIMIT])
    counts: dict[str, dict[str, int]] = {"country": {}, "function": {}, "goal": {}, "language": {}, "network": {},
                                         "sphere": {}}
    sphere_ids = {row[5] for row in rows if row[5]}
    networks_of: dict[int, list[int]] = {}
    from comuna.spheres.models import NetworkMembership

    for membership in NetworkMembership.objects.filter(member_id__in=sphere_ids).values_list("member_id",
                                                                                             "network_id"):
        networks_of.setdefault(membership[0], []).append(membership[1])
    for _pk, country, function, goals, languages, sphere_id in rows:
        if country:
            counts["country"][country] = counts["country"].get(country, 0) + 1
        if function:
            division = function.split(".")[0]
            counts["function"][division] = counts["function"].get(division, 0) + 1
        for goal in filter(None, goals.split("|")):
            counts["goal"][goal] = counts["goal"].get(goal, 0) + 1
        for language in filter(None, languages.split("|")):
            counts["language"][language] = counts["language"].get(language, 0) + 1
        if sphere_id:
            counts["sphere"][str(sphere_id)] = counts["sphere"].get(str(sphere_id), 0) + 1
        for network in {*networks_of.get(sphere_id, [])}:
            counts["network"][str(network)] = counts["network"].get(str(network), 0) + 1
    networks = Sphere.objects.in_bulk([int(pk) for pk in [*counts["network"], *counts["sphere"]]])
    functions = Function.objects.in_bulk(list(counts["function"]))
    result = {
        "network": [{"value": networks[int(pk)].slug, "label": networks[int(pk)].name, "count": n}
                    for pk, n in counts["network"].items() if int(pk) in networks],
        "sphere": [{"value": networks[int(pk)].slug, "label": networks[int(pk)].name, "count": n}
                   for pk, n in counts["sphere"].items() if int(pk) in networks],
        "country": [{"value": code, "label": code, "count": n} for code, n in counts["country"].items()],
        "function": [{"value": code, "label": str(functions[code]) if code in functions else code, "count": n}
                     for code, n in counts["function"].items()],
        "goal": [{"value": code, "label": f"{code} {sdg.goal_title(code)}", "count": n}
                 for code, n in counts["goal"].items()],
        "language": [{"value": code, "label": language_name(code), "count": n}
                     for code, n in counts["language"].items()],
    }
    for name, values in result.items():
        key = (lambda item: int(item["value"])) if name == "goal" else (lambda item: item["label"])
        values.sort(key=key)
    return result


# --- Federation: policies in and out ---------------------------------------------------------------------------

def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def policy_as_dict(policy: Policy) -> dict:
    """A policy as plain data (the federation's object content and the API's detail)."""
    return {
        "title": policy.title,
        "problem": policy.problem,
        "measures": policy.measures,
        "adaptation": policy.adaptation,
        "results": [{"name": row.name, "baseline": _number(row.baseline), "value": _number(row.value),
                     "unit": row.unit, "year": row.year} for row in policy.indicators.all()],
        "function": policy.function_id or "",
        "sdg_targets": list(policy.sdg_targets),
        "languages": list(policy.languages),
        "contact": policy.contact,
        "country": policy.country,
        "documents": [{"title": doc.title, "url": doc.url} for doc in policy.documents.all() if doc.url],
        "sphere": policy.publisher,
        "adapted_from": (policy.parent.origin_uri or policy.parent.title) if policy.parent_id else "",
    }


def _text(data: dict, key: str, limit: int) -> str:
    value = data.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _strings(data: dict, key: str, limit: int) -> list[str]:
    value = data.get(key)
    return [item for item in value[:limit] if isinstance(item, str)] if isinstance(value, list) else []


@transaction.atomic
def upsert_remote_policy(data: dict, *, origin_uri: str, origin_instance: str, sphere_label: str) -> Policy:
    """Create or update the local, read-only copy of a policy published on another instance.

    Everything is validated and cut to size; unknown functions, targets and languages are dropped. Raises
    DomainError when the data cannot make a policy (no title, no problem) or the address is not one."""
    if not isinstance(data, dict):
        raise DomainError("remote_malformed", _("The policy received is not readable."))
    if not origin_uri.startswith(("https://", "http://")) or len(origin_uri) > 500 or not origin_instance:
        raise DomainError("remote_malformed", _("The policy received has no valid address."))
    title, problem = _text(data, "title", 200), _text(data, "problem", 5000)
    if not title or not problem:
        raise DomainError("remote_malformed", _("The policy received has no title or no problem."))
    function_code = _text(data, "function", 8)
    results = data.get("results") if isinstance(data.get("results"), list) else []
    documents = [doc for doc in (data.get("documents") if isinstance(data.get("documents"), list) else [])
                 if isinstance(doc, dict) and isinstance(doc.get("url"), str)
                 and doc["url"].startswith(("https://", "http://")) and len(doc["url"]) <= 500
                 and isinstance(doc.get("title"), str) and doc["title"].strip()][:MAX_DOCUMENTS]
    country = _text(data, "country", 3).upper()
    policy = Policy.objects.filter(origin_uri=origin_uri).first()
    if policy is not None and policy.origin_instance != origin_instance[:255]:
        raise NotAllowed("remote_not_owner", _("This policy belongs to another instance."))
    policy = policy or Policy(origin_uri=origin_uri, origin_instance=origin_instance[:255])
    policy.sphere = None
    policy.sphere_label = sphere_label.strip()[:300] or origin_instance[:300]
    policy.title, policy.problem = title, problem
    policy.measures = _text(data, "measures", 10000)
    policy.adaptation = _text(data, "adaptation", 3000)
    policy.function = Function.objects.filter(code=function_code).first() if function_code else None
    policy.sdg_targets = [code for code in dict.fromkeys(_strings(data, "sdg_targets", MAX_TARGETS))
                          if sdg.is_target(code)]
    policy.languages = [code for code in dict.fromkeys(_strings(data, "languages", MAX_LANGUAGES))
                        if LANGUAGE.match(code)]
    policy.contact = _text(data, "contact", 300)
    policy.country = country if re.match(r"^[A-Z]{2}$", country) else ""
    policy.updated_at = timezone.now()
    policy.save()
    policy.indicators.all().delete()
    Indicator.objects.bulk_create([Indicator(policy=policy, **row) for row in clean_indicators(results)])
    policy.documents.all().delete()
    Document.objects.bulk_create([Document(policy=policy, title=doc["title"].strip()[:200], url=doc["url"])
                                  for doc in documents])
    return policy


@transaction.atomic
def withdraw_remote_policy(*, origin_uri: str, origin_instance: str) -> bool:
    """The remote instance deleted its policy: remove our copy (adaptations of it keep their own text)."""
    deleted, _rows = Policy.objects.filter(origin_uri=origin_uri, origin_instance=origin_instance).delete()
    return bool(deleted)


# --- Peer learning ---------------------------------------------------------------------------------------------

def _check_speaks_for(actor, sphere: Sphere) -> None:
    check_perm(actor, "intercity.peer_learning", sphere,
               _("Only officials of %(sphere)s can act for it.") % {"sphere": sphere.name})


@transaction.atomic
def do_ask_for_help(sphere: Sphere, *, title: str, details: str, function: Function | None = None,
                    actor) -> HelpRequest:
    _check_speaks_for(actor, sphere)
    if not title.strip() or len(details.strip()) < 10:
        raise DomainError("help_incomplete", _("Say what you need help with, and give some details."))
    request = HelpRequest.objects.create(sphere=sphere, title=title.strip()[:200], details=details.strip(),
                                         function=function)
    record(actions.HELP_REQUESTED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=request)
    return request


@transaction.atomic
def do_offer_mentoring(request: HelpRequest, sphere: Sphere, *, message: str, actor) -> MentorOffer:
    _check_speaks_for(actor, sphere)
    if sphere.pk == request.sphere_id:
        raise DomainError("mentor_self", _("A sphere cannot mentor itself."))
    if request.status != HelpStatus.OPEN:
        raise Conflict("help_not_open", _("This request has already found its mentor."))
    if len(message.strip()) < 10:
        raise DomainError("offer_incomplete", _("Say what your sphere can share."))
    if MentorOffer.objects.filter(request=request, sphere=sphere).exists():
        raise Conflict("already_offered", _("%(sphere)s has already offered to help.") % {"sphere": sphere.name})
    offer = MentorOffer.objects.create(request=request, sphere=sphere, message=message.strip())
    record(actions.MENTOR_OFFERED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=offer)
    return offer


@transaction.atomic
def do_accept_offer(offer: MentorOffer, *, actor) -> MentorOffer:
    request = HelpRequest.objects.select_for_update().get(pk=offer.request_id)
    _check_speaks_for(actor, request.sphere)
    if request.status != HelpStatus.OPEN or offer.status != OfferStatus.OFFERED:
        raise Conflict("help_not_open", _("This request has already found its mentor."))
    now = timezone.now()
    offer.status, offer.decided_at = OfferStatus.ACCEPTED, now
    offer.save(update_fields=["status", "decided_at"])
    request.offers.exclude(pk=offer.pk).filter(status=OfferStatus.OFFERED).update(
        status=OfferStatus.DECLINED, decided_at=now)
    request.status = HelpStatus.MATCHED
    request.save(update_fields=["status"])
    record(actions.MENTOR_ACCEPTED, actor=actor, actor_role=Role.OFFICIAL, sphere=request.sphere, target=offer)
    return offer


@transaction.atomic
def do_record_session(offer: MentorOffer, sphere: Sphere, *, held_on, notes: str, actor) -> ExchangeSession:
    """Either side of an accepted exchange records a session and what was learnt."""
    if sphere.pk not in (offer.sphere_id, offer.request.sphere_id):
        raise NotAllowed("not_in_exchange", _("Only the two spheres of this exchange can record its sessions."))
    _check_speaks_for(actor, sphere)
    if offer.status != OfferStatus.ACCEPTED:
        raise Conflict("offer_not_accepted", _("Sessions are recorded once the offer is accepted."))
    if held_on is None or len(notes.strip()) < 10:
        raise DomainError("session_incomplete", _("Give the date of the session and what was shared."))
    session = ExchangeSession.objects.create(offer=offer, sphere=sphere, held_on=held_on, notes=notes.strip())
    record(actions.EXCHANGE_RECORDED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=session)
    return session


# --- Dialogue between spheres ----------------------------------------------------------------------------------

@transaction.atomic
def do_start_dialogue(sphere: Sphere, *, title: str, others: list[Sphere], body: str, actor,
                      function: Function | None = None, referral=None) -> Dialogue:
    """An official opens a thread between its sphere and one or more others, with a first message."""
    check_perm(actor, "intercity.speak_for_sphere", sphere,
               _("Only officials of %(sphere)s can speak for it.") % {"sphere": sphere.name})
    participants = {other.pk: other for other in others if other.pk != sphere.pk}
    if not participants:
        raise DomainError("dialogue_needs_others", _("Choose at least one other sphere to talk with."))
    if not title.strip() or len(body.strip()) < 10:
        raise DomainError("dialogue_incomplete", _("Name the matter and write a first message."))
    if referral is not None and not {referral.from_sphere_id, referral.to_sphere_id} & {sphere.pk, *participants}:
        raise DomainError("referral_unrelated", _("The referral is not between the spheres of this dialogue."))
    dialogue = Dialogue.objects.create(title=title.strip()[:200], function=function, referral=referral,
                                       started_by=sphere)
    dialogue.spheres.set([sphere, *participants.values()])
    DialogueMessage.objects.create(dialogue=dialogue, sphere=sphere, author=actor, body=body.strip())
    record(actions.DIALOGUE_STARTED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=dialogue,
           data={"spheres": sorted([sphere.pk, *participants])})
    return dialogue


@transaction.atomic
def do_post_message(dialogue: Dialogue, sphere: Sphere, *, body: str, is_position: bool = False,
                    actor) -> DialogueMessage:
    """An official of a participant sphere writes in the thread; a position states the sphere's stance."""
    if not dialogue.spheres.filter(pk=sphere.pk).exists():
        raise NotAllowed("not_in_dialogue", _("%(sphere)s does not take part in this dialogue.")
                         % {"sphere": sphere.name})
    check_perm(actor, "intercity.speak_for_sphere", sphere,
               _("Only officials of %(sphere)s can speak for it.") % {"sphere": sphere.name})
    if len(body.strip()) < 2:
        raise DomainError("message_empty", _("Write a message."))
    message = DialogueMessage.objects.create(dialogue=dialogue, sphere=sphere, author=actor, body=body.strip(),
                                             is_position=is_position)
    if is_position:
        record(actions.DIALOGUE_POSITION, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=message,
               data={"dialogue": dialogue.pk})
    return message


def positions(dialogue: Dialogue) -> list[dict]:
    """The latest official position of each participant sphere."""
    latest: dict[int, DialogueMessage] = {}
    for message in dialogue.messages.filter(is_position=True).select_related("sphere"):
        latest[message.sphere_id] = message
    return [{"sphere": sphere, "position": latest.get(sphere.pk)} for sphere in dialogue.spheres.all()]


def dialogues_for_proposal(proposal_id: int) -> list[dict]:
    """Dialogues between spheres about the referrals of a proposal (for participation's pages, which must not
    import this app's models): each {"title", "url", "spheres", "messages"}."""
    dialogues = (Dialogue.objects.filter(referral__proposal_id=proposal_id).prefetch_related("spheres")
                 .order_by("created_at"))
    return [{"title": d.title, "url": d.get_absolute_url(), "spheres": [s.name for s in d.spheres.all()],
             "messages": d.messages.count()} for d in dialogues]
