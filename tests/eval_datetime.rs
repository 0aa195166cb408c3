//! gilgate's built-in `datetime` module (and its small `time` module) at the Python level, through the `eval` language:
//! methods, class attributes, arithmetic, comparisons, hashes and error messages. Every
//! expected answer was produced by CPython 3.11 (`from datetime import *`, `import time as timemod`, TZ=UTC) on the same
//! expression; expressions that read the clock or the local zone compare results with each
//! other so they hold anywhere.

use gilgate::embed::{Host, PyRef};
use gilgate::eval::{Evaluator, parse};

/// (expression, CPython's `repr` of the result or its `Type: message`)
const CASES: &[(&str, &str)] = &[
    // attributes and reprs
    // isoformat and str
    // utcoffset, dst, tzname
    // timezone objects
    // class attributes
    // ordinals and weekdays
    // replace, combine, date(), time()
    // timestamps
    // now, utcnow, today
    // astimezone
    // timedelta construction and arithmetic
    // date and datetime arithmetic
    // comparisons and hashes
    // strftime, __format__, timetuple
    // the time module
    // ISO calendar, fromisoformat, ctime, utctimetuple
    // attributes and reprs
    (
        r#"datetime(2024, 2, 29, 13, 45, 30, 123456).year"#,
        r#"2024"#,
    ),
    (
        r#"datetime(2024, 2, 29, 13, 45, 30, 123456).microsecond"#,
        r#"123456"#,
    ),
    (r#"datetime(2024, 2, 29, fold=1).fold"#, r#"1"#),
    (
        r#"datetime(2024, 2, 29, tzinfo=timezone.utc).tzinfo"#,
        r#"datetime.timezone.utc"#,
    ),
    (r#"time(1, 2, 3, 4).second"#, r#"3"#),
    (r#"timedelta(days=-1, seconds=5).days"#, r#"-1"#),
    (r#"timedelta(1, 5, 7).seconds"#, r#"5"#),
    (r#"timedelta(1, 5, 7).microseconds"#, r#"7"#),
    // isoformat and str
    (r#"date(2024, 1, 2).isoformat()"#, r#"'2024-01-02'"#),
    (
        r#"datetime(2020, 1, 1, 12, 30, 45, 123456).isoformat()"#,
        r#"'2020-01-01T12:30:45.123456'"#,
    ),
    (
        r#"datetime(2020, 1, 1, 12, 30, 45, 123456).isoformat(' ', 'minutes')"#,
        r#"'2020-01-01 12:30'"#,
    ),
    (
        r#"datetime(2020, 1, 1, 12, 30, 45, 123456).isoformat(timespec='milliseconds')"#,
        r#"'2020-01-01T12:30:45.123'"#,
    ),
    (
        r#"datetime(2020, 1, 1, 12, 30, 45, 123456).isoformat(timespec='hours')"#,
        r#"'2020-01-01T12'"#,
    ),
    (
        r#"datetime(2020, 1, 1, 12, 30).isoformat(timespec='microseconds')"#,
        r#"'2020-01-01T12:30:00.000000'"#,
    ),
    (
        r#"datetime(2020, 1, 1, 12, 30).isoformat()"#,
        r#"'2020-01-01T12:30:00'"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-3, seconds=-5))).isoformat()"#,
        r#"'2020-01-01T00:00:00-03:00:05'"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(microseconds=1))).isoformat()"#,
        r#"'2020-01-01T00:00:00+00:00:00.000001'"#,
    ),
    (
        r#"datetime(2020, 1, 1).isoformat(sep='ab')"#,
        r#"TypeError: isoformat() argument 1 must be a unicode character, not str"#,
    ),
    (
        r#"datetime(2020, 1, 1).isoformat(sep=3)"#,
        r#"TypeError: isoformat() argument 1 must be a unicode character, not int"#,
    ),
    (
        r#"datetime(2020, 1, 1).isoformat(timespec='x')"#,
        r#"ValueError: Unknown timespec value"#,
    ),
    (
        r#"datetime(2020, 1, 1).isoformat('T', 'hours', 3)"#,
        r#"TypeError: isoformat() takes at most 2 arguments (3 given)"#,
    ),
    (r#"time(1, 2, 3, 4).isoformat()"#, r#"'01:02:03.000004'"#),
    (
        r#"time(1, 2, 3, 4).isoformat('milliseconds')"#,
        r#"'01:02:03.000'"#,
    ),
    (
        r#"time(1, 2, 3, 4, timezone(timedelta(hours=-3, seconds=-5))).isoformat()"#,
        r#"'01:02:03.000004-03:00:05'"#,
    ),
    (
        r#"time(1).isoformat(timespec=3)"#,
        r#"TypeError: isoformat() argument 1 must be str, not int"#,
    ),
    (
        r#"date(2020, 1, 1).isoformat(1)"#,
        r#"TypeError: date.isoformat() takes no arguments (1 given)"#,
    ),
    (
        r#"str(datetime(2020, 1, 1, 12, 30, 45, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))))"#,
        r#"'2020-01-01 12:30:45.123456+05:30'"#,
    ),
    (
        r#"str(time(1, tzinfo=timezone(timedelta(hours=2))))"#,
        r#"'01:00:00+02:00'"#,
    ),
    (
        r#"str(timezone(-timedelta(hours=5, minutes=30)))"#,
        r#"'UTC-05:30'"#,
    ),
    (r#"str(timezone.utc)"#, r#"'UTC'"#),
    // utcoffset, dst, tzname
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).utcoffset()"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-8))).utcoffset()"#,
        r#"datetime.timedelta(days=-1, seconds=57600)"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).dst()"#,
        r#"None"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).tzname()"#,
        r#"'UTC'"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30), 'IST')).tzname()"#,
        r#"'IST'"#,
    ),
    (r#"datetime(2020, 1, 1).utcoffset()"#, r#"None"#),
    (r#"datetime(2020, 1, 1).tzname()"#, r#"None"#),
    (
        r#"time(tzinfo=timezone.utc).utcoffset()"#,
        r#"datetime.timedelta(0)"#,
    ),
    (r#"time(1).dst()"#, r#"None"#),
    (
        r#"timezone.utc.utcoffset(None)"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"timezone(timedelta(hours=5, minutes=30)).tzname(None)"#,
        r#"'UTC+05:30'"#,
    ),
    (
        r#"timezone.utc.utcoffset(3)"#,
        r#"TypeError: utcoffset(dt) argument must be a datetime instance or None, not int"#,
    ),
    (
        r#"timezone.utc.tzname(3)"#,
        r#"TypeError: tzname(dt) argument must be a datetime instance or None, not int"#,
    ),
    (
        r#"timezone.utc.dst(3)"#,
        r#"TypeError: dst(dt) argument must be a datetime instance or None, not int"#,
    ),
    (
        r#"timezone.utc.fromutc(3)"#,
        r#"TypeError: fromutc: argument must be a datetime"#,
    ),
    (
        r#"timezone.utc.fromutc(datetime(2020, 1, 1))"#,
        r#"ValueError: fromutc: dt.tzinfo is not self"#,
    ),
    (
        r#"timezone(timedelta(hours=1)).fromutc(datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1))))"#,
        r#"ValueError: fromutc: dt.tzinfo is not self"#,
    ),
    (
        r#"tzinfo().utcoffset(None)"#,
        r#"NotImplementedError: a tzinfo subclass must implement utcoffset()"#,
    ),
    (
        r#"tzinfo().tzname(None)"#,
        r#"NotImplementedError: a tzinfo subclass must implement tzname()"#,
    ),
    (
        r#"tzinfo().dst(None)"#,
        r#"NotImplementedError: a tzinfo subclass must implement dst()"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=tzinfo()).utcoffset()"#,
        r#"NotImplementedError: a tzinfo subclass must implement utcoffset()"#,
    ),
    // timezone objects
    (r#"timezone(timedelta(0))"#, r#"datetime.timezone.utc"#),
    (
        r#"timezone(timedelta(hours=1), 'X')"#,
        r#"datetime.timezone(datetime.timedelta(seconds=3600), 'X')"#,
    ),
    (
        r#"timezone(timedelta(0), 'UTC')"#,
        r#"datetime.timezone(datetime.timedelta(0), 'UTC')"#,
    ),
    (
        r#"timezone(timedelta(hours=1), name=3)"#,
        r#"TypeError: timezone() argument 2 must be str, not int"#,
    ),
    (
        r#"timezone(3)"#,
        r#"TypeError: timezone() argument 1 must be datetime.timedelta, not int"#,
    ),
    (
        r#"timezone(timedelta(hours=24))"#,
        r#"ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=1)."#,
    ),
    (r#"timezone.utc == timezone(timedelta(0))"#, r#"True"#),
    (
        r#"timezone(timedelta(hours=1)) == timezone(timedelta(hours=1), 'X')"#,
        r#"True"#,
    ),
    (
        r#"hash(timezone.utc) == hash(timezone(timedelta(0)))"#,
        r#"True"#,
    ),
    (
        r#"timezone.min"#,
        r#"datetime.timezone(datetime.timedelta(days=-1, seconds=60))"#,
    ),
    (
        r#"timezone.max"#,
        r#"datetime.timezone(datetime.timedelta(seconds=86340))"#,
    ),
    // class attributes
    (r#"date.min"#, r#"datetime.date(1, 1, 1)"#),
    (r#"date.max"#, r#"datetime.date(9999, 12, 31)"#),
    (r#"date.resolution"#, r#"datetime.timedelta(days=1)"#),
    (r#"datetime.min"#, r#"datetime.datetime(1, 1, 1, 0, 0)"#),
    (
        r#"datetime.max"#,
        r#"datetime.datetime(9999, 12, 31, 23, 59, 59, 999999)"#,
    ),
    (
        r#"datetime.resolution"#,
        r#"datetime.timedelta(microseconds=1)"#,
    ),
    (r#"time.min"#, r#"datetime.time(0, 0)"#),
    (r#"time.max"#, r#"datetime.time(23, 59, 59, 999999)"#),
    (r#"timedelta.min"#, r#"datetime.timedelta(days=-999999999)"#),
    (
        r#"timedelta.max"#,
        r#"datetime.timedelta(days=999999999, seconds=86399, microseconds=999999)"#,
    ),
    (
        r#"timedelta.resolution"#,
        r#"datetime.timedelta(microseconds=1)"#,
    ),
    // ordinals and weekdays
    (r#"date(2024, 2, 29).toordinal()"#, r#"738945"#),
    (r#"date(1, 1, 1).toordinal()"#, r#"1"#),
    (r#"date(9999, 12, 31).toordinal()"#, r#"3652059"#),
    (
        r#"date.fromordinal(738000)"#,
        r#"datetime.date(2021, 7, 29)"#,
    ),
    (r#"date.fromordinal(1)"#, r#"datetime.date(1, 1, 1)"#),
    (
        r#"date.fromordinal(3652059)"#,
        r#"datetime.date(9999, 12, 31)"#,
    ),
    (
        r#"date.fromordinal(0)"#,
        r#"ValueError: ordinal must be >= 1"#,
    ),
    (
        r#"datetime.fromordinal(738000)"#,
        r#"datetime.datetime(2021, 7, 29, 0, 0)"#,
    ),
    (r#"date(2020, 1, 1).weekday()"#, r#"2"#),
    (r#"date(2020, 1, 1).isoweekday()"#, r#"3"#),
    (r#"datetime(2024, 3, 3, 12).weekday()"#, r#"6"#),
    // replace, combine, date(), time()
    (
        r#"date(2020, 1, 1).replace(2021)"#,
        r#"datetime.date(2021, 1, 1)"#,
    ),
    (
        r#"date(2020, 1, 1).replace(month=2, day=29)"#,
        r#"datetime.date(2020, 2, 29)"#,
    ),
    (
        r#"date(2021, 1, 1).replace(month=2, day=29)"#,
        r#"ValueError: day is out of range for month"#,
    ),
    (
        r#"date(2020, 1, 1).replace(month=13)"#,
        r#"ValueError: month must be in 1..12"#,
    ),
    (
        r#"date(2020, 1, 1).replace(year=0)"#,
        r#"ValueError: year 0 is out of range"#,
    ),
    (
        r#"date(2020, 1, 1).replace(2021, 1, 1, 1)"#,
        r#"TypeError: replace() takes at most 3 arguments (4 given)"#,
    ),
    (
        r#"datetime(2020, 1, 1).replace(foo=1)"#,
        r#"TypeError: 'foo' is an invalid keyword argument for replace()"#,
    ),
    (
        r#"datetime(2020, 1, 1, 5, tzinfo=timezone.utc).replace(tzinfo=None)"#,
        r#"datetime.datetime(2020, 1, 1, 5, 0)"#,
    ),
    (
        r#"datetime(2020, 1, 1, 5).replace(minute=7, microsecond=9, fold=1)"#,
        r#"datetime.datetime(2020, 1, 1, 5, 7, 0, 9, fold=1)"#,
    ),
    (
        r#"datetime(2020, 1, 1).replace(fold=2)"#,
        r#"ValueError: fold must be either 0 or 1"#,
    ),
    (
        r#"datetime(2020, 1, 1).replace(tzinfo=3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"time(1).replace(hour=25)"#,
        r#"ValueError: hour must be in 0..23"#,
    ),
    (
        r#"time(1, 2).replace(second=3, tzinfo=timezone.utc)"#,
        r#"datetime.time(1, 2, 3, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.combine(date(2020, 1, 1), time(1, 2, tzinfo=timezone.utc))"#,
        r#"datetime.datetime(2020, 1, 1, 1, 2, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.combine(date(2020, 1, 1), time(1, 2), timezone.utc)"#,
        r#"datetime.datetime(2020, 1, 1, 1, 2, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.combine(datetime(2020, 1, 1, 5), time(1, 2))"#,
        r#"datetime.datetime(2020, 1, 1, 1, 2)"#,
    ),
    (
        r#"datetime.combine(date(2020, 1, 1), time(1, 2), tzinfo=3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"datetime.combine(1, 2)"#,
        r#"TypeError: combine() argument 1 must be datetime.date, not int"#,
    ),
    (
        r#"datetime.combine(date(2020, 1, 1), 2)"#,
        r#"TypeError: combine() argument 2 must be datetime.time, not int"#,
    ),
    (
        r#"datetime.combine(date=date(2020, 1, 1))"#,
        r#"TypeError: combine() missing required argument 'time' (pos 2)"#,
    ),
    (
        r#"datetime(2020, 1, 1).date()"#,
        r#"datetime.date(2020, 1, 1)"#,
    ),
    (
        r#"datetime(2020, 1, 1, fold=1).time()"#,
        r#"datetime.time(0, 0, fold=1)"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).timetz()"#,
        r#"datetime.time(0, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    // timestamps
    (
        r#"datetime.fromtimestamp(0, timezone.utc)"#,
        r#"datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.fromtimestamp(0.5, timezone(timedelta(hours=2)))"#,
        r#"datetime.datetime(1970, 1, 1, 2, 0, 0, 500000, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))"#,
    ),
    (
        r#"datetime.fromtimestamp(1700000000.25, tz=timezone(timedelta(hours=-7), 'MST'))"#,
        r#"datetime.datetime(2023, 11, 14, 15, 13, 20, 250000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=61200), 'MST'))"#,
    ),
    (
        r#"datetime.fromtimestamp(-1.5, timezone.utc)"#,
        r#"datetime.datetime(1969, 12, 31, 23, 59, 58, 500000, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.utcfromtimestamp(1.0000005)"#,
        r#"datetime.datetime(1970, 1, 1, 0, 0, 1, 1)"#,
    ),
    (
        r#"datetime.utcfromtimestamp(1.0000015)"#,
        r#"datetime.datetime(1970, 1, 1, 0, 0, 1, 1)"#,
    ),
    (
        r#"datetime.utcfromtimestamp(1234567890)"#,
        r#"datetime.datetime(2009, 2, 13, 23, 31, 30)"#,
    ),
    (
        r#"datetime.utcfromtimestamp(-1e13)"#,
        r#"ValueError: year -314918 is out of range"#,
    ),
    (
        r#"datetime.fromtimestamp(1e15, timezone.utc)"#,
        r#"ValueError: year 31690708 is out of range"#,
    ),
    (
        r#"datetime.fromtimestamp(1e20)"#,
        r#"OverflowError: timestamp out of range for platform time_t"#,
    ),
    (
        r#"datetime.fromtimestamp('x')"#,
        r#"TypeError: 'str' object cannot be interpreted as an integer"#,
    ),
    (
        r#"datetime.fromtimestamp(0, 3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"datetime.fromtimestamp(float('nan'))"#,
        r#"ValueError: Invalid value NaN (not a number)"#,
    ),
    (r#"datetime.fromtimestamp(0).timestamp()"#, r#"0.0"#),
    (
        r#"datetime.fromtimestamp(1700000000.5).timestamp()"#,
        r#"1700000000.5"#,
    ),
    (
        r#"date.fromtimestamp(0) == datetime.fromtimestamp(0).date()"#,
        r#"True"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp()"#,
        r#"1577836800.0"#,
    ),
    (
        r#"datetime(2020, 1, 1, 0, 0, 0, 1, tzinfo=timezone(timedelta(hours=3))).timestamp()"#,
        r#"1577826000.000001"#,
    ),
    (
        r#"datetime(1, 1, 1, tzinfo=timezone.utc).timestamp()"#,
        r#"-62135596800.0"#,
    ),
    // now, utcnow, today
    (
        r#"datetime.now(3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"datetime.now(tz=3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"datetime.now(foo=3)"#,
        r#"TypeError: 'foo' is an invalid keyword argument for now()"#,
    ),
    (
        r#"datetime.now(1, 2)"#,
        r#"TypeError: now() takes at most 1 argument (2 given)"#,
    ),
    (
        r#"date.today(1)"#,
        r#"TypeError: date.today() takes no arguments (1 given)"#,
    ),
    (
        r#"datetime.utcnow(1)"#,
        r#"TypeError: datetime.utcnow() takes no arguments (1 given)"#,
    ),
    (r#"datetime.now().tzinfo"#, r#"None"#),
    (
        r#"datetime.now(timezone.utc).tzinfo"#,
        r#"datetime.timezone.utc"#,
    ),
    (
        r#"type(datetime.today())"#,
        r#"<class 'datetime.datetime'>"#,
    ),
    (r#"type(date.today())"#, r#"<class 'datetime.date'>"#),
    (
        r#"datetime.now(timezone.utc) - datetime.now(timezone.utc) < timedelta(seconds=5)"#,
        r#"True"#,
    ),
    (
        r#"abs(datetime.utcnow() - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(seconds=5)"#,
        r#"True"#,
    ),
    (
        r#"abs(datetime.now() - datetime.now(timezone.utc).astimezone().replace(tzinfo=None)) < timedelta(seconds=5)"#,
        r#"True"#,
    ),
    (
        r#"datetime.now(timezone(timedelta(hours=3))).utcoffset()"#,
        r#"datetime.timedelta(seconds=10800)"#,
    ),
    (
        r#"date.today() - datetime.now().date() <= timedelta(1)"#,
        r#"True"#,
    ),
    // astimezone
    (
        r#"datetime(2020, 1, 1).astimezone(timezone.utc) == datetime(2020, 1, 1).astimezone()"#,
        r#"True"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=-5), 'EST'))"#,
        r#"datetime.datetime(2019, 12, 31, 19, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc).astimezone(3)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))).astimezone(timezone.utc)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2020, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))).astimezone(timezone.utc)"#,
        r#"datetime.datetime(2020, 6, 1, 10, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2020, 6, 1, 12, tzinfo=timezone.utc).astimezone(timezone.utc)"#,
        r#"datetime.datetime(2020, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2020, 6, 1, 12, tzinfo=timezone.utc).astimezone().astimezone(timezone.utc)"#,
        r#"datetime.datetime(2020, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    // timedelta construction and arithmetic
    (
        r#"timedelta(seconds=1.5)"#,
        r#"datetime.timedelta(seconds=1, microseconds=500000)"#,
    ),
    (
        r#"timedelta(hours=0.1)"#,
        r#"datetime.timedelta(seconds=360)"#,
    ),
    (
        r#"timedelta(days=1.5, seconds=0.5)"#,
        r#"datetime.timedelta(days=1, seconds=43200, microseconds=500000)"#,
    ),
    (
        r#"timedelta(seconds=-1.5)"#,
        r#"datetime.timedelta(days=-1, seconds=86398, microseconds=500000)"#,
    ),
    (r#"timedelta(microseconds=0.5)"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(microseconds=1.5)"#,
        r#"datetime.timedelta(microseconds=2)"#,
    ),
    (
        r#"timedelta(microseconds=2.5)"#,
        r#"datetime.timedelta(microseconds=2)"#,
    ),
    (
        r#"timedelta(microseconds=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=999998)"#,
    ),
    (
        r#"timedelta(weeks=1, days=-1, hours=1, minutes=-1, seconds=1, milliseconds=-1, microseconds=1)"#,
        r#"datetime.timedelta(days=6, seconds=3540, microseconds=999001)"#,
    ),
    (
        r#"timedelta(days=10**10)"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(days=1e10)"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(days=999999999, hours=24)"#,
        r#"OverflowError: days=1000000000; must have magnitude <= 999999999"#,
    ),
    (
        r#"timedelta(1, 'a')"#,
        r#"TypeError: unsupported type for timedelta seconds component: str"#,
    ),
    (r#"timedelta(0)"#, r#"datetime.timedelta(0)"#),
    (r#"str(timedelta(-1, 5, 7))"#, r#"'-1 day, 0:00:05.000007'"#),
    (r#"str(timedelta(2, 3600))"#, r#"'2 days, 1:00:00'"#),
    (
        r#"timedelta(1) + timedelta(hours=1)"#,
        r#"datetime.timedelta(days=1, seconds=3600)"#,
    ),
    (
        r#"timedelta(1) - timedelta(hours=1)"#,
        r#"datetime.timedelta(seconds=82800)"#,
    ),
    (
        r#"timedelta.max + timedelta(1)"#,
        r#"OverflowError: days=1000000000; must have magnitude <= 999999999"#,
    ),
    (
        r#"-timedelta.max"#,
        r#"OverflowError: days=-1000000000; must have magnitude <= 999999999"#,
    ),
    (r#"-timedelta(1)"#, r#"datetime.timedelta(days=-1)"#),
    (r#"+timedelta(1)"#, r#"datetime.timedelta(days=1)"#),
    (r#"abs(timedelta(-1))"#, r#"datetime.timedelta(days=1)"#),
    (r#"bool(timedelta(0))"#, r#"False"#),
    (r#"bool(timedelta(microseconds=1))"#, r#"True"#),
    (r#"timedelta(1) * 2"#, r#"datetime.timedelta(days=2)"#),
    (r#"2 * timedelta(1)"#, r#"datetime.timedelta(days=2)"#),
    (
        r#"timedelta(1) * 2.5"#,
        r#"datetime.timedelta(days=2, seconds=43200)"#,
    ),
    (
        r#"timedelta(1) * 0.1"#,
        r#"datetime.timedelta(seconds=8640)"#,
    ),
    (
        r#"timedelta(microseconds=5) * 0.1"#,
        r#"datetime.timedelta(microseconds=1)"#,
    ),
    (
        r#"timedelta(microseconds=25) * 0.1"#,
        r#"datetime.timedelta(microseconds=3)"#,
    ),
    (
        r#"timedelta(days=1) * True"#,
        r#"datetime.timedelta(days=1)"#,
    ),
    (
        r#"timedelta.min * 2"#,
        r#"OverflowError: days=-1999999998; must have magnitude <= 999999999"#,
    ),
    (
        r#"timedelta(1) * 1e300"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(1) * float('inf')"#,
        r#"OverflowError: cannot convert Infinity to integer ratio"#,
    ),
    (
        r#"timedelta(1) * timedelta(1)"#,
        r#"TypeError: unsupported operand type(s) for *: 'datetime.timedelta' and 'datetime.timedelta'"#,
    ),
    (
        r#"timedelta(1) / 3"#,
        r#"datetime.timedelta(seconds=28800)"#,
    ),
    (
        r#"timedelta(microseconds=1) / 2"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"timedelta(microseconds=3) / 2"#,
        r#"datetime.timedelta(microseconds=2)"#,
    ),
    (
        r#"timedelta(microseconds=-3) / 2"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=999998)"#,
    ),
    (r#"timedelta(1) / 0.5"#, r#"datetime.timedelta(days=2)"#),
    (
        r#"timedelta(1) / 0"#,
        r#"ZeroDivisionError: integer division or modulo by zero"#,
    ),
    (
        r#"timedelta(1) / 0.0"#,
        r#"ZeroDivisionError: integer division or modulo by zero"#,
    ),
    (
        r#"timedelta(1) / float('nan')"#,
        r#"ValueError: cannot convert NaN to integer ratio"#,
    ),
    (
        r#"timedelta(1) / timedelta(hours=7)"#,
        r#"3.4285714285714284"#,
    ),
    (
        r#"timedelta(1) / timedelta(0)"#,
        r#"ZeroDivisionError: division by zero"#,
    ),
    (
        r#"timedelta(1) / 'a'"#,
        r#"TypeError: unsupported operand type(s) for /: 'datetime.timedelta' and 'str'"#,
    ),
    (
        r#"timedelta(microseconds=-3) // 2"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=999998)"#,
    ),
    (r#"timedelta(1) // timedelta(hours=5)"#, r#"4"#),
    (r#"timedelta(-1) // timedelta(hours=5)"#, r#"-5"#),
    (r#"timedelta(1) // timedelta(hours=-5)"#, r#"-5"#),
    (
        r#"timedelta(1) // 0"#,
        r#"ZeroDivisionError: integer division or modulo by zero"#,
    ),
    (
        r#"timedelta(1) // timedelta(0)"#,
        r#"ZeroDivisionError: integer division or modulo by zero"#,
    ),
    (
        r#"timedelta(1) // 2.0"#,
        r#"TypeError: unsupported operand type(s) for //: 'datetime.timedelta' and 'float'"#,
    ),
    (
        r#"timedelta(1) % timedelta(hours=7)"#,
        r#"datetime.timedelta(seconds=10800)"#,
    ),
    (
        r#"timedelta(-1) % timedelta(hours=7)"#,
        r#"datetime.timedelta(seconds=14400)"#,
    ),
    (
        r#"timedelta(1) % timedelta(0)"#,
        r#"ZeroDivisionError: integer modulo by zero"#,
    ),
    (
        r#"timedelta(1) + 1"#,
        r#"TypeError: unsupported operand type(s) for +: 'datetime.timedelta' and 'int'"#,
    ),
    (r#"timedelta(1).total_seconds()"#, r#"86400.0"#),
    (r#"timedelta(microseconds=-1).total_seconds()"#, r#"-1e-06"#),
    (r#"timedelta.max.total_seconds()"#, r#"86400000000000.0"#),
    // date and datetime arithmetic
    (
        r#"date(2020, 1, 1) + timedelta(hours=25)"#,
        r#"datetime.date(2020, 1, 2)"#,
    ),
    (
        r#"timedelta(days=31) + date(2020, 1, 1)"#,
        r#"datetime.date(2020, 2, 1)"#,
    ),
    (
        r#"date(2020, 1, 1) - timedelta(hours=1)"#,
        r#"datetime.date(2020, 1, 1)"#,
    ),
    (
        r#"date(2020, 3, 1) - timedelta(days=1)"#,
        r#"datetime.date(2020, 2, 29)"#,
    ),
    (
        r#"date(2020, 1, 1) - date(2019, 1, 1)"#,
        r#"datetime.timedelta(days=365)"#,
    ),
    (
        r#"date.max + timedelta(1)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"date.min - timedelta(1)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"date(2020, 1, 1) + date(2020, 1, 1)"#,
        r#"TypeError: unsupported operand type(s) for +: 'datetime.date' and 'datetime.date'"#,
    ),
    (
        r#"date(2020, 1, 1) - datetime(2020, 1, 1)"#,
        r#"TypeError: unsupported operand type(s) for -: 'datetime.date' and 'datetime.datetime'"#,
    ),
    (
        r#"datetime(2020, 1, 1) - date(2020, 1, 1)"#,
        r#"TypeError: unsupported operand type(s) for -: 'datetime.datetime' and 'datetime.date'"#,
    ),
    (
        r#"datetime(2020, 3, 1) - timedelta(days=1, microseconds=1)"#,
        r#"datetime.datetime(2020, 2, 28, 23, 59, 59, 999999)"#,
    ),
    (
        r#"datetime(2020, 2, 28, 23, 59, 59, 999999) + timedelta(microseconds=1)"#,
        r#"datetime.datetime(2020, 2, 29, 0, 0)"#,
    ),
    (
        r#"timedelta(hours=1) + datetime(2020, 1, 1, tzinfo=timezone.utc)"#,
        r#"datetime.datetime(2020, 1, 1, 1, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2020, 1, 1, fold=1) + timedelta(0)"#,
        r#"datetime.datetime(2020, 1, 1, 0, 0)"#,
    ),
    (
        r#"datetime.max + timedelta(1)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime.min - timedelta(microseconds=1)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2020, 1, 1) - datetime(2019, 12, 31, 12)"#,
        r#"datetime.timedelta(seconds=43200)"#,
    ),
    (
        r#"datetime(2020, 1, 1) - datetime(2020, 1, 1, tzinfo=timezone.utc)"#,
        r#"TypeError: can't subtract offset-naive and offset-aware datetimes"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc) - datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"datetime.timedelta(seconds=3600)"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1))) - datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"time(1) + timedelta(1)"#,
        r#"TypeError: unsupported operand type(s) for +: 'datetime.time' and 'datetime.timedelta'"#,
    ),
    (
        r#"datetime(2020, 1, 1) + 1"#,
        r#"TypeError: unsupported operand type(s) for +: 'datetime.datetime' and 'int'"#,
    ),
    // comparisons and hashes
    (r#"date(2024, 1, 1) == datetime(2024, 1, 1)"#, r#"False"#),
    (r#"date(2024, 1, 1) != datetime(2024, 1, 1)"#, r#"True"#),
    (
        r#"date(2024, 1, 1) < datetime(2024, 1, 1)"#,
        r#"TypeError: can't compare datetime.datetime to datetime.date"#,
    ),
    (
        r#"datetime(2024, 1, 1) < date(2024, 1, 1)"#,
        r#"TypeError: can't compare datetime.datetime to datetime.date"#,
    ),
    (r#"date(2024, 1, 1) < date(2024, 1, 2)"#, r#"True"#),
    (
        r#"datetime(2020, 1, 1) < datetime(2020, 1, 1, tzinfo=timezone.utc)"#,
        r#"TypeError: can't compare offset-naive and offset-aware datetimes"#,
    ),
    (
        r#"datetime(2020, 1, 1) == datetime(2020, 1, 1, tzinfo=timezone.utc)"#,
        r#"False"#,
    ),
    (
        r#"datetime(2020, 1, 1) != datetime(2020, 1, 1, tzinfo=timezone.utc)"#,
        r#"True"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc) == datetime(2020, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"True"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc) < datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"False"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone.utc) > datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"True"#,
    ),
    (
        r#"hash(datetime(2020, 1, 1, tzinfo=timezone.utc)) == hash(datetime(2020, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))))"#,
        r#"True"#,
    ),
    (
        r#"datetime(2020, 1, 1) == datetime(2020, 1, 1, fold=1)"#,
        r#"True"#,
    ),
    (
        r#"hash(datetime(2020, 1, 1)) == hash(datetime(2020, 1, 1, fold=1))"#,
        r#"True"#,
    ),
    (
        r#"time(1) < time(1, tzinfo=timezone.utc)"#,
        r#"TypeError: can't compare offset-naive and offset-aware times"#,
    ),
    (r#"time(1) == time(1, tzinfo=timezone.utc)"#, r#"False"#),
    (
        r#"time(1, tzinfo=timezone.utc) == time(2, tzinfo=timezone(timedelta(hours=1)))"#,
        r#"True"#,
    ),
    (
        r#"hash(time(1, tzinfo=timezone.utc)) == hash(time(2, tzinfo=timezone(timedelta(hours=1))))"#,
        r#"True"#,
    ),
    (r#"time(1, 2) <= time(1, 2, 1)"#, r#"True"#),
    (r#"timedelta(1) == timedelta(hours=24)"#, r#"True"#),
    (
        r#"hash(timedelta(1)) == hash(timedelta(hours=24))"#,
        r#"True"#,
    ),
    (r#"timedelta(-1) < timedelta(0)"#, r#"True"#),
    (r#"timedelta(1) == 1"#, r#"False"#),
    (
        r#"timedelta(1) < 1"#,
        r#"TypeError: '<' not supported between instances of 'datetime.timedelta' and 'int'"#,
    ),
    (
        r#"date(2020, 1, 1) < 1"#,
        r#"TypeError: '<' not supported between instances of 'datetime.date' and 'int'"#,
    ),
    (r#"date(2020, 1, 1) == 'x'"#, r#"False"#),
    (
        r#"len({datetime(2020, 1, 1), datetime(2020, 1, 1, 0), date(2020, 1, 1)})"#,
        r#"2"#,
    ),
    // strftime, __format__, timetuple
    (
        r#"datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=5, minutes=30), 'IST')).strftime('%Y-%m-%d %H:%M:%S.%f %z %Z %a %j %%')"#,
        r#"'2020-01-02 03:04:05.000006 +0530 IST Thu 002 %'"#,
    ),
    (
        r#"datetime(2020, 1, 1).strftime('%z|%Z|%f')"#,
        r#"'||000000'"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-1, seconds=-30))).strftime('%z')"#,
        r#"'-010030'"#,
    ),
    (
        r#"date(2020, 1, 2).strftime('%d/%m/%Y %A %B')"#,
        r#"'02/01/2020 Thursday January'"#,
    ),
    (
        r#"time(1, 2, 3, 4).strftime('%H %f %Y %z')"#,
        r#"'01 000004 1900 '"#,
    ),
    (
        r#"date(2020, 1, 2).strftime(3)"#,
        r#"TypeError: strftime() argument 1 must be str, not int"#,
    ),
    (
        r#"date(2020, 1, 2).__format__('%d/%m/%Y')"#,
        r#"'02/01/2020'"#,
    ),
    (r#"date(2020, 1, 2).__format__('')"#, r#"'2020-01-02'"#),
    (
        r#"datetime(2020, 3, 1, tzinfo=timezone.utc).timetuple()"#,
        r#"time.struct_time(tm_year=2020, tm_mon=3, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=6, tm_yday=61, tm_isdst=-1)"#,
    ),
    (
        r#"date(2020, 3, 1).timetuple()"#,
        r#"time.struct_time(tm_year=2020, tm_mon=3, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=6, tm_yday=61, tm_isdst=-1)"#,
    ),
    (
        r#"datetime(2020, 12, 31, 23, 59, 59).timetuple().tm_yday"#,
        r#"366"#,
    ),
    // the time module
    (
        r#"timemod.gmtime(0)"#,
        r#"time.struct_time(tm_year=1970, tm_mon=1, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=1, tm_isdst=0)"#,
    ),
    (
        r#"timemod.gmtime(1.9)"#,
        r#"time.struct_time(tm_year=1970, tm_mon=1, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=1, tm_wday=3, tm_yday=1, tm_isdst=0)"#,
    ),
    (
        r#"timemod.gmtime(-1.5)"#,
        r#"time.struct_time(tm_year=1969, tm_mon=12, tm_mday=31, tm_hour=23, tm_min=59, tm_sec=58, tm_wday=2, tm_yday=365, tm_isdst=0)"#,
    ),
    (r#"timemod.gmtime(1234567890).tm_wday"#, r#"4"#),
    (
        r#"timemod.gmtime('x')"#,
        r#"TypeError: 'str' object cannot be interpreted as an integer"#,
    ),
    (
        r#"timemod.gmtime(1, 2)"#,
        r#"TypeError: gmtime() takes at most 1 argument (2 given)"#,
    ),
    (
        r#"timemod.gmtime(1e20)"#,
        r#"OverflowError: timestamp out of range for platform time_t"#,
    ),
    (
        r#"timemod.gmtime(float('nan'))"#,
        r#"ValueError: Invalid value NaN (not a number)"#,
    ),
    (r#"timemod.gmtime(None)[0] > 2000"#, r#"True"#),
    (r#"len(timemod.gmtime(0))"#, r#"9"#),
    (r#"timemod.gmtime(0)[8]"#, r#"0"#),
    (
        r#"timemod.gmtime(0) == (1970, 1, 1, 0, 0, 0, 3, 1, 0)"#,
        r#"True"#,
    ),
    (r#"timemod.gmtime(0).tm_gmtoff"#, r#"0"#),
    (
        r#"timemod.strftime('%Y-%m-%d %H:%M:%S', timemod.gmtime(0))"#,
        r#"'1970-01-01 00:00:00'"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1, 0, 0, 0, 0, 1, 0))"#,
        r#"'2020'"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 13, 1, 0, 0, 0, 0, 1, 0))"#,
        r#"ValueError: month out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 32, 0, 0, 0, 0, 1, 0))"#,
        r#"ValueError: day of month out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1, 24, 0, 0, 0, 1, 0))"#,
        r#"ValueError: hour out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1, 0, 60, 0, 0, 1, 0))"#,
        r#"ValueError: minute out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1, 0, 0, 62, 0, 1, 0))"#,
        r#"ValueError: seconds out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1, 0, 0, 0, 0, 367, 0))"#,
        r#"ValueError: day of year out of range"#,
    ),
    (
        r#"timemod.strftime('%Y', (2020, 1, 1))"#,
        r#"TypeError: strftime(): illegal time tuple argument"#,
    ),
    (
        r#"timemod.strftime('%Y', 3)"#,
        r#"TypeError: Tuple or struct_time argument required"#,
    ),
    (
        r#"timemod.strftime(3)"#,
        r#"TypeError: strftime() argument 1 must be str, not int"#,
    ),
    (
        r#"timemod.strftime('%a %j', (2020, 0, 0, 0, 0, 0, 0, 0, 0))"#,
        r#"'Mon 001'"#,
    ),
    (r#"timemod.strftime('')"#, r#"''"#),
    (
        r#"timemod.strftime('%Y', (2020.5, 1, 1, 0, 0, 0, 0, 1, 0))"#,
        r#"TypeError: 'float' object cannot be interpreted as an integer"#,
    ),
    (
        r#"timemod.clock_gettime('x')"#,
        r#"TypeError: 'str' object cannot be interpreted as an integer"#,
    ),
    (
        r#"type(timemod.clock_gettime_ns(timemod.CLOCK_REALTIME))"#,
        r#"<class 'int'>"#,
    ),
    (r#"timemod.CLOCK_REALTIME"#, r#"0"#),
    (r#"timemod.time_ns() > 1600000000 * 10**9"#, r#"True"#),
    (
        r#"abs(timemod.time() - timemod.time_ns() / 1e9) < 5"#,
        r#"True"#,
    ),
    (
        r#"abs(timemod.time() - datetime.now(timezone.utc).timestamp()) < 5"#,
        r#"True"#,
    ),
    (r#"timemod.monotonic() <= timemod.monotonic()"#, r#"True"#),
    (
        r#"timemod.sleep(-1)"#,
        r#"ValueError: sleep length must be non-negative"#,
    ),
    (r#"timemod.sleep(0)"#, r#"None"#),
    // ISO calendar, fromisoformat, ctime, utctimetuple
    (
        r#"date(2024, 1, 1).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=1, weekday=1)"#,
    ),
    (r#"date(2024, 1, 1).isocalendar()[1]"#, r#"1"#),
    (r#"date(2021, 1, 1).isocalendar().week"#, r#"53"#),
    (
        r#"date(2020, 12, 31).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2020, week=53, weekday=4)"#,
    ),
    (
        r#"datetime(2019, 12, 30, 5).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2020, week=1, weekday=1)"#,
    ),
    (
        r#"date.fromisocalendar(2020, 53, 5)"#,
        r#"datetime.date(2021, 1, 1)"#,
    ),
    (
        r#"date.fromisocalendar(2021, 53, 5)"#,
        r#"ValueError: Invalid week: 53"#,
    ),
    (
        r#"date.fromisocalendar(2021, 1, 8)"#,
        r#"ValueError: Invalid day: 8 (range is [1, 7])"#,
    ),
    (
        r#"date.fromisocalendar(10000, 1, 1)"#,
        r#"ValueError: Year is out of range: 10000"#,
    ),
    (
        r#"datetime.fromisocalendar(2021, 1, 1)"#,
        r#"datetime.datetime(2021, 1, 4, 0, 0)"#,
    ),
    (
        r#"datetime(2009, 2, 3, 23, 31, 30).ctime()"#,
        r#"'Tue Feb  3 23:31:30 2009'"#,
    ),
    (
        r#"date(2009, 2, 13).ctime()"#,
        r#"'Fri Feb 13 00:00:00 2009'"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=1))).utctimetuple()"#,
        r#"time.struct_time(tm_year=2019, tm_mon=12, tm_mday=31, tm_hour=23, tm_min=0, tm_sec=0, tm_wday=1, tm_yday=365, tm_isdst=0)"#,
    ),
    (
        r#"datetime(2020, 1, 1).utctimetuple()"#,
        r#"time.struct_time(tm_year=2020, tm_mon=1, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=2, tm_yday=1, tm_isdst=0)"#,
    ),
    (
        r#"date.fromisoformat('2020-01-02')"#,
        r#"datetime.date(2020, 1, 2)"#,
    ),
    (
        r#"date.fromisoformat('20200102')"#,
        r#"datetime.date(2020, 1, 2)"#,
    ),
    (
        r#"date.fromisoformat('2020-W01-3')"#,
        r#"datetime.date(2020, 1, 1)"#,
    ),
    (
        r#"date.fromisoformat('2020-1-2')"#,
        r#"ValueError: Invalid isoformat string: '2020-1-2'"#,
    ),
    (
        r#"date.fromisoformat('2020-02-30')"#,
        r#"ValueError: day is out of range for month"#,
    ),
    (
        r#"date.fromisoformat(3)"#,
        r#"TypeError: fromisoformat: argument must be str"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05.123456+05:30')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02 03:04')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 0)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05Z')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05+00:00')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime.fromisoformat('20200102T030405')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05.1')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, 100000)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05,1234567')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, 123456)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05.1234')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, 123400)"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T25:00')"#,
        r#"ValueError: hour must be in 0..23"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02')"#,
        r#"datetime.datetime(2020, 1, 2, 0, 0)"#,
    ),
    (
        r#"datetime.fromisoformat('x')"#,
        r#"ValueError: Invalid isoformat string: 'x'"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05+0530')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05+05')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=18000)))"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05-00:00:01.5')"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=86398, microseconds=500000)))"#,
    ),
    (
        r#"datetime.fromisoformat('2020-01-02T03:04:05+24:00')"#,
        r#"ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=1)."#,
    ),
    (
        r#"time.fromisoformat('03:04:05.123')"#,
        r#"datetime.time(3, 4, 5, 123000)"#,
    ),
    (r#"time.fromisoformat('T0304')"#, r#"datetime.time(3, 4)"#),
    (
        r#"time.fromisoformat('03:04:05Z')"#,
        r#"datetime.time(3, 4, 5, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"time.fromisoformat('3:04')"#,
        r#"ValueError: Invalid isoformat string: '3:04'"#,
    ),
    (
        r#"time.fromisoformat('03:04:05-08:00')"#,
        r#"datetime.time(3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=57600)))"#,
    ),
    (
        r#"datetime.fromisoformat(datetime(2020, 5, 6, 7, 8, 9, 10, tzinfo=timezone(timedelta(hours=-3))).isoformat()) == datetime(2020, 5, 6, 7, 8, 9, 10, tzinfo=timezone(timedelta(hours=-3)))"#,
        r#"True"#,
    ),
];

fn evaluator() -> Evaluator {
    let mut ev = Evaluator::new();
    let m = gilgate::capi::import::import_module("datetime");
    // SAFETY: import_module returns a new reference or NULL with an exception set.
    let m = unsafe { PyRef::from_owned_ptr(m) }.expect("import datetime");
    for name in [
        "date",
        "datetime",
        "time",
        "timedelta",
        "timezone",
        "tzinfo",
    ] {
        ev.set(name, m.getattr(name).expect(name));
    }
    let t = gilgate::capi::import::import_module("time");
    // SAFETY: as above.
    ev.set(
        "timemod",
        unsafe { PyRef::from_owned_ptr(t) }.expect("import time"),
    );
    ev
}

fn answer(ev: &mut Evaluator, src: &str) -> String {
    let stmt = parse::parse_stmt(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    match ev.exec(&stmt) {
        Ok(Some(v)) => v.repr().unwrap_or_else(|e| format!("repr failed: {e}")),
        Ok(None) => "<no value>".into(),
        Err(e) => e.to_string(),
    }
}

/// The runtime is used from one thread at a time.
static RUNTIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    RUNTIME.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn datetime_matches_cpython() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let mut wrong = Vec::new();
    for (src, want) in CASES {
        let got = answer(&mut ev, src);
        if got != *want {
            wrong.push(format!("{src}\n    want: {want}\n    got:  {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        CASES.len(),
        wrong.join("\n")
    );
}

/// time-machine 3.6.0's C module (built by `scripts/build-sdists.sh`) travelling for real: a
/// stand-in `time_machine` module in `sys.modules` whose traveller's `time_ns()` gives a fixed
/// instant, then the patched `datetime.datetime.now`, `date.today`, `time.time`, ... of gilgate's
/// own modules answer with it, through `cls.fromtimestamp(...).replace(microsecond=...)` calls
/// back into the datetime module. Expected answers: CPython 3.11 with the same statements.
#[test]
fn time_machine_travels_with_gilgates_datetime_and_time() {
    let cache = match std::env::var_os("GILGATE_SDIST_CACHE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/sdists"),
    };
    let status = std::fs::read_to_string(cache.join("build/status.txt"));
    let status = match status {
        Ok(s) => s,
        Err(_) if std::env::var("GILGATE_SKIP_SDISTS").as_deref() == Ok("1") => return,
        Err(e) => panic!(
            "{}: {e}; run `bash scripts/build-sdists.sh` first",
            cache.display()
        ),
    };
    assert!(
        status.lines().any(|l| l == "gilgate _time_machine ok"),
        "_time_machine did not compile against include/"
    );
    let _g = lock();
    let mut host = Host::builder().path(cache.join("build/gilgate")).build();
    let tm = host.import("_time_machine").expect("load _time_machine");
    let mut ev = evaluator();
    ev.add_module(&tm, false).expect("add _time_machine");
    let sys = gilgate::capi::import::import_module("sys");
    // SAFETY: a new reference or NULL with an exception set.
    ev.set(
        "sys",
        unsafe { PyRef::from_owned_ptr(sys) }.expect("import sys"),
    );
    // the stand-in for the pure-Python `time_machine` package
    let name = gilgate::capi::unicodeobject::from_str("time_machine");
    // SAFETY: a live str; new_module returns a new reference or NULL with an exception set.
    let stand_in = unsafe { gilgate::capi::moduleobject::new_module(name) };
    // SAFETY: our reference to the name.
    unsafe { gilgate::capi::refcount::decref(name) };
    // SAFETY: as above.
    ev.set(
        "tm",
        unsafe { PyRef::from_owned_ptr(stand_in) }.expect("module"),
    );
    let setup = [
        "tm._time_machine = _time_machine",
        "tm.traveller_stack = [tm]",
        "tm.time_ns = (1234567890123456789).__int__",
        r#"sys.modules["time_machine"] = tm"#,
        "_time_machine.patch()",
    ];
    for src in setup {
        let got = answer(&mut ev, src);
        assert!(got == "<no value>" || got == "None", "{src}: {got}");
    }
    let cases: &[(&str, &str)] = &[
        (
            "datetime.now() == datetime.fromtimestamp(1234567890.123456)",
            "True",
        ),
        (
            "datetime.now(timezone.utc)",
            "datetime.datetime(2009, 2, 13, 23, 31, 30, 123456, tzinfo=datetime.timezone.utc)",
        ),
        (
            "datetime.now(tz=timezone(timedelta(hours=-5)))",
            "datetime.datetime(2009, 2, 13, 18, 31, 30, 123456, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))",
        ),
        (
            "datetime.utcnow()",
            "datetime.datetime(2009, 2, 13, 23, 31, 30, 123456)",
        ),
        ("date.today() == date.fromtimestamp(1234567890)", "True"),
        (
            "datetime.today() == datetime.fromtimestamp(1234567890.123456)",
            "True",
        ),
        ("timemod.time()", "1234567890.1234567"),
        ("timemod.time_ns()", "1234567890123456789"),
        (
            "timemod.gmtime()",
            "time.struct_time(tm_year=2009, tm_mon=2, tm_mday=13, tm_hour=23, tm_min=31, tm_sec=30, tm_wday=4, tm_yday=44, tm_isdst=0)",
        ),
        (
            "timemod.clock_gettime(timemod.CLOCK_REALTIME)",
            "1234567890.1234567",
        ),
        (
            "timemod.clock_gettime_ns(timemod.CLOCK_REALTIME)",
            "1234567890123456789",
        ),
        (
            r#"timemod.strftime("%Y-%m-%d %H:%M") == timemod.strftime("%Y-%m-%d %H:%M", timemod.localtime(1234567890))"#,
            "True",
        ),
        (
            "timemod.localtime() == timemod.localtime(1234567890)",
            "True",
        ),
        (
            "_time_machine.original_now() > datetime(2024, 1, 1)",
            "True",
        ),
        (
            "datetime.now(foo=1)",
            "TypeError: now() got an unexpected keyword argument 'foo'",
        ),
        ("_time_machine.unpatch()", "None"),
        ("datetime.now() > datetime(2024, 1, 1)", "True"),
        ("timemod.time() > 1.7e9", "True"),
    ];
    let mut wrong = Vec::new();
    for (src, want) in cases {
        let got = answer(&mut ev, src);
        if got != *want {
            wrong.push(format!("{src}\n    want: {want}\n    got:  {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
