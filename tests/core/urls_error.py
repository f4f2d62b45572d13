"""A URL that fails, to see what a server error leaves behind (tests only)."""

from django.urls import path


def broken(request):
    raise RuntimeError("kerusakan uji 4711")


urlpatterns = [path("rusak/", broken)]
handler500 = "core.views.server_error"
