import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openplatform.jobs.choices import JobKind, JobState
from openplatform.models import choices_check


class Job(models.Model):
    """Long work done by a Celery task, with the progress a page can poll."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    isv = models.ForeignKey(settings.PLATFORM_TENANT_MODEL, on_delete=models.CASCADE,
                            null=True, blank=True, related_name="jobs", verbose_name=_("ISV"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    state = models.CharField(_("state"), max_length=16, choices=JobState.choices,
                             default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    # [{"row": 12, "field": "uscc", "message": "..."}], at most ERROR_REPORT_LIMIT rows.
    error_report = models.JSONField(_("error report"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=choices_check("state", JobState),
                                   name="job_state_valid"),
            models.CheckConstraint(condition=choices_check("kind", JobKind),
                                   name="job_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_state_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
