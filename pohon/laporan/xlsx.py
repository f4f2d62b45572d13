"""The quarterly report and the Laporan Kinerja as a spreadsheet (.xlsx), from the same content as
the PDF (``pohon.laporan.isi``): one sheet for the Indikator, one for the budget, one for the
notes, one for the formulas; every value as the report prints it."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from pohon.laporan.documents import judul

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")
CONTOH_FILL = PatternFill("solid", fgColor="FFF8C5")


def _sheet(wb: Workbook, title: str, isi: dict[str, Any], header: list[str], rows: list[list[object]], widths):
    ws = wb.create_sheet(title)
    ws.append([judul(isi)])
    ws["A1"].font = Font(bold=True, size=12)
    if isi.get("contoh"):
        ws.append([_("DATA CONTOH.") + " " + isi["contoh"]])
        ws.cell(row=ws.max_row, column=1).fill = CONTOH_FILL
    ws.append([])
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEAD_FILL
    ws.freeze_panes = ws.cell(row=ws.max_row + 1, column=1)
    for row in rows:
        ws.append(row)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def laporan_xlsx(isi: dict[str, Any]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    if isi["jenis"] == "triwulan":
        tw = isi["triwulan_label"]
        header = [
            _("Kode"), _("Sasaran"), _("Indikator"), _("Unit kerja"), _("Satuan"), _("Target tahun"),
            _("Target %(tw)s") % {"tw": tw}, _("Realisasi %(tw)s") % {"tw": tw},
            _("Capaian s.d. %(tw)s") % {"tw": tw}, _("Status"), _("Aturan triwulan"),
        ]  # fmt: skip
        rows = [
            [
                row["kode"],
                group["uraian"],
                row["uraian"],
                row["unit"],
                row["satuan"],
                row["target_tahun"],
                row["target_tw"],
                row["realisasi_tw"],
                row["capaian"],
                row["status"],
                row["aturan"],
            ]  # fmt: skip
            for group in isi["sasaran"]
            for row in group["indikator"]
        ]
        _sheet(wb, _("Indikator"), isi, header, rows, [12, 40, 45, 28, 10, 12, 12, 12, 14, 14, 24])
        header = [_("Kode"), _("Program / Kegiatan"), _("Pagu"), _("Realisasi %(tw)s") % {"tw": tw}]
        header += [_("Realisasi kumulatif"), _("Serapan")]
        rows = [
            [r["kode"], r["uraian"], r["pagu"], r["realisasi_tw"], r["kumulatif"], r["serapan"]]
            for r in isi["anggaran"]
        ]
        _sheet(wb, _("Anggaran"), isi, header, rows, [12, 50, 20, 20, 20, 12])
        rows = [[u["nama"], f"{u['lapor']} / {u['indikator']}", u["status"]] for u in isi["units"]]
        _sheet(wb, _("Unit kerja"), isi, [_("Unit kerja"), _("Indikator dilaporkan"), _("Status")], rows, [40, 18, 16])
        notes = [
            [row["kode"], row["uraian"], tw, row["pendukung"], row["penghambat"], row["tindak_lanjut"]]
            for group in isi["sasaran"]
            for row in group["indikator"]
            if row["pendukung"] or row["penghambat"] or row["tindak_lanjut"]
        ]
    else:
        header = [
            _("Kode"), _("Sasaran"), _("Indikator"), _("Satuan"),
            _("Target %(tahun)s") % {"tahun": isi["tahun_lalu"]}, _("Capaian %(tahun)s") % {"tahun": isi["tahun_lalu"]},
            _("Target %(tahun)s") % {"tahun": isi["tahun"]}, _("Realisasi %(tahun)s") % {"tahun": isi["tahun"]},
            _("Capaian %(tahun)s") % {"tahun": isi["tahun"]}, _("Aturan triwulan"),
        ]  # fmt: skip
        rows = [
            [
                row["kode"],
                group["uraian"],
                row["uraian"],
                row["satuan"],
                row["target_lalu"],
                row["capaian_lalu"],
                row["target"],
                row["realisasi"],
                row["capaian"],
                row["aturan"],
            ]  # fmt: skip
            for group in isi["sasaran"]
            for row in group["indikator"]
        ]
        _sheet(wb, _("Pengukuran kinerja"), isi, header, rows, [12, 40, 45, 10, 12, 12, 12, 12, 12, 24])
        header = [_("Kode"), _("Program"), _("Pagu"), _("Realisasi"), _("Serapan"), _("Sisa anggaran"), _("Efisiensi")]
        rows = [
            [r["kode"], r["uraian"], r["pagu"], r["realisasi"], r["serapan"], r["sisa"], r["efisiensi"]]
            for r in isi["anggaran"]
        ]
        total = isi["anggaran_jumlah"]
        rows.append(
            ["", _("JUMLAH"), total["pagu"], total["realisasi"], total["serapan"], total["sisa"], total["efisiensi"]]
        )
        _sheet(wb, _("Efisiensi anggaran"), isi, header, rows, [12, 50, 20, 20, 12, 20, 12])
        notes = [
            [n["kode"], n["uraian"], n["triwulan"], n["pendukung"], n["penghambat"], n["tindak_lanjut"]]
            for n in isi["catatan"]
        ]
    header = [_("Kode"), _("Indikator"), _("TW"), _("Faktor pendukung"), _("Faktor penghambat"), _("Tindak lanjut")]
    _sheet(wb, _("Catatan"), isi, header, notes, [12, 45, 8, 40, 40, 40])
    _sheet(wb, _("Rumus"), isi, [_("Rumus yang digunakan")], [[rumus] for rumus in isi["rumus"]], [110])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
