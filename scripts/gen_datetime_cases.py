"""Generates the seeded random expressions of tests/data/eval-datetime.json.

    python3 scripts/gen_datetime_cases.py FILE [SEED]

Rewrites FILE's "random" list with [expression, null] pairs (the answers are recorded afterwards
by scripts/record-expectations.sh datetime, under the reference CPython) and keeps its
hand-written "cases". The same seed gives the same expressions on any Python 3 (only
random.Random's integer and choice methods and uniform are used).

Each group of 15 expressions exercises calendar and timedelta arithmetic on one set of operands:
years from 1 to 9999 (the edges, leap years and the Gregorian switch year favoured), leap days,
large and negative timedeltas (past the supported range too), float factors and divisors,
timezone offsets of up to a day, and timestamps from year 1 to 9999.
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record_expectations import save  # noqa: E402  (the same file layout as the recorder's)

GROUPS = 60
YEARS = [1, 2, 99, 100, 400, 1582, 1900, 1969, 1970, 2000, 2024, 9998, 9999]
FLOATS = [0.5, 1.5, -2.5, -0.1, 1e-07, 9.5367431640625e-07, 3.3333, 1234.5678, 1000000.5]
DIVISORS = [1, 3, -7, 1000, 86400]
FORMAT = "'%Y %j %U %W %a %b %I %p %f'"


def days_in(y, m):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def year(r):
    return r.choice(YEARS) if r.randrange(3) else r.randrange(1, 10000)


def ymd(r):
    y = year(r)
    m = r.randrange(1, 13)
    # the last days of a month (Feb 29 in leap years) come up often
    d = days_in(y, m) if r.randrange(5) == 0 else r.randrange(1, days_in(y, m) + 1)
    return y, m, d


def flt(r):
    return r.choice(FLOATS) if r.randrange(4) else r.uniform(-10000, 10000)


def td_args(r):
    days = r.choice([0, 0, 1, -1, r.randrange(-1000000, 1000000), r.randrange(-999999999, 1000000000)])
    secs = r.choice([0, r.randrange(-1000000, 1000000)])
    us = r.choice([0, r.randrange(-10000000, 10000000)])
    return f"timedelta({days}, {secs}, {us})"


def group(r):
    y, m, d = ymd(r)
    hh, mm, ss = r.randrange(24), r.randrange(60), r.randrange(60)
    us = r.choice([0, r.randrange(1000000)])
    y2, m2, d2 = ymd(r)
    date = f"date({y}, {m}, {d})"
    dt = f"datetime({y}, {m}, {d}, {hh}, {mm}, {ss}, {us})"
    dt2 = f"datetime({y2}, {m2}, {d2}, {r.randrange(24)}, {r.randrange(60)}, {r.randrange(60)})"
    td = td_args(r)
    n = r.choice(DIVISORS)
    off1, off2 = r.randrange(-1439, 1440), r.randrange(-1439, 1440)
    aware = f"datetime({y}, {m}, {d}, {hh}, {mm}, {ss}, {us}, tzinfo=timezone(timedelta(minutes={off1})))"
    stamp = r.uniform(-62135596800, 253402300799)
    return [
        f"{date} + {td}",
        f"{dt} - {td}",
        f"{dt} - {dt2}",
        f"{date}.isocalendar()",
        f"date.fromordinal({date}.toordinal() + {r.randrange(-400, 401)})",
        f"{td} * {flt(r)}",
        f"{td} / {flt(r)}",
        f"{td} // {n}",
        f"{td} / {n}",
        f"timedelta(seconds={flt(r)}, microseconds={flt(r)}, hours={flt(r)})",
        f"str({td})",
        f"{aware}.astimezone(timezone(timedelta(minutes={off2})))",
        f"datetime.fromtimestamp({stamp!r}, timezone.utc)",
        f"{aware}.timestamp()",
        f"{dt}.strftime({FORMAT})",
    ]


def main(argv):
    if len(argv) not in (1, 2):
        sys.exit(__doc__)
    path = argv[0]
    seed = int(argv[1]) if len(argv) == 2 else 7
    r = random.Random(seed)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    exprs = [e for _ in range(GROUPS) for e in group(r)]
    data["random"] = [[e, None] for e in exprs]
    data["generator"] = f"python3 scripts/gen_datetime_cases.py FILE {seed}"
    save(path, data)


if __name__ == "__main__":
    main(sys.argv[1:])
