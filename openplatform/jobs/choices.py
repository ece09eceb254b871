from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    MERCHANT_IMPORT = "merchant_import", _("Bulk merchant onboarding")
    NEGATIVE_LIST_IMPORT = "negative_list_import", _("Negative list import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


JOB_TRANSITIONS = {
    JobState.QUEUED: {JobState.RUNNING, JobState.FAILED},
    JobState.RUNNING: {JobState.SUCCEEDED, JobState.FAILED},
    JobState.SUCCEEDED: set(),
    JobState.FAILED: set(),
}
