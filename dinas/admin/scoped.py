"""The per-agency rule every admin screen of both apps follows (see ``dinas.admin``)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from dinas.admin_access import ADD, CHANGE, DELETE, VIEW, dinas_where, user_may
from dinas.models import PerangkatDaerah, UnitKerja


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


def unit_field_kwargs(kwargs: dict) -> dict:
    queryset = kwargs.get("queryset", UnitKerja.objects.all())
    return {**kwargs, "queryset": queryset.select_related("dinas"), "form_class": UnitChoiceField}
