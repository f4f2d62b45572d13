"""The background worker: django-tasks' database worker, plus a heartbeat that the health
endpoint reads (a worker that hangs or died stops beating)."""

import os
import socket
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from core.models import DetakPekerja

HEARTBEAT_SECONDS = 15


def _beat(worker_id: str, stop: threading.Event) -> None:
    host, pid = socket.gethostname()[:200], os.getpid()
    while not stop.is_set():
        try:
            close_old_connections()
            DetakPekerja.objects.update_or_create(
                worker_id=worker_id, defaults={"host": host, "pid": pid, "terakhir": timezone.now()}
            )
        except Exception:  # a database blip must not stop the heartbeat thread for good
            connection.close()
        stop.wait(HEARTBEAT_SECONDS)
    connection.close()


class Command(BaseCommand):
    help = "Menjalankan pekerja latar belakang Pokin (PDF, tanda tangan, impor)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Kerjakan semua yang menunggu, lalu berhenti.")
        parser.add_argument("--interval", type=float, default=1.0, help="Detik antar pemeriksaan antrean.")

    def handle(self, *args, batch: bool, interval: float, **options):
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(worker_id, stop), name="pokin-heartbeat", daemon=True)
        beat.start()
        try:
            call_command(
                "db_worker",
                batch=batch,
                interval=interval,
                worker_id=worker_id,
                startup_delay=not batch,
                reload=False,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
            beat.join(timeout=5)
            DetakPekerja.objects.filter(worker_id=worker_id).delete()
