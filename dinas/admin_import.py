"""The organisation table's admin import: its upload form and its hooks for the shared
upload -> preview -> confirm flow (``core.admin_import``), and the screens on the Perangkat
Daerah list. Superusers only (``dinas.admin_access.user_may_import_organisasi``).
"""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_import import ImportConfirmView, ImportUploadView, counts_rows
from core.spreadsheet import ImportProblem
from core.uploads import UploadStore
from dinas.admin_access import user_may_import_organisasi
from dinas.imports import COUNT_LABELS, OrganisasiPlan, organisasi_import_plan
from dinas.jobs import JOB_IMPOR_ORGANISASI

organisasi_uploads = UploadStore("organisasi")


class OrganisasiImportForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("Tabel organisasi sebagai Excel (.xlsx) atau CSV."),
    )


class OrganisasiImport:
    """The organisation table's hooks for the import flow."""

    uploads = organisasi_uploads
    upload_url_name = "admin:dinas_perangkatdaerah_import"
    confirm_url_name = "admin:dinas_perangkatdaerah_import_confirm"
    import_label = gettext_lazy("Impor organisasi")
    upload_title = gettext_lazy("Impor organisasi dari spreadsheet")
    preview_title = gettext_lazy("Pratinjau impor organisasi")
    intro = gettext_lazy("Unggah tabel organisasi (Perangkat Daerah, unit kerja dan pejabat).")
    form_class = OrganisasiImportForm

    def has_permission(self, request: HttpRequest) -> bool:
        # The table creates and renames agencies, across agencies: superusers only, so that no
        # row can touch an agency where the user is not Admin (dinas.admin_access).
        return user_may_import_organisasi(request.user)

    def plan(self, *, data: bytes, filename: str, params: dict[str, Any]) -> OrganisasiPlan:
        return organisasi_import_plan(data=data, filename=filename)

    def plan_unread(self, *, problems: list[ImportProblem], params: dict[str, Any]) -> OrganisasiPlan:
        return OrganisasiPlan.unread(problems)

    job_kind = JOB_IMPOR_ORGANISASI

    def job_title(self, *, params: dict[str, Any], filename: str) -> str:
        return _("Impor organisasi dari %(file)s") % {"file": filename}

    def preview_context(self, plan: OrganisasiPlan, params: dict[str, Any]) -> dict[str, Any]:
        notes = []
        if plan.new_pemda_names:
            notes.append(_("Pemda baru dari berkas: %(names)s.") % {"names": ", ".join(plan.new_pemda_names)})
        return {"counts": counts_rows(plan.counts, COUNT_LABELS), "notes": notes}


class OrganisasiImportView(OrganisasiImport, ImportUploadView):
    """Upload the organisation table, and see what it would do."""


class OrganisasiImportConfirmView(OrganisasiImport, ImportConfirmView):
    """Import the staged organisation table."""


class OrganisasiImportAdminMixin:
    """Adds the import screens and a link to them on the Perangkat Daerah list."""

    change_list_template = "admin/dinas/import/perangkatdaerah_change_list.html"

    def get_urls(self):
        def view(cls):
            return self.admin_site.admin_view(cls.as_view(model_admin=self))

        return [
            path("impor/", view(OrganisasiImportView), name="dinas_perangkatdaerah_import"),
            path("impor/konfirmasi/", view(OrganisasiImportConfirmView), name="dinas_perangkatdaerah_import_confirm"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import_organisasi": user_may_import_organisasi(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)
