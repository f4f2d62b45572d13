"""A small agency for the Perjanjian Kinerja: the head, one Bidang with two sections, officials
(the Kepala Bidang a Plt., one Kepala Seksi a Plh., the other section without one), a Bupati,
and an approved tree in the seed's form with targets and Pagu at every level."""

import subprocess
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from dinas.models import Keanggotaan, Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.services import pejabat_create, pemda_create
from pohon.models import Node, Pohon
from pohon.services import node_create, pohon_create
from pohon.workflow import pohon_approve, pohon_submit


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return text.decode()


def squash(text: str) -> str:
    """Whitespace folded to single spaces: a PDF breaks long lines where it likes."""
    return " ".join(text.split())


@dataclass
class Org:
    pemda: Pemda
    dinas: PerangkatDaerah
    kepala: UnitKerja
    bidang: UnitKerja
    seksi: UnitKerja
    seksi_kosong: UnitKerja
    kadis: Pejabat
    kabid: Pejabat
    kasi: Pejabat
    bupati: Pejabat
    pohon: Pohon


def build_tree(pohon: Pohon, org_units: dict[str, UnitKerja]) -> None:
    kepala, bidang, seksi, kosong = (org_units[k] for k in ("kepala", "bidang", "seksi", "kosong"))

    def add(parent, jenis, kode, uraian, unit, **extra):
        return node_create(pohon=pohon, parent=parent, jenis=jenis, kode=kode, uraian=uraian, unit=unit, **extra)

    t1 = add(None, "tujuan", "T1", "Meningkatnya kesejahteraan uji", kepala)
    s1 = add(t1, "sasaran", "T1.S1", "Meningkatnya keberdayaan masyarakat uji", kepala)
    add(s1, "indikator", "T1.S1.I1", "Persentase partisipasi uji", kepala, target_angka=Decimal("85.5"), satuan="%")
    b1 = add(t1, "bidang", "B1", "KEPALA BIDANG A", bidang)
    p1 = add(b1, "program", "B1.P1", "Program pemberdayaan uji", bidang)
    k1 = add(p1, "kegiatan", "B1.P1.K1", "Kegiatan pelatihan uji", seksi, pagu=Decimal(600_000))
    add(k1, "sub_kegiatan", "B1.P1.K1.S1", "Sub kegiatan pelatihan kader uji", seksi, pagu=Decimal(600_000))
    add(p1, "kegiatan", "B1.P1.K2", "Kegiatan pembinaan uji", seksi, pagu=Decimal(400_000))
    sb = add(b1, "sasaran", "B1.S1", "Meningkatnya kapasitas lembaga uji", bidang)
    add(sb, "indikator", "B1.S1.I1", "Opini laporan uji", bidang, target_teks="WTP")
    x1 = add(b1, "seksi", "B1.X1", "KASIE A1", seksi)
    ss = add(x1, "sasaran", "B1.X1.S1", "Meningkatnya kader terlatih uji", seksi)
    add(ss, "indikator", "B1.X1.S1.I1", "Jumlah desa terlatih uji", seksi, target_angka=Decimal(12), satuan="desa")
    x2 = add(b1, "seksi", "B1.X2", "KASIE A2", kosong)
    add(x2, "sasaran", "B1.X2.S1", "Sasaran seksi tanpa pejabat", kosong)


@pytest.fixture
def org(db, signing_certificate) -> Org:
    pemda = pemda_create(nama="Kabupaten Uji")
    dinas = PerangkatDaerah.objects.create(kode="dinas-pk", nama="Dinas Uji Kinerja", pemda=pemda, tempat="Uji")
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala", urutan=0)
    bidang = UnitKerja.objects.create(
        dinas=dinas, kode="bidang-a", nama="Bidang A", jenis="bidang", parent=kepala, urutan=1
    )
    seksi = UnitKerja.objects.create(
        dinas=dinas, kode="seksi-a1", nama="Seksi A1", jenis="seksi", parent=bidang, urutan=2
    )
    kosong = UnitKerja.objects.create(
        dinas=dinas, kode="seksi-a2", nama="Seksi A2", jenis="seksi", parent=bidang, urutan=3
    )
    kadis = pejabat_create(
        nama="Ir. Kadis Uji",
        unit=kepala,
        nip="197409101994121001",
        jabatan="Kepala Dinas Uji Kinerja Kabupaten Uji",
        pangkat="Pembina Utama Muda, IV/c",
        tahun_mulai=2016,
    )
    kabid = pejabat_create(
        nama="Kabid Uji, S.Sos.",
        unit=bidang,
        nip="198001012005011002",
        jabatan="Kepala Bidang A",
        status=Pejabat.Status.PLT,
        pangkat="Pembina, IV/a",
        tahun_mulai=2018,
    )
    kasi = pejabat_create(
        nama="Kasi Uji, S.E.",
        unit=seksi,
        nip="198502022010012003",
        jabatan="Kepala Seksi A1",
        status=Pejabat.Status.PLH,
        pangkat="Penata, III/c",
        tahun_mulai=2017,
        tahun_selesai=2019,
    )
    # An official whose term ended before the tree's year: not counted.
    pejabat_create(nama="Mantan Kasi", unit=kosong, nip="196001011985031004", jabatan="Kepala Seksi A2",
                   tahun_mulai=2010, tahun_selesai=2017)  # fmt: skip
    bupati = pejabat_create(nama="Bupati Uji", pemda=pemda, jabatan="Bupati Uji", tahun_mulai=2016)
    pohon = pohon_create(dinas=dinas, tahun=2018)
    build_tree(pohon, {"kepala": kepala, "bidang": bidang, "seksi": seksi, "kosong": kosong})
    pohon_submit(pohon=pohon, user=None)
    pohon_approve(pohon=pohon, user=None)
    pohon.refresh_from_db()
    return Org(pemda, dinas, kepala, bidang, seksi, kosong, kadis, kabid, kasi, bupati, pohon)


def member(username: str, dinas: PerangkatDaerah, peran: str, unit: UnitKerja | None = None):
    user = get_user_model().objects.create_user(username, password="rahasia-uji")
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=peran, unit=unit)
    return user


@pytest.fixture
def users(org, other_dinas):
    """The roles: the Kepala Dinas, the Bidang's operator (their branch: the Bidang and its
    sections), the operator of the other section, an admin, and an admin of another agency."""
    return {
        "kadis": member("pk-kadis", org.dinas, Keanggotaan.Peran.KEPALA_DINAS, org.kepala),
        "operator": member("pk-operator", org.dinas, Keanggotaan.Peran.OPERATOR, org.bidang),
        "operator_a2": member("pk-operator-a2", org.dinas, Keanggotaan.Peran.OPERATOR, org.seksi_kosong),
        "admin": member("pk-admin", org.dinas, Keanggotaan.Peran.ADMIN),
        "luar": member("pk-luar", other_dinas, Keanggotaan.Peran.ADMIN),
    }


def node(org: Org, kode: str, pohon: Pohon | None = None) -> Node:
    return Node.objects.get(pohon=pohon or org.pohon, kode=kode)
