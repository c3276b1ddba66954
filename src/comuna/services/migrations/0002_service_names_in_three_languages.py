"""Service names in English, French and Spanish: the existing name becomes the English one (data kept)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("public_services", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="service", old_name="name", new_name="name_en"),
        migrations.AlterField(model_name="service", name="name_en",
                              field=models.CharField(max_length=200, verbose_name="name (English)")),
        migrations.AddField(model_name="service", name="name_fr",
                            field=models.CharField(blank=True, max_length=200, verbose_name="name (French)")),
        migrations.AddField(model_name="service", name="name_es",
                            field=models.CharField(blank=True, max_length=200, verbose_name="name (Spanish)")),
        migrations.AlterModelOptions(name="service", options={
            "ordering": ["group", "name_en"], "verbose_name": "public service",
            "verbose_name_plural": "public services"}),
    ]
