"""The admin's upload -> preview -> confirm flow that every spreadsheet import runs (the
organisation table in ``dinas.admin_import``, a tree in ``pohon.admin_import``): the generic
views ``ImportUploadView`` and ``ImportConfirmView``, each kind of import a class of hooks mixed
into them.

The upload is planned (nothing written) and shown; only a plan without problems is kept, in
the database (``core.uploads.UploadStore``), and the confirm form carries nothing but its random
id. Confirming reloads the bytes, checks they belong to the user and are unchanged, and queues
the import as a background job (``core.jobs``), which plans them again: what the browser sends
back is never trusted as data. Shared machinery: imports neither app.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.jobs import job_submit
from core.models import Pekerjaan
from core.spreadsheet import ImportProblem, import_max_bytes, size_problem
from core.uploads import UPLOAD_MAX_AGE, UploadStore

__all__ = [
    "ImportConfirmView",
    "ImportFlowView",
    "ImportUploadView",
    "admin_form",
    "counts_rows",
    "expired_message",
    "upload_read",
]


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

    job_kind: str  # the background job that imports (registered with core.jobs.job_handler)

    def job_title(self, *, params: dict[str, Any], filename: str) -> str:
        raise NotImplementedError

    def job_dinas_id(self, params: dict[str, Any]) -> int | None:
        """The agency whose members may follow the job (None: only who asked, and superusers)."""
        return None

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
    """Queue the import of the staged upload, with the choices made at upload, as a background
    job (core.jobs): the job plans the file again and writes only a clean plan. When the job is
    already done (a fast worker, or the tests' immediate backend) the page goes straight to its
    result, as before; otherwise to the job's page, which shows its progress and then the result."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        staged = self.uploads.load(request.POST.get("upload", ""), user=request.user)
        if staged is None:
            messages.error(request, expired_message())
            return HttpResponseRedirect(reverse(self.upload_url_name))
        job = job_submit(
            jenis=self.job_kind,
            judul=self.job_title(params=staged.params, filename=staged.filename),
            user=request.user,
            dinas_id=self.job_dinas_id(staged.params),
            parameter={"params": staged.params, "filename": staged.filename, "kembali": self.again_url(staged.params)},
            masukan=staged.data,
        )
        job.refresh_from_db()
        if job.status == Pekerjaan.Status.GAGAL:
            # The upload is used up either way: a refused file is uploaded again after fixing it.
            self.uploads.delete(staged.id)
            messages.error(request, job.galat)
            return HttpResponseRedirect(self.again_url(staged.params))
        self.uploads.delete_on_commit(staged.id)  # the job holds the bytes now
        if job.status == Pekerjaan.Status.SELESAI:
            messages.success(request, job.hasil_data.get("pesan", ""))
            return HttpResponseRedirect(job.hasil_data.get("url") or reverse(self.upload_url_name))
        return HttpResponseRedirect(job.get_absolute_url())
