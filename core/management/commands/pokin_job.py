"""Run one recorded job in this process, under its memory limit: the worker starts this as a
child process for each job (core.jobs) and kills it at the job's time limit."""

import os
import resource
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.jobs import EXIT_MEMORY, job_run_here
from core.models import Pekerjaan

# Within this much of the limit, a failed allocation or mapping is the limit's doing.
MARGIN = 64 * 1024 * 1024


def address_space_peak() -> int:
    """The largest address space this process has had, in bytes (Linux: VmPeak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Command(BaseCommand):
    help = "Menjalankan satu pekerjaan latar belakang (dipanggil oleh pekerja, bukan oleh manusia)."

    def add_arguments(self, parser):
        parser.add_argument("job_id")

    def handle(self, *args, job_id: str, **options):
        job = Pekerjaan.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"Pekerjaan {job_id} tidak ada.")
        if job.status != Pekerjaan.Status.BERJALAN:
            raise CommandError(f"Pekerjaan {job_id} berstatus {job.status}, bukan berjalan.")
        limit = job.batas_memori_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        # Below the web server's priority: a render takes the cores the pages leave idle, so that
        # people clicking through the site do not wait behind it (bench/load.py measures this).
        os.nice(settings.POKIN_JOB_NICE)
        try:
            job_run_here(job, memory_exhausted=lambda: address_space_peak() + MARGIN >= limit)
        except MemoryError:
            sys.exit(EXIT_MEMORY)
