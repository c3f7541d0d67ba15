"""Vietnam's clock: the offset every naive date on a Vietnamese page is read in."""

from __future__ import annotations

from datetime import timedelta, timezone

#: Indochina Time, UTC+07:00 all year (no daylight saving): "Sáng 15/1" on a page is 15/1 in VN_TZ.
VN_TZ = timezone(timedelta(hours=7))
