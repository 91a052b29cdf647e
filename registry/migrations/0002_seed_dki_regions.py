"""The six areas of DKI Jakarta with their BPS and Kemendagri codes (DOMAIN.md §3).

BPS codes from python-stdnum's ``id/loc.dat``; Kemendagri codes (used in NIK) from the
Kemendagri/BMKG datasets. They differ for every kota, so both are stored.
"""

from django.db import migrations

REGIONS = [
    ("3101", "31.01", "Kabupaten Administrasi Kepulauan Seribu", "kabupaten"),
    ("3171", "31.74", "Kota Administrasi Jakarta Selatan", "kota"),
    ("3172", "31.75", "Kota Administrasi Jakarta Timur", "kota"),
    ("3173", "31.71", "Kota Administrasi Jakarta Pusat", "kota"),
    ("3174", "31.73", "Kota Administrasi Jakarta Barat", "kota"),
    ("3175", "31.72", "Kota Administrasi Jakarta Utara", "kota"),
]


def seed_regions(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    for kode_bps, kode_kemendagri, name, kind in REGIONS:
        Region.objects.update_or_create(
            kode_bps=kode_bps, defaults={"kode_kemendagri": kode_kemendagri, "name": name, "kind": kind}
        )


def remove_regions(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Region.objects.filter(kode_bps__in=[row[0] for row in REGIONS], employers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_employer_registry")]

    operations = [migrations.RunPython(seed_regions, remove_regions)]
