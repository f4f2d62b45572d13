"""The one task the worker runs: a recorded job (core.jobs). Everything a job needs is in its
row, so the task's only argument is the job's id."""

from django_tasks import task

from core.jobs import job_execute


@task()
def pekerjaan_jalankan(job_id: str) -> None:
    job_execute(job_id=job_id)
