"""Admin screens for importing spreadsheets: upload, preview, confirm.

Both imports (the organisation table here, a tree in ``pohon.admin_import``) run the same flow,
``ImportUploadView`` and ``ImportConfirmView`` with each kind's hooks.
The upload is planned (nothing written) and shown; only a plan without problems is kept, in a
server-side file (``UploadStore``), and the confirm form carries nothing but that file's random
id. Confirming reloads the bytes, checks they belong to the user and are unchanged, and imports
them through the import service, which plans them again: what the browser sends back is never
trusted as data.

The store lives here, not in ``pohon``, because ``pohon`` depends on ``dinas`` and not the
other way round.
"""

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dinas.admin_access import user_may_import_organisasi
from dinas.imports import COUNT_LABELS, OrganisasiPlan, organisasi_import, organisasi_import_plan
from pohon.spreadsheet import ImportProblem, import_max_bytes, size_problem

# A staged upload is kept this long; a preview left open longer must be uploaded again.
UPLOAD_MAX_AGE = 3 * 60 * 60
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_SIGNING_SALT = "pokin.import-upload"


@dataclass(frozen=True)
class StagedUpload:
    id: str
    filename: str
    data: bytes
    params: dict[str, Any]


class UploadStore:
    """Uploaded spreadsheets kept between preview and confirm, one folder for every kind.

    Each upload is two files named by a random id: the bytes, and a signed ticket (Django's
    ``signing``, keyed by SECRET_KEY) naming the kind of import, the user, the bytes' SHA-256,
    the file name and the parameters chosen at upload. ``load`` answers None unless the ticket
    is intact, younger than ``UPLOAD_MAX_AGE``, of this kind and this user, and the bytes still
    hash to it; the caller cannot tell a wrong id from someone else's. Files are readable by the
    server's user only, deleted after confirm, and anything older than the maximum age is swept
    away whenever a new upload is stored.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind

    @staticmethod
    def folder() -> Path:
        return Path(settings.MEDIA_ROOT) / "import-tmp"

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        folder = self.folder()
        return folder / f"{upload_id}.data", folder / f"{upload_id}.ticket"

    def save(self, *, user, data: bytes, filename: str, params: dict[str, Any]) -> str:
        self.purge()
        folder = self.folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        upload_id = secrets.token_urlsafe(32)
        ticket = signing.dumps(
            {
                "kind": self.kind,
                "user": user.pk,
                "sha256": hashlib.sha256(data).hexdigest(),
                "filename": filename,
                "params": params,
            },
            salt=_SIGNING_SALT,
        )
        data_path, ticket_path = self._paths(upload_id)
        _write_private(data_path, data)
        _write_private(ticket_path, ticket.encode("ascii"))
        return upload_id

    def load(self, upload_id: str, *, user) -> StagedUpload | None:
        if not isinstance(upload_id, str) or not _UPLOAD_ID.fullmatch(upload_id):
            return None  # never let the browser's text reach a path unchecked
        data_path, ticket_path = self._paths(upload_id)
        try:
            ticket = signing.loads(ticket_path.read_text("ascii"), salt=_SIGNING_SALT, max_age=UPLOAD_MAX_AGE)
            data = data_path.read_bytes()
        except (OSError, UnicodeDecodeError, signing.BadSignature):
            return None
        if ticket.get("kind") != self.kind or ticket.get("user") != user.pk:
            return None
        if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), str(ticket.get("sha256"))):
            return None
        return StagedUpload(id=upload_id, filename=ticket["filename"], data=data, params=ticket["params"])

    def delete(self, upload_id: str) -> None:
        if _UPLOAD_ID.fullmatch(upload_id):
            for each in self._paths(upload_id):
                each.unlink(missing_ok=True)

    def delete_on_commit(self, upload_id: str) -> None:
        """Delete once the import is committed; a rolled-back import keeps its upload."""
        transaction.on_commit(lambda: self.delete(upload_id))

    @classmethod
    def purge(cls, max_age: float = UPLOAD_MAX_AGE) -> None:
        folder = cls.folder()
        if not folder.is_dir():
            return
        cutoff = time.time() - max_age
        for each in folder.iterdir():
            try:
                if each.is_file() and each.stat().st_mtime < cutoff:
                    each.unlink()
            except OSError:
                pass  # removed meanwhile by another request


def _write_private(target: Path, data: bytes) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def upload_read(upload: UploadedFile) -> tuple[bytes, list[ImportProblem]]:
    """The uploaded bytes, or a problem instead of reading a file over the import's size limit
    (Django has already spooled a large upload to disk; it is not read into memory)."""
    if upload.size is not None and upload.size > import_max_bytes():
        return b"", [size_problem(upload.size)]
    return upload.read(), []


def admin_form(form: forms.Form) -> helpers.AdminForm:
    """A plain form laid out like the admin's own change forms."""
    return helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {})


def counts_rows(counts: dict[str, int], labels: dict[str, Any]) -> list[tuple[str, int]]:
    return [(str(labels.get(key, key)), number) for key, number in counts.items()]


# --- the flow: upload -> preview -> confirm --------------------------------------------------------


def expired_message() -> str:
    return _(
        "Berkas unggahan tidak ditemukan atau sudah kedaluwarsa (disimpan paling lama %(hours)d jam). "
        "Silakan unggah berkasnya lagi."
    ) % {"hours": UPLOAD_MAX_AGE // 3600}


class ImportFlowView(View):
    """A step of an import in the admin. A kind of import is a class of hooks (which plan, which
    import, who may, what the preview shows) mixed into ``ImportUploadView`` and
    ``ImportConfirmView``; the steps, the staging of the upload and the pages are the same for all.
    ``params`` are what the upload form chose besides the file (JSON-safe: stored with the upload)."""

    model_admin: admin.ModelAdmin = None
    uploads: UploadStore
    upload_url_name: str  # e.g. "admin:dinas_perangkatdaerah_import"
    confirm_url_name: str
    import_label: str  # the crumb back to the upload
    upload_title: str
    preview_title: str
    intro: str  # the upload page's first sentence
    preview_template = "admin/import/preview.html"

    def has_permission(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def plan(self, *, data: bytes, filename: str, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def plan_unread(self, *, problems: list[ImportProblem], params: dict[str, Any]) -> Any:
        """The plan of a file that was not read (too large): nothing but its problems."""
        raise NotImplementedError

    def run_import(self, *, data: bytes, filename: str, params: dict[str, Any]) -> tuple[Any, Any]:
        """Import for real: the plan, and what was imported (None when the plan has problems now)."""
        raise NotImplementedError

    def imported(self, result: Any, *, plan: Any, filename: str) -> HttpResponse:
        raise NotImplementedError

    def preview_context(self, plan: Any, params: dict[str, Any]) -> dict[str, Any]:
        return {}

    def again_url(self, params: dict[str, Any]) -> str:
        return reverse(self.upload_url_name)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.has_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra: Any) -> dict[str, Any]:
        opts = self.model_admin.opts
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "upload_url": reverse(self.upload_url_name),
            "import_label": self.import_label,
            **self.extra_context(),
            **extra,
        }

    def preview(self, plan: Any, *, filename: str, upload_id: str | None, params: dict[str, Any]) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.preview_template,
            self.context(
                title=self.preview_title,
                plan=plan,
                filename=filename,
                problems=plan.problems,
                upload_id=upload_id if plan.ok else None,
                confirm_url=reverse(self.confirm_url_name),
                again_url=self.again_url(params),
                **self.preview_context(plan, params),
            ),
        )


class ImportUploadView(ImportFlowView):
    """Upload a file and see what it would do; only a plan without problems is staged."""

    form_class: type[forms.Form]

    def get_form(self, *args, **kwargs) -> forms.Form:
        return self.form_class(*args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {}

    def params(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.upload_page(self.get_form(initial=self.get_initial()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.upload_page(form)
        upload = form.cleaned_data["berkas"]
        filename = upload.name or ""
        params = self.params(form.cleaned_data)
        data, problems = upload_read(upload)
        if problems:
            plan = self.plan_unread(problems=problems, params=params)
        else:
            plan = self.plan(data=data, filename=filename, params=params)
        upload_id = None
        if plan.ok:
            upload_id = self.uploads.save(user=request.user, data=data, filename=filename, params=params)
        return self.preview(plan, filename=filename, upload_id=upload_id, params=params)

    def upload_page(self, form: forms.Form) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            "admin/import/upload.html",
            self.context(title=self.upload_title, intro=self.intro, adminform=admin_form(form), form=form),
        )


class ImportConfirmView(ImportFlowView):
    """Import the staged upload with the choices made at upload; the service plans it again and
    writes only a clean plan, else the preview shows what changed and offers no confirm."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        staged = self.uploads.load(request.POST.get("upload", ""), user=request.user)
        if staged is None:
            messages.error(request, expired_message())
            return HttpResponseRedirect(reverse(self.upload_url_name))
        plan, result = self.run_import(data=staged.data, filename=staged.filename, params=staged.params)
        if result is None:
            self.uploads.delete(staged.id)
            return self.preview(plan, filename=staged.filename, upload_id=None, params=staged.params)
        self.uploads.delete_on_commit(staged.id)
        return self.imported(result, plan=plan, filename=staged.filename)


# --- the organisation table ---------------------------------------------------------------------

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

    def run_import(self, *, data: bytes, filename: str, params: dict[str, Any]) -> tuple[OrganisasiPlan, bool | None]:
        plan, imported = organisasi_import(data=data, filename=filename)
        return plan, (imported or None)

    def preview_context(self, plan: OrganisasiPlan, params: dict[str, Any]) -> dict[str, Any]:
        return {"counts": counts_rows(plan.counts, COUNT_LABELS)}

    def imported(self, result: bool, *, plan: OrganisasiPlan, filename: str) -> HttpResponse:
        summary = ", ".join(f"{label} {number}" for label, number in counts_rows(plan.counts, COUNT_LABELS))
        messages.success(
            self.request,
            _("Tabel organisasi dari %(file)s telah diimpor (%(summary)s).") % {"file": filename, "summary": summary},
        )
        return HttpResponseRedirect(reverse("admin:dinas_perangkatdaerah_changelist"))


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
