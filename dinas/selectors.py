"""Reads of agencies and of a user's roles in them, scoped to what a user may see."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from dinas.models import Keanggotaan, Pejabat, Pemda, PerangkatDaerah

# A role no one is granted: it is derived (``user_memberships``) and lets its holder read, never
# write, since every write right names the roles it needs. Two readers get it:
# - a Bappeda member, for every agency of their Pemda (they read, review, never edit those trees);
# - a member of any agency of a Pemda, for the Pemda's owner record (the Pemda tree, read-only).
PERAN_BACA = "baca"


def user_memberships(user: AbstractBaseUser | AnonymousUser) -> dict[int, frozenset[str]]:
    """Every agency (and Pemda owner record) the user holds a role in, with those roles
    (superuser or not), plus the derived read-only role ``PERAN_BACA`` (see there). Read in two
    queries and cached on the user object for the request: a single admin page asks many times."""
    if not (user.is_authenticated and user.is_active):
        return {}
    cached = user.__dict__.get("_pokin_memberships")
    if cached is None:
        held: dict[int, set[str]] = {}
        pemda_of: dict[int, int] = {}
        for dinas_id, peran, pemda_id in Keanggotaan.objects.filter(user=user).values_list(
            "dinas_id", "peran", "dinas__pemda_id"
        ):
            held.setdefault(dinas_id, set()).add(peran)
            pemda_of[dinas_id] = pemda_id
        if pemda_of:
            bappeda_pemda = {pemda_of[d] for d, roles in held.items() if Keanggotaan.Peran.BAPPEDA in roles}
            member_pemda = set(pemda_of.values())
            for dinas_id, pemda_id, jenis in PerangkatDaerah.objects.filter(pemda_id__in=member_pemda).values_list(
                "pk", "pemda_id", "jenis"
            ):
                if pemda_id in bappeda_pemda or jenis == PerangkatDaerah.Jenis.PEMDA:
                    held.setdefault(dinas_id, set()).add(PERAN_BACA)
        cached = {dinas_id: frozenset(roles) for dinas_id, roles in held.items()}
        user.__dict__["_pokin_memberships"] = cached
    return cached


def user_roles(user: AbstractBaseUser | AnonymousUser, dinas_id: int) -> set[str]:
    """The user's roles in one agency (superusers count as Admin)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    roles = set(user_memberships(user).get(dinas_id, ()))
    if user.is_superuser:
        roles.add(Keanggotaan.Peran.ADMIN)
    return roles


def dinas_with_roles(user: AbstractBaseUser | AnonymousUser, roles: Iterable[str]) -> QuerySet[PerangkatDaerah]:
    """Every agency for a superuser; else the agencies where the user holds one of ``roles``."""
    if not (user.is_authenticated and user.is_active):
        return PerangkatDaerah.objects.none()
    if user.is_superuser:
        return PerangkatDaerah.objects.all()
    ids = [dinas_id for dinas_id, held in user_memberships(user).items() if held & set(roles)]
    return PerangkatDaerah.objects.filter(pk__in=ids)


def dinas_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[PerangkatDaerah]:
    """Superusers see every agency; everyone else only the agencies they are a member of, and
    those they read by a derived role (``PERAN_BACA``: Bappeda, the Pemda tree)."""
    return dinas_with_roles(user, [*Keanggotaan.Peran.values, PERAN_BACA])


def dinas_administered_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[PerangkatDaerah]:
    """The agencies the user administers (imports, copies): every one for a superuser, else
    those where they are Admin."""
    return dinas_with_roles(user, [Keanggotaan.Peran.ADMIN])


def user_may_see_job(user: AbstractBaseUser | AnonymousUser, job) -> bool:
    """A background job (core.models.Pekerjaan) is seen by whoever asked for it and by the
    members of its agency (settings.POKIN_JOB_ACCESS names this rule for core)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (job.user_id is not None and job.user_id == user.pk):
        return True
    return job.dinas_id is not None and Keanggotaan.objects.filter(user=user, dinas_id=job.dinas_id).exists()


def pemda_kepala_daerah(pemda: Pemda, tahun: int) -> Pejabat | None:
    """The Kepala Daerah of ``pemda`` in office in ``tahun`` (the latest appointed when terms
    overlap), or None."""
    return (
        Pejabat.objects.filter(pemda=pemda, tahun_mulai__lte=tahun)
        .filter(Q(tahun_selesai__isnull=True) | Q(tahun_selesai__gte=tahun))
        .order_by("-tahun_mulai", "-pk")
        .first()
    )
