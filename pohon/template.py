"""The downloadable spreadsheet template for the tree import.

Three sheets: ``pohon`` (the columns to fill in, the one the import reads), ``contoh`` (the start
of the demo cascade, as a filled-in example) and ``petunjuk`` (instructions in Indonesian). The
kinds and which may stand under which are generated from the rule table, so the instructions
cannot drift from what the import accepts.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheet import import_max_bytes, import_max_rows
from pohon import rules
from pohon.imports import DATA_SHEET, REQUIRED_COLUMNS
from pohon.resources import COLUMNS
from pohon.targets import TARGET_DECIMAL_PLACES, Arah

EXAMPLE_SHEET = "contoh"
INSTRUCTIONS_SHEET = "petunjuk"
PAGU_FORMS = ("Rp. 2.078.747.000", "Rp 2.078.747.000", "2078747000", "2.078.747.000,00", "2,078,747,000")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {
    "kode": 14, "induk": 12, "jenis": 14, "uraian": 70, "unit_kerja": 36, "pagu": 18, "target": 10, "satuan": 12,
    "arah": 8, "kunci": 38,
}  # fmt: skip
# How targets may be written (pohon.targets.target_parse): shown in the instructions.
TARGET_FORMS = ("85,5", "85.5", "50%", "45 OPD", "4,1 poin", "1.250", "-2,5", "WTP", "Baik")

# The demo kodes shown as the example: the head's Tujuan and first Sasaran, then the first
# division with its Programs, its Sasaran and its first section's first Kegiatan.
_EXAMPLE_KODES = (
    "T1",
    "T1.I1",
    "T1.S1",
    "T1.S1.I1",
    "B1",
    "B1.P1",
    "B1.P2",
    "B1.S1",
    "B1.S1.I1",
    "B1.K1",
    "B1.K1.G1",
    "B1.K1.G2",
)


def _column_help() -> list[tuple[str, str, str]]:
    """(column, wajib?, meaning) for the instructions."""
    budgeted = ", ".join(rules.jenis_label(j) for j in rules.JENIS_LABELS if j in rules.BUDGETED)
    measured = ", ".join(rules.jenis_label(j) for j in rules.JENIS_LABELS if j in rules.MEASURED)
    top = _(" atau ").join(rules.jenis_label(j) for j in rules.allowed_children(rules.AKAR))
    meanings = {
        "kode": _(
            "Kode unik setiap baris di pohon ini, contoh T1, B1.P2. Hanya huruf, angka, titik, garis miring, "
            "garis bawah dan tanda hubung; paling panjang 40 karakter. Huruf besar dan kecil dibedakan."
        ),
        "induk": _(
            "Kode baris induknya. Kosongkan untuk baris di tingkat teratas (%(jenis)s). Urutan baris bebas: "
            "anak boleh ditulis sebelum induknya."
        )
        % {"jenis": top},
        "jenis": _("Jenis baris, salah satu dari tabel jenis di bawah. Boleh ditulis Sub Kegiatan atau sub_kegiatan."),
        "uraian": _(
            "Bunyi Tujuan, Sasaran, Program, Kegiatan atau Indikator, atau nama jabatan pada kotak Bidang/Seksi."
        ),
        "unit_kerja": _(
            "Nama unit kerja penanggung jawab, persis seperti di daftar unit kerja Perangkat Daerah "
            "(huruf besar/kecil dan spasi tidak dibedakan). Boleh kosong. Pada Sasaran di bawah Sasaran "
            "(bentuk penjenjangan) nama unit ini menjadi judul kotaknya."
        ),
        "pagu": _("Pagu anggaran dalam Rupiah utuh, hanya untuk %(jenis)s. Bentuk yang diterima: lihat di bawah.")
        % {"jenis": budgeted},
        "target": _(
            "Target, hanya untuk %(jenis)s: angka (contoh 85,5) atau teks (contoh WTP). Bentuk yang diterima: "
            "lihat di bawah."
        )
        % {"jenis": measured},
        "satuan": _(
            "Satuan target, hanya untuk %(jenis)s, contoh %%, desa, orang, dokumen. Boleh juga ditulis di kolom "
            "target (50%%, 45 OPD); bila ditulis di keduanya, harus sama."
        )
        % {"jenis": measured},
        "arah": _(
            "Arah target, hanya untuk %(jenis)s: naik (makin tinggi makin baik), turun (makin rendah makin baik) "
            "atau tetap (tepat sama dengan target). Kosong berarti naik."
        )
        % {"jenis": measured},
        "kunci": _(
            "Kunci tetap node, diisi oleh ekspor (contoh 3f2b8c1e-6a4d-4c1b-9e2f-7d5a0b8c9e10). Biarkan seperti "
            "apa adanya agar node tetap dikenali sebagai node yang sama (riwayat dan tautannya ikut); kosongkan "
            "untuk baris baru. Setiap kunci hanya boleh muncul sekali."
        ),
    }
    required = {column: _("wajib") for column in REQUIRED_COLUMNS}
    required["induk"] = _("kolom wajib; sel kosong di tingkat teratas")
    return [(column, required.get(column, _("boleh kosong")), meanings[column]) for column in COLUMNS]


def _jenis_rows() -> list[tuple[str, str, str, str]]:
    """(jenis, label, may stand under, may hold), from the rule table."""
    parents: dict[str, list[str]] = {}
    for parent, children in rules.ALLOWED_CHILDREN.items():
        for child in children:
            parents.setdefault(child, []).append(parent)
    rows = []
    for jenis in rules.JENIS_LABELS:
        if jenis == rules.AKAR:
            continue
        under = [
            _("tingkat teratas (induk kosong)") if p == rules.AKAR else rules.jenis_label(p)
            for p in parents.get(jenis, [])
        ]
        holds = [rules.jenis_label(c) for c in rules.allowed_children(jenis)] or [_("(tidak boleh memiliki anak)")]
        rows.append((jenis, rules.jenis_label(jenis), ", ".join(under), ", ".join(holds)))
    return rows


def _form_help() -> list[tuple[str]]:
    """The shapes of tree the rule table admits, said only where the table admits them."""
    lines = [
        (
            _(
                "Bentuk cascading: Tujuan di tingkat teratas, di bawahnya Sasaran dan kotak Bidang, di bawah "
                "Bidang kotak Seksi, masing-masing dengan Sasaran, Indikator, Program atau Kegiatannya."
            ),
        )
    ]
    if rules.jenis_allowed_under(rules.SASARAN, rules.AKAR) and rules.jenis_allowed_under(rules.SASARAN, rules.SASARAN):
        lines.append(
            (
                _(
                    "Bentuk penjenjangan (PermenPANRB 89/2021): Sasaran Strategis di tingkat teratas (unit kerja: "
                    "Kepala), Sasaran Program di bawah Sasaran Strategis yang didukungnya (unit kerja: Bidang atau "
                    "Sekretariat), Sasaran Kegiatan di bawah Sasaran Program (unit kerja: Seksi atau Subbagian), "
                    "masing-masing dengan Indikatornya, tanpa baris Bidang atau Seksi. Program dan Kegiatan "
                    "boleh berada di bawah Sasarannya; tulis Pagu sekali saja, pada Program atau pada Kegiatan."
                ),
            )
        )
    return lines


def _example_rows() -> list[list[object]]:
    """The first rows of the demo cascade (fixtures/seed) in the canonical columns."""
    from pohon.demo import demo_document, demo_nodes, demo_units

    document = demo_document()
    unit_names = {plan.kode: plan.nama for plan in demo_units(document)}
    rows = []
    for node in demo_nodes(document):
        if node.kode not in _EXAMPLE_KODES:
            continue
        rows.append(
            [
                node.kode,
                node.parent_kode or "",
                node.jenis,
                node.uraian,
                unit_names.get(node.unit_kode or "", ""),
                None if node.pagu is None else int(node.pagu),
                node.target,
                node.satuan,
                Arah.NAIK.value if node.jenis in rules.MEASURED else "",
                "",
            ]
        )
    return rows


def _header(sheet: Worksheet) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = _WIDTHS[column]


def pohon_template_xlsx() -> bytes:
    """The template workbook as .xlsx bytes."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _header(data)
    jenis_values = ",".join(j for j in rules.JENIS_LABELS if j != rules.AKAR)
    # A drop-down only: other spellings (Sub Kegiatan) stay allowed, so no error on other text.
    choices = DataValidation(type="list", formula1=f'"{jenis_values}"', allow_blank=True, showErrorMessage=False)
    choices.add(f"C2:C{import_max_rows() + 1}")
    data.add_data_validation(choices)
    # kode, induk, target, satuan and kunci as text, so that Excel keeps 1.10, 85,5 and 1.250 as typed
    for column in ("kode", "induk", "target", "satuan", "kunci"):
        data.column_dimensions[chr(ord("A") + COLUMNS.index(column))].number_format = "@"

    example = workbook.create_sheet(EXAMPLE_SHEET)
    _header(example)
    for row in _example_rows():
        example.append(row)
    for cell in example["F"][1:]:
        cell.number_format = "#,##0"
    for row in example.iter_rows(min_row=2):
        row[3].alignment = _WRAP

    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _instructions(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 48
    sheet.column_dimensions["D"].width = 48

    def heading(text: str) -> None:
        sheet.append([])
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD

    def lines(rows: list[tuple[object, ...]], *, header: tuple[str, ...] | None = None) -> None:
        if header:
            sheet.append(list(header))
            for cell in sheet[sheet.max_row]:
                cell.font = _BOLD
                cell.fill = _HEADER_FILL
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                cell.alignment = _WRAP

    sheet.append([_("Petunjuk pengisian templat pohon kinerja")])
    sheet["A1"].font = _TITLE
    lines(
        [
            (
                _("Isi lembar “%(sheet)s”: satu baris untuk setiap kotak atau baris pohon kinerja.")
                % {"sheet": DATA_SHEET},
            ),
            (
                _(
                    "Baris 1 adalah judul kolom; jangan diubah (huruf besar/kecil dan spasi di sekitarnya "
                    "tidak apa-apa)."
                ),
            ),
            (_("Lembar “%(sheet)s” berisi contoh dari pohon kinerja demo.") % {"sheet": EXAMPLE_SHEET},),
            (_("Baris kosong dilewati. Simpan sebagai .xlsx, atau .csv (pemisah koma atau titik koma)."),),
            (
                _("Paling banyak %(rows)s baris data dan %(size)s MB per berkas.")
                % {"rows": f"{import_max_rows():,}".replace(",", "."), "size": import_max_bytes() // (1024 * 1024)},
            ),
            (
                _(
                    "Impor bersifat semua-atau-tidak-sama-sekali: bila ada satu baris yang salah, tidak ada yang "
                    "disimpan, dan setiap masalah disebutkan dengan nomor baris dan nama kolomnya."
                ),
            ),
        ]
    )
    heading(_("Kolom"))
    lines(_column_help(), header=(_("kolom"), _("wajib?"), _("arti")))
    heading(_("Jenis dan di bawah jenis apa ia boleh berada"))
    lines(_jenis_rows(), header=(_("jenis"), _("nama"), _("boleh berada di bawah"), _("boleh memiliki anak")))
    heading(_("Bentuk pohon"))
    lines(_form_help())
    heading(_("Bentuk Pagu yang diterima"))
    lines([(form,) for form in PAGU_FORMS])
    lines(
        [
            (_("Angka Excel biasa juga diterima. Pagu harus Rupiah utuh (tanpa sen) dan tidak negatif."),),
            (_("Pagu sebuah Program adalah pagunya sendiri; bila kosong, jumlah pagu Kegiatan di bawahnya."),),
        ]
    )
    heading(_("Bentuk target yang diterima"))
    lines([(form,) for form in TARGET_FORMS])
    lines(
        [
            (
                _(
                    "Angka ditulis cara Indonesia: koma untuk desimal (85,5), titik untuk ribuan (1.250 = seribu "
                    "dua ratus lima puluh). Satu titik yang tidak diikuti tepat tiga angka adalah titik desimal "
                    "(85.5). Tulis 1,25 untuk satu koma dua lima: 1.250 selalu dibaca seribu dua ratus lima puluh."
                ),
            ),
            (
                _(
                    "Satuan boleh ditulis menyatu dengan angka (50%%, 45 OPD, 4,1 poin); teks yang tidak diawali "
                    "angka (WTP, Baik) disimpan sebagai target kualitatif. Paling banyak %(n)d angka di belakang koma."
                )
                % {"n": TARGET_DECIMAL_PLACES},
            ),
            (
                _(
                    "Ekspor menulis target sebagai teks dalam bentuk yang sama (85,5; 1.250; WTP), sehingga "
                    "berkas ekspor dapat diimpor kembali tanpa perubahan. Isi kolom target sebagai teks: sel "
                    "angka Excel dibaca apa adanya (0,5 bukan 50%)."
                ),
            ),
        ]
    )
    heading(_("Mengimpor dari baris perintah"))
    lines(
        [
            ("python manage.py import_pohon BERKAS --dinas KODE --tahun TAHUN --dry-run",),
            (_("--dry-run hanya memeriksa; tanpa itu pohon disimpan. --replace mengganti pohon draf yang sudah ada."),),
        ]
    )
