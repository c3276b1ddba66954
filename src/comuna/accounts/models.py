"""People, their residency in spheres, and the roles they hold there."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Sphere


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("public name"), max_length=120, blank=True)
    is_staff = models.BooleanField(_("server administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(_("language for e-mails"), max_length=8, blank=True)
    email_digest = models.BooleanField(_("send me a digest of what I follow"), default=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        if not self.is_active and self.email.endswith("@invalid"):
            return str(_("Former member"))
        return self.display_name or _("Resident #%(id)s") % {"id": self.pk}


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    OFFICIAL = "official", _("Official")
    MODERATOR = "moderator", _("Moderator")
    MEDIATOR = "mediator", _("Mediator")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")


class RoleAssignment(models.Model):
    """A role in a sphere also holds in the spheres below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sphere", "role"], name="unique_role")]


class ResidencyMethod(models.TextChoices):
    CENSUS = "census", _("Census")
    CODE = "code", _("Code handed out in person")
    MANUAL = "manual", _("Approved by an official")


class Residency(models.Model):
    """Verified residency in a sphere; it counts in every ancestor of that sphere too."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="residencies")
    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="residencies")
    method = models.CharField(_("method"), max_length=16, choices=ResidencyMethod.choices)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sphere"], name="unique_residency")]
        verbose_name_plural = _("residencies")


class Census(models.Model):
    """A sphere's census: salted hashes of (document number, birth date), never the values themselves."""

    sphere = models.OneToOneField(Sphere, on_delete=models.CASCADE, related_name="census")
    salt = models.CharField(max_length=64)
    entries = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)


class CensusEntry(models.Model):
    census = models.ForeignKey(Census, on_delete=models.CASCADE, related_name="digests")
    digest = models.CharField(max_length=64)
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["census", "digest"], name="unique_census_digest")]


class VerificationCode(models.Model):
    """A one-time code an official hands out in person; only its hash is stored."""

    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="verification_codes")
    digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ResidencyRequest(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="residency_requests")
    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="residency_requests")
    message = models.TextField(_("how you live or work here"), max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sphere"], condition=models.Q(status="pending"),
                                    name="one_pending_request_per_sphere")
        ]


class ApiToken(models.Model):
    """A bearer token for API clients; only its hash is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
