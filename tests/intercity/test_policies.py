"""Policy library: publishing, adopting and adapting, lineage, search with facets, remote copies."""

from __future__ import annotations

import pytest

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.intercity import services
from comuna.intercity.models import Policy

from .conftest import policy_input

pytestmark = pytest.mark.django_db


def test_an_official_publishes_a_policy_with_its_results_and_an_audit_event(published, tree):
    assert published.sphere == tree["city"] and published.country == ""
    assert [(i.name, str(i.baseline), str(i.value), i.year) for i in published.indicators.all()] == [
        ("Nitrogen dioxide", "45.00", "33.00", 2024)]
    assert published.documents.get().url == "https://example.org/evaluation.pdf"
    assert Event.objects.filter(action="intercity.policy_published", target_id=str(published.pk)).count() == 1


@pytest.mark.parametrize("who,code", [("town", "forbidden"), ("elsewhere", "forbidden")])
def test_only_officials_of_the_sphere_publish(tree, officials, who, code):
    with pytest.raises(NotAllowed) as refused:
        services.do_publish_policy(tree["city"], policy_input(), actor=officials[who])
    assert refused.value.code == code and not Policy.objects.exists()


def test_a_resident_cannot_publish_and_an_official_needs_two_factor(tree, people, officials):
    with pytest.raises(NotAllowed):
        services.do_publish_policy(tree["city"], policy_input(), actor=people["resident"])
    with pytest.raises(NotAllowed) as refused:
        services.do_publish_policy(tree["town"], policy_input(), actor=officials["no_mfa"])
    assert refused.value.code == "mfa_required" and not Policy.objects.exists()


@pytest.mark.parametrize("overrides,code", [
    ({"title": " "}, "title_required"), ({"problem": "short"}, "problem_required"),
    ({"measures": ""}, "measures_required"), ({"sdg_targets": ["11.99"]}, "unknown_sdg_target"),
    ({"languages": ["English"]}, "unknown_language"), ({"documents": [{"title": "x"}]}, "document_incomplete"),
])
def test_bad_input_is_refused_with_a_precise_code_and_changes_nothing(tree, officials, overrides, code):
    with pytest.raises(DomainError) as refused:
        services.do_publish_policy(tree["city"], policy_input(**overrides), actor=officials["city"])
    assert refused.value.code == code and not Policy.objects.exists()


def test_another_city_adopts_and_adapts_with_differences_shown(published, tree, officials):
    adopted = services.do_adopt_policy(
        published, tree["town"], policy_input(title="Superblocks for quieter streets",
                                              adaptation="Smaller blocks of four, as our streets are narrow."),
        actor=officials["town"])
    assert adopted.parent == published and adopted.sphere == tree["town"]
    diff = services.differences(adopted)
    assert [(p.kind, p.text) for p in diff["title"] if p.kind != "same"] == [("removed", "calmer"),
                                                                             ("added", "quieter")]
    assert services.differences(published) is None
    assert Event.objects.filter(action="intercity.policy_adopted", data__parent=published.pk).exists()


def test_adopting_needs_a_reason_cannot_be_ones_own_and_happens_once(published, tree, officials):
    with pytest.raises(DomainError) as refused:
        services.do_adopt_policy(published, tree["town"], policy_input(adaptation=""), actor=officials["town"])
    assert refused.value.code == "adaptation_required"
    with pytest.raises(Conflict) as refused:
        services.do_adopt_policy(published, tree["city"], policy_input(adaptation="We adapt our own."),
                                 actor=officials["city"])
    assert refused.value.code == "adopt_own"
    services.do_adopt_policy(published, tree["town"], policy_input(adaptation="Adapted to a small town."),
                             actor=officials["town"])
    with pytest.raises(Conflict) as refused:
        services.do_adopt_policy(published, tree["town"], policy_input(adaptation="Adapted to a small town."),
                                 actor=officials["town"])
    assert refused.value.code == "already_adopted" and Policy.objects.count() == 2


def test_the_lineage_of_three_generations_is_laid_out_as_an_indented_tree(published, tree, officials):
    town = services.do_adopt_policy(published, tree["town"], policy_input(adaptation="Adapted to a small town."),
                                    actor=officials["town"])
    hood_official = officials["city"]  # a city official acts for the district below it too
    district = services.do_adopt_policy(town, tree["district"], policy_input(adaptation="One block as a trial."),
                                        actor=hood_official)
    graph = services.lineage(district)
    assert graph["root"] == published
    assert [(n["policy"], n["column"]) for n in graph["nodes"]] == [(published, 0), (town, 1), (district, 2)]
    assert [n["current"] for n in graph["nodes"]] == [False, False, True]
    assert len(graph["lines"]) == 2 and graph["cities"] == 3
    assert graph["nodes"][2]["x"] > graph["nodes"][1]["x"] > graph["nodes"][0]["x"]
    assert graph["nodes"][2]["y"] > graph["nodes"][1]["y"] > graph["nodes"][0]["y"]


def test_full_text_search_matches_word_starts_and_ignores_accents(published, tree, officials):
    services.do_publish_policy(tree["town"], policy_input(title="Cantines scolaires bio",
                                                          problem="Les élèves mangent des plats industriels.",
                                                          measures="Cuisine sur place avec des produits locaux."),
                               actor=officials["town"])
    find = services.find_policies
    assert list(find(services.PolicyQuery(text="superbl"))) == [published]
    assert [p.title for p in find(services.PolicyQuery(text="eleves"))] == ["Cantines scolaires bio"]
    assert not find(services.PolicyQuery(text="nothing-like-this")).exists()
    assert find(services.PolicyQuery(text='" OR 1=1 --')).count() == 0


def test_facets_filter_by_network_country_function_goal_and_language(published, tree, officials):
    from comuna.spheres.models import Function

    tree["town"].country = "FR"
    tree["town"].save()
    other = services.do_publish_policy(tree["town"], policy_input(
        title="Participatory school canteens", sdg_targets=["2.1"], languages=["fr"],
        function=Function.objects.get(code="09.1")), actor=officials["town"])
    region_policy = services.do_publish_policy(tree["region"], policy_input(title="Regional buses", sdg_targets=[]),
                                               actor=officials["region"])
    find = services.find_policies
    assert set(find(services.PolicyQuery(sphere="net"))) == {published, other}
    assert list(find(services.PolicyQuery(country="fr"))) == [other]
    assert list(find(services.PolicyQuery(function="09"))) == [other]
    assert list(find(services.PolicyQuery(function="04.5"))) == [published]
    assert list(find(services.PolicyQuery(goal="11"))) == [published]
    assert set(find(services.PolicyQuery(goal="2"))) == {other}
    assert list(find(services.PolicyQuery(language="fr"))) == [other]
    assert list(find(services.PolicyQuery(sphere="region"))) == [region_policy]
    assert not find(services.PolicyQuery(sphere="no-such-sphere")).exists()
    counts = services.facets(find(services.PolicyQuery()))
    assert {(f["value"], f["count"]) for f in counts["goal"]} == {("11", 1), ("3", 1), ("2", 1)}
    assert {(f["value"], f["count"]) for f in counts["network"]} == {("net", 2)}
    assert {(f["value"], f["count"]) for f in counts["sphere"]} == {("city", 1), ("town", 1), ("region", 1)}
    assert {(f["value"], f["count"]) for f in counts["language"]} == {("en", 2), ("es", 2), ("fr", 1)}
    assert {(f["value"], f["count"]) for f in counts["country"]} == {("FR", 1)}


def test_a_remote_policy_is_copied_read_only_updated_and_withdrawn(published, tree, officials):
    data = services.policy_as_dict(published)
    copy = services.upsert_remote_policy(data, origin_uri="https://other.example/federation/policies/7",
                                         origin_instance="other.example", sphere_label="Lyon")
    assert copy.is_remote and copy.sphere is None and copy.publisher == "Lyon"
    assert services.policy_as_dict(copy) | {"sphere": "x", "adapted_from": ""} == data | {"sphere": "x",
                                                                                        "adapted_from": ""}
    assert services.find_policies(services.PolicyQuery(text="superblocks")).count() == 2
    again = services.upsert_remote_policy({**data, "title": "Superblocks, second edition"},
                                          origin_uri=copy.origin_uri, origin_instance="other.example",
                                          sphere_label="Lyon")
    assert again.pk == copy.pk and Policy.objects.get(pk=copy.pk).title == "Superblocks, second edition"
    with pytest.raises(NotAllowed) as refused:
        services.do_update_policy(again, policy_input(), actor=officials["city"])
    assert refused.value.code == "remote_read_only"
    with pytest.raises(NotAllowed):
        services.upsert_remote_policy(data, origin_uri=copy.origin_uri, origin_instance="intruder.example",
                                      sphere_label="Lyon")
    adopted = services.do_adopt_policy(again, tree["town"], policy_input(adaptation="We tried it in our town."),
                                       actor=officials["town"])
    assert services.withdraw_remote_policy(origin_uri=copy.origin_uri, origin_instance="other.example")
    assert not Policy.objects.filter(pk=copy.pk).exists()
    adopted.refresh_from_db()
    assert adopted.parent is None and adopted.title == "Superblocks for calmer streets"
    assert not services.withdraw_remote_policy(origin_uri=copy.origin_uri, origin_instance="other.example")


def test_remote_data_is_validated_and_cut_to_size(db):
    with pytest.raises(DomainError) as refused:
        services.upsert_remote_policy({"title": "No problem given"}, origin_uri="https://o.example/p/1",
                                      origin_instance="o.example", sphere_label="O")
    assert refused.value.code == "remote_malformed"
    with pytest.raises(DomainError):
        services.upsert_remote_policy({"title": "x", "problem": "y"}, origin_uri="javascript:alert(1)",
                                      origin_instance="o.example", sphere_label="O")
    policy = services.upsert_remote_policy(
        {"title": "T" * 1000, "problem": "P", "sdg_targets": ["11.2", "99.9", 5], "languages": ["en", "<b>"],
         "function": "99", "country": "france", "results": [{"name": "n", "value": "NaN"}] * 100,
         "documents": [{"title": "bad", "url": "javascript:alert(1)"}, {"title": "ok", "url": "https://o.example"}]},
        origin_uri="https://o.example/p/2", origin_instance="o.example", sphere_label="")
    assert len(policy.title) == 200 and policy.sdg_targets == ["11.2"] and policy.languages == ["en"]
    assert policy.function is None and policy.country == "" and policy.sphere_label == "o.example"
    assert policy.indicators.count() == services.MAX_INDICATORS and policy.indicators.first().value is None
    assert [d.url for d in policy.documents.all()] == ["https://o.example"]
