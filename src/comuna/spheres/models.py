"""Spheres of government, networks of spheres, and what each sphere is competent for (COFOG functions)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comuna.core.translated import TranslatedNameMixin


class SphereKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    DISTRICT = "district", _("District")
    MUNICIPALITY = "municipality", _("Municipality")
    METROPOLITAN_AREA = "metropolitan_area", _("Metropolitan area")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")
    NETWORK = "network", _("Network of spheres")


# Lower rank = closer to residents. A sphere's parent must rank above it.
KIND_RANK = {
    SphereKind.NEIGHBOURHOOD: 1,
    SphereKind.DISTRICT: 2,
    SphereKind.MUNICIPALITY: 3,
    SphereKind.METROPOLITAN_AREA: 4,
    SphereKind.REGION: 5,
    SphereKind.NATIONAL: 6,
}


class Sphere(TranslatedNameMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=SphereKind.choices)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent sphere"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ancestor ids ("/1/4/9/"), kept by services.move_sphere, for one-query subtree lookups.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="/")
    official_code = models.CharField(
        _("official code"), max_length=40, blank=True, help_text=_("e.g. INSEE, INE or NUTS code")
    )
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    members = models.ManyToManyField(
        "self", through="NetworkMembership", symmetrical=False, related_name="networks",
        through_fields=("network", "member"), blank=True,
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("sphere")
        verbose_name_plural = _("spheres")

    @property
    def is_network(self) -> bool:
        return self.kind == SphereKind.NETWORK

    def ancestor_ids(self) -> list[int]:
        """From the root down to the parent."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def chain_ids(self) -> list[int]:
        """This sphere and its ancestors, nearest first: the order in which subsidiarity looks for competence."""
        return [self.pk, *reversed(self.ancestor_ids())]

    def ancestors(self) -> list[Sphere]:
        by_id = Sphere.objects.in_bulk(self.ancestor_ids())
        return [by_id[pk] for pk in self.ancestor_ids() if pk in by_id]

    def descendants(self) -> models.QuerySet[Sphere]:
        return Sphere.objects.filter(path__startswith=f"{self.path}{self.pk}/")

    def get_absolute_url(self) -> str:
        if self.is_network:
            return reverse("spheres:network", args=[self.slug])
        return reverse("spheres:detail", args=[self.slug])


class NetworkMembership(models.Model):
    network = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="network_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "member"], name="unique_network_member")]


class Function(TranslatedNameMixin, models.Model):
    """A function of government in the COFOG classification: a division ("05") or a group ("05.1")."""

    code = models.CharField(_("COFOG code"), max_length=8, primary_key=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("function of government")
        verbose_name_plural = _("functions of government")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def covering_codes(self) -> list[str]:
        """A competence on the division covers each of its groups."""
        return [self.code, self.parent_id] if self.parent_id else [self.code]


class CompetenceKind(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Exclusive")
    SHARED = "shared", _("Shared")


class Competence(models.Model):
    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="competences")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="competences")
    kind = models.CharField(_("kind"), max_length=16, choices=CompetenceKind.choices)

    class Meta:
        ordering = ["function_id"]
        constraints = [models.UniqueConstraint(fields=["sphere", "function"], name="unique_sphere_competence")]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
