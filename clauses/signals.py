"""Signals other apps listen to, so that ``clauses`` never imports them.

``agreement_terminated(sender=Termination, agreement=..., termination=..., effective_on=date)``
is sent once, after the Berita Acara Pengakhiran is stored and committed. Apps with schedules
(quarterly reports, exchange windows, case steps) connect a receiver in ``AppConfig.ready()`` and
close whatever falls after ``effective_on``; see docs/clauses.md.
"""

from django.dispatch import Signal

agreement_terminated = Signal()
