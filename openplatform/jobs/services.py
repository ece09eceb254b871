"""Jobs: create one, then let ``job_run`` drive it from a Celery task.

Progress updates are plain UPDATEs outside any transaction (a page polls them while the work
runs); the start and the end of a job are audited.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openplatform.audit.trail import audit_record, person
from openplatform.jobs.choices import JOB_TRANSITIONS, JobKind, JobState
from openplatform.jobs.models import Job
from openplatform.transitions import lock, transition

logger = logging.getLogger(__name__)

ERROR_REPORT_LIMIT = 1000

# progress(done, total): report how far the work is.
Progress = Callable[[int, int], None]


class JobFailed(Exception):
    """Raised by a job's work to fail it with a message and a per-row error report."""

    def __init__(self, message: str, *, error_report: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.error_report = error_report or []


@transaction.atomic
def job_create(*, kind: JobKind, isv: models.Model | None, actor: AbstractBaseUser | None,
               total: int = 0) -> Job:
    job = Job.objects.create(kind=kind, isv=isv, created_by=person(actor), total=total)
    audit_record(actor=actor, action="job.created", target=job,
                 after={"kind": kind, "total": total})
    return job


def job_progress(*, job_id, done: int, total: int | None = None) -> None:
    fields: dict[str, int] = {"done": done}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(**fields)


@transaction.atomic
def _job_move(job: Job, to: str, **changes: Any) -> Job:
    job = lock(job)
    progress = {"done": job.done, "total": job.total,
                "message": changes.get("message", job.message)}
    return transition(job, to, transitions=JOB_TRANSITIONS, actor=None, action=f"job.{to}",
                      changes=changes, audit_after=progress, locked=True)


def _store_result(job: Job, content: bytes | None) -> str:
    if content is None:
        return ""
    field = job.result_file.field
    name = field.generate_filename(job, f"{job.kind}-{job.pk}.csv")
    return field.storage.save(name, ContentFile(content))


def _job_fail(job: Job, *, message: str, error_report: list | None = None) -> Job:
    job.refresh_from_db(fields=["done", "total"])
    return _job_move(job, JobState.FAILED, finished_at=timezone.now(), message=message[:500],
                     error_report=(error_report or [])[:ERROR_REPORT_LIMIT])


def job_run(*, job_id, work: Callable[[Job, Progress], tuple[str, bytes | None]]) -> Job:
    """Run ``work(job, progress)`` for a queued job; a repeat (redelivered task) does nothing.

    ``work`` returns (message, result file content or None) or raises JobFailed.
    """
    job = Job.objects.filter(pk=job_id, state=JobState.QUEUED).first()
    if job is None:
        return Job.objects.get(pk=job_id)
    job = _job_move(job, JobState.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int) -> None:
        job_progress(job_id=job.pk, done=done, total=total)

    try:
        message, content = work(job, progress)
    except JobFailed as failure:
        return _job_fail(job, message=failure.message, error_report=failure.error_report)
    except Exception:
        logger.exception("Job %s (%s) stopped on an unexpected error.", job.pk, job.kind)
        return _job_fail(job, message=_("The job stopped on an unexpected error; nothing of "
                                        "it was kept. Try again or contact support."))
    job.refresh_from_db(fields=["done", "total"])
    return _job_move(job, JobState.SUCCEEDED, finished_at=timezone.now(),
                     message=message[:500], result_file=_store_result(job, content))
