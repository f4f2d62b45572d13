"""Agencies (with their units inline and the organisation import), units and officials."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dinas import services
from dinas.admin.scoped import DinasScopedAdmin, unit_field_kwargs
from dinas.admin.writes import ServiceWritesMixin, pejabat_service, save_formset_through, unit_refusal, unit_service
from dinas.admin_access import ADD, CHANGE, DELETE, VIEW, user_may, user_may_manage_pemda
from dinas.admin_import import OrganisasiImportAdminMixin
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format


class UnitKerjaInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # A unit ticked for deletion that an approved tree uses: refused on the form, not later.
        refusals = [
            refusal
            for form in getattr(self, "deleted_forms", [])
            if form.instance.pk and (refusal := unit_refusal(form.instance))
        ]
        if refusals:
            raise ValidationError(refusals)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # The parent unit must be of the same agency: offer only this agency's units.
        if "parent" in form.fields:
            units = UnitKerja.objects.filter(dinas=self.instance) if self.instance.pk else UnitKerja.objects.none()
            form.fields["parent"].queryset = units


class UnitKerjaInline(admin.TabularInline):
    model = UnitKerja
    formset = UnitKerjaInlineFormSet
    fields = ("urutan", "kode", "nama", "jenis", "parent")
    extra = 0
    show_change_link = True

    # ``obj`` is the agency being shown: its units follow the user's role in it. Without one
    # (the inline's queryset, a new agency, which only a superuser adds): in some agency.
    def _may(self, request: HttpRequest, action: str, obj: PerangkatDaerah | None) -> bool:
        return user_may(request.user, self.opts.label_lower, action, obj.pk if obj is not None else None)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(request, VIEW, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may(request, ADD, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, DELETE, obj)


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(OrganisasiImportAdminMixin, ServiceWritesMixin, DinasScopedAdmin):
    dinas_path = "pk"
    list_display = ("nama", "kode", "pemda", "tempat", "unit_count", "pohon_link")
    search_fields = ("nama", "kode", "pemda__nama")
    list_filter = ("pemda",)
    list_select_related = ("pemda",)
    prepopulated_fields = {"kode": ("nama",)}
    inlines = [UnitKerjaInline]
    service_fields = services.DINAS_FIELDS

    def create(self, obj: PerangkatDaerah) -> PerangkatDaerah:
        return services.dinas_create(kode=obj.kode, nama=obj.nama, pemda=obj.pemda, tempat=obj.tempat)

    def update(self, obj: PerangkatDaerah, data: Mapping[str, Any]) -> PerangkatDaerah:
        return services.dinas_update(dinas=obj, data=data)

    def remove(self, obj: PerangkatDaerah) -> None:
        services.dinas_delete(dinas=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is UnitKerja:
            save_formset_through(formset, unit_service)
        else:
            super().save_formset(request, form, formset, change)

    def get_readonly_fields(self, request, obj=None):
        # Which Pemda an agency belongs to is decided by a superuser (dinas.admin_access).
        if obj is not None and not user_may_manage_pemda(request.user):
            return ("pemda",)
        return ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(unit_total=Count("units"))

    @admin.display(description=_("unit kerja"), ordering="unit_total")
    def unit_count(self, obj: PerangkatDaerah) -> int:
        return obj.unit_total

    @admin.display(description=_("pohon kinerja"))
    def pohon_link(self, obj: PerangkatDaerah) -> str:
        url = reverse("admin:pohon_pohon_changelist") + f"?dinas__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Lihat pohon"))


class UnitKerjaForm(forms.ModelForm):
    class Meta:
        model = UnitKerja
        fields = ("dinas", "kode", "nama", "jenis", "parent", "urutan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer parents of the unit's own agency once that agency is known.
        dinas_id = self.instance.dinas_id or self.initial.get("dinas")
        if "parent" in self.fields and dinas_id:
            units = self.fields["parent"].queryset.filter(dinas_id=dinas_id)
            if self.instance.pk:
                units = units.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = units


@admin.register(UnitKerja)
class UnitKerjaAdmin(ServiceWritesMixin, DinasScopedAdmin):
    form = UnitKerjaForm
    service_fields = services.UNIT_FIELDS
    list_display = ("nama", "kode", "jenis", "dinas", "parent", "urutan")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "jenis")
    search_fields = ("nama", "kode", "dinas__nama", "dinas__kode")
    list_select_related = ("dinas", "parent")
    ordering = ("dinas__nama", "urutan", "id")

    def get_readonly_fields(self, request, obj=None):
        # Moving a unit to another agency would orphan its officials, nodes and children.
        return ("dinas",) if obj is not None else ()

    def create(self, obj: UnitKerja) -> UnitKerja:
        return unit_service("create", obj)

    def update(self, obj: UnitKerja, data: Mapping[str, Any]) -> UnitKerja:
        return services.unit_update(unit=obj, data=data)

    def remove(self, obj: UnitKerja) -> None:
        services.unit_delete(unit=obj)

    def delete_refusal(self, obj: UnitKerja) -> str | None:
        return unit_refusal(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs = unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PejabatForm(forms.ModelForm):
    class Meta:
        model = Pejabat
        fields = ("nama", "nip", "jabatan", "status", "pangkat", "unit", "pemda", "tahun_mulai", "tahun_selesai")
        help_texts = {
            "nip": _(
                "18 angka; boleh diketik dengan spasi, contoh: 19740910 199412 1 001. Tidak wajib untuk Kepala Daerah."
            ),
            "jabatan": _("Untuk Kepala Daerah boleh dikosongkan: Bupati, Wali Kota atau Gubernur sesuai Pemda."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored as 18 digits; shown the way it is printed.
        if self.instance.pk and "nip" in self.fields:
            self.initial["nip"] = nip_format(self.instance.nip)
        if "status" in self.fields:
            self.fields["status"].required = False  # left out: definitif

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or Pejabat.Status.DEFINITIF

    def _post_clean(self) -> None:
        refused_unit = self.has_error("unit")
        super()._post_clean()
        # A unit refused as a choice is also missing for the model's "unit or Pemda" rule: one
        # message is enough.
        if refused_unit:
            del self.errors["unit"][1:]


@admin.register(Pejabat)
class PejabatAdmin(ServiceWritesMixin, DinasScopedAdmin):
    form = PejabatForm
    dinas_path = "unit__dinas"
    list_display = ("nama", "nip_display", "jabatan", "status", "unit", "dinas", "tahun_mulai", "tahun_selesai")
    list_filter = (("unit__dinas", admin.RelatedOnlyFieldListFilter), "status", "tahun_mulai")
    search_fields = ("nama", "nip", "jabatan", "unit__nama", "pemda__nama")
    list_select_related = ("unit__dinas__pemda", "pemda")
    service_fields = services.PEJABAT_FIELDS

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A Kepala Daerah (an official of a Pemda) is recorded by a superuser only.
        return fields if user_may_manage_pemda(request.user) else [name for name in fields if name != "pemda"]

    def create(self, obj: Pejabat) -> Pejabat:
        return pejabat_service("create", obj)

    def update(self, obj: Pejabat, data: Mapping[str, Any]) -> Pejabat:
        return services.pejabat_update(pejabat=obj, data=data)

    def remove(self, obj: Pejabat) -> None:
        services.pejabat_delete(pejabat=obj)

    @admin.display(description=_("NIP"), ordering="nip")
    def nip_display(self, obj: Pejabat) -> str:
        return obj.nip_display

    @admin.display(description=_("Perangkat Daerah"), ordering="unit__dinas__nama")
    def dinas(self, obj: Pejabat) -> str:
        return obj.unit.dinas.nama if obj.unit is not None else str(obj.pemda)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs = unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
