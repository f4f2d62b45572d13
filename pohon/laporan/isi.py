"""The content of the quarterly report and of the Laporan Kinerja as plain JSON-ready data.

Freeze first, then render: what a report prints is computed here once, as text already in its
display form (``85,5``, ``Rp 2.078.747.000``, ``95,5 %``) and numbers for the charts, and an issued
report keeps exactly this (``LaporanTerbit.isi``); the PDF, the xlsx and the draft all render from
it, so an issued report never changes when the data behind it does.
"""

from decimal import Decimal
from typing import Any

from pohon.laporan.selectors import DasborDinas, anggaran_utama, dasbor_hitung, data_contoh
from pohon.money import rupiah
from pohon.realisasi.capaian import RUMUS_SERAPAN, persen_format, serapan
from pohon.realisasi.models import TRIWULAN_LABELS
from pohon.realisasi.selectors import Ambang, IndikatorRealisasi, RealisasiTahun
from pohon.targets import target_format

RUMUS_EFISIENSI = "Efisiensi = (Pagu − Realisasi anggaran) / Pagu × 100%"
STATUS_TEXT = {
    "belum_lapor": "Belum lapor",
    "draf": "Draf",
    "diajukan": "Diajukan",
    "dikembalikan": "Dikembalikan",
    "diverifikasi": "Diverifikasi",
}


def _num(value: Decimal | None) -> str | None:
    """A Decimal as text for JSON (exact), None as None."""
    return None if value is None else format(value, "f")


def _nilai_text(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return "\u2014"
    return target_format(value) if isinstance(value, Decimal) else str(value)


def _sasaran_groups(data: RealisasiTahun) -> list[tuple[Any, list[IndikatorRealisasi]]]:
    """The Indikator grouped under the Sasaran (or Tujuan) they measure, in tree order."""
    by_pk = {node.pk: node for node in data.nodes}
    groups: dict[int, list[IndikatorRealisasi]] = {}
    for row in data.indikator:
        groups.setdefault(row.node.parent_id or 0, []).append(row)
    return [(by_pk[pk], rows) for pk, rows in groups.items() if pk in by_pk]


def _charts(dasbor: DasborDinas) -> dict[str, Any]:
    return {
        "sasaran": [[row.label, _num(row.nilai), row.hitungan] for row in dasbor.per_sasaran],
        "unit": [[row.label, _num(row.nilai), row.hitungan] for row in dasbor.per_unit],
        "serapan": [
            [row.label, _num(row.serapan), row.jumlah_display if row.jumlah is not None else ""]
            for row in dasbor.serapan
        ],
        "batas": [_num(dasbor.data.ambang.hijau), _num(dasbor.data.ambang.kuning), _num(dasbor.data.ambang.periksa)],
    }


def _head(data: RealisasiTahun, contoh: str) -> dict[str, Any]:
    pohon = data.pohon
    return {
        "dinas": data.dinas.nama,
        "dinas_kode": data.dinas.kode,
        "pemda": data.dinas.pemda_nama,
        "tahun": data.tahun,
        "pohon": str(pohon) if pohon else "",
        "revisi": pohon.revisi if pohon else 0,
        "contoh": contoh,
    }


def isi_triwulan(*, data: RealisasiTahun, triwulan: int) -> dict[str, Any]:
    """The quarterly report of an agency: every Indikator's target and realisation of the quarter
    and its capaian up to it, every budget line's spending and serapan, each unit's status, the
    charts' numbers and the formulas."""
    contoh = data_contoh(data.pohon)
    dasbor = dasbor_hitung(data, triwulan=triwulan, contoh=contoh)
    unit_nama = {pk: unit.nama for pk, unit in data.units.items()}
    sasaran = []
    for parent, rows in _sasaran_groups(data):
        items = []
        for row in rows:
            quarter = row.tw(triwulan)
            items.append(
                {
                    "kode": row.node.kode,
                    "uraian": row.node.uraian,
                    "satuan": row.node.satuan,
                    "unit": unit_nama.get(row.node.pemilik_id, ""),
                    "target_tahun": _nilai_text(row.node.target),
                    "target_tw": _nilai_text(quarter.target),
                    "realisasi_tw": _nilai_text(quarter.realisasi),
                    "target_sd": _nilai_text(quarter.target_gabung),
                    "realisasi_sd": _nilai_text(quarter.realisasi_gabung),
                    "capaian": persen_format(quarter.capaian.nilai),
                    "capaian_nilai": _num(quarter.capaian.nilai),
                    "alasan": quarter.capaian.alasan,
                    "warna": quarter.warna,
                    "periksa": quarter.periksa,
                    "status": STATUS_TEXT.get(quarter.status, quarter.status),
                    "aturan": row.aturan_label,
                    "pendukung": quarter.pendukung,
                    "penghambat": quarter.penghambat,
                    "tindak_lanjut": quarter.tindak_lanjut,
                }
            )
        sasaran.append({"kode": parent.kode, "jenis": parent.jenis_label, "uraian": parent.uraian, "indikator": items})
    anggaran = []
    for row in data.anggaran:
        quarter = row.tw(triwulan)
        anggaran.append(
            {
                "kode": row.node.kode,
                "jenis": row.node.jenis_label,
                "uraian": row.node.uraian,
                "pagu": rupiah(row.pagu),
                "realisasi_tw": quarter.jumlah_display,
                "kumulatif": quarter.kumulatif_display,
                "serapan": quarter.serapan_display,
                "melebihi_pagu": quarter.melebihi_pagu,
            }
        )
    return {
        **_head(data, contoh),
        "jenis": "triwulan",
        "triwulan": triwulan,
        "triwulan_label": TRIWULAN_LABELS[triwulan],
        "sasaran": sasaran,
        "anggaran": anggaran,
        "units": [
            {
                "nama": unit.unit_nama,
                "status": STATUS_TEXT.get(unit.status, unit.status),
                "lapor": unit.jumlah_lapor,
                "indikator": unit.jumlah_indikator,
            }
            for unit in dasbor.units
        ],
        "ringkasan": {
            "capaian": dasbor.keseluruhan.nilai_display,
            "hitungan": dasbor.keseluruhan.hitungan,
            "pagu": dasbor.pagu_display,
            "realisasi": rupiah(dasbor.realisasi_anggaran) if dasbor.realisasi_anggaran is not None else "\u2014",
            "serapan": persen_format(dasbor.serapan_tahun),
        },
        "grafik": _charts(dasbor),
        "rumus": [*dasbor.rumus, dasbor.rumus_kelompok, RUMUS_SERAPAN],
    }


def isi_kinerja(*, data: RealisasiTahun, lalu: RealisasiTahun | None) -> dict[str, Any]:
    """The Laporan Kinerja tables: per Sasaran and Indikator the satuan, last year's target and
    capaian (from last year's approved tree, matched by the lasting key ``Node.kunci``, where one
    exists), this year's target, realisation and capaian; the budget annex (Pagu, realisasi,
    serapan, efisiensi); and the notes (pendukung, penghambat, tindak lanjut) per quarter."""
    contoh = data_contoh(data.pohon)
    dasbor = dasbor_hitung(data, triwulan=4, contoh=contoh)
    last = {row.node.kunci: row for row in lalu.indikator} if lalu is not None else {}
    sasaran, catatan = [], []
    for parent, rows in _sasaran_groups(data):
        items = []
        for row in rows:
            before = last.get(row.node.kunci)
            year = row.capaian_tahunan
            items.append(
                {
                    "kode": row.node.kode,
                    "uraian": row.node.uraian,
                    "satuan": row.node.satuan,
                    "target_lalu": _nilai_text(before.node.target) if before else "\u2014",
                    "capaian_lalu": persen_format(before.capaian_tahunan.nilai) if before else "\u2014",
                    "target": _nilai_text(row.node.target),
                    "realisasi": _nilai_text(row.realisasi_tahunan),
                    "capaian": persen_format(year.nilai),
                    "capaian_nilai": _num(year.nilai),
                    "alasan": year.alasan,
                    "warna": row.warna_tahunan,
                    "periksa": dasbor.data.ambang.periksa_perlu(year.nilai),
                    "rumus": year.rumus,
                    "aturan": row.aturan_label,
                }
            )
            for quarter in row.triwulan:
                if quarter.pendukung or quarter.penghambat or quarter.tindak_lanjut:
                    catatan.append(
                        {
                            "kode": row.node.kode,
                            "uraian": row.node.uraian,
                            "triwulan": quarter.label,
                            "pendukung": quarter.pendukung,
                            "penghambat": quarter.penghambat,
                            "tindak_lanjut": quarter.tindak_lanjut,
                        }
                    )
        sasaran.append({"kode": parent.kode, "jenis": parent.jenis_label, "uraian": parent.uraian, "indikator": items})
    anggaran = []
    for row in anggaran_utama(data.anggaran, data.nodes):
        spent = row.realisasi_tahun
        anggaran.append(
            {
                "kode": row.node.kode,
                "jenis": row.node.jenis_label,
                "uraian": row.node.uraian,
                "pagu": rupiah(row.pagu),
                "realisasi": rupiah(spent) if spent is not None else "\u2014",
                "serapan": persen_format(serapan(spent, row.pagu)),
                "efisiensi": persen_format(_efisiensi(spent, row.pagu)),
                "sisa": rupiah(row.pagu - spent) if spent is not None else "\u2014",
            }
        )
    total_spent = dasbor.realisasi_anggaran
    rumus = list(dict.fromkeys(item["rumus"] for group in sasaran for item in group["indikator"]))
    return {
        **_head(data, contoh),
        "jenis": "kinerja",
        "tahun_lalu": data.tahun - 1,
        "pohon_lalu": str(lalu.pohon) if lalu is not None and lalu.pohon else "",
        "sasaran": sasaran,
        "anggaran": anggaran,
        "anggaran_jumlah": {
            "pagu": rupiah(dasbor.pagu),
            "realisasi": rupiah(total_spent) if total_spent is not None else "\u2014",
            "serapan": persen_format(serapan(total_spent, dasbor.pagu)),
            "efisiensi": persen_format(_efisiensi(total_spent, dasbor.pagu)),
            "sisa": rupiah(dasbor.pagu - total_spent) if total_spent is not None else "\u2014",
        },
        "catatan": catatan,
        "ringkasan": {"capaian": dasbor.keseluruhan.nilai_display, "hitungan": dasbor.keseluruhan.hitungan},
        "grafik": _charts(dasbor),
        "rumus": [*rumus, RUMUS_SERAPAN, RUMUS_EFISIENSI],
    }


def _efisiensi(spent: Decimal | None, pagu: Decimal | None) -> Decimal | None:
    absorbed = serapan(spent, pagu)
    return None if absorbed is None else Decimal(100) - absorbed


def _tahun(dinas, tahun: int) -> RealisasiTahun | None:
    """The agency's year read in rows (``realisasi_baca``); None without an approved tree."""
    from pohon.laporan.baca import ambang_of, realisasi_baca

    entry = realisasi_baca(dinas_list=[dinas], tahun=tahun, ambang=ambang_of(dinas)).get(dinas.pk)
    return entry[0] if entry is not None else None


def _tahun_kosong(dinas, tahun: int) -> RealisasiTahun:
    return RealisasiTahun(dinas, tahun, None, Ambang(), [], [], [], {}, {}, {})


def isi_triwulan_for(*, dinas, tahun: int, triwulan: int) -> dict[str, Any]:
    return isi_triwulan(data=_tahun(dinas, tahun) or _tahun_kosong(dinas, tahun), triwulan=triwulan)


def isi_kinerja_for(*, dinas, tahun: int) -> dict[str, Any]:
    data = _tahun(dinas, tahun) or _tahun_kosong(dinas, tahun)
    return isi_kinerja(data=data, lalu=_tahun(dinas, tahun - 1))


__all__ = ["RUMUS_EFISIENSI", "isi_kinerja", "isi_kinerja_for", "isi_triwulan", "isi_triwulan_for"]
