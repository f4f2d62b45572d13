"""Shared fixtures: small explicit trees and agencies, built through the services."""

from decimal import Decimal

import pytest

from dinas.models import PerangkatDaerah, UnitKerja
from pohon.models import Pohon
from pohon.services import node_create, pohon_create


@pytest.fixture
def dinas(db) -> PerangkatDaerah:
    return PerangkatDaerah.objects.create(kode="dinas-uji", nama="Dinas Uji", pemda="Kabupaten Contoh", tempat="Contoh")


@pytest.fixture
def other_dinas(db) -> PerangkatDaerah:
    return PerangkatDaerah.objects.create(kode="dinas-lain", nama="Dinas Lain", pemda="Kota Lain")


@pytest.fixture
def bidang_unit(dinas) -> UnitKerja:
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    return UnitKerja.objects.create(dinas=dinas, kode="bidang-a", nama="Bidang A", jenis="bidang", parent=kepala)


@pytest.fixture
def pohon(dinas) -> Pohon:
    return pohon_create(dinas=dinas, tahun=2018)


@pytest.fixture
def chain_tree(pohon):
    """The design card's chain: Tujuan -> Sasaran -> Program -> 2 Kegiatan, with indicators."""
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Meningkatnya X", kode="T1")
    node_create(
        pohon=pohon, parent=tujuan, jenis="indikator", uraian="Indeks X", kode="T1.I1", target="85,5", satuan="%"
    )
    sasaran = node_create(pohon=pohon, parent=tujuan, jenis="sasaran", uraian="Meningkatnya Y", kode="S1")
    program = node_create(
        pohon=pohon, parent=sasaran, jenis="program", uraian="Program Z", kode="P1", pagu=Decimal(6_545_000_000)
    )
    node_create(
        pohon=pohon, parent=program, jenis="kegiatan", uraian="Kegiatan A", kode="K1", pagu=Decimal(5_150_000_000)
    )
    node_create(
        pohon=pohon, parent=program, jenis="kegiatan", uraian="Kegiatan B", kode="K2", pagu=Decimal(1_395_000_000)
    )
    return pohon


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 with Django's default rounds costs ~0.3 s per login; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DEMO_PASSWORD = "pokin-demo-2018"


@pytest.fixture
def demo(db) -> Pohon:
    """The seed's cascade with its agency and demo users, loaded by the real command."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    return Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)
