from __future__ import annotations

from ninja import Schema


class SphereOut(Schema):
    slug: str
    kind: str
    name: str
    names: dict[str, str]
    official_code: str
    country: str
    population: int | None
    parent: str | None


class FunctionOut(Schema):
    code: str
    name: str
    division: str | None


class CompetenceOut(Schema):
    function: str
    function_name: str
    kind: str


class SphereDetailOut(SphereOut):
    ancestors: list[str]
    children: list[str]
    networks: list[str]
    members: list[str]
    competences: list[CompetenceOut]


class RoutingOut(Schema):
    function: str
    origin: str
    competent_sphere: str | None
    competence_kind: str | None
    passed_over: list[str]
    reason: str


class CompetenceIn(Schema):
    function: str
    kind: str
