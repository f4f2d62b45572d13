"""Joins the two lines that grew from 0004 at the same time: 0005_bounded_text (bounded-input)
and 0006/0007 (written on main before 0005 was merged). No operations; the two touch different
fields, so either order is the same schema."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pohon", "0005_bounded_text"),
        ("pohon", "0007_demo_account"),
    ]

    operations = []
