"""Admin screens for importing a tree from a spreadsheet, and for copying a tree to another year.

Upload (agency, year, file) -> preview (counts per jenis, total Pagu, the tree as it will be,
every problem with its row and column) -> confirm. Only an Admin of the agency imports or
copies its trees (``dinas.admin_access.user_may_import_pohon``: ``Keanggotaan`` peran admin of
THAT agency, or a superuser); the upload waits between preview and confirm in
``core.uploads.UploadStore``, and the confirm queues a background job (``pohon.jobs``) that
imports through ``pohon_import``, which plans the file again. ``PohonImportAdminMixin`` hooks
the screens and the copy action into ``PohonAdmin``.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.admin_import import ImportConfirmView, ImportUploadView, admin_form
from core.uploads import UploadStore
from dinas.admin_access import dinas_importable_by, user_may_import_pohon
from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.admin.common import refusal
from pohon.imports import (
    ImportPlan,
    pohon_copy_to_year,
    pohon_import_existing,
    pohon_import_plan,
)
from pohon.imports.checks import TAHUN_MAX, TAHUN_MIN
from pohon.jobs import JOB_IMPOR_POHON
from pohon.models import Pohon
from pohon.money import rupiah
from pohon.template import pohon_template_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "templat-pohon-kinerja.xlsx"

pohon_uploads = UploadStore("pohon")


class PohonImportForm(forms.Form):
    dinas = forms.ModelChoiceField(queryset=PerangkatDaerah.objects.none(), label=gettext_lazy("Perangkat Daerah"))
    tahun = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=TAHUN_MIN, max_value=TAHUN_MAX)
    berkas = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("Excel (.xlsx) atau CSV dengan kolom seperti pada templat."),
    )
    ganti = forms.BooleanField(
        required=False,
        label=gettext_lazy("Ganti pohon draf yang sudah ada"),
        help_text=gettext_lazy(
            "Bila Perangkat Daerah ini sudah memiliki pohon draf untuk tahun tersebut, seluruh isinya diganti."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agencies = dinas_importable_by(user).order_by("nama")
        self.fields["dinas"].queryset = agencies
        only = list(agencies[:2])
        if len(only) == 1:  # the only agency the user may import into: chosen already
            self.fields["dinas"].initial = only[0].pk
            self.fields["dinas"].empty_label = None


class PohonImport:
    """A tree's hooks for the import flow: ``params`` are the agency (its pk), the year and
    whether an existing draft is replaced."""

    uploads = pohon_uploads
    upload_url_name = "admin:pohon_pohon_import"
    confirm_url_name = "admin:pohon_pohon_import_confirm"
    import_label = gettext_lazy("Impor pohon kinerja")
    upload_title = gettext_lazy("Impor pohon kinerja dari spreadsheet")
    preview_title = gettext_lazy("Pratinjau impor pohon kinerja")
    intro = gettext_lazy("Unggah pohon kinerja satu Perangkat Daerah untuk satu tahun.")
    preview_template = "admin/pohon/import/preview.html"
    form_class = PohonImportForm

    def has_permission(self, request: HttpRequest) -> bool:
        return user_may_import_pohon(request.user, None)

    def extra_context(self) -> dict[str, Any]:
        return {"template_url": reverse("admin:pohon_pohon_import_template")}

    def get_form(self, *args, **kwargs) -> PohonImportForm:
        return PohonImportForm(*args, user=self.request.user, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"tahun": timezone.localdate().year}
        for name in ("dinas", "tahun"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        initial["ganti"] = self.request.GET.get("ganti") == "1"
        return initial

    def params(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        return {"dinas": cleaned_data["dinas"].pk, "tahun": cleaned_data["tahun"], "ganti": cleaned_data["ganti"]}

    def dinas(self, params: dict[str, Any]) -> PerangkatDaerah:
        """The agency of the params, once per request; only its admin imports (403 otherwise)."""
        if getattr(self, "_dinas", None) is None or self._dinas.pk != params["dinas"]:
            dinas = PerangkatDaerah.objects.filter(pk=params["dinas"]).first()
            if dinas is None or not user_may_import_pohon(self.request.user, dinas.pk):
                raise PermissionDenied
            self._dinas = dinas
        return self._dinas

    def plan(self, *, data: bytes, filename: str, params: dict[str, Any]) -> ImportPlan:
        dinas, tahun = self.dinas(params), params["tahun"]
        return pohon_import_plan(dinas=dinas, tahun=tahun, data=data, filename=filename, replace=params["ganti"])

    def plan_unread(self, *, problems: list, params: dict[str, Any]) -> ImportPlan:
        dinas, tahun = self.dinas(params), params["tahun"]
        return ImportPlan(
            dinas=dinas, tahun=tahun, problems=problems, existing=pohon_import_existing(dinas=dinas, tahun=tahun)
        )

    job_kind = JOB_IMPOR_POHON

    def job_title(self, *, params: dict[str, Any], filename: str) -> str:
        return _("Impor pohon kinerja %(dinas)s %(tahun)s dari %(file)s") % {
            "dinas": self.dinas(params).kode,
            "tahun": params["tahun"],
            "file": filename,
        }

    def job_dinas_id(self, params: dict[str, Any]) -> int | None:
        return self.dinas(params).pk

    def again_url(self, params: dict[str, Any]) -> str:
        query = {"dinas": params["dinas"], "tahun": params["tahun"], **({"ganti": 1} if params["ganti"] else {})}
        return f"{reverse(self.upload_url_name)}?{urlencode(query)}"

    def preview_context(self, plan: ImportPlan, params: dict[str, Any]) -> dict[str, Any]:
        counts = [(rules.jenis_label(jenis), number) for jenis, number in plan.counts.items() if number]
        tree = [
            (depth - 1, kode, rules.jenis_label(jenis), uraian, rupiah(pagu))  # top = 1 in the plan
            for depth, kode, jenis, uraian, pagu in plan.preview
        ]
        return {
            "dinas": self.dinas(params),
            "tahun": params["tahun"],
            "replace": params["ganti"],
            "counts": counts,
            "node_total": sum(number for _label, number in counts),
            "total_pagu": rupiah(plan.total_pagu),
            "tree": tree,
        }


class PohonImportView(PohonImport, ImportUploadView):
    """The upload form, and the preview of what the uploaded file would make."""


class PohonImportConfirmView(PohonImport, ImportConfirmView):
    """Import the staged upload with the agency, year and choice made when it was uploaded."""


class PohonTemplateView(View):
    """The empty spreadsheet to fill in, with its instructions."""

    model_admin: admin.ModelAdmin = None

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(pohon_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
        return response


class CopyToYearForm(forms.Form):
    tahun = forms.IntegerField(label=gettext_lazy("Tahun tujuan"), min_value=TAHUN_MIN, max_value=TAHUN_MAX)


class PohonImportAdminMixin:
    """The import screens, a link to them on the tree list, and the copy-to-year action."""

    change_list_template = "admin/pohon/import/pohon_change_list.html"
    actions = ["copy_to_year"]

    def get_urls(self):
        def view(cls):
            return self.admin_site.admin_view(cls.as_view(model_admin=self))

        return [
            path("impor/", view(PohonImportView), name="pohon_pohon_import"),
            path("impor/konfirmasi/", view(PohonImportConfirmView), name="pohon_pohon_import_confirm"),
            path("impor/templat/", view(PohonTemplateView), name="pohon_pohon_import_template"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        can_import = user_may_import_pohon(request.user, None)
        extra_context = {"can_import_pohon": can_import, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.action(description=gettext_lazy("Salin ke tahun berikutnya"), permissions=["add"])
    def copy_to_year(self, request: HttpRequest, queryset: QuerySet[Pohon]) -> HttpResponse | None:
        selected = list(queryset.select_related("dinas")[:2])
        if len(selected) != 1:
            self.message_user(request, _("Pilih tepat satu pohon kinerja untuk disalin."), level=messages.ERROR)
            return None
        pohon = selected[0]
        if not user_may_import_pohon(request.user, pohon.dinas_id):
            self.message_user(
                request,
                _("Hanya admin %(dinas)s yang dapat menyalin pohon kinerjanya.") % {"dinas": pohon.dinas.nama},
                level=messages.ERROR,
            )
            return None
        form = CopyToYearForm(request.POST if "post" in request.POST else None, initial={"tahun": pohon.tahun + 1})
        if form.is_valid():
            try:
                copy = pohon_copy_to_year(pohon=pohon, tahun=form.cleaned_data["tahun"])
            except ValidationError as error:
                refusal(request, self, error)
                return None
            self.log_addition(request, copy, _("Disalin dari %(pohon)s.") % {"pohon": pohon})
            self.message_user(
                request,
                format_html(
                    _('Pohon kinerja {} telah disalin ke tahun {}. <a href="{}">Lihat pohon {}</a>'),
                    pohon,
                    copy.tahun,
                    copy.chart_url(),
                    copy,
                ),
                level=messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Salin pohon kinerja ke tahun berikutnya"),
            "pohon": pohon,
            "adminform": admin_form(form),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/pohon/import/copy_to_year.html", context)
