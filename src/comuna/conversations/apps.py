from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "comuna.conversations"
    label = "conversations"
    verbose_name = _("Conversations, tensions and mediation")

    def ready(self) -> None:
        from comuna.audit.actions import register

        from .actions import ACTIONS

        register(ACTIONS)
