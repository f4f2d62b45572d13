"""Capaian (achievement) of an Indikator, budget absorption (serapan) and their colours: pure
functions over Decimals, no database, so that the fixed table of cases in the tests pins them.

Each formula has its text (``RUMUS``) so that every table that prints a capaian prints, under it,
the formula it used. The rules, as LKj practice applies them (PermenPANRB 53/2014 and the
agencies' LKj):

- ``naik`` (higher is better): R / T x 100;
- ``turun`` (lower is better): (2T - R) / T x 100, written (T - (R - T)) / T x 100;
- ``tetap`` (exactly the target): 100 - |R - T| / T x 100;
- qualitative (``WTP``, ``Baik``): score(R) / score(T) x 100 on the indikator's scale
  (the BPK opinion by default: WTP 4, WDP 3, TW 2, TMP 1).

Decisions the tests pin down:
- a target of 0: capaian 100 when the realisation is 0 too, otherwise it cannot be computed
  (a ratio to zero); never a division error;
- ``turun`` and ``tetap`` can go below 0 when the realisation is far off; capaian is floored at
  0 (a negative percentage reads as nonsense in a report);
- values are rounded half-up to two decimals only at the end;
- a missing realisation is "belum lapor" (grey), never green, and never counted as 0.

Quarters combine by the indikator's rule (``Aturan``): ``kumulatif`` adds the quarters up to
the one asked (realisation and target alike), ``nilai_akhir`` takes that quarter's own values
(against the yearly target where the quarter has none: see ``pohon.realisasi.selectors``),
``rata_rata`` averages the quarters reported so far against the average of their targets.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class Aturan(models.TextChoices):
    """How an Indikator's quarters add up to the year."""

    KUMULATIF = "kumulatif", _("Kumulatif (jumlah triwulan)")
    NILAI_AKHIR = "nilai_akhir", _("Nilai akhir (triwulan terakhir)")
    RATA_RATA = "rata_rata", _("Rata-rata triwulan")


class Warna(models.TextChoices):
    HIJAU = "hijau", _("Baik")
    KUNING = "kuning", _("Cukup")
    MERAH = "merah", _("Kurang")
    ABU = "abu", _("Belum lapor")


RUMUS = {
    "naik": "Capaian = Realisasi / Target × 100%",
    "turun": "Capaian = (Target − (Realisasi − Target)) / Target × 100% = (2 × Target − Realisasi) / Target × 100%",
    "tetap": "Capaian = 100% − |Realisasi − Target| / Target × 100%",
    "kualitatif": "Capaian = Skor(Realisasi) / Skor(Target) × 100% (skala indikator)",
}
RUMUS_SERAPAN = "Serapan = Realisasi anggaran / Pagu × 100%"
RUMUS_ATURAN = {
    Aturan.KUMULATIF: (
        "Triwulan digabung kumulatif: jumlah realisasi s.d. triwulan ini terhadap jumlah target s.d. triwulan ini"
    ),
    Aturan.NILAI_AKHIR: (
        "Triwulan digabung dengan nilai akhir: realisasi triwulan ini terhadap target triwulan ini "
        "(target tahunan bila target triwulan tidak diisi)"
    ),
    Aturan.RATA_RATA: "Triwulan digabung rata-rata: rata-rata realisasi yang dilaporkan terhadap rata-rata targetnya",
}

# The BPK audit opinion, the commonest qualitative indikator of an agency's LKj.
SKALA_OPINI_BPK: tuple[tuple[str, int], ...] = (("WTP", 4), ("WDP", 3), ("TW", 2), ("TMP", 1))

# Colour bands, unless the Pemda sets its own (``PengaturanCapaian``).
BATAS_HIJAU = Decimal(90)
BATAS_KUNING = Decimal(75)
BATAS_PERIKSA = Decimal(120)


@dataclass(frozen=True, slots=True)
class Capaian:
    """One computed capaian: ``nilai`` in percent (None when it cannot be computed, then
    ``alasan`` says why in Indonesian) and the formula used."""

    nilai: Decimal | None
    rumus: str
    alasan: str = ""


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _floor_zero(value: Decimal) -> Decimal:
    return value if value > 0 else Decimal(0)


def _zero_target(realisasi: Decimal, rumus: str) -> Capaian:
    if realisasi == 0:
        return Capaian(Decimal("100.00"), rumus)
    return Capaian(None, rumus, str(_("Target 0: capaian tidak dapat dihitung.")))


def capaian_naik(realisasi: Decimal, target: Decimal) -> Capaian:
    """Higher is better: R / T x 100."""
    rumus = RUMUS["naik"]
    if target == 0:
        return _zero_target(realisasi, rumus)
    return Capaian(_round(_floor_zero(realisasi / target * HUNDRED)), rumus)


def capaian_turun(realisasi: Decimal, target: Decimal) -> Capaian:
    """Lower is better: (T - (R - T)) / T x 100 = (2T - R) / T x 100, floored at 0."""
    rumus = RUMUS["turun"]
    if target == 0:
        return _zero_target(realisasi, rumus)
    return Capaian(_round(_floor_zero((target - (realisasi - target)) / target * HUNDRED)), rumus)


def capaian_tetap(realisasi: Decimal, target: Decimal) -> Capaian:
    """Exactly the target: 100 - |R - T| / T x 100, floored at 0."""
    rumus = RUMUS["tetap"]
    if target == 0:
        return _zero_target(realisasi, rumus)
    return Capaian(_round(_floor_zero(HUNDRED - abs(realisasi - target) / abs(target) * HUNDRED)), rumus)


def skala_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def skala_score(skala: Sequence[tuple[str, int]], label: str) -> int | None:
    """The score of ``label`` on the scale (case and spaces ignored); None when not on it."""
    key = skala_key(label)
    return next((score for name, score in skala if skala_key(name) == key), None)


def capaian_kualitatif(realisasi: str, target: str, skala: Sequence[tuple[str, int]]) -> Capaian:
    """Qualitative: score(R) / score(T) x 100 on the indikator's scale."""
    rumus = RUMUS["kualitatif"]
    score_t, score_r = skala_score(skala, target), skala_score(skala, realisasi)
    if score_t is None:
        return Capaian(None, rumus, str(_("Target “%(t)s” tidak ada pada skala indikator.") % {"t": target}))
    if score_r is None:
        return Capaian(None, rumus, str(_("Realisasi “%(r)s” tidak ada pada skala indikator.") % {"r": realisasi}))
    if score_t == 0:
        return _zero_target(Decimal(score_r), rumus)
    return Capaian(_round(Decimal(score_r) / Decimal(score_t) * HUNDRED), rumus)


CAPAIAN_BY_ARAH = {"naik": capaian_naik, "turun": capaian_turun, "tetap": capaian_tetap}


def capaian_hitung(
    *,
    arah: str,
    realisasi: Decimal | str | None,
    target: Decimal | str | None,
    skala: Sequence[tuple[str, int]] = SKALA_OPINI_BPK,
) -> Capaian:
    """The capaian of one realisation against one target: a number by the arah (an Indikator
    without one is ``naik``), a text on the scale."""
    if isinstance(target, str) or isinstance(realisasi, str):
        rumus = RUMUS["kualitatif"]
        if realisasi is None or realisasi == "":
            return Capaian(None, rumus, str(_("Belum lapor.")))
        if target is None or target == "":
            return Capaian(None, rumus, str(_("Target belum diisi.")))
        return capaian_kualitatif(str(realisasi), str(target), skala)
    function = CAPAIAN_BY_ARAH.get(arah or "naik", capaian_naik)
    rumus = RUMUS[arah or "naik"] if (arah or "naik") in RUMUS else RUMUS["naik"]
    if realisasi is None:
        return Capaian(None, rumus, str(_("Belum lapor.")))
    if target is None:
        return Capaian(None, rumus, str(_("Target belum diisi.")))
    return function(realisasi, target)


def gabung(
    aturan: str, targets: Sequence[Decimal | None], realisasi: Sequence[Decimal | None], triwulan: int = 4
) -> list[tuple[Decimal | None, Decimal | None]]:
    """Quarters 1..``triwulan`` (index 0 is TW I), each as (target, realisation) combined up to
    it by the rule, in one pass: the one place where quarters add up.

    Realisation: ``nilai_akhir`` the quarter's own value; ``kumulatif`` the sum of the values
    given so far; ``rata_rata`` their mean; None when the quarter itself has none (it has not
    been reported: an unreported quarter is never a 0). Target, measured by the same rule:
    ``nilai_akhir`` the quarter's own; ``kumulatif`` the sum of the targets of quarters 1..n (None
    when one is missing); ``rata_rata`` the mean of the targets of the quarters reported so far
    (None when one of those is missing, or none was reported)."""
    result = []
    real_sum, real_count = Decimal(0), 0
    target_sum, target_ok = Decimal(0), True  # every quarter so far (kumulatif)
    reported_sum, reported_count, reported_ok = Decimal(0), 0, True  # the reported quarters (rata_rata)
    for index in range(triwulan):
        target = targets[index] if index < len(targets) else None
        real = realisasi[index] if index < len(realisasi) else None
        if target is None:
            target_ok = False
        else:
            target_sum += target
        if real is not None:
            real_sum += real
            real_count += 1
            if target is None:
                reported_ok = False
            else:
                reported_sum += target
                reported_count += 1
        if aturan == Aturan.NILAI_AKHIR:
            result.append((target, real))
        elif aturan == Aturan.KUMULATIF:
            result.append((target_sum if target_ok else None, real_sum if real is not None else None))
        else:
            mean_target = reported_sum / reported_count if reported_ok and reported_count else None
            result.append((mean_target, real_sum / real_count if real is not None else None))
    return result


def gabung_triwulan(aturan: str, values: Sequence[Decimal | None], triwulan: int) -> Decimal | None:
    """Quarter ``triwulan``'s realisation combined by the rule (``gabung``)."""
    return gabung(aturan, (), values, triwulan)[triwulan - 1][1] if triwulan >= 1 else None


def gabung_target(aturan: str, targets: Sequence[Decimal | None], realisasi: Sequence[Decimal | None], triwulan: int):
    """The target quarter ``triwulan``'s combined realisation is measured against (``gabung``)."""
    return gabung(aturan, targets, realisasi, triwulan)[triwulan - 1][0] if triwulan >= 1 else None


def warna(nilai: Decimal | None, *, hijau: Decimal = BATAS_HIJAU, kuning: Decimal = BATAS_KUNING) -> str:
    """The colour band of a capaian: >= hijau green, >= kuning yellow, below red; grey when it
    was not reported or cannot be computed (never green)."""
    if nilai is None:
        return Warna.ABU
    if nilai >= hijau:
        return Warna.HIJAU
    if nilai >= kuning:
        return Warna.KUNING
    return Warna.MERAH


def perlu_diperiksa(nilai: Decimal | None, *, batas: Decimal = BATAS_PERIKSA) -> bool:
    """Above the bound (120 %) a capaian is marked for checking: a typo or a target set too low."""
    return nilai is not None and nilai > batas


def serapan(realisasi: Decimal | None, pagu: Decimal | None) -> Decimal | None:
    """Budget absorption in percent, two decimals; None without a Pagu (or a Pagu of 0) or
    without a realisation."""
    if realisasi is None or not pagu:
        return None
    return _round(realisasi / pagu * HUNDRED)


def persen_format(nilai: Decimal | None) -> str:
    """``95,5 %``; "—" for none. Two decimals at most, no trailing zeros."""
    if nilai is None:
        return "—"
    text = format(_round(nilai).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction} %" if fraction else f"{sign}{grouped} %"
