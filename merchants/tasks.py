"""Celery tasks for merchants: thin, idempotent, each calling one service."""

from functools import partial

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from merchants import imports
from openplatform.jobs.models import Job
from openplatform.jobs.services import JobFailed, Progress, job_run


def _import_work(job: Job, progress: Progress, *, upload_path: str,
                 submit_for_screening: bool) -> tuple[str, bytes]:
    if job.isv is None or not job.isv.is_operational:
        raise JobFailed(_("The service provider is not active and cannot onboard merchants."))
    name, content = imports.upload_read(upload_path)
    try:
        rows = imports.read_merchant_file(name=name, content=content)
    except ValidationError as invalid:
        raise JobFailed(" ".join(invalid.messages)) from None
    progress(0, len(rows))
    results = imports.import_rows(isv=job.isv, actor=job.created_by, rows=rows,
                                  submit_for_screening=submit_for_screening, progress=progress)
    counts = imports.summary(results)
    message = _("%(rows)d rows: %(created)d created, %(existing)d already onboarded, "
                "%(error)d with errors.") % {"rows": len(rows), **counts}
    return message, imports.report_csv(results)


@shared_task(acks_late=True)
def merchant_import_task(job_id: str, upload_path: str, submit_for_screening: bool) -> str:
    """Run a bulk onboarding job; a redelivered message finds the job started and does nothing.

    The upload (encrypted personal data) is deleted once the job has run.
    """
    job = job_run(job_id=job_id, work=partial(_import_work, upload_path=upload_path,
                                              submit_for_screening=submit_for_screening))
    if job.is_finished:
        imports.upload_delete(upload_path)
    return job.state
