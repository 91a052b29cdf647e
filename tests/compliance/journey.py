"""Drive a case through the workflow on fixed dates (no holidays in the test calendar)."""

import datetime
import zoneinfo

import time_machine

from compliance.states import EvidenceKind, Status
from tests.compliance.conftest import evidence

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")

# Monday 2 June 2025; each step on the first day the law allows.
STEPS = [
    (Status.WARNING_1, datetime.date(2025, 6, 2)),
    (Status.WARNING_2, datetime.date(2025, 6, 17)),
    (Status.FINE, datetime.date(2025, 7, 2)),
    (Status.TMP2T_REQUESTED, datetime.date(2025, 7, 10)),
    (Status.VERIFICATION, datetime.date(2025, 7, 11)),
    (Status.RECOMMENDED, datetime.date(2025, 7, 14)),
    (Status.SERVICES_WITHHELD, datetime.date(2025, 7, 16)),
    (Status.REVOCATION_REQUESTED, datetime.date(2025, 8, 4)),
    (Status.REVOKED, datetime.date(2025, 8, 6)),
]


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=JAKARTA), tick=False)


def take_step(case, people, status):
    if status == Status.WARNING_1:
        case.issue_first_warning(by=people["bpjs"])
    elif status == Status.WARNING_2:
        case.issue_second_warning(by=people["bpjs"])
    elif status == Status.FINE:
        case.impose_fine(by=people["bpjs"])
    elif status == Status.TMP2T_REQUESTED:
        case.request_tmp2t(by=people["bpjs"], evidence=[evidence(EvidenceKind.WARNING_LETTER)])
    elif status == Status.VERIFICATION:
        case.start_verification(by=people["sekretariat"])
    elif status == Status.RECOMMENDED:
        case.issue_recommendation(by=people["sekretariat"], number="e-0001/PN.01.00", services=["perizinan_berusaha"])
    elif status == Status.SERVICES_WITHHELD:
        case.followups.get(service="perizinan_berusaha").record_withheld(by=people["dpmptsp"], reference_number="S-1")
    elif status == Status.REVOCATION_REQUESTED:
        kinds = [EvidenceKind.PAYMENT, EvidenceKind.REGISTRATION, EvidenceKind.DATA]
        case.request_revocation(by=people["bpjs"], evidence=[evidence(kind) for kind in kinds])
    elif status == Status.REVOKED:
        case.revoke(by=people["sekretariat"], number="e-0002/PN.01.00")


def drive(case, people, until):
    """Take every step up to and including ``until``; returns the date of the last step."""
    for status, day in STEPS:
        with on(day):
            take_step(case, people, status)
        if status == until:
            return day
    raise AssertionError(until)
