"""Vietnam's clock: the offset every naive date on a Vietnamese page is read in."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: Indochina Time, UTC+07:00 all year (no daylight saving): "Sáng 15/1" on a page is 15/1 in VN_TZ.
VN_TZ = timezone(timedelta(hours=7))


def vn_date(when: datetime) -> date:
    """The Vietnamese calendar day of ``when``, a naive time taken as Vietnam's: 2025-01-14T20:00Z
    is 15/1 in Vietnam, the day a "Sáng 15/1" of that article means."""
    return (when if when.tzinfo else when.replace(tzinfo=VN_TZ)).astimezone(VN_TZ).date()
