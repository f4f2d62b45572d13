"""Admin screens for agencies, their units, officials and memberships.

Every screen asks ``dinas.admin_access`` about the user's role IN THE RECORD'S AGENCY: the
lists show the rows of the agencies where the user may view them, each record opens read-only,
editable or not at all by the role there, and every agency, unit or tree offered in a form is
one where the user may add or change such records. ``DinasScopedAdmin`` does that once for the
admins of both apps; the Django groups' model permissions stay a coarse gate in front of it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dinas.admin_access import ADD, CHANGE, DELETE, VIEW, dinas_where, user_may, user_may_manage_membership
from dinas.admin_import import OrganisasiImportAdminMixin
from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format


def _dinas_id_of(obj, path: str) -> int | None:
    """Follow a lookup such as ``unit__dinas`` from ``obj`` to the owning agency's id."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class DinasScopedAdmin(admin.ModelAdmin):
    """Decides every view, add, change and delete by the user's role in the record's agency.

    ``dinas_path`` is the lookup from the admin's model to its ``PerangkatDaerah``; the roles
    each action needs are ``dinas.admin_access.ACCESS`` under the model's label.
    """

    dinas_path = "dinas"

    @property
    def access_label(self) -> str:
        return self.opts.label_lower

    def object_dinas_id(self, obj) -> int | None:
        return _dinas_id_of(obj, self.dinas_path)

    def user_may(self, request: HttpRequest, action: str, obj=None) -> bool:
        """The per-agency rule: in ``obj``'s agency, or (without obj) in at least one agency."""
        dinas_id = None if obj is None else self.object_dinas_id(obj)
        if obj is not None and dinas_id is None:
            return request.user.is_superuser  # a record of no agency yet: only the superuser
        return user_may(request.user, self.access_label, action, dinas_id)

    def visible_dinas(self, request: HttpRequest) -> QuerySet[PerangkatDaerah]:
        return dinas_where(request.user, self.access_label, VIEW)

    def editable_dinas(self, request: HttpRequest, label: str | None = None) -> QuerySet[PerangkatDaerah]:
        """The agencies where the user may both add and change ``label`` records (this admin's
        model by default): what a form may point at."""
        return dinas_where(request.user, label or self.access_label, ADD, CHANGE)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.dinas_path}__in": self.visible_dinas(request)})

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            self.user_may(request, VIEW, obj) or self.user_may(request, CHANGE, obj)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.user_may(request, ADD)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.user_may(request, CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.user_may(request, DELETE, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        path = _DINAS_PATHS.get(model._meta.label)
        if path is not None and not request.user.is_superuser:
            queryset = kwargs.get("queryset", model._default_manager.all())
            kwargs["queryset"] = queryset.filter(**{f"{path}__in": self.editable_dinas(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The forms offer only agencies the user may write; this refuses whatever else got
        # through (the submitted record's agency, not only the one it had before).
        self.authorize_write(request, obj, CHANGE if change else ADD)
        super().save_model(request, obj, form, change)

    def authorize_write(self, request: HttpRequest, obj, action: str) -> None:
        if not self.user_may(request, action, obj):
            raise PermissionDenied(gettext("Anda tidak berhak mengubah data Perangkat Daerah ini."))


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


OWN_MEMBERSHIP_REFUSED = _(
    "Anda tidak dapat memberi, mengubah atau mencabut peran Anda sendiri. "
    "Mintalah Admin lain Perangkat Daerah ini atau superuser."
)


class KeanggotaanForm(forms.ModelForm):
    request_user = None  # set by KeanggotaanAdmin.get_form: nobody grants roles to themselves

    class Meta:
        model = Keanggotaan
        fields = ("user", "dinas", "peran", "unit")

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if (
            user is not None
            and self.request_user is not None
            and not user_may_manage_membership(self.request_user, user.pk)
        ):
            raise ValidationError(OWN_MEMBERSHIP_REFUSED)
        return user


@admin.register(Keanggotaan)
class KeanggotaanAdmin(DinasScopedAdmin):
    form = KeanggotaanForm
    list_display = ("user", "dinas", "peran", "unit")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "peran")
    search_fields = ("user__username", "user__first_name", "user__last_name", "dinas__nama", "dinas__kode")
    list_select_related = ("user", "dinas", "unit")
    autocomplete_fields = ("user",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user  # a fresh class per call: safe to set
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and user_may_manage_membership(
            request.user, obj.user_id if obj is not None else None
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and user_may_manage_membership(
            request.user, obj.user_id if obj is not None else None
        )

    def authorize_write(self, request: HttpRequest, obj: Keanggotaan, action: str) -> None:
        if not user_may_manage_membership(request.user, obj.user_id):
            raise PermissionDenied(OWN_MEMBERSHIP_REFUSED)
        super().authorize_write(request, obj, action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and not user_may_manage_membership(request.user, obj.user_id):
            self.message_user(request, OWN_MEMBERSHIP_REFUSED, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs = _unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
