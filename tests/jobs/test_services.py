import pytest

from openplatform.audit.models import AuditEvent
from openplatform.jobs import services
from openplatform.jobs.choices import JobKind, JobState
from openplatform.jobs.models import Job

pytestmark = pytest.mark.django_db


def _job(isv, owner):
    return services.job_create(kind=JobKind.MERCHANT_IMPORT, isv=isv, actor=owner, total=3)


def test_a_job_reports_progress_and_keeps_its_result_file(isv, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = _job(isv, owner)
    seen = []

    def work(running, progress):
        for done in (1, 2, 3):
            progress(done, 3)
            seen.append(Job.objects.get(pk=running.pk).percent)
        return "3 merchants created", b"row,result\n1,created\n"

    job = services.job_run(job_id=job.pk, work=work)

    assert seen == [33, 67, 100]
    assert (job.state, job.done, job.total, job.message) == (
        JobState.SUCCEEDED, 3, 3, "3 merchants created")
    assert job.result_file.read() == b"row,result\n1,created\n"
    assert job.started_at <= job.finished_at
    assert list(AuditEvent.objects.filter(target_id=str(job.pk)).order_by("id")
                .values_list("action", flat=True)) == ["job.created", "job.running",
                                                        "job.succeeded"]


def test_a_failed_job_keeps_its_error_report(isv, owner):
    job = _job(isv, owner)

    def work(running, progress):
        progress(1, 3)
        raise services.JobFailed("Row 2 is invalid; nothing was imported.",
                                 error_report=[{"row": 2, "field": "uscc", "message": "bad"}])

    job = services.job_run(job_id=job.pk, work=work)
    assert (job.state, job.done) == (JobState.FAILED, 1)
    assert job.error_report == [{"row": 2, "field": "uscc", "message": "bad"}]


def test_an_unexpected_error_fails_the_job_without_leaking_details(isv, owner):
    job = _job(isv, owner)

    def work(running, progress):
        raise KeyError("internal detail")

    job = services.job_run(job_id=job.pk, work=work)
    assert job.state == JobState.FAILED
    assert "internal detail" not in job.message


def test_running_a_job_twice_does_the_work_once(isv, owner):
    job = _job(isv, owner)
    calls = []

    def work(running, progress):
        calls.append(running.pk)
        return "done", None

    services.job_run(job_id=job.pk, work=work)
    again = services.job_run(job_id=job.pk, work=work)
    assert len(calls) == 1
    assert again.state == JobState.SUCCEEDED
