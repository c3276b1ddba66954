from __future__ import annotations

from ninja import Field, Schema


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


class SphereIn(Schema):
    slug: str = Field(pattern=r"^[-a-z0-9]{2,80}$")
    kind: str
    name_en: str = Field(min_length=1, max_length=200)
    name_fr: str = Field("", max_length=200)
    name_es: str = Field("", max_length=200)
    official_code: str = Field("", max_length=40)
    country: str = Field("", pattern=r"^([A-Z]{2})?$")
    population: int | None = Field(None, ge=0, le=2_000_000_000)
    parent: str | None = None


class MoveIn(Schema):
    parent: str | None
