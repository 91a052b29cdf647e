"""Register the nightly retention purge of raw lists (EXCHANGE_RETENTION_DAYS) in django_celery_beat."""

from django.db import migrations

NAME = "Pertukaran data: hapus daftar mentah yang melewati masa simpan"
TASK = "dataexchange.tasks.purge_expired"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab})


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("dataexchange", "0002_schedule_periodic_tasks")]

    operations = [migrations.RunPython(register, unregister)]
