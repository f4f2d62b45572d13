"""The fixed table of capaian cases: each arah, the qualitative scale, zero and missing values,
the quarter rules, colours and serapan. The code must reproduce every row exactly."""

from decimal import Decimal

import pytest

from pohon.realisasi.capaian import (
    RUMUS,
    SKALA_OPINI_BPK,
    capaian_hitung,
    gabung_target,
    gabung_triwulan,
    perlu_diperiksa,
    persen_format,
    serapan,
    warna,
)

D = Decimal

# (arah, realisasi, target, expected capaian or None)
CASES = [
    # naik: R / T x 100
    ("naik", "80", "100", "80.00"),
    ("naik", "100", "80", "125.00"),
    ("naik", "85.5", "90", "95.00"),
    ("naik", "1", "3", "33.33"),
    ("naik", "2", "3", "66.67"),
    ("naik", "0", "100", "0.00"),
    ("naik", "0", "0", "100.00"),  # target 0 met exactly
    ("naik", "5", "0", None),  # ratio to zero: not computable
    ("", "80", "100", "80.00"),  # no arah: naik
    # turun: (2T - R) / T x 100
    ("turun", "8", "10", "120.00"),
    ("turun", "12", "10", "80.00"),
    ("turun", "10", "10", "100.00"),
    ("turun", "0", "10", "200.00"),
    ("turun", "25", "10", "0.00"),  # -50 floored at 0
    ("turun", "0", "0", "100.00"),
    ("turun", "1", "0", None),
    ("turun", "4.5", "5", "110.00"),
    # tetap: 100 - |R - T| / T x 100
    ("tetap", "100", "100", "100.00"),
    ("tetap", "90", "100", "90.00"),
    ("tetap", "110", "100", "90.00"),
    ("tetap", "250", "100", "0.00"),  # -50 floored at 0
    ("tetap", "7", "8", "87.50"),
    ("tetap", "0", "0", "100.00"),
    # missing values
    ("naik", None, "100", None),
    ("naik", "80", None, None),
    ("turun", None, "10", None),
]


@pytest.mark.parametrize(("arah", "realisasi", "target", "expected"), CASES)
def test_capaian_numeric_table(arah, realisasi, target, expected):
    result = capaian_hitung(
        arah=arah,
        realisasi=None if realisasi is None else D(realisasi),
        target=None if target is None else D(target),
    )
    assert result.nilai == (None if expected is None else D(expected))
    assert str(result.nilai) == str(None if expected is None else D(expected))  # exactly two places
    assert result.rumus == RUMUS[arah or "naik"]
    if expected is None:
        assert result.alasan


QUALITATIVE = [
    ("WTP", "WTP", SKALA_OPINI_BPK, "100.00"),
    ("WDP", "WTP", SKALA_OPINI_BPK, "75.00"),
    ("TW", "WTP", SKALA_OPINI_BPK, "50.00"),
    ("TMP", "WTP", SKALA_OPINI_BPK, "25.00"),
    ("WTP", "WDP", SKALA_OPINI_BPK, "133.33"),
    ("wtp", " WTP ", SKALA_OPINI_BPK, "100.00"),  # case and spaces ignored
    ("Baik", "WTP", SKALA_OPINI_BPK, None),  # not on the scale
    ("WTP", "Baik", SKALA_OPINI_BPK, None),
    ("Cukup", "Baik", (("Sangat Baik", 4), ("Baik", 3), ("Cukup", 2), ("Kurang", 1)), "66.67"),
    ("Sangat Baik", "Baik", (("Sangat Baik", 4), ("Baik", 3), ("Cukup", 2), ("Kurang", 1)), "133.33"),
    ("", "WTP", SKALA_OPINI_BPK, None),  # not reported
    (None, "WTP", SKALA_OPINI_BPK, None),
]


@pytest.mark.parametrize(("realisasi", "target", "skala", "expected"), QUALITATIVE)
def test_capaian_qualitative_table(realisasi, target, skala, expected):
    result = capaian_hitung(arah="naik", realisasi=realisasi, target=target, skala=skala)
    assert result.nilai == (None if expected is None else D(expected))
    assert result.rumus == RUMUS["kualitatif"]


def test_capaian_missing_reason_is_belum_lapor():
    assert capaian_hitung(arah="naik", realisasi=None, target=D(5)).alasan == "Belum lapor."
    assert capaian_hitung(arah="naik", realisasi=D(5), target=None).alasan == "Target belum diisi."
    assert capaian_hitung(arah="naik", realisasi=D(5), target=D(0)).alasan == "Target 0: capaian tidak dapat dihitung."


def _d(values):
    return [None if value is None else D(value) for value in values]


# (aturan, values TW I..IV, quarter, expected combined realisation)
COMBINED = [
    ("kumulatif", ["10", "20", None, None], 1, "10"),
    ("kumulatif", ["10", "20", None, None], 2, "30"),
    ("kumulatif", ["10", "20", None, None], 3, None),  # TW III not reported
    ("kumulatif", [None, "20", None, None], 2, "20"),  # an unreported quarter is not a 0
    ("kumulatif", ["10", "20", "30", "40"], 4, "100"),
    ("nilai_akhir", ["80", "90", None, None], 2, "90"),
    ("nilai_akhir", ["80", "90", None, None], 3, None),
    ("rata_rata", ["80", "90", None, None], 2, "85"),
    ("rata_rata", ["80", None, "90", None], 3, "85"),
    ("rata_rata", ["80", "90", "100", "70"], 4, "85"),
]


@pytest.mark.parametrize(("aturan", "values", "triwulan", "expected"), COMBINED)
def test_gabung_triwulan_table(aturan, values, triwulan, expected):
    assert gabung_triwulan(aturan, _d(values), triwulan) == (None if expected is None else D(expected))


# (aturan, targets, realisations, quarter, expected combined target)
TARGETS = [
    ("kumulatif", ["25", "25", "25", "25"], ["20", "30", None, None], 2, "50"),
    ("kumulatif", ["25", None, "25", "25"], ["20", "30", None, None], 2, None),  # a target missing
    ("nilai_akhir", ["80", "85", "90", "95"], ["70", None, None, None], 3, "90"),
    ("rata_rata", ["80", "85", "90", "95"], ["70", None, "88", None], 3, "85"),  # TW I and III only
]


@pytest.mark.parametrize(("aturan", "targets", "realisasi", "triwulan", "expected"), TARGETS)
def test_gabung_target_table(aturan, targets, realisasi, triwulan, expected):
    assert gabung_target(aturan, _d(targets), _d(realisasi), triwulan) == (None if expected is None else D(expected))


def test_kumulatif_capaian_end_to_end():
    """Targets 25 a quarter, realised 20 then 30: at TW II 50 of 50, 100 %."""
    targets, real = _d(["25", "25", "25", "25"]), _d(["20", "30", None, None])
    result = capaian_hitung(
        arah="naik",
        realisasi=gabung_triwulan("kumulatif", real, 2),
        target=gabung_target("kumulatif", targets, real, 2),
    )
    assert result.nilai == D("100.00")


@pytest.mark.parametrize(
    ("nilai", "expected"),
    [
        ("120", "hijau"),
        ("90", "hijau"),
        ("89.99", "kuning"),
        ("75", "kuning"),
        ("74.99", "merah"),
        ("0", "merah"),
        (None, "abu"),  # not reported: grey, never green
    ],
)
def test_warna_default_bands(nilai, expected):
    assert warna(None if nilai is None else D(nilai)) == expected


def test_warna_pemda_bands():
    assert warna(D(85), hijau=D(85), kuning=D(60)) == "hijau"
    assert warna(D(60), hijau=D(85), kuning=D(60)) == "kuning"
    assert warna(D("59.99"), hijau=D(85), kuning=D(60)) == "merah"


def test_perlu_diperiksa_above_120():
    assert not perlu_diperiksa(D(120))
    assert perlu_diperiksa(D("120.01"))
    assert not perlu_diperiksa(None)
    assert perlu_diperiksa(D(110), batas=D(105))


@pytest.mark.parametrize(
    ("realisasi", "pagu", "expected"),
    [
        ("250000000", "1000000000", "25.00"),
        ("1", "3", "33.33"),
        ("2078747000", "2078747000", "100.00"),
        ("1100", "1000", "110.00"),
        ("0", "1000", "0.00"),
        ("100", "0", None),  # no Pagu to absorb
        (None, "1000", None),
        ("100", None, None),
    ],
)
def test_serapan_table(realisasi, pagu, expected):
    result = serapan(None if realisasi is None else D(realisasi), None if pagu is None else D(pagu))
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("nilai", "shown"),
    [("95.50", "95,5 %"), ("100.00", "100 %"), ("1234.5", "1.234,5 %"), ("33.333", "33,33 %"), (None, "—")],
)
def test_persen_format(nilai, shown):
    assert persen_format(None if nilai is None else D(nilai)) == shown
