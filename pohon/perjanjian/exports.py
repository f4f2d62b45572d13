"""The PKs of an agency and year in one file: the signed F4 PDFs joined into one PDF, and one
spreadsheet with a sheet per PK holding the same tables the PDF prints (``perjanjian_context``).

The joined PDF is for printing and reading in one go; it carries no signature of its own (a
signature covers the bytes of the file it was made for): each PK's pages keep their QR code and
address, which lead to the verification page of that PK's signed file.
"""

import io
import re
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah
from pohon.dokumen.models import DokumenTerbit
from pohon.formatting import tanggal_indonesia
from pohon.perjanjian.jobs import PAPER_SIZES
from pohon.perjanjian.models import PerjanjianBaris, PerjanjianKinerja
from pohon.perjanjian.selectors import perjanjian_context, perjanjian_for_dinas, perjanjian_queryset

KERTAS = PAPER_SIZES[0]  # F4
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUPIAH_FORMAT = '"Rp "#,##0'
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def perjanjian_issued(dinas: PerangkatDaerah, tahun: int) -> list[PerjanjianKinerja]:
    """Each unit's PK in force (approved, nothing replaces it) whose signed F4 file is stored, in
    the units' order: what the joined downloads hold. Two queries."""
    every = perjanjian_for_dinas(dinas, tahun)
    current: dict[int, PerjanjianKinerja] = {}
    for pk in every:
        if pk.status == PerjanjianKinerja.Status.DISETUJUI and pk.unit_id not in current:
            current[pk.unit_id] = pk
    signed = set(
        DokumenTerbit.objects.filter(
            dokumen_id__in=[pk.dokumen_id for pk in current.values()], kertas=KERTAS
        ).values_list("dokumen_id", flat=True)
    )
    return [pk for pk in current.values() if pk.dokumen_id in signed]


def perjanjian_with_tables(ids: list[int]) -> list[PerjanjianKinerja]:
    """The PKs of ``ids`` in that order, with their lines and frozen signers: three queries."""
    found = {
        pk.pk: pk
        for pk in perjanjian_queryset()
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch("baris", queryset=PerjanjianBaris.objects.order_by("tabel", "urutan")),
            "dokumen__penandatangan",
        )
    }
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class CombinedPdf:
    pdf: bytes
    pages: int
    parts: int


def combined_pdf(perjanjian: list[PerjanjianKinerja]) -> CombinedPdf:
    """The signed F4 files of ``perjanjian`` one after the other, in that order. The parts'
    signature fields are left out: they would show as broken in a reader, since a signature
    covers its own file only; each page's QR code still verifies its PK."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    files = dict(
        DokumenTerbit.objects.filter(dokumen_id__in=[pk.dokumen_id for pk in perjanjian], kertas=KERTAS).values_list(
            "dokumen_id", "pdf"
        )
    )
    writer = PdfWriter()
    parts = 0
    for pk in perjanjian:
        data = files.get(pk.dokumen_id)
        if data is None:
            continue
        for page in PdfReader(io.BytesIO(bytes(data))).pages:
            added = writer.add_page(page)
            if "/Annots" not in added:
                continue
            kept = [a for a in added["/Annots"] if a.get_object().get("/Subtype") != "/Widget"]
            if kept:
                added[NameObject("/Annots")] = ArrayObject(kept)
            else:
                del added["/Annots"]
        parts += 1
    writer.add_metadata({"/Title": _("Perjanjian Kinerja"), "/Producer": "Pokin"})
    out = io.BytesIO()
    writer.write(out)
    return CombinedPdf(pdf=out.getvalue(), pages=len(writer.pages), parts=parts)


def combined_pdf_filename(dinas: PerangkatDaerah, tahun: int) -> str:
    return f"perjanjian-kinerja-{dinas.kode}-{tahun}-semua-{KERTAS}.pdf"


def xlsx_filename(dinas: PerangkatDaerah, tahun: int) -> str:
    return f"perjanjian-kinerja-{dinas.kode}-{tahun}-semua.xlsx"


def sheet_names(perjanjian: list[PerjanjianKinerja]) -> list[str]:
    """One valid, unique Excel sheet name per PK: its number and unit, at most 31 characters,
    without the characters Excel refuses ([]:*?/\\), never ending in an apostrophe."""
    names: list[str] = []
    taken: set[str] = set()
    width = len(str(len(perjanjian)))
    for index, pk in enumerate(perjanjian, start=1):
        unit = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", pk.unit_nama).split())
        name = f"{index:0{width}d} {unit}"[:SHEET_NAME_MAX].strip().strip("'")
        candidate, n = name, 2
        while candidate.casefold() in taken:  # Excel compares sheet names without case
            suffix = f" ({n})"
            candidate = name[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            n += 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _signers(pk: PerjanjianKinerja) -> tuple[tuple[str, str], tuple[str, str]]:
    """(nama, jabatan) of the pihak pertama and the pihak kedua, as the document froze them."""
    frozen = {s.peran: s for s in pk.dokumen.penandatangan.all()} if pk.dokumen is not None else {}
    pertama, kedua = frozen.get("pihak_pertama"), frozen.get("pihak_kedua")
    return (
        (pertama.nama, pertama.jabatan) if pertama else (pk.pihak_pertama.nama, pk.pihak_pertama.jabatan_tertulis),
        (kedua.nama, kedua.jabatan) if kedua else (pk.pihak_kedua.nama, pk.pihak_kedua.jabatan_tertulis),
    )


def perjanjian_xlsx(perjanjian: list[PerjanjianKinerja]) -> bytes:
    """One sheet per PK (lines and signers prefetched: ``perjanjian_with_tables``): who, then the
    Sasaran table and the anggaran table with JUMLAH, as the PDF's page 2 prints them. Pagu are
    numbers (whole Rupiah) shown as "Rp 1.234", so that a spreadsheet can add them."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, pk in zip(sheet_names(perjanjian), perjanjian, strict=True):
        _sheet_write(workbook.create_sheet(title=name), pk)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append(sheet, cells: list, *, head: bool = False, boxed: bool = True) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet.append(cells)
    thin = Side(style="thin", color="B0B6C0")
    for cell in sheet[sheet.max_row]:
        if boxed:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if head:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F1F3F7")


def _sheet_write(sheet, pk: PerjanjianKinerja) -> None:
    from openpyxl.styles import Font

    context = perjanjian_context(pk)
    (pertama, pertama_jabatan), (kedua, kedua_jabatan) = _signers(pk)
    jenis = " PERUBAHAN" if context["is_perubahan"] else ""
    sheet.append([f"PERJANJIAN KINERJA{jenis} TAHUN {pk.tahun}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{pk.dinas.nama} {pk.dinas.pemda_nama}".strip()])
    sheet.append([_("Unit kerja"), pk.unit_nama])
    sheet.append([_("Tingkat"), pk.get_tingkat_display()])
    sheet.append([_("Pihak pertama"), pertama, pertama_jabatan])
    sheet.append([_("Pihak kedua"), kedua, kedua_jabatan])
    if pk.dokumen is not None:
        sheet.append([_("Ditandatangani"), f"{pk.dokumen.tempat}, {tanggal_indonesia(pk.dokumen.tanggal)}"])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=1):
        row[0].font = Font(bold=True)
    sheet.append([])

    _append(sheet, ["No", context["sasaran_label"], "Indikator Kinerja", "Target", "Satuan"], head=True)
    for row in context["sasaran_rows"]:
        if not row.indikator:
            _append(sheet, [row.nomor, row.sasaran.uraian, "-", "-", "-"])
        for index, indikator in enumerate(row.indikator):
            first = index == 0
            _append(
                sheet,
                [
                    row.nomor if first else "",
                    row.sasaran.uraian if first else "",
                    indikator.uraian,
                    indikator.target or "-",
                    indikator.satuan or "-",
                ],
            )
    if not context["sasaran_rows"]:
        empty = _("Tidak ada %(label)s pada pohon kinerja.") % {"label": context["sasaran_label"]}
        _append(sheet, ["", empty, "", "", ""])
    sheet.append([])
    _append(sheet, ["No", context["anggaran_label"], "Anggaran"], head=True)
    for nomor, line in context["anggaran_rows"]:
        pagu = int(line.pagu) if line.pagu is not None else "-"
        _append(sheet, [nomor, ("    " if line.tingkat else "") + line.uraian, pagu])
        sheet.cell(sheet.max_row, 3).number_format = RUPIAH_FORMAT
    if not context["anggaran_rows"]:
        _append(sheet, ["", _("Tidak ada anggaran pada pohon kinerja."), ""])
    _append(sheet, ["", "JUMLAH", int(pk.jumlah_pagu) if pk.jumlah_pagu is not None else "-"], head=True)
    sheet.cell(sheet.max_row, 3).number_format = RUPIAH_FORMAT
    for column, width in zip("ABCDE", (6, 60, 50, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "portrait"
