"""The demo's example 2019 (quarterly targets and realisation TW I-IV, one unit's TW IV
unreported) as the dashboards and reports see it on the first run.

``demo_2019`` builds it with the demo's own functions on the draft demo, and marks the 2019 tree
approved directly instead of through the approval, whose signed PDFs (six renders with 2018's)
would triple the time of every test here; ``tests/pohon/test_demo_2019.py`` runs the real path."""

import subprocess

import pytest
from django.contrib.auth import get_user_model

from dinas.models import PerangkatDaerah
from pohon.models import Pohon


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


@pytest.fixture
def demo_2019(demo) -> PerangkatDaerah:
    from pohon.demo.realisasi import demo_2019_tree, realisasi_contoh_load

    pohon, _created = demo_2019_tree(source=demo)
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    pohon.refresh_from_db()
    realisasi_contoh_load(pohon=pohon, kadis=get_user_model().objects.get(username="kadis"))
    return PerangkatDaerah.objects.get(kode="dpmd-lumajang")


@pytest.fixture
def login(client):
    def as_user(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return as_user
