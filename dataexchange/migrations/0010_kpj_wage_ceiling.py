"""The KPJ income limit per year, editable by the secretariat (was a constant in dataexchange.kpj)."""

from django.db import migrations, models

# DOMAIN.md: KPJ eligibility, income at most UMP + 15 % (Rp 6.206.275 in 2025).
UMPS = [(2025, 5_396_761, "UMP Provinsi DKI Jakarta 2025")]


def seed(apps, schema_editor):
    ceiling = apps.get_model("dataexchange", "KpjWageCeiling")
    for year, ump, decree in UMPS:
        ceiling.objects.update_or_create(year=year, defaults={"ump": ump, "decree": decree})


def unseed(apps, schema_editor):
    apps.get_model("dataexchange", "KpjWageCeiling").objects.filter(year__in=[y for y, _u, _d in UMPS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('dataexchange', '0009_membership_records_partitioned_by_extract'),
    ]

    operations = [
        migrations.CreateModel(
            name='KpjWageCeiling',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='tahun')),
                ('ump', models.PositiveIntegerField(verbose_name='UMP Provinsi DKI Jakarta (Rp)')),
                ('decree', models.CharField(blank=True, max_length=255, verbose_name='dasar penetapan')),
            ],
            options={
                'verbose_name': 'batas upah KPJ',
                'verbose_name_plural': 'batas upah KPJ',
                'ordering': ['-year'],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
