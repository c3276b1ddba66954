"""Ship the COFOG classification (10 divisions and their groups, in en/fr/es) as data."""

from django.db import migrations


def load_cofog(apps, schema_editor):
    from comuna.spheres.cofog import load_functions

    load_functions(apps.get_model("spheres", "Function"))


class Migration(migrations.Migration):
    dependencies = [("spheres", "0001_initial")]
    operations = [migrations.RunPython(load_cofog, migrations.RunPython.noop)]
