"""ActivityPub state: our actors' keys, remote actors we know, follows both ways, what came in and what goes out."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Sphere


class ActorKey(models.Model):
    """The RSA key pair of a local sphere or network, made on first use. The private key is stored encrypted with
    a key derived from SECRET_KEY and never leaves this server."""

    sphere = models.OneToOneField(Sphere, on_delete=models.CASCADE, related_name="actor_key")
    public_key_pem = models.TextField()
    private_key_encrypted = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)


class RemoteActor(models.Model):
    """A sphere or network on another instance, as its actor document described it when last fetched."""

    uri = models.URLField(_("actor address"), max_length=500, unique=True)
    host = models.CharField(_("host"), max_length=255, db_index=True)
    actor_type = models.CharField(max_length=40)
    preferred_username = models.CharField(max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    outbox = models.URLField(max_length=500, blank=True)
    key_id = models.URLField(max_length=500)
    public_key_pem = models.TextField()
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["host", "preferred_username"]
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        return f"{self.preferred_username}@{self.host}" if self.preferred_username else self.uri

    @property
    def label(self) -> str:
        return f"{self.name} ({self.handle})" if self.name else self.handle


class Follower(models.Model):
    """A remote actor that follows a local sphere: it receives the sphere's public activities."""

    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="federation_followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows_local")
    follow_activity_id = models.URLField(max_length=500)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sphere", "actor"], name="unique_federation_follower")]


class FollowState(models.TextChoices):
    PENDING = "pending", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Refused")


class Following(models.Model):
    """A local sphere following a remote actor."""

    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="federation_following")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="followed_by_local")
    follow_activity_id = models.URLField(max_length=500, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=FollowState.choices, default=FollowState.PENDING)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sphere", "actor"], name="unique_federation_following")]


class OutboxActivity(models.Model):
    """An activity a local actor published; its JSON is served at its id and listed in the actor's outbox."""

    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="federation_outbox")
    uuid = models.UUIDField(unique=True)
    activity_type = models.CharField(max_length=40)
    payload = models.JSONField()
    public = models.BooleanField(default=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]


class Delivery(models.Model):
    """One activity to POST to one remote inbox, retried with growing delays until it succeeds or gives up."""

    activity = models.ForeignKey(OutboxActivity, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(max_length=500)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "inbox"], name="unique_delivery")]


class ReceivedActivity(models.Model):
    """An activity accepted by an inbox. Unique by id: a replayed activity changes nothing."""

    activity_id = models.URLField(max_length=500, unique=True)
    activity_type = models.CharField(max_length=40)
    actor = models.ForeignKey(RemoteActor, on_delete=models.PROTECT, related_name="activities")
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)


class InboxRejection(models.Model):
    """A refused inbox request, for the operators: the reason and the sender's host, never the body or a person."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(max_length=60)
    status = models.PositiveSmallIntegerField()
    sender_host = models.CharField(max_length=255, blank=True)
    inbox_path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-received_at"]
