"""The health endpoint a load balancer or monitor asks: the database answers, and a background
worker beat recently. No login (it shows nothing of the data); 503 when something is wrong."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import View
from django.views.decorators.csrf import requires_csrf_token

from core.jobs import worker_alive


class HealthView(View):
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


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """Django's 500 page plus the request id, which the log line of the error carries too: the
    user can name it to the admin. No context processors: the error may lie in them."""
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))
