"""Every page in English, French and Spanish: catalogues complete, Accept-Language honoured, a switcher."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import comuna

PACKAGE = Path(comuna.__file__).resolve().parent


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["fr", "es"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"
    for entry in po.translated_entries():  # placeholders survive translation
        for placeholder in ("%(", "{{"):
            assert entry.msgid.count(placeholder) == (entry.msgstr or entry.msgstr_plural[0]).count(placeholder), entry.msgid


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path, monkeypatch):
    """Extract the strings afresh (as `makemessages` does) and compare with the committed catalogues."""
    copy = tmp_path / "comuna"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "data"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")) if not e.obsolete}
    for language in ["fr", "es"]:
        committed = {e.msgid for e in catalogue(language) if not e.obsolete}
        missing = sorted(fresh - committed)
        assert not missing, f"strings missing from the {language} catalogue (run makemessages): {missing[:10]}"


@pytest.mark.parametrize(("header", "heading"), [
    ("fr-FR,fr;q=0.9", "Sphères de gouvernement"),
    ("es-ES,es;q=0.9", "Esferas de gobierno"),
    ("de-DE,de;q=0.9", "Spheres of government"),
])
def test_accept_language_is_honoured(client, tree, header, heading):
    page = client.get("/spheres/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert f"<h1>{heading}</h1>" in page


def test_language_switcher_remembers_the_choice(client, tree):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/spheres/city/"})
    assert response.status_code == 302 and response["Location"] == "/spheres/city/"
    page = client.get("/spheres/city/").content.decode()
    assert '<html lang="es">' in page and "Ciudad" in page
