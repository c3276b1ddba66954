"""Abuse: rate limits on sign-up, sign-in and every write; lock-out after failed sign-ins; security headers; session
cookies; CSRF on every form; two-factor authentication before officials act."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD, make_person

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "comuna" / "templates"
LOCK_OUT = {"login_failed": "5/5m/ip,5/5m/key", "signup": "3/h/ip"}
TOO_MANY = "Too many requests. Wait a minute and try again."


def translated(message: str, language: str) -> str:
    """The message as the catalogue gives it in `language` (English where the catalogues are not compiled)."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)


# --- Sign-up, sign-in and lock-out -------------------------------------------------------------------------------

def sign_up(client: Client, n: int):
    return client.post("/accounts/signup/", {"email": f"newcomer{n}@example.org", "password1": "a-long-pass-phrase-7",
                                             "password2": "a-long-pass-phrase-7"}, HTTP_ACCEPT_LANGUAGE="fr")


@override_settings(ACCOUNT_RATE_LIMITS=LOCK_OUT)
def test_sign_ups_from_one_address_are_limited_with_a_translated_page(client, db):
    statuses = [sign_up(client, n).status_code for n in range(3)]
    assert statuses == [302, 302, 302]
    refused = sign_up(client, 3)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert '<html lang="fr">' in page and translated(TOO_MANY, "fr") in page  # the site's page, not allauth's bare one
    from comuna.accounts.models import User

    assert not User.objects.filter(email="newcomer3@example.org").exists()


def sign_in(client: Client, password: str):
    return client.post("/accounts/login/", {"login": "resident@example.org", "password": password})


@override_settings(ACCOUNT_RATE_LIMITS=LOCK_OUT)
def test_repeated_wrong_passwords_lock_the_account_even_against_the_right_one(client, people):
    for _attempt in range(5):
        assert sign_in(client, "not-the-password").status_code == 200
    locked = sign_in(client, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    # From another address the key (the account) stays locked too: guessing from many machines does not help.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert "Too many failed login attempts" in sign_in(elsewhere, PASSWORD).content.decode()
    assert "_auth_user_id" not in elsewhere.session


@override_settings(ACCOUNT_RATE_LIMITS=LOCK_OUT)
def test_the_lock_out_ends(client, people):
    from django.core.cache import cache

    for _attempt in range(5):
        sign_in(client, "not-the-password")
    cache.clear()  # the counters live in the cache and expire after five minutes: the same as waiting
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(people["resident"].pk)


def test_the_test_settings_do_not_hide_the_production_limits():
    """The suite runs with allauth's limits off; production turns them on (see settings.ACCOUNT_RATE_LIMITS)."""
    limits = production_settings("ACCOUNT_RATE_LIMITS")
    assert "login_failed" in limits and "signup" in limits


# --- Every write is rate limited ---------------------------------------------------------------------------------

def comuna_views(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from comuna_views(entry.url_patterns, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith("comuna."):
            yield namespace + (entry.name or str(entry.pattern)), entry.callback


def writes(view) -> bool:
    innermost = inspect.unwrap(view)
    source = inspect.getsource(innermost)
    return "request.POST" in source or "require_POST" in source or 'method == "POST"' in source  # with decorators


def rate_limited(view) -> bool:
    wrapper = view
    while wrapper is not inspect.unwrap(view):
        if "django_ratelimit" in getattr(getattr(wrapper, "__code__", None), "co_filename", ""):
            return True
        wrapper = wrapper.__wrapped__
    source = inspect.getsource(inspect.unwrap(view))
    return "is_ratelimited(" in source or "limit(request" in source


# Written to by other servers, each with its own limit (Open311 API keys, ActivityPub signatures).
OWN_LIMITS = {"services:open311_requests", "federation:inbox"}


def test_every_page_that_writes_is_rate_limited():
    unlimited = sorted(name for name, view in comuna_views()
                       if name not in OWN_LIMITS and writes(view) and not rate_limited(view))
    assert not unlimited, f"Views that write without comuna.core.ratelimits.limit_writes: {unlimited}"


def limits_on(view) -> int:
    count, wrapper = 0, view
    while wrapper is not inspect.unwrap(view):
        count += "django_ratelimit" in getattr(getattr(wrapper, "__code__", None), "co_filename", "")
        wrapper = wrapper.__wrapped__
    return count


def test_no_page_counts_a_write_twice():
    doubled = sorted(name for name, view in comuna_views() if limits_on(view) > 1)
    assert not doubled, f"Views with limit_writes twice (each request counted twice): {doubled}"


def test_a_page_write_past_the_limit_is_refused_in_the_visitors_language(signed_in, people, tree):
    from comuna.core.ratelimits import WRITE_RATE

    client = signed_in(people["resident"])
    allowed = int(WRITE_RATE.split("/")[0])
    for _n in range(allowed):
        client.post("/me/preferences/", {"language": "en"})
    refused = client.post("/me/preferences/", {"language": "en"}, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 429
    assert translated(TOO_MANY, "es") in refused.content.decode()


def test_an_api_write_past_the_limit_gets_the_json_error(tree, people):
    from comuna.accounts.services import do_create_api_token
    from comuna.core.ratelimits import WRITE_RATE

    _token, secret = do_create_api_token(people["outsider"], "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    allowed = int(WRITE_RATE.split("/")[0])
    body = {"category": "public_space", "severity": 1, "description": "Scooters parked across the pavement."}
    statuses = [client.post("/api/v1/conversations/tensions/town", body, content_type="application/json",
                            HTTP_ACCEPT_LANGUAGE="fr").status_code for _n in range(allowed + 1)]
    assert statuses[0] == 201 and statuses[-1] == 429  # (reporting tensions has a limit of its own, below 30/m)
    refused = client.post("/api/v1/conversations/tensions/town", body, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429
    assert refused.json() == {"code": "rate_limited", "message": translated(TOO_MANY, "fr"), "details": {}}


# --- Security headers and cookies --------------------------------------------------------------------------------

def production_settings(*names: str, https: bool = False):
    """Settings as a production process computes them (not the test run's), read in a fresh interpreter."""
    env = {**os.environ, "SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "comuna.settings",
           "COMUNA_HTTPS": "1" if https else "0"}
    env.pop("PYTEST_VERSION", None)
    env.pop("DEBUG", None)
    code = f"import comuna.settings as s; print(repr([getattr(s, n) for n in {list(names)!r}]))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    values = eval(out.strip().splitlines()[-1])  # noqa: S307 - our own repr of plain settings values
    return values[0] if len(names) == 1 else values


def test_pages_carry_the_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS promise a test server cannot keep


def test_behind_tls_the_production_settings_turn_on_hsts_and_secure_cookies():
    hsts, proxy, session_secure, csrf_secure, redirect = production_settings(
        "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT", https=True)
    assert hsts >= 180 * 24 * 3600 and proxy == ("HTTP_X_FORWARDED_PROTO", "https")
    assert session_secure and csrf_secure and redirect
    assert production_settings("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", https=False) == [0, False]


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_tls_a_plain_http_request_is_sent_to_https(client, db):
    plain = client.get("/spheres/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/spheres/"
    assert client.get("/spheres/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
                   SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_a_request_through_the_tls_proxy_gets_hsts_and_secure_cookies(client, people):
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert secure.cookies["csrftoken"]["secure"]
    signed_in = client.post("/accounts/login/", {"login": "resident@example.org", "password": PASSWORD},
                            HTTP_X_FORWARDED_PROTO="https")
    cookie = signed_in.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "Strict-Transport-Security" not in client.get("/", HTTP_X_FORWARDED_PROTO="http")


def test_the_session_cookie_is_out_of_reach_of_scripts(client, people):
    response = client.post("/accounts/login/", {"login": "resident@example.org", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie.value and "resident" not in cookie.value


def test_signing_out_ends_the_session_on_the_server(client, people):
    client.post("/accounts/login/", {"login": "resident@example.org", "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/me/").status_code == 302  # the old cookie is worth nothing


# --- CSRF on every form ------------------------------------------------------------------------------------------

POST_FORM = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for form in POST_FORM.findall(template.read_text()):
            if "{% csrf_token %}" not in form:
                missing.append(str(template.relative_to(TEMPLATES)))
    assert not missing, missing


def test_a_form_without_the_token_changes_nothing(people, tree):
    from comuna.accounts.models import ApiToken

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/me/tokens/", {"name": "forged"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=people["resident"]).exists()


# --- Two-factor authentication for officials ---------------------------------------------------------------------

@pytest.fixture
def official_without_mfa(tree):
    from comuna.accounts.models import Role

    return make_person("new-official@example.org", roles=[(tree["city"], Role.OFFICIAL)])


@pytest.fixture
def proposal(tree, people):
    from datetime import timedelta

    from django.utils import timezone

    from comuna.participation.services import build_process, do_create_proposal

    process = build_process(tree["city"], actor=people["admin"], slug="city-ideas", template="proposals_then_vote",
                            title_en="City ideas", starts_at=timezone.now() - timedelta(days=8))
    return do_create_proposal(people["resident"], process, title="Benches on the square",
                              body="Benches in the shade on the main square, for older residents to rest.")


@override_settings(COMUNA_OFFICIAL_MFA_REQUIRED=True)
def test_an_official_without_two_factor_cannot_answer_on_the_page(signed_in, official_without_mfa, proposal):
    from comuna.participation.models import Answer

    client = signed_in(official_without_mfa)
    response = client.post(f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "text": "We will do it soon."},
                           follow=True)
    assert "two-factor authentication" in response.content.decode()
    assert not Answer.objects.filter(proposal=proposal).exists()


@override_settings(COMUNA_OFFICIAL_MFA_REQUIRED=True)
def test_an_official_without_two_factor_cannot_answer_through_the_api(official_without_mfa, proposal):
    from comuna.accounts.services import do_create_api_token
    from comuna.participation.models import Answer

    _token, secret = do_create_api_token(official_without_mfa, "script")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/v1/participation/proposals/{proposal.pk}/answer", {"status": "accepted", "text": "We will do it soon."},
        content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"
    assert not Answer.objects.filter(proposal=proposal).exists()


@override_settings(COMUNA_OFFICIAL_MFA_REQUIRED=True)
def test_with_two_factor_the_same_official_can_answer(signed_in, official_without_mfa, proposal):
    from comuna.participation.models import Answer
    from conftest import give_mfa

    give_mfa(official_without_mfa)
    signed_in(official_without_mfa).post(f"/proposals/{proposal.pk}/answer/",
                                         {"status": "accepted", "text": "We will do it soon."})
    assert Answer.objects.filter(proposal=proposal).exists()


NOW = 1_800_000_015  # 15 seconds into a 30-second step of the authenticator app


def totp_steps_ago(steps: int) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from conftest import TOTP_SECRET

    return format_hotp_value(hotp_value(TOTP_SECRET, NOW // 30 - steps))


def second_step(client: Client, email: str, code: str):
    """The sign-in's password step, then the authenticator code; the answer to the code."""
    first = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert first.status_code == 302 and "/2fa/" in first["Location"]
    return client.post(first["Location"], {"code": code})


@pytest.fixture
def frozen_totp_clock(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", SimpleNamespace(time=lambda: NOW))


@pytest.mark.parametrize("steps", [0, 1])
def test_an_authenticator_code_typed_as_it_changes_still_signs_in(people, frozen_totp_clock, steps):
    client = Client()
    assert second_step(client, "official@example.org", totp_steps_ago(steps)).status_code == 302
    assert client.get("/me/").status_code == 200


def test_an_old_authenticator_code_is_refused(people, frozen_totp_clock):
    client = Client()
    refused = second_step(client, "official@example.org", totp_steps_ago(2))
    assert refused.status_code == 200 and "/2fa/" in refused.request["PATH_INFO"]
    assert client.get("/me/").status_code == 302  # still signed out


def test_an_authenticator_code_signs_in_once(people, frozen_totp_clock):
    assert second_step(Client(), "official@example.org", totp_steps_ago(1)).status_code == 302
    replay = Client()
    assert second_step(replay, "official@example.org", totp_steps_ago(1)).status_code == 200
    assert replay.get("/me/").status_code == 302


def test_production_requires_two_factor_for_officials():
    assert production_settings("COMUNA_OFFICIAL_MFA_REQUIRED") is True


@override_settings(COMUNA_OFFICIAL_MFA_REQUIRED=True)
def test_a_server_administrator_without_two_factor_cannot_create_a_top_sphere(tree):
    from comuna.accounts.services import do_create_api_token
    from comuna.spheres.models import Sphere

    root = make_person("root@example.org", superuser=True)
    _token, secret = do_create_api_token(root, "script")
    body = {"slug": "another-country", "kind": "national", "name_en": "Another country"}
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    refused = client.post("/api/v1/spheres/", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    assert not Sphere.objects.filter(slug="another-country").exists()
    from conftest import give_mfa

    give_mfa(root)
    assert client.post("/api/v1/spheres/", body, content_type="application/json").status_code == 201


@override_settings(COMUNA_OFFICIAL_MFA_REQUIRED=True)
def test_a_server_administrator_without_two_factor_cannot_import_iati(tree):
    from comuna.cooperation.services import do_import_iati
    from comuna.core.errors import NotAllowed

    root = make_person("root@example.org", superuser=True)
    with pytest.raises(NotAllowed) as refused:
        do_import_iati(b"<iati-activities/>", actor=root)
    assert refused.value.code == "mfa_required"


def test_only_those_who_may_set_up_a_budget_are_offered_the_link(signed_in, people, tree):
    from datetime import timedelta

    from django.utils import timezone

    from comuna.participation.services import build_process

    build_process(tree["city"], actor=people["admin"], slug="city-budget", template="participatory_budget",
                  title_en="City budget", starts_at=timezone.now() - timedelta(days=1))
    setup = "/processes/city-budget/budget/setup/"
    assert setup not in signed_in(people["resident"]).get("/processes/city-budget/").content.decode()
    assert signed_in(people["resident"]).get(setup).status_code == 403
    assert setup in signed_in(people["admin"]).get("/processes/city-budget/").content.decode()
    assert signed_in(people["admin"]).get(setup).status_code == 200
