"""Writes of the quarterly reporting. Each service checks (role, window, the unit's report not
frozen, the value), executes, then records the change in ``RealisasiRiwayat`` (who, when,
before -> after); each is atomic and all-or-nothing.

Who may do what (``Keanggotaan`` roles of the agency; superusers are Admin everywhere):
- quarterly targets and rule: an Admin, or the Operator of the unit that answers for the Indikator;
- realisation: the same, only inside the Pemda's open window for the quarter, and only while the
  unit's report of the quarter is a draft or returned (submitted and verified reports are frozen);
- submit a unit's quarter: its Operator or an Admin; verify or return it: the Kepala Dinas or an
  Admin;
- reporting windows (and the Pemda's colour bands): the Pemda's Bappeda (the rule of
  ``pohon.pemda.views.user_is_bappeda``), an Admin of an agency of the Pemda, or a superuser
  (``user_can_manage_jendela``); never those of another Pemda.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dinas.models import Keanggotaan, Pemda, PerangkatDaerah
from dinas.selectors import user_roles
from pohon import rules
from pohon.history import riwayat_peristiwa, user_label
from pohon.money import pagu_parse, rupiah
from pohon.permissions import operator_unit_ids
from pohon.realisasi.capaian import Aturan, skala_key, skala_score
from pohon.realisasi.models import (
    TRIWULAN_LABELS,
    JendelaPelaporan,
    LaporanTriwulan,
    PengaturanCapaian,
    Realisasi,
    RealisasiAnggaran,
    RealisasiRiwayat,
    RencanaIndikator,
    TargetTriwulan,
)
from pohon.realisasi.selectors import ButirRealisasi, butir_realisasi, pohon_berlaku, skala_of
from pohon.targets import target_display, target_parse

Peran = Keanggotaan.Peran
Status = LaporanTriwulan.Status
Objek = RealisasiRiwayat.Objek


# --- rights ----------------------------------------------------------------------------------------


def user_can_report(user, dinas_id: int, pemilik_id: int | None) -> bool:
    """May the user enter values for a node its unit ``pemilik_id`` answers for?"""
    if user is None:
        return True  # system writes: the demo loader, commands
    roles = user_roles(user, dinas_id)
    if Peran.ADMIN in roles:
        return True
    return Peran.OPERATOR in roles and pemilik_id is not None and pemilik_id in operator_unit_ids(user, dinas_id)


def user_can_verify(user, dinas_id: int) -> bool:
    if user is None:
        return True
    return bool(user_roles(user, dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS})


def user_can_manage_jendela(user, pemda: Pemda) -> bool:
    """Open, close and reopen the Pemda's reporting windows, and set its colour bands: its
    Bappeda (Bappeda or Admin of the Pemda's owner record, as ``user_is_bappeda`` says), an Admin
    of one of its agencies, or a superuser. A Bappeda or Admin of another Pemda may not."""
    from pohon.pemda.permissions import user_is_bappeda

    if user is None:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if Keanggotaan.objects.filter(user=user, peran=Peran.ADMIN, dinas__pemda=pemda).exists():
        return True
    return user_is_bappeda(user, pemda)


JENDELA_DITOLAK = gettext_lazy("Hanya Bappeda atau admin Pemda ini yang boleh mengatur jendela pelaporan.")


def _deny_report() -> PermissionDenied:
    return PermissionDenied(
        _("Anda tidak berhak mengisi realisasi butir ini: operator hanya mengisi butir unit kerjanya sendiri.")
    )


# --- context ---------------------------------------------------------------------------------------


@dataclass
class Konteks:
    """What every write of one agency's year needs, read once (after locking the agency)."""

    dinas: PerangkatDaerah
    tahun: int
    nodes: list[ButirRealisasi]
    by_kunci: dict[uuid.UUID, ButirRealisasi] = field(default_factory=dict)
    by_kode: dict[str, ButirRealisasi] = field(default_factory=dict)
    rencana: dict[uuid.UUID, RencanaIndikator] = field(default_factory=dict)
    jendela: dict[int, JendelaPelaporan] = field(default_factory=dict)
    laporan: dict[tuple[int, int | None], LaporanTriwulan] = field(default_factory=dict)

    def node(self, kunci: uuid.UUID | str, *, jenis: frozenset[str]) -> ButirRealisasi:
        try:
            node = self.by_kunci.get(uuid.UUID(str(kunci)))
        except ValueError:
            node = None
        if node is None or node.jenis not in jenis:
            raise ValidationError(_("Butir tidak ditemukan pada pohon kinerja yang disetujui."), code="node_unknown")
        return node


def konteks_load(*, dinas: PerangkatDaerah, tahun: int, lock: bool = True) -> Konteks:
    """Lock the agency's row (reports of one agency are written one at a time) and read its
    approved tree, plans, windows and reports. Refuses a year without an approved tree."""
    if lock:
        dinas = PerangkatDaerah.objects.select_for_update().get(pk=dinas.pk)
    pohon = pohon_berlaku(dinas=dinas, tahun=tahun)
    if pohon is None:
        raise ValidationError(
            _("Pohon kinerja %(tahun)s belum disetujui: realisasi dilaporkan atas pohon yang disetujui.")
            % {"tahun": tahun},
            code="pohon_belum_disetujui",
        )
    nodes = butir_realisasi(pohon)
    scope = {"dinas": dinas, "tahun": tahun}
    return Konteks(
        dinas=dinas,
        tahun=tahun,
        nodes=nodes,
        by_kunci={node.kunci: node for node in nodes},
        by_kode={node.kode.casefold(): node for node in nodes},
        rencana={row.kunci: row for row in RencanaIndikator.objects.filter(**scope)},
        jendela={w.triwulan: w for w in JendelaPelaporan.objects.filter(pemda_id=dinas.pemda_id, tahun=tahun)},
        laporan={(row.triwulan, row.unit_id): row for row in LaporanTriwulan.objects.filter(**scope)},
    )


def _riwayat(
    *,
    pemda_id: int,
    objek: str,
    aksi: str,
    user,
    tahun: int,
    dinas: PerangkatDaerah | None = None,
    triwulan: int | None = None,
    node: ButirRealisasi | None = None,
    sebelum: dict[str, Any] | None = None,
    sesudah: dict[str, Any] | None = None,
    catatan: str = "",
) -> RealisasiRiwayat:
    with riwayat_peristiwa() as peristiwa:
        entry = RealisasiRiwayat(
            pemda_id=pemda_id,
            dinas=dinas,
            tahun=tahun,
            triwulan=triwulan,
            kunci=node.kunci if node else None,
            kode=node.kode if node else "",
            objek=objek,
            aksi=aksi,
            user=user,
            user_nama=user_label(user),
            sebelum=sebelum or {},
            sesudah=sesudah or {},
            catatan=catatan,
            peristiwa=peristiwa,
        )
        entry.full_clean(exclude=["pemda", "dinas", "user"])
        entry.save()
    return entry


def _check_triwulan(triwulan: int) -> None:
    if triwulan not in TRIWULAN_LABELS:
        raise ValidationError({"triwulan": _("Triwulan harus 1, 2, 3 atau 4.")}, code="triwulan_invalid")


# --- windows ---------------------------------------------------------------------------------------


def jendela_status_message(window: JendelaPelaporan | None, *, tahun: int, triwulan: int, today=None) -> str:
    """Why entries are refused now ("" when the window is open)."""
    today = today or timezone.localdate()
    label = f"{TRIWULAN_LABELS[triwulan]} {tahun}"
    if window is None:
        return _("Jendela pelaporan %(tw)s belum dibuka.") % {"tw": label}
    if window.is_open(today):
        return ""
    if today < window.mulai and not window.ditutup:
        return _("Jendela pelaporan %(tw)s baru dibuka pada %(mulai)s.") % {"tw": label, "mulai": window.mulai}
    return _("Jendela pelaporan %(tw)s sudah ditutup; minta Bappeda atau admin membukanya kembali.") % {"tw": label}


def _ensure_open(ctx: Konteks, triwulan: int, today=None) -> None:
    message = jendela_status_message(ctx.jendela.get(triwulan), tahun=ctx.tahun, triwulan=triwulan, today=today)
    if message:
        raise ValidationError(message, code="jendela_tertutup")


def _jendela_snapshot(window: JendelaPelaporan) -> dict[str, Any]:
    return {"mulai": str(window.mulai), "selesai": str(window.selesai), "ditutup": window.ditutup}


@transaction.atomic
def jendela_set(
    *,
    pemda: Pemda,
    tahun: int,
    triwulan: int,
    mulai: datetime.date,
    selesai: datetime.date,
    user,
    alasan: str = "",
    today: datetime.date | None = None,
) -> JendelaPelaporan:
    """Open (or change) the window of a quarter. A window that has closed (closed early, or past
    its end) is locked: opening it again needs ``alasan``, and who, when and why are kept."""
    if not user_can_manage_jendela(user, pemda):
        raise PermissionDenied(JENDELA_DITOLAK)
    _check_triwulan(triwulan)
    today = today or timezone.localdate()
    window = JendelaPelaporan.objects.select_for_update().filter(pemda=pemda, tahun=tahun, triwulan=triwulan).first()
    before = _jendela_snapshot(window) if window else {}
    reopening = window is not None and (window.ditutup or window.selesai < today)
    alasan = alasan.strip()
    if reopening and not alasan:
        raise ValidationError(
            {"alasan": _("Jendela ini sudah ditutup; tuliskan alasan membukanya kembali.")}, code="alasan_wajib"
        )
    if window is None:
        window = JendelaPelaporan(pemda=pemda, tahun=tahun, triwulan=triwulan)
    window.mulai, window.selesai, window.ditutup = mulai, selesai, False
    if reopening:
        window.dibuka_ulang_oleh = user_label(user)
        window.dibuka_ulang_pada = timezone.now()
        window.alasan_buka_ulang = alasan
    window.full_clean()
    window.save()
    _riwayat(
        pemda_id=pemda.pk,
        objek=Objek.JENDELA,
        aksi="buka_ulang" if reopening else ("ubah" if before else "buka"),
        user=user,
        tahun=tahun,
        triwulan=triwulan,
        sebelum=before,
        sesudah=_jendela_snapshot(window),
        catatan=alasan,
    )
    return window


@transaction.atomic
def jendela_tutup(*, jendela: JendelaPelaporan, user) -> JendelaPelaporan:
    """Close a window now (before its end date); from then on it is locked."""
    if not user_can_manage_jendela(user, jendela.pemda):
        raise PermissionDenied(JENDELA_DITOLAK)
    window = JendelaPelaporan.objects.select_for_update().get(pk=jendela.pk)
    before = _jendela_snapshot(window)
    window.ditutup = True
    window.save(update_fields=["ditutup"])
    _riwayat(
        pemda_id=window.pemda_id,
        objek=Objek.JENDELA,
        aksi="tutup",
        user=user,
        tahun=window.tahun,
        triwulan=window.triwulan,
        sebelum=before,
        sesudah=_jendela_snapshot(window),
    )
    return window


@transaction.atomic
def pengaturan_capaian_set(
    *, pemda: Pemda, batas_hijau: Decimal, batas_kuning: Decimal, batas_periksa: Decimal, user
) -> PengaturanCapaian:
    """A Pemda's colour bands of capaian."""
    if not user_can_manage_jendela(user, pemda):
        raise PermissionDenied(_("Hanya Bappeda atau admin Pemda ini yang boleh mengatur batas warna capaian."))
    setting, _created = PengaturanCapaian.objects.select_for_update().get_or_create(pemda=pemda)
    before = {
        "hijau": str(setting.batas_hijau),
        "kuning": str(setting.batas_kuning),
        "periksa": str(setting.batas_periksa),
    }
    setting.batas_hijau, setting.batas_kuning, setting.batas_periksa = batas_hijau, batas_kuning, batas_periksa
    setting.full_clean()
    setting.save()
    after = {"hijau": str(batas_hijau), "kuning": str(batas_kuning), "periksa": str(batas_periksa)}
    _riwayat(pemda_id=pemda.pk, objek=Objek.JENDELA, aksi="ambang", user=user, tahun=0, sebelum=before, sesudah=after)
    return setting


# --- quarterly targets ------------------------------------------------------------------------------


def _value_parse(node: ButirRealisasi, value: object, *, skala, label: str) -> tuple[Decimal | None, str]:
    """A target or realisation as typed, read like a yearly target (``pohon.targets``): a number
    for an Indikator with a numeric target, a value of its scale for a qualitative one."""
    try:
        parsed = target_parse(value, node.satuan)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise ValidationError(f"{label}: {' '.join(messages)}", code="nilai_invalid") from None
    if parsed.angka is None and not parsed.teks:
        return None, ""
    qualitative = node.target_teks != "" and node.target_angka is None
    if qualitative:
        if parsed.teks == "" or skala_score(skala, parsed.teks) is None:
            allowed = ", ".join(name for name, _score in skala)
            raise ValidationError(
                _("%(label)s “%(v)s” tidak ada pada skala indikator; pilih salah satu: %(allowed)s.")
                % {"label": label, "v": target_display(parsed.angka, parsed.teks), "allowed": allowed},
                code="nilai_skala",
            )
        canonical = next(name for name, _score in skala if skala_key(name) == skala_key(parsed.teks))
        return None, canonical
    if parsed.angka is None:
        raise ValidationError(
            _("%(label)s harus berupa angka (target indikator ini angka), bukan “%(v)s”.")
            % {"label": label, "v": parsed.teks},
            code="nilai_bukan_angka",
        )
    return parsed.angka, ""


def _skala_clean(skala: list) -> list[list[Any]]:
    cleaned = []
    for item in skala:
        name, score = str(item[0]).strip(), int(item[1])
        if not name:
            raise ValidationError({"skala": _("Setiap nilai skala harus bernama.")})
        cleaned.append([name, score])
    if len({name.casefold() for name, _score in cleaned}) != len(cleaned):
        raise ValidationError({"skala": _("Nama pada skala tidak boleh kembar.")})
    return cleaned


@transaction.atomic
def rencana_set(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    kunci: uuid.UUID | str,
    aturan: str,
    targets: dict[int, object],
    user,
    skala: list | None = None,
    ctx: Konteks | None = None,
) -> RencanaIndikator:
    """Set an Indikator's quarterly targets (as typed: ``25``, ``85,5``, ``WTP``, "" for none)
    and how its quarters combine (``Aturan``); ``skala`` ([[label, score], ...]) replaces its
    qualitative scale when given. The yearly target stays the tree's."""
    ctx = ctx or konteks_load(dinas=dinas, tahun=tahun)
    node = ctx.node(kunci, jenis=rules.MEASURED)
    if not user_can_report(user, dinas.pk, node.pemilik_id):
        raise _deny_report()
    if aturan not in Aturan.values:
        raise ValidationError({"aturan": _("Aturan triwulan “%(a)s” tidak dikenal.") % {"a": aturan}})
    rencana = ctx.rencana.get(node.kunci) or RencanaIndikator(dinas=dinas, tahun=tahun, kunci=node.kunci)
    before = {"aturan": rencana.aturan if rencana.pk else "", "skala": rencana.skala if rencana.pk else []}
    rencana.aturan = aturan
    if skala is not None:
        rencana.skala = _skala_clean(skala)
    scale = skala_of(rencana)
    parsed: dict[int, tuple[Decimal | None, str]] = {}
    errors: dict[str, list[str]] = {}
    for triwulan, value in targets.items():
        _check_triwulan(triwulan)
        try:
            parsed[triwulan] = _value_parse(node, value, skala=scale, label=_("Target %s") % TRIWULAN_LABELS[triwulan])
        except ValidationError as error:
            errors[f"target_{triwulan}"] = error.messages
    if errors:
        raise ValidationError(errors)
    nothing = all(angka is None and not teks for angka, teks in parsed.values())
    if rencana.pk is None and aturan == Aturan.NILAI_AKHIR and skala is None and nothing:
        return rencana  # an untouched row of the page: the defaults need no row
    rencana.full_clean(exclude=["dinas"])
    rencana.save()
    ctx.rencana[node.kunci] = rencana
    rencana.berubah = False
    existing = {row.triwulan: row for row in TargetTriwulan.objects.filter(dinas=dinas, tahun=tahun, kunci=node.kunci)}
    for triwulan, (angka, teks) in parsed.items():
        row = existing.get(triwulan)
        before[f"tw{triwulan}"] = row.target_display if row else ""
        if angka is None and not teks:
            if row is not None:
                row.delete()
            continue
        row = row or TargetTriwulan(dinas=dinas, tahun=tahun, kunci=node.kunci, triwulan=triwulan)
        row.target_angka, row.target_teks = angka, teks
        row.full_clean(exclude=["dinas"])
        row.save()
    after = {"aturan": rencana.aturan, "skala": rencana.skala}
    after.update({f"tw{tw}": target_display(*parsed[tw]) for tw in parsed})
    if after == before:
        return rencana  # unchanged: nothing to record
    rencana.berubah = True
    _riwayat(
        pemda_id=dinas.pemda_id,
        dinas=dinas,
        objek=Objek.RENCANA,
        aksi="ubah",
        user=user,
        tahun=tahun,
        node=node,
        sebelum=before,
        sesudah=after,
    )
    return rencana


@transaction.atomic
def rencana_simpan(*, dinas: PerangkatDaerah, tahun: int, rows: list[dict[str, Any]], user) -> int:
    """Save the quarterly targets page, all or nothing: ``rows`` of ``{"kunci", "aturan",
    "targets": {1: "25", ...}}``. Raises ValidationError mapping each refused row's kunci to its
    messages (nothing written then); returns how many Indikator changed."""
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    errors: dict[str, list[str]] = {}
    changed = 0
    for row in rows:
        try:
            with transaction.atomic():
                rencana = rencana_set(
                    dinas=ctx.dinas,
                    tahun=tahun,
                    kunci=row["kunci"],
                    aturan=row["aturan"],
                    targets=row["targets"],
                    user=user,
                    ctx=ctx,
                )
                changed += getattr(rencana, "berubah", False)
        except ValidationError as error:
            messages = (
                [m for ms in error.message_dict.values() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            errors.setdefault(str(row["kunci"]), []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return changed


# --- realisation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealisasiInput:
    """One Indikator's quarter as typed (``nilai``: ``87,5``, ``WTP``; "" clears it)."""

    kunci: uuid.UUID | str
    nilai: object
    pendukung: str = ""
    penghambat: str = ""
    tindak_lanjut: str = ""


@dataclass(frozen=True)
class AnggaranInput:
    """One budget line's spending in the quarter as typed (``Rp 250.000.000``; "" clears it);
    ``konfirmasi_lebih_pagu`` accepts a year's total above the Pagu."""

    kunci: uuid.UUID | str
    jumlah: object
    konfirmasi_lebih_pagu: bool = False


def _laporan_of(ctx: Konteks, triwulan: int, unit_id: int | None) -> LaporanTriwulan | None:
    return ctx.laporan.get((triwulan, unit_id))


def _ensure_laporan_editable(ctx: Konteks, triwulan: int, unit_id: int | None) -> None:
    laporan = _laporan_of(ctx, triwulan, unit_id)
    if laporan is not None and not laporan.is_editable:
        raise ValidationError(
            _("Laporan %(tw)s unit ini sudah %(status)s dan tidak dapat diubah.")
            % {"tw": TRIWULAN_LABELS[triwulan], "status": laporan.get_status_display().lower()},
            code="laporan_beku",
        )


def _realisasi_snapshot(row: Realisasi | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {
        "realisasi": row.realisasi_display,
        "pendukung": row.pendukung,
        "penghambat": row.penghambat,
        "tindak_lanjut": row.tindak_lanjut,
    }


def _realisasi_write(ctx: Konteks, *, triwulan: int, entry: RealisasiInput, user) -> Realisasi | None:
    """Check and write one Indikator's quarter (the window and the report are checked by the
    caller, once). Raises ValidationError with the message for the row."""
    node = ctx.node(entry.kunci, jenis=rules.MEASURED)
    if not user_can_report(user, ctx.dinas.pk, node.pemilik_id):
        raise _deny_report()
    _ensure_laporan_editable(ctx, triwulan, node.pemilik_id)
    angka, teks = _value_parse(node, entry.nilai, skala=skala_of(ctx.rencana.get(node.kunci)), label=_("Realisasi"))
    row = Realisasi.objects.filter(dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, kunci=node.kunci).first()
    before = _realisasi_snapshot(row)
    notes = {
        "pendukung": (entry.pendukung or "").strip(),
        "penghambat": (entry.penghambat or "").strip(),
        "tindak_lanjut": (entry.tindak_lanjut or "").strip(),
    }
    if angka is None and not teks:
        if row is None:
            if any(notes.values()):
                raise ValidationError(_("Isi realisasinya dulu sebelum catatan."), code="catatan_tanpa_realisasi")
            return None
        row.delete()
        aksi, after, row = "hapus", {}, None
    else:
        aksi = "ubah" if row is not None else "isi"
        row = row or Realisasi(dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, kunci=node.kunci)
        row.realisasi_angka, row.realisasi_teks = angka, teks
        for name, value in notes.items():
            setattr(row, name, value)
        row.diubah_oleh, row.diubah_pada = user_label(user), timezone.now()
        if _realisasi_snapshot(row) == before:
            return row  # unchanged: nothing to write or record
        row.full_clean(exclude=["dinas"])
        row.save()
        after = _realisasi_snapshot(row)
    _riwayat(
        pemda_id=ctx.dinas.pemda_id,
        dinas=ctx.dinas,
        objek=Objek.REALISASI,
        aksi=aksi,
        user=user,
        tahun=ctx.tahun,
        triwulan=triwulan,
        node=node,
        sebelum=before,
        sesudah=after,
    )
    return row


class MelebihiPagu(ValidationError):
    """The year's spending would exceed the Pagu and the operator has not confirmed it."""


def _anggaran_write(ctx: Konteks, *, triwulan: int, entry: AnggaranInput, user) -> RealisasiAnggaran | None:
    node = ctx.node(entry.kunci, jenis=rules.BUDGETED)
    if node.pagu is None:
        raise ValidationError(
            _("%(kode)s tidak memiliki Pagu sendiri; realisasi anggaran diisi pada butir yang ber-Pagu.")
            % {"kode": node.kode},
            code="tanpa_pagu",
        )
    if not user_can_report(user, ctx.dinas.pk, node.pemilik_id):
        raise _deny_report()
    _ensure_laporan_editable(ctx, triwulan, node.pemilik_id)
    try:
        jumlah = pagu_parse(entry.jumlah)
    except ValidationError as error:
        message = " ".join(error.messages).replace("Pagu", _("Realisasi anggaran"))
        raise ValidationError(message, code="jumlah_invalid") from None
    rows = {
        row.triwulan: row
        for row in RealisasiAnggaran.objects.filter(dinas=ctx.dinas, tahun=ctx.tahun, kunci=node.kunci)
    }
    row = rows.get(triwulan)
    before = {"jumlah": str(int(row.jumlah))} if row else {}
    if jumlah is None:
        if row is None:
            return None
        row.delete()
        aksi, after, row = "hapus", {}, None
    else:
        others = sum((r.jumlah for tw, r in rows.items() if tw != triwulan), Decimal(0))
        total = others + jumlah
        over = total > node.pagu
        if over and not entry.konfirmasi_lebih_pagu:
            raise MelebihiPagu(
                _(
                    "Realisasi anggaran %(kode)s tahun ini menjadi %(total)s, melebihi Pagu %(pagu)s. "
                    "Periksa kembali; bila memang benar, centang konfirmasi melebihi Pagu."
                )
                % {"kode": node.kode, "total": rupiah(total), "pagu": rupiah(node.pagu)},
                code="melebihi_pagu",
            )
        if row is not None and row.jumlah == jumlah and row.melebihi_pagu == over:
            return row
        aksi = "ubah" if row is not None else "isi"
        row = row or RealisasiAnggaran(dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, kunci=node.kunci)
        row.jumlah, row.melebihi_pagu = jumlah, over
        row.diubah_oleh, row.diubah_pada = user_label(user), timezone.now()
        row.full_clean(exclude=["dinas"])
        row.save()
        after = {"jumlah": str(int(jumlah)), **({"melebihi_pagu": True} if over else {})}
    _riwayat(
        pemda_id=ctx.dinas.pemda_id,
        dinas=ctx.dinas,
        objek=Objek.ANGGARAN,
        aksi=aksi,
        user=user,
        tahun=ctx.tahun,
        triwulan=triwulan,
        node=node,
        sebelum=before,
        sesudah=after,
    )
    return row


@transaction.atomic
def realisasi_set(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    triwulan: int,
    entry: RealisasiInput,
    user,
    today: datetime.date | None = None,
) -> Realisasi | None:
    """Enter (or change, or clear with "") one Indikator's realisation of a quarter."""
    _check_triwulan(triwulan)
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    _ensure_open(ctx, triwulan, today)
    return _realisasi_write(ctx, triwulan=triwulan, entry=entry, user=user)


@transaction.atomic
def anggaran_set(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    triwulan: int,
    entry: AnggaranInput,
    user,
    today: datetime.date | None = None,
) -> RealisasiAnggaran | None:
    """Enter (or change, or clear) one budget line's spending in a quarter."""
    _check_triwulan(triwulan)
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    _ensure_open(ctx, triwulan, today)
    return _anggaran_write(ctx, triwulan=triwulan, entry=entry, user=user)


@transaction.atomic
def laporan_simpan(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    triwulan: int,
    indikator: list[RealisasiInput],
    anggaran: list[AnggaranInput],
    user,
    ajukan: bool = False,
    unit_id: int | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Save a unit's quarter from its form, all or nothing: every row is checked, and when any
    is refused nothing is written and the ValidationError maps ``<kunci>`` to that row's errors
    (with their codes: ``melebihi_pagu`` asks for the confirmation). With ``ajukan`` the unit's
    report (``unit_id``) is then submitted."""
    _check_triwulan(triwulan)
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    _ensure_open(ctx, triwulan, today)
    errors: dict[str, list[ValidationError]] = {}
    counts = {"realisasi": 0, "anggaran": 0}
    for entry in indikator:
        try:
            with transaction.atomic():
                counts["realisasi"] += _realisasi_write(ctx, triwulan=triwulan, entry=entry, user=user) is not None
        except ValidationError as error:
            errors.setdefault(str(entry.kunci), []).extend(_error_items(error))
    for entry in anggaran:
        try:
            with transaction.atomic():
                counts["anggaran"] += _anggaran_write(ctx, triwulan=triwulan, entry=entry, user=user) is not None
        except ValidationError as error:
            errors.setdefault(str(entry.kunci), []).extend(_error_items(error))
    if errors:
        raise ValidationError(errors)
    if ajukan:
        _laporan_ajukan(ctx, triwulan=triwulan, unit_id=unit_id, user=user)
    return counts


def _error_items(error: ValidationError) -> list[ValidationError]:
    """The single errors of ``error``, codes kept."""
    if hasattr(error, "error_dict"):
        return [item for items in error.error_dict.values() for item in items]
    return list(error.error_list)


# --- the unit's report: submit, verify, return ------------------------------------------------------


def _laporan_ensure(ctx: Konteks, triwulan: int, unit_id: int | None) -> LaporanTriwulan:
    laporan = (
        LaporanTriwulan.objects.select_for_update()
        .filter(dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, unit_id=unit_id)
        .first()
    )
    if laporan is None:
        laporan = LaporanTriwulan(dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, unit_id=unit_id)
    return laporan


def _laporan_record(ctx: Konteks, laporan: LaporanTriwulan, *, aksi: str, before: str, user, catatan: str = "") -> None:
    laporan.full_clean(exclude=["dinas", "unit"])
    laporan.save()
    ctx.laporan[(laporan.triwulan, laporan.unit_id)] = laporan
    _riwayat(
        pemda_id=ctx.dinas.pemda_id,
        dinas=ctx.dinas,
        objek=Objek.LAPORAN,
        aksi=aksi,
        user=user,
        tahun=ctx.tahun,
        triwulan=laporan.triwulan,
        sebelum={"status": before, "unit": laporan.unit_id},
        sesudah={"status": laporan.status, "unit": laporan.unit_id},
        catatan=catatan,
    )


def _laporan_ajukan(ctx: Konteks, *, triwulan: int, unit_id: int | None, user) -> LaporanTriwulan:
    if not user_can_report(user, ctx.dinas.pk, unit_id):
        raise _deny_report()
    laporan = _laporan_ensure(ctx, triwulan, unit_id)
    if not laporan.is_editable:
        raise ValidationError(
            _("Laporan ini sudah %(status)s.") % {"status": laporan.get_status_display().lower()}, code="laporan_beku"
        )
    owned = [node for node in ctx.nodes if node.pemilik_id == unit_id and node.jenis in rules.MEASURED]
    reported = set(
        Realisasi.objects.filter(
            dinas=ctx.dinas, tahun=ctx.tahun, triwulan=triwulan, kunci__in=[n.kunci for n in owned]
        ).values_list("kunci", flat=True)
    )
    missing = [node.kode for node in owned if node.kunci not in reported]
    if missing:
        raise ValidationError(
            _("Realisasi belum diisi untuk: %(kode)s. Isi semua indikator sebelum mengajukan.")
            % {"kode": ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")},
            code="belum_lengkap",
        )
    before = laporan.status if laporan.pk else ""
    laporan.status = Status.DIAJUKAN
    laporan.diajukan_oleh, laporan.diajukan_pada = user_label(user), timezone.now()
    _laporan_record(ctx, laporan, aksi="ajukan", before=before, user=user)
    return laporan


@transaction.atomic
def laporan_ajukan(
    *, dinas: PerangkatDaerah, tahun: int, triwulan: int, unit_id: int | None, user, today: datetime.date | None = None
) -> LaporanTriwulan:
    """Submit a unit's quarter for verification (inside the window; every Indikator reported)."""
    _check_triwulan(triwulan)
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    _ensure_open(ctx, triwulan, today)
    return _laporan_ajukan(ctx, triwulan=triwulan, unit_id=unit_id, user=user)


def _laporan_review(
    *, dinas: PerangkatDaerah, tahun: int, triwulan: int, unit_id: int | None, user, catatan: str, status: str
) -> LaporanTriwulan:
    _check_triwulan(triwulan)
    if not user_can_verify(user, dinas.pk):
        raise PermissionDenied(_("Hanya Kepala Dinas yang boleh memverifikasi laporan triwulan."))
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    laporan = _laporan_ensure(ctx, triwulan, unit_id)
    if laporan.status != Status.DIAJUKAN:
        raise ValidationError(
            _("Hanya laporan yang diajukan yang dapat diverifikasi atau dikembalikan."), code="laporan_bukan_diajukan"
        )
    before = laporan.status
    laporan.status = status
    laporan.catatan = catatan.strip()
    laporan.diverifikasi_oleh, laporan.diverifikasi_pada = user_label(user), timezone.now()
    aksi = "verifikasi" if status == Status.DIVERIFIKASI else "kembalikan"
    _laporan_record(ctx, laporan, aksi=aksi, before=before, user=user, catatan=laporan.catatan)
    return laporan


@transaction.atomic
def laporan_verifikasi(
    *, dinas: PerangkatDaerah, tahun: int, triwulan: int, unit_id: int | None, user, catatan: str = ""
) -> LaporanTriwulan:
    """The Kepala Dinas verifies a submitted quarter: from now on it is frozen."""
    return _laporan_review(
        dinas=dinas,
        tahun=tahun,
        triwulan=triwulan,
        unit_id=unit_id,
        user=user,
        catatan=catatan,
        status=Status.DIVERIFIKASI,
    )


@transaction.atomic
def laporan_kembalikan(
    *, dinas: PerangkatDaerah, tahun: int, triwulan: int, unit_id: int | None, user, catatan: str
) -> LaporanTriwulan:
    """The Kepala Dinas returns a submitted quarter with a note; the unit may edit it again."""
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan catatan: apa yang harus diperbaiki.")}, code="catatan_wajib")
    return _laporan_review(
        dinas=dinas,
        tahun=tahun,
        triwulan=triwulan,
        unit_id=unit_id,
        user=user,
        catatan=catatan,
        status=Status.DIKEMBALIKAN,
    )
