from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit trail, written by every service that changes state.

    The lines form a hash chain: ``hash`` is the SHA-256 of ``previous_hash`` and this line's
    content (see ``openplatform.audit.trail.audit_hash``), and ``previous_hash`` is the
    ``hash`` of the line before it in id order (empty for the first line), so changing,
    removing or reordering a line breaks the chain at that point (``manage.py verify_audit``).
    """

    # Set by audit_record before hashing, so the stored time is the hashed time.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("actor"))
    # Who acted when no person did: "system", "app:<client_id>", "task:<name>".
    actor_label = models.CharField(_("actor label"), max_length=120)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT,
                                    verbose_name=_("target type"))
    target_id = models.CharField(_("target ID"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=200)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Unique: two lines can never chain onto the same line, even if a writer skipped the lock.
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"],
                                name="audit_event_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")
