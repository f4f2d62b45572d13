"""The Pemda's own tree (issue 13, items 1, 2 and the Pemda part of 8): its rule table, yearly
targets through the editor, import/export and copy, approval by the signer the Pemda sets, the
rights of Bappeda and of the agencies' roles, and the demo."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.services import PEMDA_KEPALA_UNIT, pemda_pemilik_ensure, pemda_update
from pohon import rules
from pohon.imports import pohon_copy_to_year, pohon_import
from pohon.models import Node, NodeRiwayat, Pohon, TargetTahunan
from pohon.pemda.selectors import pemda_pohon_for_tahun, target_tahunan_map
from pohon.pemda.services import pemda_pohon_create, target_tahunan_set
from pohon.resources import pohon_export
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, node_move, pohon_create
from pohon.targets import target_parse
from pohon.workflow import pohon_approve, pohon_revise, pohon_submit
from tests.conftest import pemda_named

Peran = Keanggotaan.Peran
HTMX = {"HTTP_HX_REQUEST": "true"}


def _user(username: str, dinas: PerangkatDaerah, peran: str, unit: UnitKerja | None = None):
    user = get_user_model().objects.create_user(username, password="rahasia-uji", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=peran, unit=unit)
    return user


def _targets(*values: str, start: int = 2014, satuan: str = "%") -> dict:
    return {start + i: target_parse(v, satuan) for i, v in enumerate(values)}


@pytest.fixture
def pemda_pohon(pemda) -> Pohon:
    return pemda_pohon_create(pemda=pemda, tahun=2014, tahun_akhir=2018)


@pytest.fixture
def rpjmd(pemda_pohon) -> dict[str, Node]:
    """Visi -> Misi -> Tujuan Pemda -> Sasaran Pemda, each Tujuan/Sasaran with an IKU."""
    p = pemda_pohon
    v = node_create(pohon=p, parent=None, jenis=rules.VISI, kode="V1", uraian="Visi uji")
    m = node_create(pohon=p, parent=v, jenis=rules.MISI, kode="M1", uraian="Misi uji")
    t = node_create(pohon=p, parent=m, jenis=rules.TUJUAN_PEMDA, kode="TP1", uraian="Tujuan Pemda uji")
    ti = node_create(pohon=p, parent=t, jenis=rules.INDIKATOR, kode="TP1.I1", uraian="IKU tujuan", satuan="indeks")
    s = node_create(pohon=p, parent=t, jenis=rules.SASARAN_PEMDA, kode="SP1", uraian="Sasaran Pemda uji")
    si = node_create(pohon=p, parent=s, jenis=rules.INDIKATOR, kode="SP1.I1", uraian="IKU sasaran", satuan="%")
    target_tahunan_set(node=si, targets=_targets("40", "45", "50", "55", "60"))
    return {"V1": v, "M1": m, "TP1": t, "TP1.I1": ti, "SP1": s, "SP1.I1": si}


# --- the rule table -----------------------------------------------------------------------------


def test_pemda_chain_is_allowed_only_in_pemda_trees():
    chain = [rules.AKAR, rules.VISI, rules.MISI, rules.TUJUAN_PEMDA, rules.SASARAN_PEMDA, rules.TEMATIK]
    for parent, child in zip(chain, [*chain[1:], rules.SUB_TEMATIK], strict=True):
        assert rules.jenis_allowed_under(child, parent, rules.PEMILIK_PEMDA), (child, parent)
        assert not rules.jenis_allowed_under(child, parent, rules.PEMILIK_DINAS), (child, parent)
    for parent in (rules.TUJUAN_PEMDA, rules.SASARAN_PEMDA):
        assert rules.jenis_allowed_under(rules.INDIKATOR, parent, rules.PEMILIK_PEMDA)
    # the agency's kinds nowhere in a Pemda tree
    for kind in (rules.TUJUAN, rules.SASARAN, rules.BIDANG, rules.PROGRAM, rules.KEGIATAN):
        for parent in rules.ALLOWED_CHILDREN_PEMDA:
            assert not rules.jenis_allowed_under(kind, parent, rules.PEMILIK_PEMDA)
    assert not rules.jenis_allowed_under(rules.INDIKATOR, rules.VISI, rules.PEMILIK_PEMDA)


@pytest.mark.django_db
@pytest.mark.parametrize("jenis", [rules.TUJUAN, rules.SASARAN, rules.PROGRAM, rules.INDIKATOR])
def test_agency_kinds_refused_in_the_pemda_tree(rpjmd, jenis):
    pohon = rpjmd["V1"].pohon
    before = pohon_dump(pohon_tree(pohon))
    # an Indikator is a Pemda kind too, but under a Tujuan or Sasaran Pemda only
    for parent in (None, rpjmd["V1"] if jenis == rules.INDIKATOR else rpjmd["SP1"]):
        with pytest.raises(ValidationError) as refused:
            node_create(pohon=pohon, parent=parent, jenis=jenis, uraian="anak")
        if jenis != rules.INDIKATOR:
            assert "hanya untuk pohon kinerja Perangkat Daerah" in " ".join(refused.value.messages)
    assert pohon_dump(pohon_tree(pohon)) == before


@pytest.mark.django_db
@pytest.mark.parametrize("jenis", [rules.VISI, rules.MISI, rules.TUJUAN_PEMDA, rules.SASARAN_PEMDA, rules.TEMATIK])
def test_pemda_kinds_refused_in_an_agency_tree(chain_tree, jenis):
    tujuan = Node.objects.get(pohon=chain_tree, kode="T1")
    before = pohon_dump(pohon_tree(chain_tree))
    for parent in (None, tujuan):
        with pytest.raises(ValidationError, match="hanya untuk pohon kinerja Pemda"):
            node_create(pohon=chain_tree, parent=parent, jenis=jenis, uraian="anak")
    assert pohon_dump(pohon_tree(chain_tree)) == before


@pytest.mark.django_db
def test_moves_follow_the_pemda_table(rpjmd):
    with pytest.raises(ValidationError, match="Sasaran Pemda tidak boleh berada di bawah Misi"):
        node_move(node=rpjmd["SP1"], target=rpjmd["M1"], position="last-child")
    with pytest.raises(ValidationError, match="Indikator tidak boleh berada di bawah Visi"):
        node_move(node=rpjmd["SP1.I1"], target=rpjmd["V1"], position="last-child")
    node_move(node=rpjmd["SP1.I1"], target=rpjmd["TP1"], position="last-child")
    assert Node.objects.get(pk=rpjmd["SP1.I1"].pk).parent_id == rpjmd["TP1"].pk


@pytest.mark.django_db
def test_the_period_is_the_trees_and_a_pemda_tree_needs_one(pemda, dinas, pemda_pohon):
    assert str(pemda_pohon) == f"{pemda_pohon.dinas.kode} 2014-2018"
    assert list(pemda_pohon.periode) == [2014, 2015, 2016, 2017, 2018]
    owner = pemda_pemilik_ensure(pemda=pemda)
    assert owner == pemda_pohon.dinas and owner.is_pemda and owner.pemda == pemda
    with pytest.raises(ValidationError, match="tahun akhir"):
        pohon_create(dinas=owner, tahun=2019)
    with pytest.raises(ValidationError, match="Hanya pohon kinerja Pemda"):
        pohon_create(dinas=dinas, tahun=2019, tahun_akhir=2023)
    with pytest.raises(ValidationError, match="beririsan"):
        pemda_pohon_create(pemda=pemda, tahun=2016, tahun_akhir=2020)
    # the owner record is no agency
    assert list(PerangkatDaerah.objects.agencies().filter(pemda=pemda)) == [dinas]
    assert pemda_pohon_for_tahun(pemda, 2016) == pemda_pohon
    assert pemda_pohon_for_tahun(pemda, 2019) is None


# --- yearly targets: editor, history, import/export, copy ---------------------------------------


@pytest.mark.django_db
def test_yearly_targets_are_set_checked_and_recorded(rpjmd):
    iku = rpjmd["SP1.I1"]
    shown = {t: v.display for t, v in target_tahunan_map(iku.pohon)[iku.kunci].items()}
    assert shown == {2014: "40", 2015: "45", 2016: "50", 2017: "55", 2018: "60"}
    target_tahunan_set(node=iku, targets={2016: target_parse("52,5", "%"), 2018: None})
    shown = {t: v.display for t, v in target_tahunan_map(iku.pohon)[iku.kunci].items()}
    assert shown == {2014: "40", 2015: "45", 2016: "52,5", 2017: "55"}
    entry = NodeRiwayat.objects.filter(kunci=iku.kunci, aksi=NodeRiwayat.Aksi.UBAH).latest("id")
    assert entry.sebelum == {"target_tahunan": "2014: 40; 2015: 45; 2016: 50; 2017: 55; 2018: 60"}
    assert entry.sesudah == {"target_tahunan": "2014: 40; 2015: 45; 2016: 52,5; 2017: 55"}
    with pytest.raises(ValidationError, match="di luar periode"):
        target_tahunan_set(node=iku, targets={2019: target_parse("70", "%")})
    with pytest.raises(ValidationError, match="hanya untuk Indikator"):
        target_tahunan_set(node=rpjmd["SP1"], targets={2014: target_parse("1", "")})


@pytest.mark.django_db
def test_export_import_round_trip_keeps_the_yearly_targets(rpjmd):
    pohon = rpjmd["V1"].pohon
    csv = pohon_export(pohon, "csv")
    header = csv.decode().splitlines()[0]
    assert header.endswith(",kunci,target_2014,target_2015,target_2016,target_2017,target_2018")
    assert "SP1.I1,SP1,indikator,IKU sasaran,,,,%,naik," in csv.decode()
    plan, written = pohon_import(dinas=pohon.dinas, tahun=2014, data=csv, filename="rpjmd.csv", replace=True)
    assert plan.ok, plan.problems
    assert written == pohon
    assert pohon_export(pohon, "csv") == csv  # export -> import -> export is identical
    assert len(target_tahunan_map(pohon)[rpjmd["SP1.I1"].kunci]) == 5
    # a new Pemda tree for another period from the same file's rows with other years' columns
    new = csv.decode().replace("target_2014", "target_2019").replace("\nV1,", "\nV1,", 1)
    plan, _ = pohon_import(dinas=pohon.dinas, tahun=2019, data=new.encode(), filename="x.csv", tahun_akhir=2023)
    assert plan.ok, plan.problems
    copy = Pohon.objects.get(dinas=pohon.dinas, tahun=2019)
    assert (copy.tahun_akhir, len(target_tahunan_map(copy)[rpjmd["SP1.I1"].kunci])) == (2023, 1)


@pytest.mark.django_db
def test_import_refuses_agency_kinds_and_targets_on_other_kinds(pemda_pohon):
    owner = pemda_pohon.dinas
    data = (
        b"kode,induk,jenis,uraian,satuan,target_2015\n"
        b"V1,,visi,Visi,,\n"
        b"P1,V1,program,Program salah,,\n"
        b"M1,V1,misi,Misi,,12\n"
    )
    plan, written = pohon_import(dinas=owner, tahun=2014, data=data, filename="salah.csv", replace=True)
    assert written is None
    problems = {(p.row, p.column): p.message for p in plan.problems}
    assert "Program tidak boleh berada di bawah Visi" in problems[(3, "jenis")]
    assert "hanya untuk pohon kinerja Perangkat Daerah" in problems[(3, "jenis")]
    assert problems[(4, "target_2015")] == "Target per tahun hanya untuk Indikator, bukan Misi."
    assert not Node.objects.filter(pohon=pemda_pohon).visible().exists()


@pytest.mark.django_db
def test_agency_import_refuses_pemda_kinds(dinas):
    data = b"kode,induk,jenis,uraian\nV1,,visi,Visi di dinas\n"
    plan, written = pohon_import(dinas=dinas, tahun=2018, data=data, filename="x.csv")
    assert written is None
    assert "Visi hanya untuk pohon kinerja Pemda" in plan.problems[0].message


@pytest.mark.django_db
def test_copy_into_a_new_period_and_a_revision_keeps_targets(rpjmd, signing_certificate):
    pohon = rpjmd["V1"].pohon
    copy = pohon_copy_to_year(pohon=pohon, tahun=2019)
    assert (copy.tahun, copy.tahun_akhir, copy.status) == (2019, 2023, Pohon.Status.DRAF)
    assert pohon_dump(pohon_tree(copy)) == pohon_dump(pohon_tree(pohon))
    assert set(Node.objects.filter(pohon=copy).visible().values_list("kunci", flat=True)) == set(
        Node.objects.filter(pohon=pohon).visible().values_list("kunci", flat=True)
    )
    assert not TargetTahunan.objects.filter(pohon=copy).exists()  # the old period's years stay behind
    with pytest.raises(ValidationError, match="beririsan"):
        pohon_copy_to_year(pohon=pohon, tahun=2017)
    # a Perubahan of the approved tree carries the targets
    kepala = UnitKerja.objects.get(dinas=pohon.dinas, kode=PEMDA_KEPALA_UNIT)
    Pejabat.objects.create(nama="Kepala Bappeda Uji", nip="197001012000031001", jabatan="Kepala Bappeda", unit=kepala,
                           tahun_mulai=2010)  # fmt: skip
    pohon_submit(pohon=pohon, user=None)
    pohon_approve(pohon=pohon, user=None)
    revision = pohon_revise(pohon=pohon, user=None)
    assert revision.tahun_akhir == 2018
    assert len(target_tahunan_map(revision)[rpjmd["SP1.I1"].kunci]) == 5


# --- approval by the configured signer ----------------------------------------------------------


def _approved_text(pohon) -> str:
    import subprocess

    from pohon.models import DokumenTerbit

    berkas = DokumenTerbit.objects.filter(dokumen=pohon.pengesahan.dokumen, kertas="A4").first()
    assert berkas is not None
    return subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(berkas.pdf), capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("penyetuju", ["kepala_bappeda", "kepala_daerah"])
def test_approval_is_signed_by_the_signer_the_pemda_sets(rpjmd, pemda, signing_certificate, penyetuju):
    pohon = rpjmd["V1"].pohon
    pemda_update(pemda=pemda, data={"penyetuju_pohon": penyetuju})
    kepala = UnitKerja.objects.get(dinas=pohon.dinas, kode=PEMDA_KEPALA_UNIT)
    Pejabat.objects.create(nama="IR. KEPALA BAPPEDA", nip="197001012000031001", jabatan="Kepala Bappeda",
                           unit=kepala, tahun_mulai=2010)  # fmt: skip
    Pejabat.objects.create(nama="BUPATI UJI", pemda=pemda, jabatan="Bupati Contoh", tahun_mulai=2013)
    pohon_submit(pohon=pohon, user=None)
    at = datetime.datetime(2014, 2, 3, 9, 0, tzinfo=timezone.get_current_timezone())
    pengesahan = pohon_approve(pohon=pohon, user=None, at=at)
    signer = pengesahan.penandatangan
    assert pengesahan.dokumen.judul == "Pohon Kinerja Pemerintah Kabupaten Contoh Periode RPJMD 2014-2018"
    assert pengesahan.kepala_judul == "PEMERINTAH KABUPATEN CONTOH RPJMD 2014-2018"
    pohon.refresh_from_db()
    text = _approved_text(pohon)
    assert "POHON KINERJA PEMERINTAH KABUPATEN CONTOH PERIODE RPJMD 2014-2018" in text
    if penyetuju == "kepala_daerah":
        assert (signer.nama, signer.nip) == ("BUPATI UJI", "")
        assert "BUPATI UJI" in text and "NIP" not in text
    else:
        assert signer.nama == "IR. KEPALA BAPPEDA"
        assert "IR. KEPALA BAPPEDA" in text and "NIP. 19700101 200003 1 001" in text


@pytest.mark.django_db
def test_approval_refused_without_the_configured_signer(rpjmd, pemda, signing_certificate):
    pohon = rpjmd["V1"].pohon
    pemda_update(pemda=pemda, data={"penyetuju_pohon": "kepala_daerah"})
    pohon_submit(pohon=pohon, user=None)
    with pytest.raises(ValidationError, match="Belum ada Bupati Kabupaten Contoh"):
        pohon_approve(pohon=pohon, user=None)
    pohon.refresh_from_db()
    assert pohon.status == Pohon.Status.DIAJUKAN


# --- rights ----------------------------------------------------------------------------------------


@pytest.fixture
def people(rpjmd, dinas, bidang_unit, other_dinas):
    owner = rpjmd["V1"].pohon.dinas
    other_owner = pemda_pemilik_ensure(pemda=other_dinas.pemda)
    return {
        "bappeda": _user("bappeda", owner, Peran.BAPPEDA),
        "bappeda_lain": _user("bappeda-lain", other_owner, Peran.BAPPEDA),
        "operator": _user("operator", dinas, Peran.OPERATOR, bidang_unit),
        "kadis": _user("kadis", dinas, Peran.KEPALA_DINAS),
        "admin_dinas": _user("admin-dinas", dinas, Peran.ADMIN),
    }


def _edit_url(pohon, node, action="ubah"):
    return reverse(f"pohon:node_{action}", args=[pohon.dinas.kode, pohon.tahun, node.pk]) + "?halaman=bagan"


@pytest.mark.django_db
def test_bappeda_edits_the_pemda_tree_with_yearly_targets(client, rpjmd, people):
    pohon = rpjmd["V1"].pohon
    client.force_login(people["bappeda"])
    iku = rpjmd["SP1.I1"]
    response = client.get(_edit_url(pohon, iku))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="target_2014"' in page and 'value="40"' in page and 'name="target"' not in page
    post = {"versi": iku.versi, "uraian": "IKU sasaran diubah", "satuan": "%", "arah": "naik"}
    post |= {f"target_{y}": v for y, v in zip(range(2014, 2019), ["41", "46", "51", "56", "61,5"], strict=True)}
    response = client.post(_edit_url(pohon, iku), post, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none", response.content.decode()[:500]
    iku.refresh_from_db()
    assert iku.uraian == "IKU sasaran diubah"
    shown = {t: v.display for t, v in target_tahunan_map(pohon)[iku.kunci].items()}
    assert shown == {2014: "41", 2015: "46", 2016: "51", 2017: "56", 2018: "61,5"}
    # a bad year's target is refused next to its field, nothing saved
    response = client.post(_edit_url(pohon, iku), {**post, "versi": iku.versi, "target_2015": "1.2.3"}, **HTMX)
    assert "target_2015" in response.content.decode() and "has-error" in response.content.decode()
    assert target_tahunan_map(pohon)[iku.kunci][2015].display == "46"
    # adding a Sasaran Pemda under the Tujuan Pemda
    response = client.post(
        _edit_url(pohon, rpjmd["TP1"], "tambah"),
        {"jenis": rules.SASARAN_PEMDA, "uraian": "Sasaran Pemda baru", "kode": "", "arah": "naik"},
        **HTMX,
    )
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert Node.objects.filter(pohon=pohon, jenis=rules.SASARAN_PEMDA, uraian="Sasaran Pemda baru").exists()


@pytest.mark.django_db
def test_bappeda_reads_agency_trees_of_its_pemda_but_never_edits_them(client, rpjmd, people, chain_tree, other_dinas):
    client.force_login(people["bappeda"])
    assert client.get(chain_tree.chart_url()).status_code == 200
    assert client.get(reverse("pohon:table", args=[chain_tree.dinas.kode, 2018])).status_code == 200
    node = Node.objects.get(pohon=chain_tree, kode="S1")
    before = pohon_dump(pohon_tree(chain_tree))
    assert client.get(_edit_url(chain_tree, node)).status_code == 403
    response = client.post(_edit_url(chain_tree, node), {"versi": node.versi, "uraian": "diubah Bappeda"})
    assert response.status_code == 403
    response = client.post(_edit_url(chain_tree, node, "tambah"), {"jenis": "indikator", "uraian": "x"})
    assert response.status_code == 403
    assert pohon_dump(pohon_tree(chain_tree)) == before
    # another Pemda's agency: nothing at all
    other = pohon_create(dinas=other_dinas, tahun=2018)
    assert client.get(other.chart_url()).status_code == 404


@pytest.mark.django_db
def test_bappeda_of_another_pemda_sees_nothing(client, rpjmd, people, chain_tree):
    client.force_login(people["bappeda_lain"])
    pohon = rpjmd["V1"].pohon
    assert client.get(pohon.chart_url()).status_code == 404
    assert client.get(chain_tree.chart_url()).status_code == 404
    assert client.get(reverse("pemda:detail", args=[pohon.dinas.pemda.kode])).status_code == 404
    response = client.post(_edit_url(pohon, rpjmd["SP1"]), {"versi": 1, "uraian": "x"})
    assert response.status_code == 404
    assert Node.objects.get(pk=rpjmd["SP1"].pk).uraian == "Sasaran Pemda uji"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "kadis", "admin_dinas"])
def test_agency_roles_see_the_pemda_tree_read_only(client, rpjmd, people, who):
    pohon = rpjmd["V1"].pohon
    client.force_login(people[who])
    response = client.get(pohon.chart_url())
    assert response.status_code == 200
    assert "Sasaran Pemda uji" in response.content.decode()
    assert "2014: 40 %; 2015: 45 %; 2016: 50 %; 2017: 55 %; 2018: 60 %" in response.content.decode()
    table = client.get(reverse("pohon:table", args=[pohon.dinas.kode, 2014])).content.decode()
    assert "2016: 50 %" in table and "POHON KINERJA PEMERINTAH KABUPATEN CONTOH PERIODE RPJMD 2014-2018" in table
    sasaran = rpjmd["SP1"]
    assert client.get(_edit_url(pohon, sasaran)).status_code == 403
    response = client.post(_edit_url(pohon, sasaran), {"versi": sasaran.versi, "uraian": "diubah dinas"})
    assert response.status_code == 403
    assert "Bappeda" in response.content.decode()
    assert Node.objects.get(pk=sasaran.pk).uraian == "Sasaran Pemda uji"
    with pytest.raises(PermissionDenied):
        pohon_submit(pohon=pohon, user=people[who])


@pytest.mark.django_db
def test_bappeda_role_only_on_a_pemda_and_operators_not_on_it(rpjmd, dinas):
    owner = rpjmd["V1"].pohon.dinas
    user = get_user_model().objects.create_user("x")
    with pytest.raises(ValidationError, match="hanya diberikan pada Pemda"):
        Keanggotaan(user=user, dinas=dinas, peran=Peran.BAPPEDA).full_clean()
    kepala = UnitKerja.objects.get(dinas=owner, kode=PEMDA_KEPALA_UNIT)
    with pytest.raises(ValidationError, match="diubah oleh peran Bappeda"):
        Keanggotaan(user=user, dinas=owner, peran=Peran.OPERATOR, unit=kepala).full_clean()


@pytest.mark.django_db
def test_pemda_page_lists_periods_and_agencies_and_bappeda_starts_a_period(client, rpjmd, people, chain_tree):
    pemda = rpjmd["V1"].pohon.dinas.pemda
    url = reverse("pemda:detail", args=[pemda.kode])
    client.force_login(people["operator"])
    page = client.get(url).content.decode()
    assert "2014-2018" in page and "Dinas Uji" in page and "Periode RPJMD baru" not in page
    assert client.post(url, {"tahun": 2019, "tahun_akhir": 2023}).status_code == 403
    client.force_login(people["bappeda"])
    page = client.get(url).content.decode()
    assert "Periode RPJMD baru" in page
    response = client.post(url, {"tahun": 2019, "tahun_akhir": 2023})
    assert response.status_code == 302
    assert Pohon.objects.filter(dinas=rpjmd["V1"].pohon.dinas, tahun=2019, tahun_akhir=2023).exists()
    response = client.post(url, {"tahun": 2020, "tahun_akhir": 2024}, follow=True)
    assert "beririsan" in response.content.decode()


# --- the demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_has_the_example_pemda_tree_and_a_bappeda_login(client):
    out = StringIO()
    call_command("load_demo", demo=True, no_approve=True, stdout=out)
    assert "bappeda / pokin-demo-2018" in out.getvalue()
    assert "data contoh" in out.getvalue()
    pemda = pemda_named("Kabupaten Lumajang")
    pohon = pemda_pohon_for_tahun(pemda, 2016)
    assert (pohon.tahun, pohon.tahun_akhir, pohon.status) == (2014, 2018, Pohon.Status.DRAF)
    tree = pohon_tree(pohon)
    assert tree.top[0].jenis == rules.VISI and "data contoh" in tree.top[0].uraian
    assert all("CONTOH" in node.uraian for node in tree.nodes)
    kinds = {node.jenis for node in tree.nodes}
    assert {rules.VISI, rules.MISI, rules.TUJUAN_PEMDA, rules.SASARAN_PEMDA, rules.INDIKATOR} <= kinds
    targets = target_tahunan_map(pohon)
    ikus = [node for node in tree.nodes if node.jenis == rules.INDIKATOR]
    assert ikus and all(len(targets[Node.objects.get(pk=n.pk).kunci]) == 5 for n in ikus)
    # the 2018 agency tree is still exactly the seed's, and a second run changes nothing
    call_command("load_demo", demo=True, no_approve=True, stdout=StringIO())
    assert Pohon.objects.filter(dinas=pohon.dinas).count() == 1
    assert pohon_dump(pohon_tree(pohon)) == pohon_dump(tree)
    bappeda = get_user_model().objects.get(username="bappeda")
    assert client.login(username="bappeda", password="pokin-demo-2018")
    assert client.get(pohon.chart_url()).status_code == 200
    agency = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)
    assert client.get(agency.chart_url()).status_code == 200
    assert Keanggotaan.objects.get(user=bappeda).peran == Peran.BAPPEDA


@pytest.mark.django_db
def test_bappeda_adds_an_iku_with_yearly_targets(client, rpjmd, people):
    pohon = rpjmd["V1"].pohon
    client.force_login(people["bappeda"])
    form = client.get(_edit_url(pohon, rpjmd["SP1"], "tambah") + "&jenis=indikator").content.decode()
    assert 'name="target_2018"' in form and 'data-jenis="indikator"' in form
    post = {"jenis": rules.INDIKATOR, "uraian": "IKU baru", "kode": "SP1.I2", "satuan": "desa", "arah": "naik"}
    post |= {"target_2014": "10", "target_2018": "30 desa"}
    response = client.post(_edit_url(pohon, rpjmd["SP1"], "tambah"), post, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    iku = Node.objects.get(pohon=pohon, kode="SP1.I2")
    shown = {t: v.display for t, v in target_tahunan_map(pohon)[iku.kunci].items()}
    assert shown == {2014: "10", 2018: "30"}
    # a Tematik has no targets: the year fields are ignored for it, nothing refused
    post = {"jenis": rules.TEMATIK, "uraian": "Tematik baru", "kode": "SP1.TM9", "arah": "naik", "target_2014": "5"}
    response = client.post(_edit_url(pohon, rpjmd["SP1"], "tambah"), post, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    tematik = Node.objects.get(pohon=pohon, kode="SP1.TM9")
    assert tematik.kunci not in target_tahunan_map(pohon)


@pytest.mark.django_db
def test_the_pemda_approves_through_its_pages(client, rpjmd, pemda, people, signing_certificate):
    """Bappeda submits; the Kepala Dinas role of the Pemda's record (the Kepala Bappeda's account)
    sees the configured signer on the confirmation page and approves; an agency's Kepala Dinas cannot."""
    pohon = rpjmd["V1"].pohon
    pemda_update(pemda=pemda, data={"penyetuju_pohon": "kepala_daerah"})
    from dinas.services import pejabat_create

    pejabat_create(nama="BUPATI UJI", pemda=pemda, tahun_mulai=2013)  # jabatan "Bupati", from the Pemda
    client.force_login(people["bappeda"])
    response = client.post(reverse("pohon:aksi", args=[pohon.dinas.kode, 2014, "ajukan"]), {"catatan": ""})
    assert response.status_code == 302
    pohon.refresh_from_db()
    assert pohon.status == Pohon.Status.DIAJUKAN
    url = reverse("pohon:setujui", args=[pohon.dinas.kode, 2014])
    client.force_login(people["kadis"])  # the agency's head: reads the Pemda tree, does not approve it
    assert client.post(url, {"konfirmasi": "1"}).status_code == 403
    kepala_bappeda = _user("kepala-bappeda", pohon.dinas, Peran.KEPALA_DINAS)
    client.force_login(kepala_bappeda)
    page = client.get(url).content.decode()
    assert "BUPATI UJI" in page and "Pohon Kinerja Pemerintah Kabupaten Contoh Periode RPJMD 2014-2018" in page
    response = client.post(url, {"konfirmasi": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]][0].startswith("Pohon kinerja disetujui")
    pohon.refresh_from_db()
    assert pohon.status == Pohon.Status.DISETUJUI
    assert pohon.pengesahan.penandatangan.nama == "BUPATI UJI"
