"""The quarterly reporting pages: the agency's year overview, the unit's quarter form
(operator), the Kepala Dinas's verification page, the quarterly targets, the import and the
Pemda's reporting windows (admin). Each view finds what the URL names among what the user may
see (404 otherwise), parses the form, calls one service or selector, renders."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.admin_import import expired_message, upload_read
from core.uploads import UploadStore
from dinas.models import Keanggotaan, Pemda, PerangkatDaerah, UnitKerja
from dinas.selectors import dinas_visible_to, user_roles
from pohon.money import rupiah
from pohon.realisasi.capaian import RUMUS_SERAPAN, Aturan
from pohon.realisasi.imports import COLUMNS, ImportHasil, realisasi_import
from pohon.realisasi.models import TRIWULAN_LABELS, JendelaPelaporan
from pohon.realisasi.selectors import (
    STATUS_LABELS,
    TRIWULAN,
    ambang_for,
    jendela_pemda,
    realisasi_tahun,
    riwayat_realisasi,
    unit_triwulan_list,
)
from pohon.realisasi.services import (
    JENDELA_DITOLAK,
    AnggaranInput,
    RealisasiInput,
    jendela_set,
    jendela_status_message,
    jendela_tutup,
    laporan_kembalikan,
    laporan_simpan,
    laporan_verifikasi,
    pengaturan_capaian_set,
    rencana_simpan,
    user_can_manage_jendela,
    user_can_report,
    user_can_verify,
)

NO_UNIT = "-"  # the URL's unit for the nodes no unit answers for


def _messages_of(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict") else error.messages


class DinasMixin(LoginRequiredMixin):
    """The agency of the URL among those the user may see (404 otherwise: no hint it exists)."""

    def get_dinas(self) -> PerangkatDaerah:
        if not hasattr(self, "_dinas"):
            dinas = dinas_visible_to(self.request.user).filter(kode=self.kwargs["dinas"]).first()
            if dinas is None:
                raise Http404(_("Perangkat Daerah tidak ditemukan."))
            self._dinas = dinas
        return self._dinas

    def get_triwulan(self) -> int:
        triwulan = self.kwargs["triwulan"]
        if triwulan not in TRIWULAN:
            raise Http404(_("Triwulan tidak dikenal."))
        return triwulan

    def base_context(self, data) -> dict:
        dinas = self.get_dinas()
        roles = user_roles(self.request.user, dinas.pk)
        return {
            "dinas": dinas,
            "tahun": self.kwargs["tahun"],
            "data": data,
            "pohon": data.pohon,
            "can_verify": bool(roles & {Keanggotaan.Peran.ADMIN, Keanggotaan.Peran.KEPALA_DINAS}),
            "can_jendela": user_can_manage_jendela(self.request.user, dinas.pemda),
            "is_admin": Keanggotaan.Peran.ADMIN in roles,
            "triwulan_list": [(tw, TRIWULAN_LABELS[tw]) for tw in TRIWULAN],
        }


class RingkasanView(DinasMixin, View):
    """The agency's year: per quarter its window and every unit's report, with links to them."""

    def get(self, request, **kwargs):
        dinas = self.get_dinas()
        data = realisasi_tahun(dinas=dinas, tahun=kwargs["tahun"])
        quarters = []
        for tw in TRIWULAN:
            units = unit_triwulan_list(data, tw)
            for unit in units:
                unit.can_report = user_can_report(request.user, dinas.pk, unit.unit_id)
            quarters.append(
                {
                    "triwulan": tw,
                    "label": TRIWULAN_LABELS[tw],
                    "jendela": data.jendela.get(tw),
                    "jendela_pesan": jendela_status_message(data.jendela.get(tw), tahun=data.tahun, triwulan=tw),
                    "units": units,
                }
            )
        riwayat = riwayat_realisasi(dinas=dinas, tahun=kwargs["tahun"])
        context = self.base_context(data) | {"quarters": quarters, "riwayat": riwayat}
        return TemplateResponse(request, "pohon/realisasi/ringkasan.html", context)


class EntriView(DinasMixin, View):
    """A unit's quarter: its Indikator's realisation and notes, its budget lines' spending."""

    def get_unit(self, dinas: PerangkatDaerah) -> UnitKerja | None:
        kode = self.kwargs["unit"]
        if kode == NO_UNIT:
            return None
        return get_object_or_404(UnitKerja, dinas=dinas, kode=kode)

    def context(self, *, posted=None, errors=None, over=frozenset()) -> dict:
        dinas = self.get_dinas()
        triwulan = self.get_triwulan()
        unit = self.get_unit(dinas)
        unit_id = unit.pk if unit else None
        data = realisasi_tahun(dinas=dinas, tahun=self.kwargs["tahun"])
        if data.pohon is None:
            raise Http404(_("Pohon kinerja tahun ini belum disetujui."))
        laporan = data.laporan.get((triwulan, unit_id))
        window_message = jendela_status_message(data.jendela.get(triwulan), tahun=data.tahun, triwulan=triwulan)
        can_report = user_can_report(self.request.user, dinas.pk, unit_id)
        editable = can_report and not window_message and (laporan is None or laporan.is_editable)
        errors = errors or {}
        posted = posted or {}
        indikator = []
        for row in data.indikator:
            if row.node.pemilik_id != unit_id:
                continue
            key = str(row.node.kunci)
            tw = row.tw(triwulan)
            indikator.append(
                {
                    "row": row,
                    "tw": tw,
                    "key": key,
                    "nilai": posted.get(f"r-{key}", "" if tw.realisasi is None else tw.realisasi_display),
                    "pendukung": posted.get(f"pendukung-{key}", tw.pendukung),
                    "penghambat": posted.get(f"penghambat-{key}", tw.penghambat),
                    "tindak_lanjut": posted.get(f"tl-{key}", tw.tindak_lanjut),
                    "errors": errors.get(key, []),
                    "skala": [name for name, _score in row.skala] if isinstance(row.node.target, str) else [],
                }
            )
        anggaran = []
        for row in data.anggaran:
            if row.node.pemilik_id != unit_id:
                continue
            key = str(row.node.kunci)
            tw = row.tw(triwulan)
            before = row.tw(triwulan - 1).kumulatif if triwulan > 1 else None
            anggaran.append(
                {
                    "row": row,
                    "tw": tw,
                    "key": key,
                    "sebelum": rupiah(before) if before is not None else None,
                    "jumlah": posted.get(f"a-{key}", "" if tw.jumlah is None else str(int(tw.jumlah))),
                    "konfirmasi": posted.get(f"ok-{key}") == "1" or tw.melebihi_pagu,
                    "errors": errors.get(key, []),
                    "lebih": key in over or tw.melebihi_pagu,
                }
            )
        return self.base_context(data) | {
            "triwulan": triwulan,
            "triwulan_label": TRIWULAN_LABELS[triwulan],
            "unit": unit,
            "unit_kode": unit.kode if unit else NO_UNIT,
            "unit_nama": unit.nama if unit else _("Tanpa unit kerja"),
            "laporan": laporan,
            "status_label": STATUS_LABELS[laporan.status] if laporan else STATUS_LABELS["draf"],
            "window_message": window_message,
            "can_report": can_report,
            "editable": editable,
            "indikator": indikator,
            "anggaran": anggaran,
            "rumus": list(dict.fromkeys(item["row"].rumus for item in indikator)),
            "rumus_serapan": RUMUS_SERAPAN,
            "errors": errors,
        }

    def get(self, request, **kwargs):
        return TemplateResponse(request, "pohon/realisasi/entri.html", self.context())

    def post(self, request, **kwargs):
        dinas = self.get_dinas()
        triwulan = self.get_triwulan()
        unit = self.get_unit(dinas)
        unit_id = unit.pk if unit else None
        if not user_can_report(request.user, dinas.pk, unit_id):
            raise PermissionDenied(_("Anda tidak berhak mengisi laporan unit ini."))
        indikator = [
            RealisasiInput(
                kunci=key,
                nilai=request.POST.get(f"r-{key}", ""),
                pendukung=request.POST.get(f"pendukung-{key}", ""),
                penghambat=request.POST.get(f"penghambat-{key}", ""),
                tindak_lanjut=request.POST.get(f"tl-{key}", ""),
            )
            for key in request.POST.getlist("indikator")
        ]
        anggaran = [
            AnggaranInput(
                kunci=key,
                jumlah=request.POST.get(f"a-{key}", "").strip() or None,
                konfirmasi_lebih_pagu=request.POST.get(f"ok-{key}") == "1",
            )
            for key in request.POST.getlist("anggaran")
        ]
        ajukan = request.POST.get("aksi") == "ajukan"
        try:
            laporan_simpan(
                dinas=dinas,
                tahun=kwargs["tahun"],
                triwulan=triwulan,
                indikator=indikator,
                anggaran=anggaran,
                user=request.user,
                ajukan=ajukan,
                unit_id=unit_id,
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            over = set()
            if hasattr(error, "error_dict"):
                over = {key for key, items in error.error_dict.items() if any(e.code == "melebihi_pagu" for e in items)}
            for message in errors.get("__all__", []):
                messages.error(request, message)
            messages.error(request, _("Laporan belum disimpan; periksa isian yang ditandai."))
            context = self.context(posted=request.POST, errors=errors, over=over)
            return TemplateResponse(request, "pohon/realisasi/entri.html", context, status=400)
        messages.success(
            request,
            _("Laporan %(tw)s diajukan kepada Kepala Dinas.") % {"tw": TRIWULAN_LABELS[triwulan]}
            if ajukan
            else _("Realisasi %(tw)s disimpan.") % {"tw": TRIWULAN_LABELS[triwulan]},
        )
        return HttpResponseRedirect(request.path)


class VerifikasiView(DinasMixin, View):
    """The Kepala Dinas's page: every unit's quarter, verify or return those submitted."""

    def context(self) -> dict:
        dinas = self.get_dinas()
        triwulan = self.get_triwulan()
        data = realisasi_tahun(dinas=dinas, tahun=self.kwargs["tahun"])
        units = unit_triwulan_list(data, triwulan)
        for unit in units:
            unit.indikator = [row for row in data.indikator if row.node.pemilik_id == unit.unit_id]
            unit.anggaran = [row for row in data.anggaran if row.node.pemilik_id == unit.unit_id]
        return self.base_context(data) | {
            "triwulan": triwulan,
            "triwulan_label": TRIWULAN_LABELS[triwulan],
            "units": units,
            "rumus": data.rumus(),
            "rumus_serapan": RUMUS_SERAPAN,
        }

    def get(self, request, **kwargs):
        if not user_can_verify(request.user, self.get_dinas().pk):
            raise PermissionDenied(_("Hanya Kepala Dinas yang memverifikasi laporan triwulan."))
        return TemplateResponse(request, "pohon/realisasi/verifikasi.html", self.context())

    def post(self, request, **kwargs):
        dinas = self.get_dinas()
        triwulan = self.get_triwulan()
        kode = request.POST.get("unit", "")
        unit_id = None
        if kode != NO_UNIT:
            unit_id = get_object_or_404(UnitKerja, dinas=dinas, kode=kode).pk
        aksi = request.POST.get("aksi")
        catatan = request.POST.get("catatan", "")
        service = {"verifikasi": laporan_verifikasi, "kembalikan": laporan_kembalikan}.get(aksi)
        if service is None:
            raise Http404(_("Aksi tidak dikenal."))
        try:
            service(
                dinas=dinas,
                tahun=kwargs["tahun"],
                triwulan=triwulan,
                unit_id=unit_id,
                user=request.user,
                catatan=catatan,
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request, _("Laporan diverifikasi dan dikunci.") if aksi == "verifikasi" else _("Laporan dikembalikan.")
        )
        return HttpResponseRedirect(request.path)


class RencanaView(DinasMixin, View):
    """The quarterly targets and the combination rule of the Indikator the user reports."""

    def context(self, *, posted=None, errors=None) -> dict:
        dinas = self.get_dinas()
        data = realisasi_tahun(dinas=dinas, tahun=self.kwargs["tahun"])
        if data.pohon is None:
            raise Http404(_("Pohon kinerja tahun ini belum disetujui."))
        posted, errors = posted or {}, errors or {}
        rows = []
        for row in data.indikator:
            if not user_can_report(self.request.user, dinas.pk, row.node.pemilik_id):
                continue
            key = str(row.node.kunci)
            rows.append(
                {
                    "row": row,
                    "key": key,
                    "aturan": posted.get(f"aturan-{key}", row.aturan),
                    "targets": [
                        (tw, posted.get(f"t{tw}-{key}", "" if row.tw(tw).target is None else row.tw(tw).target_display))
                        for tw in TRIWULAN
                    ],
                    "errors": errors.get(key, []),
                }
            )
        return self.base_context(data) | {"rows": rows, "aturan_choices": Aturan.choices}

    def get(self, request, **kwargs):
        return TemplateResponse(request, "pohon/realisasi/rencana.html", self.context())

    def post(self, request, **kwargs):
        dinas = self.get_dinas()
        rows = [
            {
                "kunci": key,
                "aturan": request.POST.get(f"aturan-{key}", Aturan.NILAI_AKHIR),
                "targets": {tw: request.POST.get(f"t{tw}-{key}", "") for tw in TRIWULAN},
            }
            for key in request.POST.getlist("indikator")
        ]
        try:
            count = rencana_simpan(dinas=dinas, tahun=kwargs["tahun"], rows=rows, user=request.user)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            messages.error(request, _("Target triwulan belum disimpan; periksa isian yang ditandai."))
            for message in errors.get("__all__", []):
                messages.error(request, message)
            context = self.context(posted=request.POST, errors=errors)
            return TemplateResponse(request, "pohon/realisasi/rencana.html", context, status=400)
        messages.success(request, _("Target triwulan disimpan (%(n)d indikator berubah).") % {"n": count})
        return HttpResponseRedirect(request.path)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


class JendelaView(LoginRequiredMixin, View):
    """The Pemda's reporting windows of a year: its Bappeda or an admin (``user_can_manage_jendela``)."""

    def get_pemda(self) -> Pemda:
        pemda = get_object_or_404(Pemda, kode=self.kwargs["pemda"])
        if not user_can_manage_jendela(self.request.user, pemda):
            raise PermissionDenied(JENDELA_DITOLAK)
        return pemda

    def context(self, pemda: Pemda, *, errors=None, posted=None) -> dict:
        tahun = self.kwargs["tahun"]
        windows = jendela_pemda(pemda=pemda, tahun=tahun)
        today = timezone.localdate()
        rows = []
        for tw in TRIWULAN:
            window = windows.get(tw)
            rows.append(
                {
                    "triwulan": tw,
                    "label": TRIWULAN_LABELS[tw],
                    "jendela": window,
                    "terbuka": window is not None and window.is_open(today),
                    "pesan": jendela_status_message(window, tahun=tahun, triwulan=tw, today=today),
                    "terkunci": window is not None and (window.ditutup or window.selesai < today),
                }
            )
        return {
            "pemda": pemda,
            "tahun": tahun,
            "rows": rows,
            "errors": errors or [],
            "posted": posted or {},
            "ambang": ambang_for(pemda),
        }

    def get(self, request, **kwargs):
        pemda = self.get_pemda()
        return TemplateResponse(request, "pohon/realisasi/jendela.html", self.context(pemda))

    def post(self, request, **kwargs):
        pemda = self.get_pemda()
        tahun = kwargs["tahun"]
        if request.POST.get("aksi") == "ambang":
            return self.ambang_post(request, pemda)
        try:
            triwulan = int(request.POST.get("triwulan", ""))
        except ValueError:
            triwulan = 0
        if triwulan not in TRIWULAN:
            messages.error(request, _("Triwulan harus 1, 2, 3 atau 4."))
            return HttpResponseRedirect(request.path)
        try:
            if request.POST.get("aksi") == "tutup":
                window = get_object_or_404(JendelaPelaporan, pemda=pemda, tahun=tahun, triwulan=triwulan)
                jendela_tutup(jendela=window, user=request.user)
                messages.success(request, _("Jendela %(tw)s ditutup.") % {"tw": TRIWULAN_LABELS[triwulan]})
            else:
                mulai, selesai = _date(request.POST.get("mulai", "")), _date(request.POST.get("selesai", ""))
                if mulai is None or selesai is None:
                    raise ValidationError(_("Isi tanggal mulai dan selesai (hari-bulan-tahun)."))
                jendela_set(
                    pemda=pemda,
                    tahun=tahun,
                    triwulan=triwulan,
                    mulai=mulai,
                    selesai=selesai,
                    user=request.user,
                    alasan=request.POST.get("alasan", ""),
                )
                messages.success(request, _("Jendela %(tw)s disimpan.") % {"tw": TRIWULAN_LABELS[triwulan]})
        except ValidationError as error:
            context = self.context(pemda, errors=_messages_of(error), posted=request.POST | {"tw": triwulan})
            return TemplateResponse(request, "pohon/realisasi/jendela.html", context, status=400)
        return HttpResponseRedirect(request.path)

    def ambang_post(self, request, pemda: Pemda):
        values = {}
        try:
            for name in ("hijau", "kuning", "periksa"):
                values[name] = Decimal(request.POST.get(name, "").strip().replace(",", "."))
                if not values[name].is_finite():
                    raise InvalidOperation
            pengaturan_capaian_set(
                pemda=pemda,
                batas_hijau=values["hijau"],
                batas_kuning=values["kuning"],
                batas_periksa=values["periksa"],
                user=request.user,
            )
        except InvalidOperation:
            context = self.context(pemda, errors=[_("Batas warna harus berupa angka persen, misalnya 90 atau 87,5.")])
            return TemplateResponse(request, "pohon/realisasi/jendela.html", context, status=400)
        except ValidationError as error:
            context = self.context(pemda, errors=_messages_of(error))
            return TemplateResponse(request, "pohon/realisasi/jendela.html", context, status=400)
        messages.success(request, _("Batas warna capaian disimpan."))
        return HttpResponseRedirect(request.path)


class ImporView(DinasMixin, View):
    """Import a quarter's realisation from a spreadsheet: upload -> preview (every problem by
    row and column, nothing written) -> confirm (the staged bytes are imported, all or nothing).
    A realisation file is a few hundred rows: it is imported in the request."""

    uploads = UploadStore("realisasi")

    def render(self, **extra):
        dinas = self.get_dinas()
        context = {"dinas": dinas, "tahun": self.kwargs["tahun"], "columns": COLUMNS} | extra
        return TemplateResponse(self.request, "pohon/realisasi/impor.html", context, status=extra.pop("status", 200))

    def get(self, request, **kwargs):
        self.get_dinas()
        return self.render()

    def post(self, request, **kwargs):
        dinas = self.get_dinas()
        tahun = kwargs["tahun"]
        if request.POST.get("upload"):
            staged = self.uploads.load(request.POST["upload"], user=request.user)
            if staged is None:
                messages.error(request, expired_message())
                return HttpResponseRedirect(request.path)
            result = realisasi_import(
                dinas=dinas, tahun=tahun, data=staged.data, filename=staged.filename, user=request.user
            )
            if not result.ok:
                return self.render(result=result, filename=staged.filename, status=400)
            self.uploads.delete_on_commit(staged.id)
            messages.success(
                request,
                _(
                    "Impor selesai: %(r)d realisasi indikator, %(a)d realisasi anggaran "
                    "dan %(t)d target triwulan disimpan."
                )
                % {"r": result.realisasi, "a": result.anggaran, "t": result.target},
            )
            return HttpResponseRedirect(reverse("realisasi:ringkasan", args=[dinas.kode, tahun]))
        upload = request.FILES.get("berkas")
        if upload is None:
            messages.error(request, _("Pilih berkas spreadsheet yang akan diimpor."))
            return self.render(status=400)
        data, problems = upload_read(upload)
        filename = upload.name or ""
        if problems:
            return self.render(result=ImportHasil(problems=problems), filename=filename, status=400)
        result = realisasi_import(
            dinas=dinas, tahun=tahun, data=data, filename=filename, user=request.user, dry_run=True
        )
        upload_id = None
        if result.ok:
            upload_id = self.uploads.save(user=request.user, data=data, filename=filename, params={"tahun": tahun})
        return self.render(result=result, filename=filename, upload_id=upload_id, status=200 if result.ok else 400)


def entri_url(dinas_kode: str, tahun: int, triwulan: int, unit_kode: str) -> str:
    return reverse("realisasi:entri", args=[dinas_kode, tahun, triwulan, unit_kode])
