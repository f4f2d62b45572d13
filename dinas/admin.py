"""Admin screens for agencies, their units, officials and memberships.

Superusers see every agency; other staff only the agencies they hold a ``Keanggotaan`` in
(``dinas.selectors.dinas_visible_to``), both in the lists and in every agency, unit or tree
they can pick in a form. ``DinasScopedAdmin`` does that once for the admins of both apps.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dinas.admin_import import OrganisasiImportAdminMixin
from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format
from dinas.selectors import dinas_visible_to


class DinasScopedAdmin(admin.ModelAdmin):
    """Limits rows and foreign-key choices to the agencies the user belongs to.

    ``dinas_path`` is the lookup from the admin's model to its ``PerangkatDaerah``.
    """

    dinas_path = "dinas"

    def visible_dinas(self, request: HttpRequest) -> QuerySet[PerangkatDaerah]:
        return dinas_visible_to(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.dinas_path}__in": self.visible_dinas(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        path = _DINAS_PATHS.get(model._meta.label)
        if path is not None and not request.user.is_superuser:
            queryset = kwargs.get("queryset", model._default_manager.all())
            kwargs["queryset"] = queryset.filter(**{f"{path}__in": self.visible_dinas(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Models one can pick in a form, with their lookup to the owning agency.
_DINAS_PATHS = {
    "dinas.PerangkatDaerah": "pk",
    "dinas.UnitKerja": "dinas",
    "pohon.Pohon": "dinas",
}


class UnitChoiceField(forms.ModelChoiceField):
    """Units of different agencies share names ("Sekretariat"): name the agency too."""

    def label_from_instance(self, obj: UnitKerja) -> str:
        return f"{obj.nama} ({obj.dinas.kode})"


def _unit_field_kwargs(kwargs: dict) -> dict:
    queryset = kwargs.get("queryset", UnitKerja.objects.all())
    return {**kwargs, "queryset": queryset.select_related("dinas"), "form_class": UnitChoiceField}


class UnitKerjaInlineFormSet(forms.BaseInlineFormSet):
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


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(OrganisasiImportAdminMixin, DinasScopedAdmin):
    dinas_path = "pk"
    list_display = ("nama", "kode", "pemda", "tempat", "unit_count", "pohon_link")
    search_fields = ("nama", "kode", "pemda")
    list_filter = ("pemda",)
    prepopulated_fields = {"kode": ("nama",)}
    inlines = [UnitKerjaInline]

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
class UnitKerjaAdmin(DinasScopedAdmin):
    form = UnitKerjaForm
    list_display = ("nama", "kode", "jenis", "dinas", "parent", "urutan")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "jenis")
    search_fields = ("nama", "kode", "dinas__nama", "dinas__kode")
    list_select_related = ("dinas", "parent")
    ordering = ("dinas__nama", "urutan", "id")

    def get_readonly_fields(self, request, obj=None):
        # Moving a unit to another agency would orphan its officials, nodes and children.
        return ("dinas",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs = _unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PejabatForm(forms.ModelForm):
    class Meta:
        model = Pejabat
        fields = ("nama", "nip", "jabatan", "unit", "tahun_mulai", "tahun_selesai")
        help_texts = {"nip": _("18 angka; boleh diketik dengan spasi, contoh: 19740910 199412 1 001.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored as 18 digits; shown the way it is printed.
        if self.instance.pk and "nip" in self.fields:
            self.initial["nip"] = nip_format(self.instance.nip)


@admin.register(Pejabat)
class PejabatAdmin(DinasScopedAdmin):
    form = PejabatForm
    dinas_path = "unit__dinas"
    list_display = ("nama", "nip_display", "jabatan", "unit", "dinas", "tahun_mulai", "tahun_selesai")
    list_filter = (("unit__dinas", admin.RelatedOnlyFieldListFilter), "tahun_mulai")
    search_fields = ("nama", "nip", "jabatan", "unit__nama")
    list_select_related = ("unit__dinas",)

    @admin.display(description=_("NIP"), ordering="nip")
    def nip_display(self, obj: Pejabat) -> str:
        return obj.nip_display

    @admin.display(description=_("Perangkat Daerah"), ordering="unit__dinas__nama")
    def dinas(self, obj: Pejabat) -> str:
        return obj.unit.dinas.nama

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs = _unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Keanggotaan)
class KeanggotaanAdmin(DinasScopedAdmin):
    list_display = ("user", "dinas", "peran", "unit")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "peran")
    search_fields = ("user__username", "user__first_name", "user__last_name", "dinas__nama", "dinas__kode")
    list_select_related = ("user", "dinas", "unit")
    autocomplete_fields = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs = _unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
