"""The SDG data shipped with the app: the 17 goals and the 169 targets, with the UN's titles."""

from django.utils import translation

from comuna.cooperation import sdg


def test_seventeen_goals_in_three_languages():
    assert list(sdg.goals()) == [str(n) for n in range(1, 18)]
    assert all(set(titles) == {"en", "fr", "es"} for titles in sdg.goals().values())
    assert sdg.goal_title("11", "fr").startswith("Faire en sorte que les villes")


def test_one_hundred_and_sixty_nine_targets_each_in_its_goal():
    targets = sdg.targets()
    assert len(targets) == 169
    assert all(code.split(".")[0] in sdg.goals() for code in targets)
    assert all(set(titles) == {"en", "fr", "es"} and all(titles.values()) for titles in targets.values())
    assert list(targets)[:8] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b", "2.1"]
    assert "16.10" in targets and list(targets).index("16.10") == list(targets).index("16.9") + 1


def test_targets_are_shown_in_the_readers_language():
    with translation.override("fr"):
        assert sdg.target_title("11.3").startswith("D’ici à 2030, renforcer l’urbanisation durable")
    with translation.override("en"):
        assert sdg.target_title("11.3").startswith("By 2030, enhance inclusive and sustainable urbanization")
    assert [t["code"] for t in sdg.describe(["11.7", "1.a", "nonsense"])] == ["1.a", "11.7"]
    with translation.override("es"):
        assert sdg.target_title("11.3").startswith("De aquí a 2030, aumentar la urbanización inclusiva")
