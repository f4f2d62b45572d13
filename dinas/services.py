"""Writes of Pemda, agencies, units and officials: the admin, the organisation import and the
demo loader all go through these, so each rule lives here once.

Every service is keyword-only, atomic, and validates with ``full_clean()`` before saving; an
update takes the fields to change as ``data`` (only the names in the service's list). A delete
that would break a signed document is refused with a ValidationError that names what holds
the record: a unit used by an approved tree (``dinas.usage``), an agency with trees.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.usage import unit_holders

PEMDA_FIELDS = ("kode", "nama", "jenis", "tempat", "pk_disetujui_kepala_dinas", "penyetuju_pohon")
DINAS_FIELDS = ("kode", "nama", "pemda", "tempat")
UNIT_FIELDS = ("kode", "nama", "jenis", "parent", "urutan")
PEJABAT_FIELDS = (
    "nama",
    "nip",
    "jabatan",
    "status",
    "pangkat",
    "unit",
    "pemda",
    "tahun_mulai",
    "tahun_selesai",
)

# The first word of a Pemda's name -> its jenis ("Kab." and "Prov." as people abbreviate them).
_NAMA_PREFIXES = {
    "kabupaten": Pemda.Jenis.KABUPATEN,
    "kab.": Pemda.Jenis.KABUPATEN,
    "kab": Pemda.Jenis.KABUPATEN,
    "kota": Pemda.Jenis.KOTA,
    "provinsi": Pemda.Jenis.PROVINSI,
    "prov.": Pemda.Jenis.PROVINSI,
    "prov": Pemda.Jenis.PROVINSI,
}


def pemda_fields_from_nama(nama: str) -> tuple[str | None, str]:
    """``"Kabupaten Lumajang"`` -> (``"kabupaten"``, ``"Lumajang"``): the jenis its first word
    names (None when it names none) and the place documents print, the rest of the name."""
    first, _space, rest = nama.strip().partition(" ")
    jenis = _NAMA_PREFIXES.get(first.lower())
    if jenis is None or not rest.strip():
        return None, nama.strip()
    return str(jenis), rest.strip()


def _save(obj: Model) -> Model:
    obj.full_clean()
    obj.save()
    return obj


def _update(obj: Model, data: Mapping[str, Any], allowed: tuple[str, ...]) -> Model:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__} cannot be updated in: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(obj, name, value)
    return _save(obj)


def _delete(obj: Model, refused: str) -> None:
    """Delete, turning the database's PROTECT into a ValidationError naming what is held."""
    try:
        obj.delete()
    except ProtectedError as error:
        held = sorted({str(each) for each in error.protected_objects})
        raise ValidationError(refused % {"obj": obj, "held": ", ".join(held)}) from None


# --- Pemda ---------------------------------------------------------------------------------------


@transaction.atomic
def pemda_create(
    *,
    nama: str,
    jenis: str | None = None,
    tempat: str | None = None,
    kode: str | None = None,
    pk_disetujui_kepala_dinas: bool = True,
    penyetuju_pohon: str = Pemda.PenyetujuPohon.KEPALA_BAPPEDA,
) -> Pemda:
    """A Pemda; what is not given comes from its name: the jenis from the first word
    (Kabupaten, Kota, Provinsi), the place from the rest, the kode slugified."""
    named_jenis, named_tempat = pemda_fields_from_nama(nama)
    pemda = Pemda(
        kode=kode if kode is not None else slugify(nama)[:50],
        nama=nama.strip(),
        jenis=jenis if jenis is not None else (named_jenis or ""),
        tempat=tempat if tempat is not None else named_tempat,
        pk_disetujui_kepala_dinas=pk_disetujui_kepala_dinas,
        penyetuju_pohon=penyetuju_pohon,
    )
    return _save(pemda)


@transaction.atomic
def pemda_update(*, pemda: Pemda, data: Mapping[str, Any]) -> Pemda:
    return _update(pemda, data, PEMDA_FIELDS)


@transaction.atomic
def pemda_delete(*, pemda: Pemda) -> None:
    _delete(pemda, _("Pemda %(obj)s tidak dapat dihapus: masih dipakai oleh %(held)s."))


# --- Perangkat Daerah ----------------------------------------------------------------------------


@transaction.atomic
def dinas_create(*, kode: str, nama: str, pemda: Pemda, tempat: str = "") -> PerangkatDaerah:
    return _save(PerangkatDaerah(kode=kode, nama=nama, pemda=pemda, tempat=tempat))


# The unit of a Pemda's owner record whose official signs the Pemda tree when the Pemda has the
# Kepala Bappeda sign it (``Pemda.penyetuju_pohon``): ``pohon.workflow`` finds it like an
# agency's Kepala unit.
PEMDA_KEPALA_UNIT = "kepala-bappeda"


@transaction.atomic
def pemda_pemilik_ensure(*, pemda: Pemda) -> PerangkatDaerah:
    """The owner record of ``pemda``'s own tree (a ``PerangkatDaerah`` of jenis pemda, one per
    Pemda), created with its Kepala Bappeda unit when missing. Its kode is the Pemda's
    (``/pohon/kabupaten-lumajang/2014/``), or ``pemda-`` before it when an agency has that kode."""
    owner = PerangkatDaerah.objects.filter(pemda=pemda, jenis=PerangkatDaerah.Jenis.PEMDA).first()
    if owner is not None:
        return owner
    kode = pemda.kode
    if PerangkatDaerah.objects.filter(kode=kode).exists():
        kode = f"pemda-{pemda.kode}"[:50]
    owner = _save(
        PerangkatDaerah(kode=kode, nama=str(_("Pemerintah")), pemda=pemda, tempat="", jenis=PerangkatDaerah.Jenis.PEMDA)
    )
    unit_create(dinas=owner, kode=PEMDA_KEPALA_UNIT, nama=str(_("Kepala Bappeda")), jenis=UnitKerja.Jenis.KEPALA)
    return owner


@transaction.atomic
def dinas_update(*, dinas: PerangkatDaerah, data: Mapping[str, Any]) -> PerangkatDaerah:
    return _update(dinas, data, DINAS_FIELDS)


@transaction.atomic
def dinas_delete(*, dinas: PerangkatDaerah) -> None:
    """Refused while the agency has trees (PROTECT) or a unit that an approved tree uses."""
    for unit in UnitKerja.objects.filter(dinas=dinas):
        _refuse_if_held(unit)
    _delete(dinas, _("Perangkat Daerah %(obj)s tidak dapat dihapus: masih dipakai oleh %(held)s."))


# --- Unit kerja ----------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    dinas: PerangkatDaerah,
    kode: str,
    nama: str,
    jenis: str,
    parent: UnitKerja | None = None,
    urutan: int = 0,
) -> UnitKerja:
    return _save(UnitKerja(dinas=dinas, kode=kode, nama=nama, jenis=jenis, parent=parent, urutan=urutan))


@transaction.atomic
def unit_update(*, unit: UnitKerja, data: Mapping[str, Any]) -> UnitKerja:
    """Renaming is allowed even when approved trees use the unit: they keep the name they froze."""
    return _update(unit, data, UNIT_FIELDS)


def unit_delete_check(*, unit: UnitKerja) -> None:
    """Raise the ValidationError ``unit_delete`` would (an approved tree uses the unit), without
    deleting: the admin shows it before anyone confirms."""
    _refuse_if_held(unit)


def _refuse_if_held(unit: UnitKerja) -> None:
    holders = unit_holders(unit)
    if holders:
        raise ValidationError(
            _("Unit kerja %(unit)s tidak dapat dihapus: dipakai oleh pohon kinerja yang sudah disetujui: %(holders)s.")
            % {"unit": unit.nama, "holders": ", ".join(holders)},
            code="unit_held",
        )


@transaction.atomic
def unit_delete(*, unit: UnitKerja) -> None:
    """Refused while an approved tree uses the unit (its signed documents name it), or while it
    has sub-units or officials; a draft tree's nodes just lose their unit."""
    _refuse_if_held(unit)
    _delete(unit, _("Unit kerja %(obj)s tidak dapat dihapus: masih dipakai oleh %(held)s."))


# --- Pejabat -------------------------------------------------------------------------------------


@transaction.atomic
def pejabat_create(
    *,
    nama: str,
    tahun_mulai: int,
    unit: UnitKerja | None = None,
    pemda: Pemda | None = None,
    nip: str = "",
    jabatan: str = "",
    status: str = Pejabat.Status.DEFINITIF,
    pangkat: str = "",
    tahun_selesai: int | None = None,
) -> Pejabat:
    """An official of a unit (NIP and jabatan required), or a Pemda's Kepala Daerah (``pemda``;
    no NIP needed, jabatan "Bupati"/"Wali Kota"/"Gubernur" unless given)."""
    return _save(
        Pejabat(
            nama=nama,
            nip=nip,
            jabatan=jabatan,
            status=status,
            pangkat=pangkat,
            unit=unit,
            pemda=pemda,
            tahun_mulai=tahun_mulai,
            tahun_selesai=tahun_selesai,
        )
    )


@transaction.atomic
def pejabat_update(*, pejabat: Pejabat, data: Mapping[str, Any]) -> Pejabat:
    return _update(pejabat, data, PEJABAT_FIELDS)


@transaction.atomic
def pejabat_delete(*, pejabat: Pejabat) -> None:
    """Approvals keep their own copy of the signer (and lose only the link to this row)."""
    _delete(pejabat, _("Pejabat %(obj)s tidak dapat dihapus: masih dipakai oleh %(held)s."))
