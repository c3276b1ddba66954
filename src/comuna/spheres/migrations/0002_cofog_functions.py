"""Ship the COFOG classification (10 divisions and their groups, in en/fr/es) as data."""

import json
from pathlib import Path

from django.db import migrations

COFOG_FILE = Path(__file__).resolve().parents[1] / "data" / "cofog.json"


def load_cofog(apps, schema_editor):
    Function = apps.get_model("spheres", "Function")
    data = json.loads(COFOG_FILE.read_text(encoding="utf-8"))
    for division in data["divisions"]:
        Function.objects.update_or_create(
            code=division["code"],
            defaults={f"name_{lang}": division["name"][lang] for lang in ("en", "fr", "es")} | {"parent": None},
        )
        for group in division["groups"]:
            Function.objects.update_or_create(
                code=group["code"],
                defaults={f"name_{lang}": group["name"][lang] for lang in ("en", "fr", "es")}
                | {"parent_id": division["code"]},
            )


class Migration(migrations.Migration):
    dependencies = [("spheres", "0001_initial")]
    operations = [migrations.RunPython(load_cofog, migrations.RunPython.noop)]
