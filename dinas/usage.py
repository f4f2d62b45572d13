"""Who holds a unit kerja: a registry that other apps fill, so that ``dinas`` can refuse to
delete a unit that an approved document prints without importing those apps.

``pohon`` registers its selector of approved trees using a unit from ``PohonConfig.ready()``;
``dinas.services.unit_delete`` asks every registered function and refuses when any names a
holder.
"""

from collections.abc import Callable

from dinas.models import UnitKerja

UnitUsage = Callable[[UnitKerja], list[str]]

_unit_usages: list[UnitUsage] = []


def register_unit_usage(fn: UnitUsage) -> UnitUsage:
    """Register ``fn(unit) -> names of what holds it`` (e.g. "dpmd-lumajang 2018"); usable as a
    decorator. Registering the same function twice keeps one."""
    if fn not in _unit_usages:
        _unit_usages.append(fn)
    return fn


def unit_holders(unit: UnitKerja) -> list[str]:
    """The names of everything that keeps ``unit`` from being deleted, in registration order."""
    return [name for fn in _unit_usages for name in fn(unit)]
