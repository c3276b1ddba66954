"""Every page and API operation, called as each kind of user, answers as tests/authorization_table.py declares.

The routes come from the URL configuration and the API's OpenAPI document, so a new route without a declared answer
fails here. The world is the site demo (Toulouse owns the objects) plus a few objects the demo lacks; every request
runs in a transaction that is rolled back, so one role's writes never change what the next role sees.

A new route: the role tests print what it answered to each role ("not in the table (answered ...)"); check that
those answers are what its users should get (fix the app where they are not), then declare them in the table.
Where an empty POST only re-shows a form, add real form data to `page_posts` so the entry shows who may act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from authorization_table import API, PAGES, ROLES, expected_for
from comuna.api.urls import api

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Machine-to-machine endpoints that authenticate otherwise (HTTP signatures, Open311 API keys), not with a cookie.
CSRF_EXEMPT = {"federation:inbox", "services:open311_requests"}


# --- Route discovery ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRoute:
    name: str  # "namespace:name", the table's key
    route: str  # the path pattern, e.g. "proposals/<int:pk>/support/"
    kwargs: tuple[str, ...] = field(default=())


def page_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[PageRoute]:
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if "api/v1/" == str(entry.pattern):
                continue  # the API is read from its OpenAPI document
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            found += page_routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
            kwargs = tuple(a or b for a, b in names)
            found.append(PageRoute(namespace + (entry.name or route), route, kwargs))
    return found


def api_operations() -> list[tuple[str, str, str]]:
    """(key "METHOD /path", method, path) for every operation of the API."""
    schema = api.get_openapi_schema()
    return [(f"{method.upper()} {path}", method, path) for path, operations in schema["paths"].items()
            for method in operations]


# --- The world ---------------------------------------------------------------------------------------------------

@dataclass
class World:
    users: dict  # role -> User (no entry for anonymous)
    page_kwargs: dict  # (first literal path segment or URL name, kwarg) -> value
    api_kwargs: dict  # (path prefix, parameter) -> value
    api_bodies: dict  # "METHOD /path" -> JSON body that a permitted user could send
    page_posts: dict = field(default_factory=dict)  # URL name -> form data a permitted user could send


def build_world() -> World:
    from allauth.account.models import EmailAddress

    from comuna.accounts.models import User
    from comuna.accounts.services import do_create_api_token
    from comuna.conversations.models import Agreement, Conversation, MediationCase, TensionReport
    from comuna.cooperation.models import Project as CooperationProject
    from comuna.demo import load_demo
    from comuna.finance.models import Budget as FinanceBudget
    from comuna.finance.models import BudgetLine, ProjectLink
    from comuna.participation.amendments import do_amend
    from comuna.participation.attachments import do_attach
    from comuna.participation.models import Comment, Commitment, Meeting, Process, Proposal
    from comuna.representation.models import Assembly, Election
    from comuna.services.models import Service, ServiceRequest
    from comuna.services.services import do_issue_api_key
    from comuna.spheres.models import Sphere
    from conftest import give_mfa

    load_demo()
    users = {email.split("@")[0]: user for email, user in
             ((u.email, u) for u in User.objects.filter(email__endswith="@demo.comuna.city"))}
    unverified = User.objects.create_user("unverified@example.org", "a-long-test-password-42", display_name="New")
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)
    superuser = User.objects.create_user("root@example.org", "a-long-test-password-42", display_name="Root",
                                         is_superuser=True, is_staff=True)
    EmailAddress.objects.create(user=superuser, email=superuser.email, verified=True, primary=True)
    for user in (users["official"], users["moderator"], users["admin"], users["mediator"], users["finance"], superuser):
        give_mfa(user)
    role_users = {"unverified": unverified, "outsider": users["jordi"], "resident": users["hugo"],
                  "moderator": users["moderator"], "official": users["official"], "admin": superuser}

    toulouse_process = Process.objects.get(slug="toulouse-decides-2026")
    pool = Proposal.objects.get(title__startswith="Open the Saint-Cyprien pool")  # open: supports, comments
    amendment = do_amend(users["lea"], pool, title=pool.title, body=pool.body + " Lifeguards from the city.",
                         reason="Safety first.")
    attachment = do_attach(users["amina"], pool, "plan.pdf", PDF)
    token, _secret = do_create_api_token(users["hugo"], "phone")
    case = MediationCase.objects.get()
    agreement = Agreement.objects.create(case=case, text="Market stalls leave the square by 14:00.")
    service = Service.objects.filter(sphere__slug="toulouse").first()
    service_request = ServiceRequest.objects.filter(service__sphere__slug="toulouse").first()
    api_key, _secret = do_issue_api_key(users["admin"], service.sphere, "Partner app")
    conversation = Conversation.objects.get()
    statement = conversation.statements.order_by("number").first()
    finance_budget = FinanceBudget.objects.filter(sphere__slug="toulouse").order_by("-fiscal_year").first()
    line = BudgetLine.objects.filter(budget=finance_budget).first()
    from comuna.budgeting.links import project_ref
    from comuna.budgeting.models import Project as BudgetProject

    budget_project = BudgetProject.objects.first()
    comment = Comment.objects.first()
    feasible = BudgetProject.objects.filter(budget=budget_project.budget, status="feasible").order_by("cost").first()
    election = Election.objects.get(sphere__slug="toulouse")
    candidate = election.candidates.order_by("number").first()

    # Values for URL kwargs, chosen by the route's first literal segment (and the kwarg's name).
    page_kwargs = {
        ("spheres", "slug"): "toulouse",
        ("networks", "slug"): "cities-for-local-democracy",
        ("processes", "slug"): toulouse_process.slug,
        ("budgeting|processes", "slug"): budget_project.budget.process.slug,
        ("conversations", "slug"): conversation.slug,
        ("moderation", "number"): statement.number,
        ("elections", "slug"): election.slug,
        ("assemblies", "slug"): Assembly.objects.get().slug,
        ("proposals", "pk"): pool.pk,
        ("meetings", "pk"): Meeting.objects.get().pk,
        ("attachments", "pk"): attachment.pk,
        ("amendments", "pk"): amendment.pk,
        ("comments", "pk"): comment.pk,
        ("commitments", "pk"): Commitment.objects.get().pk,
        ("follow", "kind"): "proposal", ("follow", "pk"): pool.pk,
        ("report", "kind"): "proposal", ("report", "pk"): pool.pk,
        ("moderate", "kind"): "proposal", ("moderate", "pk"): pool.pk,
        ("tensions", "pk"): TensionReport.objects.filter(sphere__slug="capitole").first().pk,
        ("cases", "pk"): case.pk,
        ("agreements", "pk"): agreement.pk,
        ("budget-projects", "pk"): budget_project.pk,
        ("cooperation|projects", "pk"): CooperationProject.objects.get().pk,
        ("cooperation|budgets", "item"): CooperationProject.objects.get().budgets.first().pk,
        ("cooperation|documents", "item"): CooperationProject.objects.get().documents.first().pk,
        ("cooperation|documents", "pk"): CooperationProject.objects.get().documents.first().pk,
        ("cooperation|places", "index"): 0,
        ("cooperation|partnerships", "pk"): CooperationProject.objects.get().partnership_id,
        ("iati", "slug"): "toulouse",
        ("finance", "year"): finance_budget.fiscal_year,
        ("lines", "pk"): line.pk,
        ("finance:unlink_project", "pk"): ProjectLink.objects.first().budget_line_id,
        ("finance:unlink_project", "link"): ProjectLink.objects.first().pk,
        ("services", "code"): service.service_code,
        ("services|requests", "pk"): service_request.pk,
        ("services|keys", "pk"): api_key.pk,
        ("services|questions", "pk"): service.attributes.first().pk if service.attributes.exists() else 1,
        ("services", "fmt"): "json",
        ("services|tokens", "token_id"): "unknown-token",
        ("accounts|tokens", "token_id"): token.pk,
        ("account_confirm_email", "key"): "not-a-key",
        ("account_reset_password_from_key", "uidb36"): "1", ("account_reset_password_from_key", "key"): "x-y",
        ("federation", "key"): "00000000-0000-0000-0000-000000000000",
        ("federation", "pk"): 1,
    }
    api_kwargs = {
        ("/api/v1/spheres/", "slug"): "toulouse", ("/api/v1/spheres/", "function"): "08",
        ("/api/v1/accounts/", "slug"): "toulouse",
        ("/api/v1/audit/", "slug"): "toulouse",
        ("/api/v1/participation/processes/", "slug"): toulouse_process.slug,
        ("/api/v1/participation/proposals/", "pk"): pool.pk,
        ("/api/v1/participation/spheres/", "slug"): "toulouse",
        ("/api/v1/conversations/", "slug"): conversation.slug,
        ("/api/v1/conversations/tensions/", "sphere"): "toulouse",
        ("/api/v1/conversations/cases/", "case_id"): case.pk,
        ("/api/v1/cooperation/spheres/", "slug"): "toulouse",
        ("/api/v1/cooperation/projects/", "pk"): CooperationProject.objects.get().pk,
        ("/api/v1/finance/spheres/", "slug"): "toulouse",
        ("/api/v1/finance/spheres/", "year"): finance_budget.fiscal_year,
        ("/api/v1/finance/lines/", "pk"): line.pk,
    }
    api_bodies = {
        "POST /api/v1/spheres/": {"slug": "new-hood", "kind": "neighbourhood", "name_en": "New", "parent": "toulouse"},
        "PUT /api/v1/spheres/{slug}/parent": {"parent": "toulouse-metropole"},
        "PUT /api/v1/spheres/{slug}/competences": {"function": "08", "kind": "shared"},
        "POST /api/v1/accounts/me/residency/code": {"code": "WRONG-CODE"},
        "POST /api/v1/accounts/spheres/{slug}/roles": {"email": "hugo@demo.comuna.city", "role": "moderator"},
        "POST /api/v1/participation/processes/{slug}/proposals": {
            "title": "More benches", "body": "Benches in the shade on every square of the old town, please."},
        "POST /api/v1/participation/proposals/{pk}/comments": {"body": "Good idea."},
        "POST /api/v1/participation/proposals/{pk}/answer": {"status": "accepted", "text": "We will do it."},
        "POST /api/v1/participation/proposals/{pk}/referrals": {"to_sphere": "toulouse-metropole",
                                                                "reason": "The Metropole runs parks."},
        "POST /api/v1/conversations/{slug}/statements": {"text": "The market should stay on Sundays."},
        "POST /api/v1/conversations/{slug}/votes": {"statement": statement.number, "vote": 1},
        "POST /api/v1/conversations/tensions/{sphere}": {"category": "public_space", "severity": 2,
                                                         "description": "Loud music on the square every night until 3."},
        "POST /api/v1/intercity/declarations/{pk}/decisions": {"sphere": "toulouse", "decision": "ratify"},
        # An unreachable remote instance (port 9, discard): officials get a clear refusal, no one waits.
        "POST /api/v1/federation/spheres/{slug}/following": {"handle": "city@127.0.0.1:9"},
        "POST /api/v1/federation/spheres/{slug}/decisions": {"declaration": "http://127.0.0.1:9/declarations/1",
                                                             "decision": "ratify"},
        "POST /api/v1/finance/lines/{pk}/projects": {"project": project_ref(budget_project), "amount": "1000.00"},
    }
    # Forms whose answer must tell who may act, not only that an empty form is incomplete.
    page_posts = {
        "participation:comment": {"body": "The pool could also open on Saturday mornings."},
        "participation:answer": {"status": "accepted", "text": "The pool will open on Sundays from June."},
        "participation:support": {},
        "participation:create_proposal": {"title": "Shade over the playground",
                                          "body": "Sails over the Capitole playground so children can play in July."},
        "conversations:add_statement": {"text": "The market should keep its Sunday stalls."},
        "conversations:vote": {"statement": statement.number, "vote": "1"},
        "participation:amend": {"title": pool.title, "body": pool.body + " Also on public holidays.",
                                "reason": "Holidays are when families are free."},
        "budgeting:vote": {"project": [feasible.pk]},
        "representation:vote": {f"rank_{candidate.number}": "1"},
        "participation:refer": {"to_sphere": Sphere.objects.get(slug="toulouse-metropole").pk,
                                "reason": "The Metropole runs the swimming pools."},
        "participation:update_commitment": {"progress": "50", "status": "in_progress", "note": "Half the beds are dug."},
        "budgeting:review": {"feasible": "1", "note": "Checked with the parks service."},
        "services:update": {"status": "closed", "note": "Repaired on Tuesday."},
    }
    add_intercity(page_kwargs, api_kwargs)
    return World(role_users, page_kwargs, api_kwargs, api_bodies, page_posts)


def add_intercity(page_kwargs: dict, api_kwargs: dict) -> None:
    """Objects of the intercity demo (Toulouse adopted Barcelona's policy, the network's declaration); a placeholder
    where the demo has none (those routes answer 404, as declared)."""
    from comuna.intercity.models import (
        Declaration,
        DeclarationAmendment,
        Dialogue,
        HelpRequest,
        MentorOffer,
        Policy,
        Ratification,
    )

    def first(model, **filters):
        found = model.objects.filter(**filters).order_by("pk").first()
        return found.pk if found is not None else 999_999

    policy = first(Policy, sphere__slug="toulouse")
    declaration = first(Declaration)
    page_kwargs.update({
        ("intercity|policies", "pk"): policy,
        ("intercity|peer-learning", "pk"): first(HelpRequest),
        ("intercity|offers", "pk"): first(MentorOffer),
        ("intercity|declarations", "pk"): declaration,
        ("intercity|amendments", "pk"): first(DeclarationAmendment),
        ("intercity|ratifications", "pk"): first(Ratification, sphere__slug="toulouse"),
        ("intercity|dialogues", "pk"): first(Dialogue),
        ("federation:policy", "pk"): policy,
        ("federation:declaration", "pk"): declaration,
    })
    api_kwargs.update({
        ("/api/v1/intercity/policies/", "pk"): policy,
        ("/api/v1/intercity/declarations/", "pk"): declaration,
        ("/api/v1/conversations/imports/", "sphere"): "toulouse",
        ("/api/v1/federation/spheres/", "slug"): "toulouse",
    })


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


# --- Calling and classifying -------------------------------------------------------------------------------------

def page_url(route: PageRoute, world: World) -> str:
    """Fill each kwarg from page_kwargs: by URL name, then "namespace|segment", the literal segment before it, the namespace."""
    namespace = route.name.rpartition(":")[0]

    def value(match) -> str:
        kwarg = match.group(1) or match.group(2)
        before = [s for s in re.split(r"[/^]", route.route[:match.start()]) if s and "<" not in s and "(" not in s]
        segment = before[-1] if before else ""
        for key in ((route.name, kwarg), (f"{namespace}|{segment}", kwarg), (segment, kwarg), (namespace, kwarg)):
            if key in world.page_kwargs:
                return str(world.page_kwargs[key])
        raise LookupError(f"no value for <{kwarg}>: add one to page_kwargs")

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", value, route.route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def api_url(path: str, world: World) -> str:
    def value(match) -> str:
        name = match.group(1)
        prefixes = sorted((p for (p, n) in world.api_kwargs if n == name and path.startswith(p)), key=len)
        if not prefixes:
            raise LookupError(f"no value for {{{name}}}: add one to api_kwargs")
        return str(world.api_kwargs[(prefixes[-1], name)])
    return re.sub(r"\{(\w+)\}", value, path)


def classify(response) -> str:
    """The answer's class: ok, refused (the page says no), login, 400, 403, 404, 405, 409, 429 or 500."""
    status = response.status_code
    if status in (401,):
        return "login"
    if status == 422:
        return "400"
    if status >= 400:
        return str(status)
    if 300 <= status < 400 and "/accounts/login/" in response.get("Location", ""):
        return "login"
    request = getattr(response, "wsgi_request", None)
    storage = getattr(request, "_messages", None)
    said = [*getattr(storage, "_queued_messages", []), *(getattr(storage, "_loaded_data", None) or [])]
    if any(message.level >= message_levels.ERROR for message in said):
        return "refused"
    return "ok"


def call(client: Client, method: str, url: str, **extra):
    """One request in a transaction that is rolled back: the world stays the same for every call."""
    client.cookies.pop("messages", None)  # only this request's messages count
    with transaction.atomic():
        response = getattr(client, method)(url, **extra)
        transaction.set_rollback(True)
    cookie = client.cookies.get("sessionid")
    if client.user is not None and (cookie is None or not cookie.value):
        client.force_login(client.user, backend="django.contrib.auth.backends.ModelBackend")  # signed out: back in
    return response


def client_for(role: str, world: World, **options) -> Client:
    client = Client(raise_request_exception=False, **options)
    client.user = world.users.get(role)
    if client.user is not None:
        client.force_login(client.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def observe_pages(role: str, world: World) -> dict[tuple[str, str], str]:
    client = client_for(role, world)
    seen = {}
    for route in page_routes():
        for method in ("GET", "POST"):
            try:
                data = world.page_posts.get(route.name, {}) if method == "POST" else {}
                seen[(route.name, method)] = classify(call(client, method.lower(), page_url(route, world), data=data))
            except LookupError as missing:
                seen[(route.name, method)] = str(missing)
    return seen


def observe_api(role: str, world: World) -> dict[tuple[str, str], str]:
    client = client_for(role, world)
    seen = {}
    for key, method, path in api_operations():
        try:
            url = api_url(path, world)
        except LookupError as missing:
            seen[(key, method.upper())] = str(missing)
            continue
        if method == "get":
            response = call(client, "get", url)
        else:
            body = world.api_bodies.get(key, {})
            response = call(client, method, url, data=body, content_type="application/json")
        seen[(key, method.upper())] = classify(response)
    return seen


# --- The tests ---------------------------------------------------------------------------------------------------

def test_every_route_is_declared():
    missing = sorted({route.name for route in page_routes()} - set(PAGES))
    missing += sorted({key for key, _m, _p in api_operations()} - set(API))
    assert not missing, "Routes without an entry in tests/authorization_table.py: " + ", ".join(missing)
    stale = sorted(set(PAGES) - {route.name for route in page_routes()})
    stale += sorted(set(API) - {key for key, _m, _p in api_operations()})
    assert not stale, "Entries for routes that no longer exist: " + ", ".join(stale)


def differences(observed: dict, table: dict, role: str) -> list[str]:
    """Each answer that differs from the table; an undeclared route shows what it answered, to help declare it."""
    wrong = []
    for (key, method), got in observed.items():
        name = key if key.startswith(method) else f"{method} {key}"  # API keys already start with their method
        if key not in table:
            wrong.append(f"{name} as {role}: not in the table (answered {got})")
        elif got != (expected := expected_for(table[key], method, role)):
            wrong.append(f"{name} as {role}: expected {expected}, got {got}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role_as_declared(role, world, db):
    wrong = differences(observe_pages(role, world), PAGES, role)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_each_role_as_declared(role, world, db):
    wrong = differences(observe_api(role, world), API, role)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_a_form_posted_without_a_csrf_token_is_refused(role, world, db):
    """Where a browser would carry a CSRF token, a POST without one changes nothing: 403, on every page."""
    client = client_for(role, world, enforce_csrf_checks=True)
    unguarded = []
    for route in page_routes():
        expected = expected_for(PAGES.get(route.name, "ok"), "POST", role)
        if expected in ("405", "404") or route.name in CSRF_EXEMPT:
            continue
        try:
            response = call(client, "post", page_url(route, world), data=world.page_posts.get(route.name, {}))
        except LookupError:
            continue  # test_pages_answer_each_role_as_declared names it
        if response.status_code != 403:
            unguarded.append(f"{route.name}: {response.status_code}")
    assert not unguarded, unguarded


def test_api_session_writes_need_the_csrf_token(world, db):
    resident = client_for("resident", world, enforce_csrf_checks=True)
    response = call(resident, "post", api_url("/api/v1/participation/proposals/{pk}/comments", world),
                    data={"body": "Hello"}, content_type="application/json")
    assert response.status_code in (401, 403)
