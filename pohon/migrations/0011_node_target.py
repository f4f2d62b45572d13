# An Indikator's target becomes a number (target_angka) with its satuan, or a qualitative text
# (target_teks), and gets its direction (arah). Every existing target is read with a frozen copy of
# pohon.targets.target_parse (as of this migration: later changes to the parser must not change
# what this migration did); text it cannot read, or whose typed satuan disagrees with the satuan
# column, is kept whole as target_teks beside its satuan, so nothing is lost. Every Indikator gets
# arah "naik". Rows without a target are not touched by the data step.

import re
from decimal import Decimal

from django.db import migrations, models

import pohon.targets  # the field's validator, as makemigrations writes it

_SIGN = "-\u2212+"
_NUMBERED = re.compile(rf"^(?P<sign>[{_SIGN}]?)\s*(?P<number>\d(?:[\d.,]*\d)?)(?P<rest>.*)$", re.DOTALL)
_PLAIN = re.compile(r"^\d+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_ID_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")
_DECIMAL_POINT = re.compile(r"^\d+\.\d+$")
_EN_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$")
_DECIMAL_PLACES, _SIGNIFICANT, _WHOLE = 4, 15, 16
_TEKS_MAX = 100
_SATUAN_MAX = 60


def _key(satuan):
    return " ".join(satuan.split()).casefold()


def _number(token):
    if _PLAIN.match(token):
        return Decimal(token)
    if _DECIMAL_COMMA.match(token):
        return Decimal(token.replace(",", "."))
    if _ID_GROUPED.match(token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if _DECIMAL_POINT.match(token):
        return Decimal(token)
    if _EN_GROUPED.match(token):
        return Decimal(token.replace(",", ""))
    return None


def _fits(angka):
    _sign, digits, exponent = angka.normalize().as_tuple()
    return -exponent <= _DECIMAL_PLACES and len(digits) <= _SIGNIFICANT and len(digits) + exponent <= _WHOLE


def target_read(target, satuan):
    """(target_angka, target_teks, satuan) for an old (target, satuan) pair; never raises."""
    text, satuan = target.strip(), satuan.strip()
    if not text:
        return None, "", satuan
    kept = (None, text[:_TEKS_MAX], satuan)
    match = _NUMBERED.match(text)
    if match is None:
        return kept
    rest = match["rest"]
    angka = _number(match["number"])
    if angka is None or rest[:1] in (".", ",") or not _fits(angka):
        return kept
    if match["sign"] in ("-", "\u2212"):
        angka = -angka
    typed = rest.strip()
    if (typed and satuan and _key(typed) != _key(satuan)) or len(satuan or typed) > _SATUAN_MAX:
        return kept
    return (Decimal(0) if angka == 0 else angka), "", satuan or typed


def targets_forward(apps, schema_editor):
    Node = apps.get_model("pohon", "Node")
    # One UPDATE per distinct result (targets repeat: 100 %, 1 dokumen, WTP ...), in chunks of
    # primary keys: bulk_update's CASE per row took most of the time on 20,000 nodes.
    by_result = {}
    for pk, target, satuan in Node.objects.exclude(target="").values_list("pk", "target", "satuan").iterator():
        by_result.setdefault(target_read(target, satuan), []).append(pk)
    for (angka, teks, satuan), pks in by_result.items():
        for start in range(0, len(pks), 500):
            Node.objects.filter(pk__in=pks[start : start + 500]).update(
                target_angka=angka, target_teks=teks, satuan=satuan
            )
    # arah is no tree field: a plain UPDATE leaves django-mptt's nested sets alone.
    Node.objects.filter(jenis="indikator").update(arah="naik")
    _checks_now(schema_editor)


def _checks_now(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The updates queued the deferred foreign-key checks of the rows; PostgreSQL refuses the
        # ALTER TABLE of the next operation while they are pending, so run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def _display(angka):
    text = format(angka.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def targets_backward(apps, schema_editor):
    """Back to one text: the number in its display form (85,5; 1.250) or the text."""
    Node = apps.get_model("pohon", "Node")
    changed = []
    rows = Node.objects.exclude(target_angka=None, target_teks="").only("pk", "target_angka", "target_teks")
    for node in rows.iterator(chunk_size=2000):
        node.target = _display(node.target_angka) if node.target_angka is not None else node.target_teks
        changed.append(node)
    Node.objects.bulk_update(changed, ["target"], batch_size=1000)
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('pohon', '0010_dokumen_lepas'),
    ]

    operations = [
        migrations.AddField(
            model_name='node',
            name='arah',
            field=models.CharField(blank=True, choices=[('naik', 'Naik (makin tinggi makin baik)'), ('turun', 'Turun (makin rendah makin baik)'), ('tetap', 'Tetap (tepat sama dengan target)')], help_text='Hanya untuk Indikator: naik (makin tinggi makin baik), turun, atau tetap.', max_length=10, verbose_name='arah'),
        ),
        migrations.AddField(
            model_name='node',
            name='target_angka',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, validators=[pohon.targets.target_number_check], verbose_name='target (angka)'),
        ),
        migrations.AddField(
            model_name='node',
            name='target_teks',
            field=models.CharField(blank=True, max_length=100, verbose_name='target (teks)'),
        ),
        migrations.RunPython(targets_forward, targets_backward, elidable=False),
        migrations.RemoveField(
            model_name='node',
            name='target',
        ),
    ]
