"""Admin saves and deletions through ``dinas.services``: the mixin for a ModelAdmin, and the
same for an inline formset."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponseRedirect

from dinas import services
from dinas.admin_access import ADD, CHANGE
from dinas.models import Pejabat, UnitKerja


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


def unit_refusal(unit: UnitKerja) -> str | None:
    try:
        services.unit_delete_check(unit=unit)
    except ValidationError as refused:
        return " ".join(refused.messages)
    return None


def pejabat_service(action: str, obj: Pejabat, data: Mapping[str, Any] | None = None) -> Model | None:
    if action == "create":
        return services.pejabat_create(
            **{name: getattr(obj, name) for name in services.PEJABAT_FIELDS if name != "tahun_mulai"},
            tahun_mulai=obj.tahun_mulai,
        )
    if action == "update":
        return services.pejabat_update(pejabat=obj, data=data or {})
    services.pejabat_delete(pejabat=obj)
    return None


def unit_service(action: str, obj: UnitKerja, data: Mapping[str, Any] | None = None) -> Model | None:
    if action == "create":
        return services.unit_create(dinas=obj.dinas, **{name: getattr(obj, name) for name in services.UNIT_FIELDS})
    if action == "update":
        return services.unit_update(unit=obj, data=data or {})
    services.unit_delete(unit=obj)
    return None


def save_formset_through(formset, service) -> None:
    """An inline formset's saves and deletions through the services instead of save()/delete()."""
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        service("delete", obj)
    for obj, changed in formset.changed_objects:
        service("update", obj, {name: getattr(obj, name) for name in changed})
    for obj in formset.new_objects:
        obj.__dict__.update(service("create", obj).__dict__)
    formset.save_m2m()
