"""Content that officials write in several languages: one column per language, shown in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]


def pick(values: dict[str, str], language: str | None = None) -> str:
    """The text in `language` (default: the active one), falling back to English, then to any language given."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    for code in (language, settings.LANGUAGE_CODE, *LANGUAGE_CODES):
        if values.get(code):
            return values[code]
    return ""


def translated_fields(base: str, *, max_length: int, verbose_name: str, required: str = "en") -> dict:
    """`name_en`, `name_fr`, `name_es` columns; only the `required` language must be given."""
    return {
        f"{base}_{code}": models.CharField(
            f"{verbose_name} ({code})", max_length=max_length, blank=code != required
        )
        for code in LANGUAGE_CODES
    }


class TranslatedNameMixin:
    """For models with name_en / name_fr / name_es columns."""

    @property
    def name(self) -> str:
        return pick({code: getattr(self, f"name_{code}", "") for code in LANGUAGE_CODES})

    def __str__(self) -> str:
        return self.name
