from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import HealthView, PekerjaanUnduhView, PekerjaanView, favicon
from pohon.verification import VerifikasiView
from pohon.views import HomeView

admin.site.site_header = "Pokin · Administrasi"
admin.site.site_title = "Pokin"
admin.site.index_title = "Pohon Kinerja Perangkat Daerah"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("pohon/", include("pohon.urls")),
    path("laporan/", include("pohon.laporan.urls")),
    path("realisasi/", include("pohon.realisasi.urls")),
    path("pemda/", include("pohon.pemda.urls")),
    path("verifikasi/<str:token>/", VerifikasiView.as_view(), name="verifikasi"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
    path("sehat/", HealthView.as_view(), name="sehat"),
    path("pekerjaan/<uuid:pk>/", PekerjaanView.as_view(), name="pekerjaan"),
    path("pekerjaan/<uuid:pk>/unduh/", PekerjaanUnduhView.as_view(), name="pekerjaan_unduh"),
]

handler500 = "core.views.server_error"
