"""The demo data against its seed: the printed 2018 cascade of the DPMD Kabupaten Lumajang.

The expected values below are read off the printed document by hand, not from the parser, so
the tests check the parser as well as the loader."""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from dinas.models import Keanggotaan, Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.roles import roles_ensure_groups
from pohon.demo import SEED_PATH, SeedFormatError, demo_document, parse_cascade, split_numbered
from pohon.demo.models import DemoAccount
from pohon.models import Node, Pohon
from pohon.money import rupiah
from pohon.selectors import PohonTree, pohon_dump, pohon_tree
from pohon.services import node_create, node_delete, node_update

SHARED_SEED = settings.BASE_DIR.parent / "shared" / "seed" / "000_8b551f3c370db525.txt"
DEMO_PASSWORD = "pokin-demo-2018"

DIVISIONS = [
    "KEPALA BIDANG PEMBERDAYAAN MASYARAKAT",
    "KEPALA BIDANG PEMBERDAYAAN USAHA EKONOMI MASYARAKAT",
    "KEPALA BIDANG BINA PEMERINTAHAN DESA",
    "SEKRETARIAT",
]
DIVISION_UNITS = [
    "Bidang Pemberdayaan Masyarakat",
    "Bidang Pemberdayaan Usaha Ekonomi Masyarakat",
    "Bidang Bina Pemerintahan Desa",
    "Sekretariat",
]
SECTIONS = [
    ["KASIE KELEMBAGAAN MASYARAKAT", "KASIE BINA KADER PEMBERDAYAAN", "KASIE PARTISIPASI MASYARAKAT"],
    ["KASIE LEMBAGA EKONOMI MASYARAKAT", "KASIE TTG DAN SDA", "KASIE KERJA SAMA DESA"],
    ["KASIE PENATAAN DESA", "KASIE KELEMBAGAAN PEMERINTAHAN DESA", "KASIE PERENCANAAN DAN EVALUASI DESA"],
    ["KASUBAG UMUM DAN KEPEGAWAIAN", "KASUBAG KEUANGAN"],
]
SECTION_UNITS = [
    "Seksi Kelembagaan Masyarakat",
    "Seksi Bina Kader Pemberdayaan",
    "Seksi Partisipasi Masyarakat",
    "Seksi Lembaga Ekonomi Masyarakat",
    "Seksi TTG dan SDA",
    "Seksi Kerja Sama Desa",
    "Seksi Penataan Desa",
    "Seksi Kelembagaan Pemerintahan Desa",
    "Seksi Perencanaan dan Evaluasi Desa",
    "Subbagian Umum dan Kepegawaian",
    "Subbagian Keuangan",
]
PROGRAMS = [
    [
        ("Program peningkatan keberdayaan Masyarakat Pedesaan", 2_078_747_000),
        ("Program peningkatan peran perempuan di pedesaan", 999_600_000),
        ("Program peningkatan partisipasi masyarakat dalam pembangunan pedesaan", 279_700_000),
    ],
    [("Program pengembangan lembaga ekonomi pedesaan", 773_000_000)],
    [
        ("Program peningkatan kapasitas aparatur pemerintah desa", 1_147_054_000),
        ("Program peningkatan penyelenggaraan pemerintah desa", 1_346_250_000),
        ("Program pengembangan potensi desa", 229_562_500),
        ("Program pembinaan dan fasilitasi pengelolaan keuangan desa", 593_373_500),
    ],
    [
        ("Program pelayanan administrasi perkantoran", 895_194_900),
        ("Program peningkatan sarana dan prasarana aparatur", 379_709_100),
        ("Program peningkatan pengembangan sistem pelaporan capaian kinerja dan keuangan", 9_496_000),
    ],
]
DIVISION_INDICATORS = [3, 1, 4, 3]
SECTION_INDICATORS = [8, 2, 2, 3, 2, 2, 5, 10, 3, 3, 3]
SECTION_KEGIATAN = [8, 2, 2, 3, 2, 2, 5, 10, 3, 3, 3]

DUMP_HEAD = """\
1 T1 - tujuan
2 T1.I1 T1 indikator
2 T1.S1 T1 sasaran
3 T1.S1.I1 T1.S1 indikator
2 T1.S2 T1 sasaran
3 T1.S2.I1 T1.S2 indikator
2 B1 T1 bidang
3 B1.P1 B1 program 2078747000
3 B1.P2 B1 program 999600000
3 B1.P3 B1 program 279700000
3 B1.S1 B1 sasaran
4 B1.S1.I1 B1.S1 indikator
4 B1.S1.I2 B1.S1 indikator
4 B1.S1.I3 B1.S1 indikator
3 B1.K1 B1 seksi
4 B1.K1.G1 B1.K1 kegiatan"""


@pytest.fixture
def fast_passwords(settings):
    # The command hashes three passwords per run; the default hasher makes that take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    """The command as a draft: approval (PDF and signature) is tested in test_workflow.py."""
    out = StringIO()
    call_command("load_demo", demo=True, no_approve=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db, fast_passwords) -> str:
    return load_demo()


@pytest.fixture
def demo_pohon(output) -> Pohon:
    return Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018, revisi=0)


@pytest.fixture
def tree(demo_pohon) -> PohonTree:
    return pohon_tree(demo_pohon)


def children(tree: PohonTree, node: Node, jenis: str) -> list[Node]:
    return [child for child in tree.children_of(node) if child.jenis == jenis]


def divisions(tree: PohonTree) -> list[Node]:
    (tujuan,) = tree.top
    return children(tree, tujuan, "bidang")


def sections(tree: PohonTree) -> list[Node]:
    return [section for division in divisions(tree) for section in children(tree, division, "seksi")]


def the_sasaran(tree: PohonTree, box: Node) -> Node:
    (sasaran,) = children(tree, box, "sasaran")
    return sasaran


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "units": UnitKerja.objects.count(),
        "dinas": PerangkatDaerah.objects.count(),
        "pemda": Pemda.objects.count(),
        "pejabat": Pejabat.objects.count(),
        "keanggotaan": Keanggotaan.objects.count(),
        "pohon": Pohon.objects.count(),
        "nodes": Node.objects.count(),
        "groups": Group.objects.count(),
    }


# --- the list splitter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1. A (Rp. 2.078.747.000) 2. B (Rp. 999.600.000)", ["A (Rp. 2.078.747.000)", "B (Rp. 999.600.000)"]),
        ("1. Melaksanakan Adm. Desa sesuai ketentuan 2. Lain", ["Melaksanakan Adm. Desa sesuai ketentuan", "Lain"]),
        ("1. aktif. 2. dibina. 3. tersusun", ["aktif.", "dibina.", "tersusun"]),
        ("1. Pokja 3. lanjut 2. Dua", ["Pokja 3. lanjut", "Dua"]),
        ("1. Kegiatan 12. x 2. Y", ["Kegiatan 12. x", "Y"]),
        ("1. Versi 2.0 aplikasi 2. Lain", ["Versi 2.0 aplikasi", "Lain"]),
        ("1. a 2. b 3. c 4. d 5. e 6. f 7. g 8. h 9. i 10. j 11. k", list("abcdefghijk")),
        ("1.\tsatu\n2.  dua  ", ["satu", "dua"]),
        ("Penurunan jumlah desa tertinggal (DS)", ["Penurunan jumlah desa tertinggal (DS)"]),
        ("Tanpa nomor 2. bukan daftar", ["Tanpa nomor 2. bukan daftar"]),
        ("1.5 juta", ["1.5 juta"]),
        ("   ", []),
    ],
)
def test_split_numbered(text, items):
    assert split_numbered(text) == items


# --- the parser, without a database ---------------------------------------------------------

SMALL_TABLE = "\n".join(
    [
        "**POHON KINERJA DINAS CONTOH",
        "TAHUN 2020**",
        "",
        "KEPALA DINAS CONTOH\t\t\t",
        "TUJUAN : Tujuan A\t\t\t",
        "INDIKATOR : Indikator A\t\t\t",
        "SASARAN 1 : Sasaran satu\t\tINDIKATOR : Indikator satu\t",
        "KEPALA BIDANG SATU\t\tSEKRETARIAT\t",
        "1. Program X (Rp. 1.000) SASARAN : Sas B INDIKATOR : 1. i1. 2. i2\t\t"
        "1. Program Y (Rp 2.500.000) 2. Program Z SASARAN : Sas S INDIKATOR : 1. j1\t",
        "KASIE A\tKASIE B\tKASUBAG C\tKASUBAG D",
        "KEGIATAN : 1. ka1\tKEGIATAN : 1. kb1 2. kb2\tKEGIATAN : 1. kc1\tKEGIATAN : 1. kd1",
        "",
        "<p>2. ka2</p> <p>SASARAN : sa</p>\t\t\t<p>SASARAN: sd</p> <p>INDIKATOR : 1. id1</p>",
        "--\t--\t--\t--",
        "\tSASARAN : sb INDIKATOR : 1. ib1\t\t",
        "",
        "Benar demikian.",
        "Contoh, 1 Maret 2020",
        "KEPALA DINAS",
        " CONTOH",
        "NAMA PEJABAT",
        " NIP. 19740910 199412 1 001",
    ]
)


def test_parser_groups_sections_by_the_columns_their_division_spans():
    document = parse_cascade(SMALL_TABLE)
    assert document.tahun == 2020
    assert [d.heading for d in document.divisions] == ["KEPALA BIDANG SATU", "SEKRETARIAT"]
    assert [[s.heading for s in d.sections] for d in document.divisions] == [
        ["KASIE A", "KASIE B"],
        ["KASUBAG C", "KASUBAG D"],
    ]
    first, second = document.divisions
    assert [(p.uraian, p.pagu) for p in first.programs] == [("Program X", Decimal(1000))]
    assert [(p.uraian, p.pagu) for p in second.programs] == [("Program Y", Decimal(2_500_000)), ("Program Z", None)]
    assert [(s.uraian, s.indikator) for s in first.sasaran] == [("Sas B", ("i1.", "i2"))]
    a, b, c, d = document.sections
    assert (a.kegiatan, [s.uraian for s in a.sasaran]) == (("ka1", "ka2"), ["sa"])
    assert [(s.uraian, s.indikator) for s in b.sasaran] == [("sb", ("ib1",))]  # the row after the rule
    assert (c.kegiatan, c.sasaran) == (("kc1",), ())
    assert [(s.uraian, s.indikator) for s in d.sasaran] == [("sd", ("id1",))]
    assert document.head.tujuan.indikator == ("Indikator A",)
    assert document.signature.title_lines == ("KEPALA DINAS", "CONTOH")
    assert (document.signature.name, document.signature.nip) == ("NAMA PEJABAT", "19740910 199412 1 001")


def test_parser_refuses_rows_of_different_widths():
    broken = SMALL_TABLE.replace("KASIE A\tKASIE B\tKASUBAG C\tKASUBAG D", "KASIE A\tKASIE B\tKASUBAG C")
    with pytest.raises(SeedFormatError, match="columns"):
        parse_cascade(broken)


def test_parser_reads_the_seed():
    document = demo_document()
    assert document.tahun == 2018
    assert [len(d.sections) for d in document.divisions] == [3, 3, 3, 2]
    signature = document.signature
    assert signature.statement.startswith("Benar bahwa pohon kinerja dimaksud")
    assert signature.statement.endswith("dapat dipastikan keselarasannya.")
    assert (signature.place, signature.date.isoformat()) == ("Lumajang", "2018-01-25")
    assert signature.title_lines == ("KEPALA DINAS", "PEMBERDAYAAN MASYARAKAT DAN DESA", "KABUPATEN LUMAJANG")
    assert (signature.name, signature.nip) == ("PATRIANI HASTIADI, AP. MSi.", "19740910 199412 1 001")


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seed lives outside the repository")
def test_fixture_is_a_byte_for_byte_copy_of_the_seed():
    assert SEED_PATH.read_bytes() == SHARED_SEED.read_bytes()


# --- the loaded tree --------------------------------------------------------------------------


@pytest.mark.django_db
def test_divisions_and_sections_in_document_order(tree):
    assert [d.uraian for d in divisions(tree)] == DIVISIONS
    assert [d.unit.nama for d in divisions(tree)] == DIVISION_UNITS
    assert [[s.uraian for s in children(tree, d, "seksi")] for d in divisions(tree)] == SECTIONS
    assert [s.unit.nama for s in sections(tree)] == SECTION_UNITS
    assert [s.unit.parent.nama for s in sections(tree)] == [
        DIVISION_UNITS[i] for i in (0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3)
    ]


@pytest.mark.django_db
def test_programmes_with_their_exact_pagu(tree):
    assert [[(p.uraian, p.pagu) for p in children(tree, d, "program")] for d in divisions(tree)] == PROGRAMS
    assert tree.total_pagu == Decimal(8_731_687_000)
    assert rupiah(tree.total_pagu) == "Rp 8.731.687.000"


@pytest.mark.django_db
def test_kegiatan_per_section_without_pagu(tree):
    kegiatan = [children(tree, s, "kegiatan") for s in sections(tree)]
    assert [len(k) for k in kegiatan] == SECTION_KEGIATAN
    assert sum(node.jenis == "kegiatan" for node in tree.nodes) == 43
    assert all(node.pagu is None for group in kegiatan for node in group)


@pytest.mark.django_db
def test_one_sasaran_per_box_with_its_indicators(tree):
    (tujuan,) = tree.top
    assert tujuan.uraian == "Meningkatnya Keberdayaan Masyarakat dan Desa"
    assert len(children(tree, tujuan, "indikator")) == 1
    head_sasaran = children(tree, tujuan, "sasaran")
    assert [s.uraian for s in head_sasaran] == [
        "Meningkatnya Keberdayaan Masyarakat",
        "Meningkatnya Tata Kelola Penyelenggaraan Pemerintahan Desa",
    ]
    assert [len(children(tree, s, "indikator")) for s in head_sasaran] == [1, 1]
    division_sasaran = [the_sasaran(tree, d) for d in divisions(tree)]
    section_sasaran = [the_sasaran(tree, s) for s in sections(tree)]
    assert [len(children(tree, s, "indikator")) for s in division_sasaran] == DIVISION_INDICATORS
    assert [len(children(tree, s, "indikator")) for s in section_sasaran] == SECTION_INDICATORS
    # Indicators hang under their Sasaran only, never directly under a division or section.
    assert not any(children(tree, box, "indikator") for box in divisions(tree) + sections(tree))


@pytest.mark.django_db
def test_the_document_wording_is_kept(tree):
    uraian = {node.uraian for node in tree.nodes}
    assert (
        "Jalin Matra Penanggulangan Feminisasi Kemiskinan (PFK) Dan Kerentanan Kemiskinan (PK2) "
        "Bantuan Rumah Tangga Sangat Miskin (RTSM)"
    ) in uraian
    assert "Jumlah Desa yang melaksanakan Pilkades" in uraian
    assert "Meningkatnya Kapasiitas dan peran Pemerintahan Desa" in uraian
    assert "Jumlah Perangkat Desa yang Melaksanakan Adm. Desa sesuai ketentuan" in uraian
    assert "Persentase lembaga kemasyarakatan desa yang aktif." in uraian
    assert "Jumlah KRTP yang mendapat sosialisasi dan dan pembinaan usaha" in uraian
    (potensi,) = [node for node in tree.nodes if node.uraian == "Program pengembangan potensi desa"]
    assert potensi.pagu == Decimal(229_562_500)
    assert not any("<p>" in text or "</p>" in text or text != text.strip() for text in uraian)


@pytest.mark.django_db
def test_the_page_broken_eighth_section_is_whole(tree):
    kelembagaan = sections(tree)[7]
    assert kelembagaan.uraian == "KASIE KELEMBAGAAN PEMERINTAHAN DESA"
    indikator = children(tree, the_sasaran(tree, kelembagaan), "indikator")
    assert [i.kode for i in indikator[-2:]] == ["B3.K2.S1.I9", "B3.K2.S1.I10"]
    assert [i.uraian for i in indikator[-2:]] == ["Jumlah Sekdes yang dibina", "Jumlah Desa yang melaksanakan Pilkades"]
    assert children(tree, kelembagaan, "kegiatan")[-1].uraian == "Pembinaan dan Monitoring Pemilihan Kepala Desa"


@pytest.mark.django_db
def test_every_node_belongs_to_the_unit_of_its_box(tree):
    kepala = UnitKerja.objects.get(dinas=tree.pohon.dinas, kode="kepala")
    box_unit = {}
    for node, _depth in tree.walk():
        parent = tree.parent_of(node)
        if node.jenis in ("bidang", "seksi"):
            box_unit[node.pk] = node.unit
        else:
            box_unit[node.pk] = box_unit[parent.pk] if parent else kepala
        assert node.unit == box_unit[node.pk], node.kode
    assert all(not node.has_target and node.satuan == "" for node in tree.nodes)


@pytest.mark.django_db
def test_kodes_are_stable_and_readable(tree):
    assert pohon_dump(tree).startswith(DUMP_HEAD + "\n")
    kodes = {node.kode: node for node in tree.nodes}
    assert len(kodes) == len(tree.nodes)
    assert kodes["B4"].uraian == "SEKRETARIAT"
    assert kodes["B4.K2"].uraian == "KASUBAG KEUANGAN"
    assert kodes["B4.K2.G3"].uraian == "Penyusunan Laporan Keuangan Akhir tahun"


@pytest.mark.django_db
def test_agency_units_and_official(demo_pohon):
    dinas = demo_pohon.dinas
    assert (dinas.kode, dinas.nama, dinas.pemda_nama, dinas.tempat) == (
        "dpmd-lumajang",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Kabupaten Lumajang",
        "Lumajang",
    )
    pemda = dinas.pemda
    assert (pemda.kode, pemda.nama, pemda.jenis, pemda.tempat, pemda.jabatan_kepala) == (
        "kabupaten-lumajang",
        "Kabupaten Lumajang",
        "kabupaten",
        "Lumajang",
        "Bupati",
    )
    units = list(UnitKerja.objects.filter(dinas=dinas).order_by("urutan"))
    assert [u.nama for u in units] == ["Kepala Dinas", *DIVISION_UNITS, *SECTION_UNITS]
    assert [u.jenis for u in units] == ["kepala", *["bidang"] * 3, "sekretariat", *["seksi"] * 9, *["subbagian"] * 2]
    assert [u.kode for u in units][:5] == [
        "kepala",
        "bidang-pemberdayaan-masyarakat",
        "bidang-pemberdayaan-usaha-ekonomi-masyarakat",
        "bidang-bina-pemerintahan-desa",
        "sekretariat",
    ]
    assert {u.parent.kode for u in units[1:5]} == {"kepala"}
    # The seed names only the Kepala Dinas; every other official is example data, named so.
    pejabat = Pejabat.objects.get(unit__dinas=dinas, unit__kode="kepala")
    others = Pejabat.objects.filter(unit__dinas=dinas).exclude(pk=pejabat.pk)
    assert others.count() == len(units) - 1
    assert all(nama.endswith("(contoh)") for nama in others.values_list("nama", flat=True))
    assert pejabat.nama == "PATRIANI HASTIADI, AP. MSi."
    assert pejabat.nip == "197409101994121001"
    assert pejabat.nip_display == "19740910 199412 1 001"
    assert pejabat.jabatan == "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang"
    assert (pejabat.unit.kode, pejabat.tahun_mulai, pejabat.tahun_selesai) == ("kepala", 2018, None)


@pytest.mark.django_db
def test_summary_names_the_total_and_the_demo_logins(output):
    assert "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang" in output
    assert "2018" in output
    assert "Kegiatan: 43" in output
    assert "Rp 8.731.687.000" in output
    assert "DEMO" in output
    for username in ("admin", "kadis", "operator"):
        assert f"{username} / {DEMO_PASSWORD}" in output


# --- running it again -------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_twice_changes_nothing(demo_pohon, tree):
    before_dump, before_counts = pohon_dump(tree), counts()
    before_pks = [node.pk for node in tree.nodes]
    output = load_demo()
    again = pohon_tree(Pohon.objects.get(pk=demo_pohon.pk))
    assert pohon_dump(again) == before_dump
    assert [node.pk for node in again.nodes] == before_pks
    assert counts() == before_counts
    assert "tidak diubah" in output


@pytest.mark.django_db
def test_running_again_restores_an_edited_tree(demo_pohon, tree):
    before_dump, before_counts = pohon_dump(tree), counts()
    before_nodes = [(node.kode, node.uraian, node.unit_id, node.pagu) for node in tree.nodes]
    kodes = {node.kode: node for node in Node.objects.filter(pohon=demo_pohon)}
    node_update(node=kodes["B1.P1"], uraian="Diubah", pagu=Decimal(1))
    node_delete(node=kodes["B2.K1"])
    node_create(pohon=demo_pohon, parent=kodes["T1"], jenis="indikator", uraian="Tambahan", kode="X1")
    output = load_demo()
    again = pohon_tree(demo_pohon)
    assert pohon_dump(again) == before_dump
    assert [(node.kode, node.uraian, node.unit_id, node.pagu) for node in again.nodes] == before_nodes
    assert counts() == before_counts
    assert "dibangun" in output


@pytest.mark.django_db
def test_an_approved_tree_is_never_replaced(demo_pohon, tree):
    node_update(node=Node.objects.get(pohon=demo_pohon, kode="B1.P1"), uraian="Diubah")
    Pohon.objects.filter(pk=demo_pohon.pk).update(status=Pohon.Status.DISETUJUI)
    with pytest.raises(CommandError, match="tidak dapat diubah"):
        load_demo()
    assert Node.objects.get(pohon=demo_pohon, kode="B1.P1").uraian == "Diubah"


# --- demo accounts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_users_log_in_with_their_roles(output, client):
    for username in ("admin", "kadis", "operator"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "kadis", "operator"])}
    assert users["admin"].is_superuser and users["admin"].is_staff
    kadis, operator = users["kadis"], users["operator"]
    assert kadis.is_staff and not kadis.is_superuser
    assert operator.is_staff and not operator.is_superuser
    assert [(k.dinas.kode, k.peran, k.unit.kode) for k in kadis.keanggotaan.all()] == [
        ("dpmd-lumajang", "kepala_dinas", "kepala")
    ]
    assert [(k.dinas.kode, k.peran, k.unit.nama) for k in operator.keanggotaan.all()] == [
        ("dpmd-lumajang", "operator", "Bidang Pemberdayaan Masyarakat")
    ]
    assert [g.name for g in kadis.groups.all()] == ["Kepala Dinas"]
    assert [g.name for g in operator.groups.all()] == ["Operator"]


@pytest.mark.django_db
def test_group_permissions(output):
    kadis = get_user_model().objects.get(username="kadis")
    operator = get_user_model().objects.get(username="operator")
    assert kadis.has_perm("pohon.view_node") and kadis.has_perm("dinas.view_unitkerja")
    assert not kadis.has_perm("pohon.change_node")
    assert operator.has_perms(["pohon.view_node", "pohon.add_node", "pohon.change_node", "pohon.delete_node"])
    assert operator.has_perms(["pohon.view_pohon", "dinas.view_perangkatdaerah", "dinas.view_pejabat"])
    assert not operator.has_perm("pohon.change_pohon")
    assert not operator.has_perm("dinas.change_unitkerja")
    admin_group = Group.objects.get(name="Admin")
    assert admin_group.permissions.filter(codename="delete_perangkatdaerah").exists()
    assert admin_group.permissions.filter(codename="change_pohon").exists()
    assert not admin_group.permissions.filter(content_type__app_label="auth").exists()


@pytest.mark.django_db
def test_roles_ensure_groups_resets_permissions(db):
    operator = roles_ensure_groups()["Operator"]
    operator.permissions.clear()
    assert roles_ensure_groups()["Operator"].permissions.filter(codename="change_node").exists()
    assert Group.objects.filter(name="Operator").count() == 1


@pytest.mark.django_db
def test_running_again_resets_demo_passwords(output, client):
    kadis = get_user_model().objects.get(username="kadis")
    kadis.set_password("something-else")
    kadis.save()
    load_demo()
    assert client.login(username="kadis", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_users_are_marked_as_created_by_the_demo(output):
    marked = DemoAccount.objects.order_by("user__username").values_list("user__username", flat=True)
    assert list(marked) == ["admin", "bappeda", "kadis", "operator"]


@pytest.mark.django_db
def test_an_existing_user_with_a_demo_name_is_never_changed(db, fast_passwords, client):
    """An agency's own "admin" (and "kadis") made before the demo ran: not touched, not a demo login."""
    user_model = get_user_model()
    admin = user_model.objects.create_user("admin", password="rahasia-sendiri", first_name="Admin Dinas")
    kadis = user_model.objects.create_user("kadis", password="rahasia-kadis", is_staff=True)

    def state(user):
        return user.password, user.is_staff, user.is_superuser, user.is_active, user.first_name

    before = {user.username: state(user) for user in (admin, kadis)}

    out = StringIO()
    call_command("load_demo", demo=True, stdout=out)  # approval asked for, but kadis is not the demo's
    output = out.getvalue()

    for user in user_model.objects.filter(username__in=["admin", "kadis"]):
        assert state(user) == before[user.username]
        assert not user.groups.exists() and not user.keanggotaan.exists()
        assert not DemoAccount.objects.filter(user=user).exists()
        assert f"PERINGATAN: pengguna {user.username} sudah ada dan tidak dibuat oleh load_demo" in output
        assert f"{user.username} / {DEMO_PASSWORD}" not in output
        assert not client.login(username=user.username, password=DEMO_PASSWORD)
    assert f"operator / {DEMO_PASSWORD}" in output
    assert client.login(username="operator", password=DEMO_PASSWORD)
    assert Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018).status == Pohon.Status.DRAF
    assert "Pohon demo dibiarkan sebagai draf" in output


def test_refuses_without_debug_or_demo_flag(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"hanya berjalan dengan DEBUG=1 atau dengan --demo"):
        call_command("load_demo", no_approve=True, stdout=StringIO())
    assert not PerangkatDaerah.objects.exists() and not get_user_model().objects.exists()


def test_runs_with_debug_on_without_the_flag(db, settings, fast_passwords):
    settings.DEBUG = True
    call_command("load_demo", no_approve=True, stdout=StringIO())
    assert Pohon.objects.filter(dinas__kode="dpmd-lumajang", tahun=2018).exists()
    assert DemoAccount.objects.count() == 4  # admin, kadis, operator, bappeda
