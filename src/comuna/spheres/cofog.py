"""The COFOG classification shipped in data/cofog.json (10 divisions and 69 groups, names in en/fr/es)."""

from __future__ import annotations

import json
from pathlib import Path

COFOG_FILE = Path(__file__).resolve().parent / "data" / "cofog.json"
LANGUAGES = ("en", "fr", "es")


def load_functions(function_model) -> int:
    """Create or update every function; takes the model class so a migration can pass its historical model."""
    data = json.loads(COFOG_FILE.read_text(encoding="utf-8"))
    count = 0
    for division in data["divisions"]:
        names = {f"name_{lang}": division["name"][lang] for lang in LANGUAGES}
        function_model.objects.update_or_create(code=division["code"], defaults={**names, "parent": None})
        count += 1
        for group in division["groups"]:
            names = {f"name_{lang}": group["name"][lang] for lang in LANGUAGES}
            function_model.objects.update_or_create(code=group["code"], defaults={**names, "parent_id": division["code"]})
            count += 1
    return count


def ensure_functions() -> None:
    """Reload the classification if a database was emptied (as transactional tests do)."""
    from .models import Function

    if not Function.objects.exists():
        load_functions(Function)
