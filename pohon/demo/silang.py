"""Crosscutting in the demo (issue 13, item 8): a second, small agency that is EXAMPLE data (its
name says "(contoh)", as does every node and note it has), one accepted and one waiting
crosscutting link with the DPMD's 2018 tree.

Made only once the DPMD's tree is approved, after its signed document was issued: the signed seed
document stays exactly the seed (its crosscutting annex, frozen at approval, is empty). Running it
again changes nothing: the agency, its tree and the links are made when missing, never twice.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dinas.models import PerangkatDaerah, UnitKerja
from dinas.services import dinas_create, unit_create
from pohon import rules
from pohon.demo.load import DemoResult, unit_of
from pohon.history import riwayat_peristiwa
from pohon.models import Node, Pohon, Silang
from pohon.services import node_create, pohon_create
from pohon.silang.services import silang_accept, silang_request

CONTOH_KODE = "dinkop-lumajang-contoh"
CONTOH_NAMA = "Dinas Koperasi dan Usaha Mikro (contoh)"
CONTOH = "(contoh)"


def _contoh_dinas(pemda) -> tuple[PerangkatDaerah, dict[str, UnitKerja]]:
    dinas = PerangkatDaerah.objects.filter(kode=CONTOH_KODE).first() or dinas_create(
        kode=CONTOH_KODE, nama=CONTOH_NAMA, pemda=pemda
    )
    plans = [
        ("kepala", "Kepala Dinas", UnitKerja.Jenis.KEPALA, None),
        ("bidang-usaha-mikro", "Bidang Usaha Mikro", UnitKerja.Jenis.BIDANG, "kepala"),
        ("seksi-pendampingan", "Seksi Pendampingan Usaha Mikro", UnitKerja.Jenis.SEKSI, "bidang-usaha-mikro"),
    ]
    units: dict[str, UnitKerja] = {unit.kode: unit for unit in UnitKerja.objects.filter(dinas=dinas)}
    for urutan, (kode, nama, jenis, parent) in enumerate(plans):
        if kode not in units:
            units[kode] = unit_create(
                dinas=dinas, kode=kode, nama=nama, jenis=jenis, parent=units.get(parent), urutan=urutan
            )
    return dinas, units


def _contoh_pohon(dinas: PerangkatDaerah, tahun: int, units: dict[str, UnitKerja]) -> Pohon:
    pohon = Pohon.objects.filter(dinas=dinas, tahun=tahun).order_by("-revisi").first()
    if pohon is not None:
        return pohon
    pohon = pohon_create(dinas=dinas, tahun=tahun)
    with riwayat_peristiwa():
        sasaran = node_create(
            pohon=pohon, parent=None, jenis=rules.SASARAN, kode="S1", unit=units["kepala"],
            uraian=f"Meningkatnya usaha mikro yang naik kelas {CONTOH}",
        )  # fmt: skip
        node_create(
            pohon=pohon, parent=sasaran, jenis=rules.INDIKATOR, kode="S1.I1", unit=units["kepala"],
            uraian=f"Persentase usaha mikro yang naik kelas {CONTOH}", target_angka=Decimal(5), satuan="%",
        )  # fmt: skip
        program = node_create(
            pohon=pohon, parent=sasaran, jenis=rules.PROGRAM, kode="P1", unit=units["bidang-usaha-mikro"],
            uraian=f"Program Pemberdayaan Usaha Mikro {CONTOH}", pagu=Decimal(150_000_000),
        )  # fmt: skip
        node_create(
            pohon=pohon, parent=program, jenis=rules.KEGIATAN, kode="P1.G1", unit=units["seksi-pendampingan"],
            uraian=f"Pendampingan usaha mikro di desa {CONTOH}",
        )  # fmt: skip
    return pohon


@transaction.atomic
@riwayat_peristiwa()
def demo_silang_load(result: DemoResult) -> list[Silang]:
    """The example agency and its two links with the DPMD (see the module's docstring); [] while
    the DPMD's tree is not approved."""
    dpmd = result.pohon
    dpmd.refresh_from_db()
    if dpmd.status != Pohon.Status.DISETUJUI:
        return []
    dinas, units = _contoh_dinas(result.dinas.pemda)
    contoh = _contoh_pohon(dinas, dpmd.tahun, units)
    existing = list(Silang.objects.filter(tahun=dpmd.tahun, catatan__startswith=CONTOH).filter(
        pengirim_dinas__in=[dinas, result.dinas], penerima_dinas__in=[dinas, result.dinas]
    ))  # fmt: skip
    if existing:
        return existing
    nodes = {node.kode: node for node in Node.objects.filter(pohon=contoh).select_related("pohon__dinas")}
    dpmd_nodes = {node.kode: node for node in Node.objects.filter(pohon=dpmd).select_related("pohon__dinas")}
    ekonomi = result.document.divisions[1]  # Bidang Pemberdayaan Usaha Ekonomi Masyarakat
    pemberdayaan = UnitKerja.objects.get(dinas=result.dinas, kode=unit_of(result.document.divisions[0].heading).kode)
    # Accepted: a DPMD programme of the economic division is supported by the example agency's
    # Kegiatan of village micro-business coaching.
    asked = silang_request(
        node=dpmd_nodes["B2.P1"],
        penerima_unit=units["bidang-usaha-mikro"],
        catatan=f"{CONTOH} Mohon dukungan pendampingan usaha mikro bagi {ekonomi.programs[0].uraian.lower()}.",
    )
    accepted = silang_accept(silang=asked, node=nodes["P1.G1"])
    # Waiting for three weeks (a finding of the checks): the example agency's Sasaran asks the
    # DPMD's Bidang Pemberdayaan Masyarakat, which the demo operator and kadis can answer.
    waiting = silang_request(
        node=nodes["S1"],
        penerima_unit=pemberdayaan,
        catatan=f"{CONTOH} Mohon dukungan penguatan kelembagaan masyarakat desa bagi usaha mikro.",
        at=timezone.now() - datetime.timedelta(days=21),
    )
    return [accepted, waiting]
