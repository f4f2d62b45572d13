"""The pages of core: a background job's page and its file, the health endpoint, the 500 page."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404
from django.template import loader
from django.templatetags.static import static
from django.utils.module_loading import import_string
from django.views import View
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView

from core.jobs import worker_alive
from core.models import Pekerjaan


def job_for_user(user, pk) -> Pekerjaan:
    """A job the user may see, else 404: who may see what is the apps' rule (POKIN_JOB_ACCESS,
    e.g. the members of the job's agency), which core asks without importing them."""
    job = get_object_or_404(Pekerjaan.objects.defer("hasil", "masukan"), pk=pk)
    may_see = import_string(settings.POKIN_JOB_ACCESS)
    if not may_see(user, job):
        raise Http404
    return job


class PekerjaanView(LoginRequiredMixin, TemplateView):
    """A background job: who asked, its state and progress (the page polls the ``?bagian=1``
    fragment with htmx until it ends), its error, and its file or result link once done."""

    template_name = "core/pekerjaan.html"

    def get_template_names(self):
        return ["core/_pekerjaan_status.html"] if self.request.GET.get("bagian") else [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = job_for_user(self.request.user, self.kwargs["pk"])
        return context


class PekerjaanUnduhView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        job = job_for_user(request.user, kwargs["pk"])
        if not job.has_file:
            raise Http404
        data = Pekerjaan.objects.values_list("hasil", flat=True).get(pk=job.pk)
        response = HttpResponse(bytes(data), content_type=job.hasil_tipe or "application/octet-stream")
        response["Content-Disposition"] = f'inline; filename="{job.hasil_nama}"'
        return response


class HealthView(View):
    """What a load balancer or monitor asks: the database answers, and a background worker beat
    recently. No login (it shows nothing of the data); 503 when something is wrong."""

    def get(self, request, *args, **kwargs):
        checks: dict[str, str] = {}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks["database"] = "ok"
        except Exception:
            checks["database"] = "gagal"
        if checks["database"] == "ok":
            alive = worker_alive(max_age_seconds=settings.POKIN_WORKER_HEARTBEAT_MAX_AGE)
            checks["worker"] = "ok" if alive else "tidak ada detak"
        else:
            checks["worker"] = "tidak diketahui"
        healthy = all(value == "ok" for value in checks.values())
        response = JsonResponse({"status": "ok" if healthy else "gagal", **checks}, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response


def favicon(request):
    """``/favicon.ico``, which browsers ask for on their own whatever the page links: a redirect to
    the static icon, resolved per request so that production's hashed name is found."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """Django's 500 page plus the request id, which the log line of the error carries too: the
    user can name it to the admin. No context processors: the error may lie in them."""
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))
