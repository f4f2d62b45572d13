"""The Pemda records and their Kepala Daerah: superusers only (``dinas.admin_access``)."""

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dinas import services
from dinas.admin.writes import pejabat_service, save_formset_through
from dinas.admin_access import user_may_manage_pemda
from dinas.models import Pejabat, Pemda, PerangkatDaerah


class KepalaDaerahInline(admin.TabularInline):
    """A Pemda's Kepala Daerah over the years (officials of the Pemda, not of a unit)."""

    model = Pejabat
    fk_name = "pemda"
    fields = ("nama", "jabatan", "status", "nip", "pangkat", "tahun_mulai", "tahun_selesai")
    extra = 0
    verbose_name = _("Kepala Daerah")
    verbose_name_plural = _("Kepala Daerah")


@admin.register(Pemda)
class PemdaAdmin(admin.ModelAdmin):
    """Pemda records span agencies: superusers only (dinas.admin_access)."""

    list_display = ("nama", "kode", "jenis", "tempat", "jabatan_kepala", "dinas_count")
    list_filter = ("jenis",)
    search_fields = ("nama", "kode", "tempat")
    prepopulated_fields = {"kode": ("nama",)}
    inlines = [KepalaDaerahInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                # agencies only: the Pemda's owner record of its own tree is none
                dinas_total=Count("perangkat_daerah", filter=Q(perangkat_daerah__jenis=PerangkatDaerah.Jenis.DINAS))
            )
        )

    @admin.display(description=_("Perangkat Daerah"), ordering="dinas_total")
    def dinas_count(self, obj: Pemda) -> str:
        url = reverse("admin:dinas_perangkatdaerah_changelist") + f"?pemda__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.dinas_total)

    @admin.display(description=_("jabatan Kepala Daerah"))
    def jabatan_kepala(self, obj: Pemda) -> str:
        return obj.jabatan_kepala

    def has_module_permission(self, request):
        return user_may_manage_pemda(request.user)

    def has_view_permission(self, request, obj=None):
        return user_may_manage_pemda(request.user)

    def has_add_permission(self, request):
        return user_may_manage_pemda(request.user)

    def has_change_permission(self, request, obj=None):
        return user_may_manage_pemda(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_may_manage_pemda(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            services.pemda_update(pemda=obj, data={name: getattr(obj, name) for name in services.PEMDA_FIELDS})
        else:
            created = services.pemda_create(
                kode=obj.kode,
                nama=obj.nama,
                jenis=obj.jenis,
                tempat=obj.tempat,
                pk_disetujui_kepala_dinas=obj.pk_disetujui_kepala_dinas,
                penyetuju_pohon=obj.penyetuju_pohon,
            )
            obj.__dict__.update(created.__dict__)

    def delete_model(self, request, obj):
        services.pemda_delete(pemda=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.pemda_delete(pemda=obj)

    def save_formset(self, request, form, formset, change):
        save_formset_through(formset, pejabat_service)
