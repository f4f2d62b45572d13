"""Shared fixtures: small explicit trees and agencies, built through the services."""

from decimal import Decimal

import django.test
import pytest
from django.http import HttpRequest

from dinas.models import Pemda, PerangkatDaerah, UnitKerja
from pohon.models import Pohon
from pohon.services import node_create, pohon_create


def pemda_named(nama: str) -> Pemda:
    """The Pemda of that name, created from the name (jenis and place) the first time."""
    from dinas.services import pemda_create

    return Pemda.objects.filter(nama=nama).first() or pemda_create(nama=nama)


@pytest.fixture
def pemda(db) -> Pemda:
    return pemda_named("Kabupaten Contoh")


@pytest.fixture
def dinas(pemda) -> PerangkatDaerah:
    return PerangkatDaerah.objects.create(kode="dinas-uji", nama="Dinas Uji", pemda=pemda, tempat="Contoh")


@pytest.fixture
def other_dinas(db) -> PerangkatDaerah:
    return PerangkatDaerah.objects.create(kode="dinas-lain", nama="Dinas Lain", pemda=pemda_named("Kota Lain"))


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
        pohon=pohon,
        parent=tujuan,
        jenis="indikator",
        uraian="Indeks X",
        kode="T1.I1",
        target_angka=Decimal("85.5"),
        satuan="%",
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


class Client(django.test.Client):
    """The test client with a login() that goes through django-axes as a real login does: axes's
    backend refuses to authenticate without the request (it counts failures per address), which
    Django's Client.login does not pass. force_login needs no password and is unaffected."""

    def login(self, **credentials) -> bool:
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"  # what the test client's own requests carry
        return super().login(request=request, **credentials)


@pytest.fixture
def client() -> Client:
    """pytest-django's ``client``, as the Client above."""
    return Client()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """What the test suite runs differently from production, each for a reason:
    - background jobs run at once, inside the request or service that queued them (Django's
      immediate task backend, in this process), so that a test sees their outcome; the tests in
      tests/core/ run them through the real database backend, worker and child processes;
    - static files are served as they are: the hashed names of production exist only after
      collectstatic, which the CI's production check runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.POKIN_JOB_ISOLATION = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 with Django's default rounds costs ~0.3 s per login; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_user(username: str, group: str):
    """A staff user in one of the role groups (dinas.roles), with no agency yet."""
    from django.contrib.auth import get_user_model

    from dinas.roles import roles_ensure_groups

    user = get_user_model().objects.create_user(username, password="rahasia-uji", is_staff=True)
    user.groups.set([roles_ensure_groups()[group]])
    return user


@pytest.fixture
def ganda(dinas, other_dinas, bidang_unit):
    """The scenario of issue 10: Admin of B (other_dinas), only Operator of A (dinas)."""
    from dinas.models import Keanggotaan
    from dinas.roles import GROUP_ADMIN

    user = staff_user("ganda", GROUP_ADMIN)
    Keanggotaan.objects.create(user=user, dinas=other_dinas, peran=Keanggotaan.Peran.ADMIN)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.OPERATOR, unit=bidang_unit)
    return user


@pytest.fixture
def ganda_client(client, ganda):
    client.force_login(ganda)
    return client


DEMO_PASSWORD = "pokin-demo-2018"

# The seed's eleven programmes with their Pagu as shown on screen and in print.
DEMO_PROGRAMMES = [
    ("Program peningkatan keberdayaan Masyarakat Pedesaan", "Rp 2.078.747.000"),
    ("Program peningkatan peran perempuan di pedesaan", "Rp 999.600.000"),
    ("Program peningkatan partisipasi masyarakat dalam pembangunan pedesaan", "Rp 279.700.000"),
    ("Program pengembangan lembaga ekonomi pedesaan", "Rp 773.000.000"),
    ("Program peningkatan kapasitas aparatur pemerintah desa", "Rp 1.147.054.000"),
    ("Program peningkatan penyelenggaraan pemerintah desa", "Rp 1.346.250.000"),
    ("Program pengembangan potensi desa", "Rp 229.562.500"),
    ("Program pembinaan dan fasilitasi pengelolaan keuangan desa", "Rp 593.373.500"),
    ("Program pelayanan administrasi perkantoran", "Rp 895.194.900"),
    ("Program peningkatan sarana dan prasarana aparatur", "Rp 379.709.100"),
    ("Program peningkatan pengembangan sistem pelaporan capaian kinerja dan keuangan", "Rp 9.496.000"),
]


@pytest.fixture
def demo(db) -> Pohon:
    """The seed's cascade with its agency and demo users, loaded by the real command, as a draft
    (approving renders and signs the PDF: tests that need it use ``demo_approved``)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", demo=True, no_approve=True, stdout=StringIO())
    return Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)


@pytest.fixture(scope="session")
def _signing_certificate_file(tmp_path_factory):
    """One development certificate for the whole run (key generation is the slow part)."""
    return tmp_path_factory.mktemp("signing") / "pokin-uji.p12"


@pytest.fixture
def signing_certificate(settings, _signing_certificate_file):
    """Point the signing settings at a development certificate made for the tests."""
    from pohon.signing.dev import dev_certificate_ensure

    settings.POKIN_SIGNING_P12 = _signing_certificate_file
    settings.POKIN_SIGNING_PASSPHRASE = None
    return dev_certificate_ensure()


@pytest.fixture
def demo_approved(demo, signing_certificate) -> Pohon:
    """The demo as a new user finds it: approved by kadis on 25 January 2018, signed PDF issued
    (without its 16 Perjanjian Kinerja, ten seconds of signing: ``demo_perjanjian`` has them)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", demo=True, no_perjanjian=True, stdout=StringIO())
    demo.refresh_from_db()
    return demo
