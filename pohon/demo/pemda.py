"""The demo's Pemda tree: Kabupaten Lumajang's RPJMD 2014-2018, EXAMPLE data.

The seed holds only the DPMD's cascade of 2018; nothing of the Pemda's own plan. So that the
Pemda tree can be tried out, this writes a small made-up one (Visi, Misi, a Tujuan and two
Sasaran Pemda with their IKU and a target for each year, one Tematik), every statement marked
"[CONTOH]" and the Visi saying it is example data, through the same services as a user's edits
(``pohon.services``, ``pohon.pemda.services``). Left as a draft: nothing here is signed.
Running it again leaves an existing Pemda tree of the period as it is.
"""

from dataclasses import dataclass

from django.db import transaction

from dinas.models import Pemda
from pohon import rules
from pohon.models import Pohon
from pohon.pemda.selectors import pemda_pemilik
from pohon.pemda.services import pemda_pohon_create, target_tahunan_set
from pohon.services import node_create
from pohon.targets import target_parse

TAHUN, TAHUN_AKHIR = 2014, 2018
CONTOH = "[CONTOH]"


@dataclass(frozen=True)
class _Butir:
    kode: str
    parent: str | None
    jenis: str
    uraian: str
    satuan: str = ""
    targets: tuple[str, ...] = ()  # one per year 2014..2018


BUTIR: tuple[_Butir, ...] = (
    _Butir(
        "V1",
        None,
        rules.VISI,
        "[CONTOH - data contoh, bukan RPJMD resmi] Terwujudnya masyarakat Lumajang yang sejahtera dan berdaya saing",
    ),
    _Butir("V1.M1", "V1", rules.MISI, f"{CONTOH} Meningkatkan keberdayaan masyarakat dan kemandirian desa"),
    _Butir("V1.M1.T1", "V1.M1", rules.TUJUAN_PEMDA, f"{CONTOH} Meningkatnya kemandirian desa"),
    _Butir(
        "V1.M1.T1.I1",
        "V1.M1.T1",
        rules.INDIKATOR,
        f"{CONTOH} Indeks Desa Membangun",
        "indeks",
        ("0,60", "0,62", "0,64", "0,66", "0,68"),
    ),
    _Butir(
        "V1.M1.T1.S1",
        "V1.M1.T1",
        rules.SASARAN_PEMDA,
        f"{CONTOH} Meningkatnya kapasitas pemerintahan desa dan lembaga kemasyarakatan desa",
    ),
    _Butir(
        "V1.M1.T1.S1.I1",
        "V1.M1.T1.S1",
        rules.INDIKATOR,
        f"{CONTOH} Persentase desa berstatus berkembang",
        "%",
        ("40", "45", "50", "55", "60"),
    ),
    _Butir("V1.M1.T1.S1.TM1", "V1.M1.T1.S1", rules.TEMATIK, f"{CONTOH} Tata kelola pemerintahan desa"),
    _Butir("V1.M1.T1.S2", "V1.M1.T1", rules.SASARAN_PEMDA, f"{CONTOH} Meningkatnya ekonomi masyarakat desa"),
    _Butir(
        "V1.M1.T1.S2.I1",
        "V1.M1.T1.S2",
        rules.INDIKATOR,
        f"{CONTOH} Jumlah BUMDesa aktif",
        "BUMDesa",
        ("20", "35", "50", "65", "80"),
    ),
)


@transaction.atomic
def demo_pemda_load(*, pemda: Pemda) -> Pohon:
    """The example Pemda tree 2014-2018 of ``pemda`` (created once; an existing one is kept)."""
    owner = pemda_pemilik(pemda)
    if owner is not None:
        existing = Pohon.objects.filter(dinas=owner, tahun=TAHUN).order_by("-revisi").first()
        if existing is not None:
            return existing
    pohon = pemda_pohon_create(pemda=pemda, tahun=TAHUN, tahun_akhir=TAHUN_AKHIR)
    made = {}
    for butir in BUTIR:
        node = node_create(
            pohon=pohon,
            parent=made[butir.parent] if butir.parent else None,
            jenis=butir.jenis,
            kode=butir.kode,
            uraian=butir.uraian,
            satuan=butir.satuan,
        )
        if butir.targets:
            target_tahunan_set(
                node=node,
                targets={
                    tahun: target_parse(value, butir.satuan)
                    for tahun, value in zip(range(TAHUN, TAHUN_AKHIR + 1), butir.targets, strict=True)
                },
            )
        made[butir.kode] = node
    return pohon


def demo_pemda_owner_kode(pemda: Pemda) -> str:
    """The kode of the record the demo ``bappeda`` login's role is on (made by ``demo_pemda_load``)."""
    owner = pemda_pemilik(pemda)
    assert owner is not None, "demo_pemda_load runs first"
    return owner.kode
