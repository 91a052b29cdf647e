"""Register the exchange schedule in django_celery_beat, so that an administrator can edit or pause it.

Times are Asia/Jakarta. Every task is idempotent, so running daily (not only on the first day of a
quarter) lets a missed tick catch up: the open task creates a quarter's periods on its first day.
"""

from django.db import migrations

TASKS = [
    ("Pertukaran data: buka periode triwulan", "dataexchange.tasks.open_periods", "15", "0"),
    ("Pertukaran data: tandai terlambat", "dataexchange.tasks.mark_overdue", "30", "0"),
    ("Pertukaran data: kirim pengingat", "dataexchange.tasks.send_reminders", "0", "7"),
]


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _, _ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dataexchange", "0001_streams_periods_submissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
