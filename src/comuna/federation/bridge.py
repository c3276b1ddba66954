"""The only doors between federation and the intercity app: its documented functions, looked up when called so
federation works (with spheres alone) even where the policy library is absent."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

INTERCITY_MODULES = ("comuna.intercity.services", "comuna.intercity.declarations")


def _intercity(name: str) -> Any | None:
    for module_name in INTERCITY_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    return None


def available() -> bool:
    return _intercity("policy_as_dict") is not None


def policy_model():
    try:
        return apps.get_model("intercity", "Policy")
    except LookupError:
        return None


def declaration_model():
    try:
        return apps.get_model("intercity", "Declaration")
    except LookupError:
        return None


def policy_as_dict(policy) -> dict:
    return _intercity("policy_as_dict")(policy)


def declaration_as_dict(declaration) -> dict:
    return _intercity("declaration_as_dict")(declaration)


def upsert_remote_policy(data: dict, *, origin_uri: str, origin_instance: str, sphere_label: str):
    return _intercity("upsert_remote_policy")(data, origin_uri=origin_uri, origin_instance=origin_instance,
                                             sphere_label=sphere_label)


def withdraw_remote_policy(*, origin_uri: str, origin_instance: str) -> bool:
    function = _intercity("withdraw_remote_policy")
    return bool(function(origin_uri=origin_uri, origin_instance=origin_instance)) if function else False


def record_remote_ratification(declaration, *, member_label: str, member_uri: str, decision: str, decided_at):
    return _intercity("record_remote_ratification")(declaration, member_label, member_uri, decision, decided_at)
