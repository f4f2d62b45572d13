"""Admin screens for agencies, their units, officials and memberships.

Every screen asks ``dinas.admin_access`` about the user's role IN THE RECORD'S AGENCY: the
lists show the rows of the agencies where the user may view them, each record opens read-only,
editable or not at all by the role there, and every agency, unit or tree offered in a form is
one where the user may add or change such records. ``DinasScopedAdmin`` does that once for the
admins of both apps; the Django groups' model permissions stay a coarse gate in front of it.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dinas import services
from dinas.admin_access import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    dinas_where,
    user_may,
    user_may_manage_membership,
    user_may_manage_pemda,
)
from dinas.admin_import import OrganisasiImportAdminMixin
from dinas.models import Keanggotaan, Pejabat, Pemda, PerangkatDaerah, UnitKerja
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


class ServiceWritesMixin:
    """Saves and deletes through ``dinas.services`` instead of the model's own save()/delete():
    ``create(obj)`` returns the record a service created from the form's unsaved ``obj``,
    ``update(obj, data)`` and ``remove(obj)`` call the service. A deletion the services refuse
    (a unit an approved tree uses) is listed on the confirmation page as protected, with the
    message, so nothing is deleted and no error page appears; a refusal that arrives anyway
    (changed meanwhile) comes back as an error message."""

    service_fields: tuple[str, ...] = ()

    def create(self, obj: Model) -> Model:
        raise NotImplementedError

    def update(self, obj: Model, data: Mapping[str, Any]) -> Model:
        raise NotImplementedError

    def remove(self, obj: Model) -> None:
        raise NotImplementedError

    def delete_refusal(self, obj: Model) -> str | None:
        """Why ``obj`` may not be deleted although the database would let it go, or None."""
        return None

    def save_model(self, request, obj, form, change):
        self.authorize_write(request, obj, CHANGE if change else ADD)
        if change:
            self.update(obj, {name: getattr(obj, name) for name in self.service_fields})
        else:
            # The admin goes on with ``obj`` (inlines, the redirect): it becomes the created record.
            obj.__dict__.update(self.create(obj).__dict__)

    def delete_model(self, request, obj):
        self.remove(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.remove(obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            refusal = self.delete_refusal(obj)
            if refusal:
                protected = [*protected, refusal]
                self.message_user(request, refusal, messages.ERROR)
        return deleted, model_count, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)


def _unit_refusal(unit: UnitKerja) -> str | None:
    try:
        services.unit_delete_check(unit=unit)
    except ValidationError as refused:
        return " ".join(refused.messages)
    return None


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
    def clean(self) -> None:
        super().clean()
        # A unit ticked for deletion that an approved tree uses: refused on the form, not later.
        refusals = [
            refusal
            for form in getattr(self, "deleted_forms", [])
            if form.instance.pk and (refusal := _unit_refusal(form.instance))
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
        return super().get_queryset(request).annotate(dinas_total=Count("perangkat_daerah"))

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
            created = services.pemda_create(kode=obj.kode, nama=obj.nama, jenis=obj.jenis, tempat=obj.tempat)
            obj.__dict__.update(created.__dict__)

    def delete_model(self, request, obj):
        services.pemda_delete(pemda=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.pemda_delete(pemda=obj)

    def save_formset(self, request, form, formset, change):
        _save_formset_through(formset, _pejabat_service)


def _pejabat_service(action: str, obj: Pejabat, data: Mapping[str, Any] | None = None) -> Model | None:
    if action == "create":
        return services.pejabat_create(
            **{name: getattr(obj, name) for name in services.PEJABAT_FIELDS if name != "tahun_mulai"},
            tahun_mulai=obj.tahun_mulai,
        )
    if action == "update":
        return services.pejabat_update(pejabat=obj, data=data or {})
    services.pejabat_delete(pejabat=obj)
    return None


def _unit_service(action: str, obj: UnitKerja, data: Mapping[str, Any] | None = None) -> Model | None:
    if action == "create":
        return services.unit_create(dinas=obj.dinas, **{name: getattr(obj, name) for name in services.UNIT_FIELDS})
    if action == "update":
        return services.unit_update(unit=obj, data=data or {})
    services.unit_delete(unit=obj)
    return None


def _save_formset_through(formset, service) -> None:
    """An inline formset's saves and deletions through the services instead of save()/delete()."""
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        service("delete", obj)
    for obj, changed in formset.changed_objects:
        service("update", obj, {name: getattr(obj, name) for name in changed})
    for obj in formset.new_objects:
        obj.__dict__.update(service("create", obj).__dict__)
    formset.save_m2m()


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
            _save_formset_through(formset, _unit_service)
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
        return _unit_service("create", obj)

    def update(self, obj: UnitKerja, data: Mapping[str, Any]) -> UnitKerja:
        return services.unit_update(unit=obj, data=data)

    def remove(self, obj: UnitKerja) -> None:
        services.unit_delete(unit=obj)

    def delete_refusal(self, obj: UnitKerja) -> str | None:
        return _unit_refusal(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs = _unit_field_kwargs(kwargs)
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
        return _pejabat_service("create", obj)

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
