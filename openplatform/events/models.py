import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """An outbox row: written in the same transaction as the change it reports.

    Webhook delivery reads these rows after commit, so an event exists if and only if its
    change was committed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=80, db_index=True)
    isv = models.ForeignKey("isv.Isv", on_delete=models.CASCADE, related_name="events",
                            verbose_name=_("ISV"))
    app = models.ForeignKey("isv.App", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="events", verbose_name=_("app"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["isv", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.type} · {self.id}"
