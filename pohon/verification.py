"""The public verification page that the QR code on an issued document leads to.

Anyone holding a printed or forwarded document of any kind can open it without an account, read
what it is, who signed it in which jabatan, where and when (all as frozen when it was issued), and
upload a PDF to learn whether it is byte for byte one of the
issued documents and whether its electronic signature still holds.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView

from pohon.models import Dokumen, DokumenTerbit
from pohon.signing import SignatureCheck, pdf_signature_check, sha256_hex

# Room for the multipart envelope around the file (boundaries, headers, the CSRF field): a
# request longer than the limit plus this is refused before its body is read.
_MULTIPART_OVERHEAD = 64 * 1024


@dataclass(frozen=True)
class VerificationResult:
    """What an uploaded file is: an issued document or not, and the state of its signature."""

    sha256: str
    size: int
    match: DokumenTerbit | None
    signature: SignatureCheck

    @property
    def identical(self) -> bool:
        return self.match is not None


def dokumen_verify(dokumen: Dokumen, data: bytes) -> VerificationResult:
    """Compare ``data`` with the files issued for ``dokumen`` and check its signature.

    Identity is by SHA-256 only: the issued bytes are kept unchanged, so any other file,
    however similar it looks, is a different document.
    """
    digest = sha256_hex(data)
    match = dokumen.berkas.defer("pdf").filter(sha256=digest).first()
    return VerificationResult(sha256=digest, size=len(data), match=match, signature=pdf_signature_check(data))


def _too_large_message(size: int | None = None) -> str:
    limit = filesizeformat(settings.POKIN_MAX_UPLOAD_BYTES)
    if size is None:
        return _("Berkas terlalu besar. Ukuran maksimum %(limit)s.") % {"limit": limit}
    return _("Berkas terlalu besar (%(size)s). Ukuran maksimum %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": limit,
    }


class VerifikasiForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": gettext_lazy("Pilih berkas PDF yang akan diperiksa."),
            "empty": gettext_lazy("Berkas yang dikirim kosong."),
        },
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > settings.POKIN_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_too_large_message(berkas.size), code="too_large")
        return berkas


@method_decorator(login_not_required, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class VerifikasiView(FormView):
    """Public: the issued document behind a token (any kind), and the check of an uploaded PDF.

    CSRF is enforced in ``dispatch`` rather than by the middleware, because the middleware
    reads the POST body (and so spools the whole upload to disk) before any view code runs;
    the size check has to come first.
    """

    template_name = "pohon/verifikasi.html"
    form_class = VerifikasiForm
    # FormView would treat PUT as POST; nothing but reading and uploading happens here.
    http_method_names = ["get", "head", "post", "options"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.dokumen = get_object_or_404(
            Dokumen.objects.select_related("diganti_oleh").prefetch_related("penandatangan", "menggantikan"),
            token=kwargs["token"],
        )
        if request.method == "POST" and self._content_length(request) > (
            settings.POKIN_MAX_UPLOAD_BYTES + _MULTIPART_OVERHEAD
        ):
            context = self.get_context_data(form=self.form_class(), upload_error=_too_large_message())
            # No "Connection: close" here: WSGI forbids hop-by-hop headers from applications;
            # the server discards (runserver) or drops (gunicorn) the unread body itself.
            return self.render_to_response(context, status=413)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    @staticmethod
    def _content_length(request: HttpRequest) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    def form_valid(self, form: VerifikasiForm) -> HttpResponse:
        data = b"".join(form.cleaned_data["berkas"].chunks())
        result = dokumen_verify(self.dokumen, data)
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dokumen = self.dokumen
        context.update(
            dokumen=dokumen,
            penandatangan=list(dokumen.penandatangan.all()),
            dokumen_list=list(dokumen.berkas.defer("pdf").order_by("kertas")),
            max_upload=settings.POKIN_MAX_UPLOAD_BYTES,
        )
        return context
