"""Gives each request an id: from the proxy's X-Request-ID when it sends a sane one (so nginx's log
and ours name the same request), otherwise a new one; it is in every log line and in the
response's X-Request-ID header, which the error pages also show."""

import re
import uuid

from core.logging import request_id_var

_SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex[:16]
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response
