//! gilgate's built-in `datetime` module (and its small `time` module) at the Python level, through the `eval` language:
//! methods, class attributes, arithmetic, comparisons, hashes and error messages. Every
//! expected answer was produced by CPython 3.11 (`from datetime import *`, `import time as timemod`, TZ=UTC) on the same
//! expression; expressions that read the clock or the local zone compare results with each
//! other so they hold anywhere.

use gilgate::embed::{Host, PyRef};
use gilgate::eval::{Evaluator, parse};

mod support;

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
    // constructor arguments
    // pickle support
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
    // constructor arguments
    (
        r#"date(2020, 1, 1, foo=1)"#,
        r#"TypeError: function takes at most 3 arguments (4 given)"#,
    ),
    (
        r#"date(2020, 1)"#,
        r#"TypeError: function missing required argument 'day' (pos 3)"#,
    ),
    (
        r#"date(2020, 1, day=1, year=3)"#,
        r#"TypeError: function takes at most 3 arguments (4 given)"#,
    ),
    (
        r#"date(year=2020, month=1, day=1, foo=2)"#,
        r#"TypeError: function takes at most 3 keyword arguments (4 given)"#,
    ),
    (
        r#"datetime(2020, 1, 1, foo=1)"#,
        r#"TypeError: 'foo' is an invalid keyword argument for this function"#,
    ),
    (
        r#"datetime(2020)"#,
        r#"TypeError: function missing required argument 'month' (pos 2)"#,
    ),
    (
        r#"datetime(2020, 1, 1, 0, 0, 0, 0, None, 0, 5)"#,
        r#"TypeError: function takes at most 9 arguments (10 given)"#,
    ),
    (
        r#"time(foo=1)"#,
        r#"TypeError: 'foo' is an invalid keyword argument for this function"#,
    ),
    (
        r#"time(1, 2, 3, 4, None, 0, 7)"#,
        r#"TypeError: function takes at most 6 arguments (7 given)"#,
    ),
    (
        r#"timedelta(foo=1)"#,
        r#"TypeError: 'foo' is an invalid keyword argument for __new__()"#,
    ),
    (
        r#"timedelta(1, 2, 3, 4, 5, 6, 7, 8)"#,
        r#"TypeError: __new__() takes at most 7 arguments (8 given)"#,
    ),
    (
        r#"timedelta(1, days=2)"#,
        r#"TypeError: argument for __new__() given by name ('days') and position (1)"#,
    ),
    (
        r#"date(2020.0, 1, 1)"#,
        r#"TypeError: 'float' object cannot be interpreted as an integer"#,
    ),
    (
        r#"date('2020', 1, 1)"#,
        r#"TypeError: 'str' object cannot be interpreted as an integer"#,
    ),
    (
        r#"datetime(2020, 1, 1, 1.5)"#,
        r#"TypeError: 'float' object cannot be interpreted as an integer"#,
    ),
    (
        r#"date(2**40, 1, 1)"#,
        r#"OverflowError: signed integer is greater than maximum"#,
    ),
    (r#"time(hour=True)"#, r#"datetime.time(1, 0)"#),
    (r#"timedelta(True)"#, r#"datetime.timedelta(days=1)"#),
    (r#"timedelta(seconds=-0.0)"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(days=-1e-300)"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(microseconds=1e-300)"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"timedelta(microseconds=-0.5)"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"timedelta(microseconds=-1.5)"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=999998)"#,
    ),
    (
        r#"timedelta(days=0.5, microseconds=0.5)"#,
        r#"datetime.timedelta(seconds=43200)"#,
    ),
    (
        r#"timedelta(seconds=1e9)"#,
        r#"datetime.timedelta(days=11574, seconds=6400)"#,
    ),
    (
        r#"timedelta(weeks=1e8)"#,
        r#"datetime.timedelta(days=700000000)"#,
    ),
    (
        r#"datetime(2020, 1, 1, tzinfo=1)"#,
        r#"TypeError: tzinfo argument must be None or of a tzinfo subclass, not type 'int'"#,
    ),
    (
        r#"time(tzinfo=timezone.utc, fold=1)"#,
        r#"datetime.time(0, 0, tzinfo=datetime.timezone.utc, fold=1)"#,
    ),
    // pickle support
    (
        r#"date(2020, 1, 2).__reduce__()"#,
        r#"(<class 'datetime.date'>, (b'\x07\xe4\x01\x02',))"#,
    ),
    (
        r#"date(2020, 1, 2).__reduce_ex__(2)"#,
        r#"(<class 'datetime.date'>, (b'\x07\xe4\x01\x02',))"#,
    ),
    (
        r#"datetime(2020, 1, 2, 3, 4, 5, 6).__reduce__()"#,
        r#"(<class 'datetime.datetime'>, (b'\x07\xe4\x01\x02\x03\x04\x05\x00\x00\x06',))"#,
    ),
    (
        r#"datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc, fold=1).__reduce_ex__(4)"#,
        r#"(<class 'datetime.datetime'>, (b'\x07\xe4\x81\x02\x03\x04\x05\x00\x00\x06', datetime.timezone.utc))"#,
    ),
    (
        r#"datetime(2020, 1, 2, fold=1).__reduce_ex__(2)"#,
        r#"(<class 'datetime.datetime'>, (b'\x07\xe4\x01\x02\x00\x00\x00\x00\x00\x00',))"#,
    ),
    (
        r#"datetime(2020, 1, 2, fold=1).__reduce__()"#,
        r#"(<class 'datetime.datetime'>, (b'\x07\xe4\x01\x02\x00\x00\x00\x00\x00\x00',))"#,
    ),
    (
        r#"datetime.max.__reduce__()"#,
        r#"(<class 'datetime.datetime'>, (b"'\x0f\x0c\x1f\x17;;\x0fB?",))"#,
    ),
    (
        r#"time(1, 2, 3, 4, fold=1).__reduce_ex__(4)"#,
        r#"(<class 'datetime.time'>, (b'\x81\x02\x03\x00\x00\x04',))"#,
    ),
    (
        r#"time(1, 2, 3, 4, timezone.utc).__reduce__()"#,
        r#"(<class 'datetime.time'>, (b'\x01\x02\x03\x00\x00\x04', datetime.timezone.utc))"#,
    ),
    (
        r#"timedelta(1, 2, 3).__reduce__()"#,
        r#"(<class 'datetime.timedelta'>, (1, 2, 3))"#,
    ),
    (
        r#"timedelta(-1).__reduce__()"#,
        r#"(<class 'datetime.timedelta'>, (-1, 0, 0))"#,
    ),
    (
        r#"timezone.utc.__reduce__()"#,
        r#"(<class 'datetime.timezone'>, (datetime.timedelta(0),), None)"#,
    ),
    (
        r#"timezone(timedelta(hours=1), 'X').__reduce__()"#,
        r#"(<class 'datetime.timezone'>, (datetime.timedelta(seconds=3600), 'X'), None)"#,
    ),
    (
        r#"timezone(timedelta(hours=1)).__getinitargs__()"#,
        r#"(datetime.timedelta(seconds=3600),)"#,
    ),
    (
        r#"tzinfo().__reduce__()"#,
        r#"(<class 'datetime.tzinfo'>, (), None)"#,
    ),
    (
        r#"date(date(2020, 1, 2).__reduce__()[1][0])"#,
        r#"datetime.date(2020, 1, 2)"#,
    ),
    (
        r#"datetime(datetime(2020, 1, 2, 3, 4, 5, 6, fold=1).__reduce_ex__(4)[1][0])"#,
        r#"datetime.datetime(2020, 1, 2, 3, 4, 5, 6, fold=1)"#,
    ),
    (
        r#"datetime(datetime(2020, 1, 2, 3, tzinfo=timezone(timedelta(hours=2), 'X')).__reduce__()[1][0], timezone.utc)"#,
        r#"datetime.datetime(2020, 1, 2, 3, 0, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"time(time(23, 4, 5, 999999, fold=1).__reduce_ex__(4)[1][0], timezone.utc)"#,
        r#"datetime.time(23, 4, 5, 999999, tzinfo=datetime.timezone.utc, fold=1)"#,
    ),
    (
        r#"datetime(datetime(2020, 1, 2).__reduce__()[1][0], 3)"#,
        r#"TypeError: bad tzinfo state arg"#,
    ),
    (
        r#"date(datetime(2020, 1, 2).__reduce__()[1][0])"#,
        r#"TypeError: 'bytes' object cannot be interpreted as an integer"#,
    ),
    (
        r#"date(date(2020, 1, 2).__reduce__()[1][0][:3])"#,
        r#"TypeError: 'bytes' object cannot be interpreted as an integer"#,
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
    (
        r#"timemod.mktime(timemod.localtime(1234567890))"#,
        r#"1234567890.0"#,
    ),
    (
        r#"timemod.mktime((2020, 1, 1))"#,
        r#"TypeError: mktime(): illegal time tuple argument"#,
    ),
    (
        r#"timemod.mktime(3)"#,
        r#"TypeError: Tuple or struct_time argument required"#,
    ),
    (
        r#"timemod.mktime((10**10, 1, 1, 0, 0, 0, 0, 1, -1))"#,
        r#"OverflowError: signed integer is greater than maximum"#,
    ),
    (
        r#"timemod.mktime((2020, 1, 1, 0, 0, 0, 0, 1, -1)) == datetime(2020, 1, 1).timestamp()"#,
        r#"True"#,
    ),
    (r#"timemod.daylight in (0, 1)"#, r#"True"#),
    (r#"len(timemod.tzname)"#, r#"2"#),
    (
        r#"timemod.timezone == -timemod.localtime(timemod.mktime((2021, 1, 1, 12, 0, 0, 0, 1, 0))).tm_gmtoff or timemod.daylight == 1"#,
        r#"True"#,
    ),
    (r#"type(timemod.process_time())"#, r#"<class 'float'>"#),
    (r#"type(timemod.thread_time_ns())"#, r#"<class 'int'>"#),
    (
        r#"timemod.gmtime(-1e13)"#,
        r#"time.struct_time(tm_year=-314918, tm_mon=8, tm_mday=13, tm_hour=6, tm_min=13, tm_sec=20, tm_wday=6, tm_yday=225, tm_isdst=0)"#,
    ),
    (
        r#"timemod.asctime(timemod.gmtime(0))"#,
        r#"'Thu Jan  1 00:00:00 1970'"#,
    ),
    (
        r#"timemod.asctime((2020, 13, 1, 0, 0, 0, 0, 1, 0))"#,
        r#"ValueError: month out of range"#,
    ),
    (
        r#"timemod.asctime((5, 1, 1, 0, 0, 0, 0, 1, 0))"#,
        r#"'Mon Jan  1 00:00:00 5'"#,
    ),
    (
        r#"timemod.asctime((2020, 1, 1))"#,
        r#"TypeError: asctime(): illegal time tuple argument"#,
    ),
    (
        r#"timemod.asctime((2020, 0, 0, 0, 0, 0, 0, 0, 0))"#,
        r#"'Mon Jan  1 00:00:00 2020'"#,
    ),
    (
        r#"timemod.asctime(3)"#,
        r#"TypeError: Tuple or struct_time argument required"#,
    ),
    (
        r#"timemod.ctime('x')"#,
        r#"TypeError: 'str' object cannot be interpreted as an integer"#,
    ),
    (r#"timemod.ctime(None)[-4:] > '2000'"#, r#"True"#),
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

/// Calendar and timedelta arithmetic on seeded random operands (years 1..9999, leap days,
/// large and negative timedeltas, float factors, offsets), answers from CPython 3.11.
const RANDOM_CASES: &[(&str, &str)] = &[
    (
        r#"date(99, 7, 21) + timedelta(-844444262, -802595, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 7, 21, 16, 13, 2, 90122) - timedelta(-844444262, -802595, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 7, 21, 16, 13, 2, 90122) - datetime(2, 4, 3, 13, 2, 16)"#,
        r#"datetime.timedelta(days=35538, seconds=11446, microseconds=90122)"#,
    ),
    (
        r#"date(99, 7, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=99, week=30, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(99, 7, 21).toordinal() + 164)"#,
        r#"datetime.date(100, 1, 1)"#,
    ),
    (
        r#"timedelta(-844444262, -802595, 0) * -1509.61621714972"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-844444262, -802595, 0) / 1e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-844444262, -802595, 0) // 86400"#,
        r#"datetime.timedelta(days=-9774, seconds=29328, microseconds=710706)"#,
    ),
    (
        r#"timedelta(-844444262, -802595, 0) / 1"#,
        r#"datetime.timedelta(days=-844444272, seconds=61405)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=1e-07, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=78634, microseconds=567800)"#,
    ),
    (
        r#"str(timedelta(-844444262, -802595, 0))"#,
        r#"'-844444272 days, 17:03:25'"#,
    ),
    (
        r#"datetime(99, 7, 21, 16, 13, 2, 90122, tzinfo=timezone(timedelta(minutes=-253))).astimezone(timezone(timedelta(minutes=277)))"#,
        r#"datetime.datetime(99, 7, 22, 1, 3, 2, 90122, tzinfo=datetime.timezone(datetime.timedelta(seconds=16620)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-15280924159.194366, timezone.utc)"#,
        r#"datetime.datetime(1485, 10, 7, 10, 50, 40, 805634, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(99, 7, 21, 16, 13, 2, 90122, tzinfo=timezone(timedelta(minutes=-253))).timestamp()"#,
        r#"-59025555237.90988"#,
    ),
    (
        r#"datetime(99, 7, 21, 16, 13, 2, 90122).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'99 202 29 29 Tue Jul 04 PM 090122'"#,
    ),
    (
        r#"date(2000, 5, 18) + timedelta(1, 0, 0)"#,
        r#"datetime.date(2000, 5, 19)"#,
    ),
    (
        r#"datetime(2000, 5, 18, 17, 45, 4, 0) - timedelta(1, 0, 0)"#,
        r#"datetime.datetime(2000, 5, 17, 17, 45, 4)"#,
    ),
    (
        r#"datetime(2000, 5, 18, 17, 45, 4, 0) - datetime(1969, 11, 18, 21, 4, 17)"#,
        r#"datetime.timedelta(days=11138, seconds=74447)"#,
    ),
    (
        r#"date(2000, 5, 18).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2000, week=20, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(2000, 5, 18).toordinal() + 37)"#,
        r#"datetime.date(2000, 6, 24)"#,
    ),
    (
        r#"timedelta(1, 0, 0) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(microseconds=82397)"#,
    ),
    (
        r#"timedelta(1, 0, 0) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=1048576)"#,
    ),
    (
        r#"timedelta(1, 0, 0) // -7"#,
        r#"datetime.timedelta(days=-1, seconds=74057, microseconds=142857)"#,
    ),
    (
        r#"timedelta(1, 0, 0) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=74057, microseconds=142857)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=1e-07, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=11997, microseconds=380000)"#,
    ),
    (r#"str(timedelta(1, 0, 0))"#, r#"'1 day, 0:00:00'"#),
    (
        r#"datetime(2000, 5, 18, 17, 45, 4, 0, tzinfo=timezone(timedelta(minutes=712))).astimezone(timezone(timedelta(minutes=588)))"#,
        r#"datetime.datetime(2000, 5, 18, 15, 41, 4, tzinfo=datetime.timezone(datetime.timedelta(seconds=35280)))"#,
    ),
    (
        r#"datetime.fromtimestamp(211292623627.76297, timezone.utc)"#,
        r#"datetime.datetime(8665, 8, 6, 11, 27, 7, 762970, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2000, 5, 18, 17, 45, 4, 0, tzinfo=timezone(timedelta(minutes=712))).timestamp()"#,
        r#"958629184.0"#,
    ),
    (
        r#"datetime(2000, 5, 18, 17, 45, 4, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2000 139 20 20 Thu May 05 PM 000000'"#,
    ),
    (
        r#"date(400, 10, 3) + timedelta(-752399, -654050, -4900246)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(400, 10, 3, 13, 2, 42, 81390) - timedelta(-752399, -654050, -4900246)"#,
        r#"datetime.datetime(2460, 10, 10, 2, 43, 36, 981636)"#,
    ),
    (
        r#"datetime(400, 10, 3, 13, 2, 42, 81390) - datetime(9998, 6, 20, 2, 42, 13)"#,
        r#"datetime.timedelta(days=-3505492, seconds=37229, microseconds=81390)"#,
    ),
    (
        r#"date(400, 10, 3).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=400, week=40, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(400, 10, 3).toordinal() + 108)"#,
        r#"datetime.date(401, 1, 19)"#,
    ),
    (
        r#"timedelta(-752399, -654050, -4900246) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=-1, seconds=24403, microseconds=609033)"#,
    ),
    (
        r#"timedelta(-752399, -654050, -4900246) / 1.5"#,
        r#"datetime.timedelta(days=-501605, seconds=53563, microseconds=399836)"#,
    ),
    (
        r#"timedelta(-752399, -654050, -4900246) // -7"#,
        r#"datetime.timedelta(days=107486, seconds=56407, microseconds=842892)"#,
    ),
    (
        r#"timedelta(-752399, -654050, -4900246) / 1000"#,
        r#"datetime.timedelta(days=-753, seconds=51272, microseconds=345100)"#,
    ),
    (
        r#"timedelta(seconds=1.5, microseconds=3.3333, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(seconds=1, microseconds=503437)"#,
    ),
    (
        r#"str(timedelta(-752399, -654050, -4900246))"#,
        r#"'-752407 days, 10:19:05.099754'"#,
    ),
    (
        r#"datetime(400, 10, 3, 13, 2, 42, 81390, tzinfo=timezone(timedelta(minutes=-274))).astimezone(timezone(timedelta(minutes=141)))"#,
        r#"datetime.datetime(400, 10, 3, 19, 57, 42, 81390, tzinfo=datetime.timezone(datetime.timedelta(seconds=8460)))"#,
    ),
    (
        r#"datetime.fromtimestamp(214982490593.80847, timezone.utc)"#,
        r#"datetime.datetime(8782, 7, 11, 6, 29, 53, 808472, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(400, 10, 3, 13, 2, 42, 81390, tzinfo=timezone(timedelta(minutes=-274))).timestamp()"#,
        r#"-49520528597.91861"#,
    ),
    (
        r#"datetime(400, 10, 3, 13, 2, 42, 81390).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'400 277 40 40 Tue Oct 01 PM 081390'"#,
    ),
    (
        r#"date(1, 8, 12) + timedelta(0, 0, -2678163)"#,
        r#"datetime.date(1, 8, 11)"#,
    ),
    (
        r#"datetime(1, 8, 12, 4, 47, 15, 417225) - timedelta(0, 0, -2678163)"#,
        r#"datetime.datetime(1, 8, 12, 4, 47, 18, 95388)"#,
    ),
    (
        r#"datetime(1, 8, 12, 4, 47, 15, 417225) - datetime(2, 3, 15, 23, 15, 4)"#,
        r#"datetime.timedelta(days=-216, seconds=19931, microseconds=417225)"#,
    ),
    (
        r#"date(1, 8, 12).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1, week=32, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(1, 8, 12).toordinal() + 11)"#,
        r#"datetime.date(1, 8, 23)"#,
    ),
    (
        r#"timedelta(0, 0, -2678163) * -2.5"#,
        r#"datetime.timedelta(seconds=6, microseconds=695408)"#,
    ),
    (
        r#"timedelta(0, 0, -2678163) / 1000000.5"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=999997)"#,
    ),
    (
        r#"timedelta(0, 0, -2678163) // -7"#,
        r#"datetime.timedelta(microseconds=382594)"#,
    ),
    (
        r#"timedelta(0, 0, -2678163) / 1000"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=997322)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=-2.5, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=78634, microseconds=567798)"#,
    ),
    (
        r#"str(timedelta(0, 0, -2678163))"#,
        r#"'-1 day, 23:59:57.321837'"#,
    ),
    (
        r#"datetime(1, 8, 12, 4, 47, 15, 417225, tzinfo=timezone(timedelta(minutes=-489))).astimezone(timezone(timedelta(minutes=1258)))"#,
        r#"datetime.datetime(1, 8, 13, 9, 54, 15, 417225, tzinfo=datetime.timezone(datetime.timedelta(seconds=75480)))"#,
    ),
    (
        r#"datetime.fromtimestamp(12334185941.06694, timezone.utc)"#,
        r#"datetime.datetime(2360, 11, 8, 18, 45, 41, 66940, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1, 8, 12, 4, 47, 15, 417225, tzinfo=timezone(timedelta(minutes=-489))).timestamp()"#,
        r#"-62116283024.58277"#,
    ),
    (
        r#"datetime(1, 8, 12, 4, 47, 15, 417225).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1 224 32 32 Sun Aug 04 AM 417225'"#,
    ),
    (
        r#"date(7946, 10, 6) + timedelta(0, -694495, 7937896)"#,
        r#"datetime.date(7946, 9, 27)"#,
    ),
    (
        r#"datetime(7946, 10, 6, 19, 36, 20, 0) - timedelta(0, -694495, 7937896)"#,
        r#"datetime.datetime(7946, 10, 14, 20, 31, 7, 62104)"#,
    ),
    (
        r#"datetime(7946, 10, 6, 19, 36, 20, 0) - datetime(2000, 11, 22, 12, 20, 19)"#,
        r#"datetime.timedelta(days=2171684, seconds=26161)"#,
    ),
    (
        r#"date(7946, 10, 6).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=7946, week=40, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(7946, 10, 6).toordinal() + 357)"#,
        r#"datetime.date(7947, 9, 28)"#,
    ),
    (
        r#"timedelta(0, -694495, 7937896) * 1000000.5"#,
        r#"datetime.timedelta(days=-8038049, seconds=24252, microseconds=468948)"#,
    ),
    (
        r#"timedelta(0, -694495, 7937896) / 1234.5678"#,
        r#"datetime.timedelta(days=-1, seconds=85837, microseconds=465434)"#,
    ),
    (
        r#"timedelta(0, -694495, 7937896) // 1000"#,
        r#"datetime.timedelta(days=-1, seconds=85705, microseconds=512937)"#,
    ),
    (
        r#"timedelta(0, -694495, 7937896) / 1"#,
        r#"datetime.timedelta(days=-9, seconds=83112, microseconds=937896)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=1.5, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(seconds=1234, microseconds=571235)"#,
    ),
    (
        r#"str(timedelta(0, -694495, 7937896))"#,
        r#"'-9 days, 23:05:12.937896'"#,
    ),
    (
        r#"datetime(7946, 10, 6, 19, 36, 20, 0, tzinfo=timezone(timedelta(minutes=-775))).astimezone(timezone(timedelta(minutes=-989)))"#,
        r#"datetime.datetime(7946, 10, 6, 16, 2, 20, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=27060)))"#,
    ),
    (
        r#"datetime.fromtimestamp(45416632192.02646, timezone.utc)"#,
        r#"datetime.datetime(3409, 3, 13, 11, 9, 52, 26459, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(7946, 10, 6, 19, 36, 20, 0, tzinfo=timezone(timedelta(minutes=-775))).timestamp()"#,
        r#"188608465880.0"#,
    ),
    (
        r#"datetime(7946, 10, 6, 19, 36, 20, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'7946 279 40 39 Sun Oct 07 PM 000000'"#,
    ),
    (
        r#"date(2, 1, 19) + timedelta(0, 990089, 0)"#,
        r#"datetime.date(2, 1, 30)"#,
    ),
    (
        r#"datetime(2, 1, 19, 6, 39, 24, 155766) - timedelta(0, 990089, 0)"#,
        r#"datetime.datetime(2, 1, 7, 19, 37, 55, 155766)"#,
    ),
    (
        r#"datetime(2, 1, 19, 6, 39, 24, 155766) - datetime(2000, 6, 16, 15, 24, 6)"#,
        r#"datetime.timedelta(days=-729904, seconds=54918, microseconds=155766)"#,
    ),
    (
        r#"date(2, 1, 19).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2, week=3, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(2, 1, 19).toordinal() + -275)"#,
        r#"datetime.date(1, 4, 19)"#,
    ),
    (
        r#"timedelta(0, 990089, 0) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(microseconds=944222)"#,
    ),
    (
        r#"timedelta(0, 990089, 0) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=12016013, seconds=40064)"#,
    ),
    (
        r#"timedelta(0, 990089, 0) // 1000"#,
        r#"datetime.timedelta(seconds=990, microseconds=89000)"#,
    ),
    (
        r#"timedelta(0, 990089, 0) / 1000"#,
        r#"datetime.timedelta(seconds=990, microseconds=89000)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=-0.1, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(days=-1, seconds=86397, microseconds=503433)"#,
    ),
    (r#"str(timedelta(0, 990089, 0))"#, r#"'11 days, 11:01:29'"#),
    (
        r#"datetime(2, 1, 19, 6, 39, 24, 155766, tzinfo=timezone(timedelta(minutes=1395))).astimezone(timezone(timedelta(minutes=-778)))"#,
        r#"datetime.datetime(2, 1, 17, 18, 26, 24, 155766, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=39720)))"#,
    ),
    (
        r#"datetime.fromtimestamp(100063700878.31967, timezone.utc)"#,
        r#"datetime.datetime(5140, 11, 22, 16, 27, 58, 319672, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2, 1, 19, 6, 39, 24, 155766, tzinfo=timezone(timedelta(minutes=1395))).timestamp()"#,
        r#"-62102565335.84423"#,
    ),
    (
        r#"datetime(2, 1, 19, 6, 39, 24, 155766).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2 019 02 02 Sat Jan 06 AM 155766'"#,
    ),
    (
        r#"date(1970, 6, 5) + timedelta(0, 589941, -6946193)"#,
        r#"datetime.date(1970, 6, 11)"#,
    ),
    (
        r#"datetime(1970, 6, 5, 16, 23, 58, 175156) - timedelta(0, 589941, -6946193)"#,
        r#"datetime.datetime(1970, 5, 29, 20, 31, 44, 121349)"#,
    ),
    (
        r#"datetime(1970, 6, 5, 16, 23, 58, 175156) - datetime(1970, 9, 25, 23, 58, 16)"#,
        r#"datetime.timedelta(days=-113, seconds=59142, microseconds=175156)"#,
    ),
    (
        r#"date(1970, 6, 5).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1970, week=23, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(1970, 6, 5).toordinal() + 114)"#,
        r#"datetime.date(1970, 9, 27)"#,
    ),
    (
        r#"timedelta(0, 589941, -6946193) * 1e-07"#,
        r#"datetime.timedelta(microseconds=58993)"#,
    ),
    (
        r#"timedelta(0, 589941, -6946193) / 1e-07"#,
        r#"datetime.timedelta(days=68279404, seconds=32470, microseconds=267)"#,
    ),
    (
        r#"timedelta(0, 589941, -6946193) // 3"#,
        r#"datetime.timedelta(days=2, seconds=23844, microseconds=684602)"#,
    ),
    (
        r#"timedelta(0, 589941, -6946193) / 1000"#,
        r#"datetime.timedelta(seconds=589, microseconds=934054)"#,
    ),
    (
        r#"timedelta(seconds=1e-07, microseconds=9.5367431640625e-07, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1800)"#,
    ),
    (
        r#"str(timedelta(0, 589941, -6946193))"#,
        r#"'6 days, 19:52:14.053807'"#,
    ),
    (
        r#"datetime(1970, 6, 5, 16, 23, 58, 175156, tzinfo=timezone(timedelta(minutes=-1325))).astimezone(timezone(timedelta(minutes=-295)))"#,
        r#"datetime.datetime(1970, 6, 6, 9, 33, 58, 175156, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68700)))"#,
    ),
    (
        r#"datetime.fromtimestamp(86394419374.64514, timezone.utc)"#,
        r#"datetime.datetime(4707, 9, 25, 9, 49, 34, 645142, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1970, 6, 5, 16, 23, 58, 175156, tzinfo=timezone(timedelta(minutes=-1325))).timestamp()"#,
        r#"13530538.175156"#,
    ),
    (
        r#"datetime(1970, 6, 5, 16, 23, 58, 175156).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1970 156 22 22 Fri Jun 04 PM 175156'"#,
    ),
    (
        r#"date(9998, 10, 12) + timedelta(-1, 0, 0)"#,
        r#"datetime.date(9998, 10, 11)"#,
    ),
    (
        r#"datetime(9998, 10, 12, 7, 30, 12, 0) - timedelta(-1, 0, 0)"#,
        r#"datetime.datetime(9998, 10, 13, 7, 30, 12)"#,
    ),
    (
        r#"datetime(9998, 10, 12, 7, 30, 12, 0) - datetime(2000, 10, 27, 6, 12, 7)"#,
        r#"datetime.timedelta(days=2921194, seconds=4685)"#,
    ),
    (
        r#"date(9998, 10, 12).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9998, week=42, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(9998, 10, 12).toordinal() + -399)"#,
        r#"datetime.date(9997, 9, 8)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) * -0.1"#,
        r#"datetime.timedelta(seconds=8640)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 1.5"#,
        r#"datetime.timedelta(days=-1, seconds=28800)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) // 1"#,
        r#"datetime.timedelta(days=-1)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 1000"#,
        r#"datetime.timedelta(days=-1, seconds=86313, microseconds=600000)"#,
    ),
    (
        r#"timedelta(seconds=1e-07, microseconds=-2.5, hours=-0.1)"#,
        r#"datetime.timedelta(days=-1, seconds=86039, microseconds=999998)"#,
    ),
    (r#"str(timedelta(-1, 0, 0))"#, r#"'-1 day, 0:00:00'"#),
    (
        r#"datetime(9998, 10, 12, 7, 30, 12, 0, tzinfo=timezone(timedelta(minutes=-1084))).astimezone(timezone(timedelta(minutes=182)))"#,
        r#"datetime.datetime(9998, 10, 13, 4, 36, 12, tzinfo=datetime.timezone(datetime.timedelta(seconds=10920)))"#,
    ),
    (
        r#"datetime.fromtimestamp(83579767453.89337, timezone.utc)"#,
        r#"datetime.datetime(4618, 7, 16, 10, 4, 13, 893372, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9998, 10, 12, 7, 30, 12, 0, tzinfo=timezone(timedelta(minutes=-1084))).timestamp()"#,
        r#"253363858452.0"#,
    ),
    (
        r#"datetime(9998, 10, 12, 7, 30, 12, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9998 285 41 41 Mon Oct 07 AM 000000'"#,
    ),
    (
        r#"date(9998, 3, 6) + timedelta(1, 239023, -5095205)"#,
        r#"datetime.date(9998, 3, 9)"#,
    ),
    (
        r#"datetime(9998, 3, 6, 21, 59, 22, 0) - timedelta(1, 239023, -5095205)"#,
        r#"datetime.datetime(9998, 3, 3, 3, 35, 44, 95205)"#,
    ),
    (
        r#"datetime(9998, 3, 6, 21, 59, 22, 0) - datetime(1, 12, 21, 11, 22, 21)"#,
        r#"datetime.timedelta(days=3651039, seconds=38221)"#,
    ),
    (
        r#"date(9998, 3, 6).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9998, week=10, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(9998, 3, 6).toordinal() + -295)"#,
        r#"datetime.date(9997, 5, 15)"#,
    ),
    (
        r#"timedelta(1, 239023, -5095205) * -2.5"#,
        r#"datetime.timedelta(days=-10, seconds=50455, microseconds=238012)"#,
    ),
    (
        r#"timedelta(1, 239023, -5095205) / 1e-07"#,
        r#"datetime.timedelta(days=37664109, seconds=30350, microseconds=147)"#,
    ),
    (
        r#"timedelta(1, 239023, -5095205) // 3"#,
        r#"datetime.timedelta(days=1, seconds=22072, microseconds=634931)"#,
    ),
    (
        r#"timedelta(1, 239023, -5095205) / 1"#,
        r#"datetime.timedelta(days=3, seconds=66217, microseconds=904795)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=23.23839672496797, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59403, microseconds=333323)"#,
    ),
    (
        r#"str(timedelta(1, 239023, -5095205))"#,
        r#"'3 days, 18:23:37.904795'"#,
    ),
    (
        r#"datetime(9998, 3, 6, 21, 59, 22, 0, tzinfo=timezone(timedelta(minutes=277))).astimezone(timezone(timedelta(minutes=-903)))"#,
        r#"datetime.datetime(9998, 3, 6, 2, 19, 22, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=32220)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-41119597389.50965, timezone.utc)"#,
        r#"datetime.datetime(666, 12, 21, 17, 36, 50, 490349, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9998, 3, 6, 21, 59, 22, 0, tzinfo=timezone(timedelta(minutes=277))).timestamp()"#,
        r#"253344820942.0"#,
    ),
    (
        r#"datetime(9998, 3, 6, 21, 59, 22, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9998 065 09 09 Fri Mar 09 PM 000000'"#,
    ),
    (
        r#"date(1969, 11, 19) + timedelta(941962533, 0, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1969, 11, 19, 16, 32, 1, 915203) - timedelta(941962533, 0, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1969, 11, 19, 16, 32, 1, 915203) - datetime(2000, 1, 25, 8, 1, 16)"#,
        r#"datetime.timedelta(days=-11024, seconds=30645, microseconds=915203)"#,
    ),
    (
        r#"date(1969, 11, 19).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1969, week=47, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(1969, 11, 19).toordinal() + -247)"#,
        r#"datetime.date(1969, 3, 17)"#,
    ),
    (
        r#"timedelta(941962533, 0, 0) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=898, seconds=28121, microseconds=17456)"#,
    ),
    (
        r#"timedelta(941962533, 0, 0) / 1.5"#,
        r#"datetime.timedelta(days=627975022)"#,
    ),
    (
        r#"timedelta(941962533, 0, 0) // 86400"#,
        r#"datetime.timedelta(days=10902, seconds=29733)"#,
    ),
    (
        r#"timedelta(941962533, 0, 0) / 1"#,
        r#"datetime.timedelta(days=941962533)"#,
    ),
    (
        r#"timedelta(seconds=1000000.5, microseconds=9.5367431640625e-07, hours=1.5)"#,
        r#"datetime.timedelta(days=11, seconds=55000, microseconds=500000)"#,
    ),
    (
        r#"str(timedelta(941962533, 0, 0))"#,
        r#"'941962533 days, 0:00:00'"#,
    ),
    (
        r#"datetime(1969, 11, 19, 16, 32, 1, 915203, tzinfo=timezone(timedelta(minutes=855))).astimezone(timezone(timedelta(minutes=-1207)))"#,
        r#"datetime.datetime(1969, 11, 18, 6, 10, 1, 915203, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=13980)))"#,
    ),
    (
        r#"datetime.fromtimestamp(17033239523.357895, timezone.utc)"#,
        r#"datetime.datetime(2509, 10, 5, 23, 25, 23, 357895, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1969, 11, 19, 16, 32, 1, 915203, tzinfo=timezone(timedelta(minutes=855))).timestamp()"#,
        r#"-3706978.084797"#,
    ),
    (
        r#"datetime(1969, 11, 19, 16, 32, 1, 915203).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1969 323 46 46 Wed Nov 04 PM 915203'"#,
    ),
    (
        r#"date(1, 2, 17) + timedelta(0, 0, 4872948)"#,
        r#"datetime.date(1, 2, 17)"#,
    ),
    (
        r#"datetime(1, 2, 17, 19, 32, 38, 0) - timedelta(0, 0, 4872948)"#,
        r#"datetime.datetime(1, 2, 17, 19, 32, 33, 127052)"#,
    ),
    (
        r#"datetime(1, 2, 17, 19, 32, 38, 0) - datetime(1969, 9, 18, 8, 38, 19)"#,
        r#"datetime.timedelta(days=-719010, seconds=39259)"#,
    ),
    (
        r#"date(1, 2, 17).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1, week=7, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(1, 2, 17).toordinal() + 89)"#,
        r#"datetime.date(1, 5, 17)"#,
    ),
    (
        r#"timedelta(0, 0, 4872948) * 1e-07"#,
        r#"datetime.timedelta(0)"#,
    ),
    (
        r#"timedelta(0, 0, 4872948) / 3.3333"#,
        r#"datetime.timedelta(seconds=1, microseconds=461899)"#,
    ),
    (
        r#"timedelta(0, 0, 4872948) // 86400"#,
        r#"datetime.timedelta(microseconds=56)"#,
    ),
    (
        r#"timedelta(0, 0, 4872948) / 3"#,
        r#"datetime.timedelta(seconds=1, microseconds=624316)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=1234.5678, hours=1.5)"#,
        r#"datetime.timedelta(seconds=5397, microseconds=501235)"#,
    ),
    (r#"str(timedelta(0, 0, 4872948))"#, r#"'0:00:04.872948'"#),
    (
        r#"datetime(1, 2, 17, 19, 32, 38, 0, tzinfo=timezone(timedelta(minutes=1310))).astimezone(timezone(timedelta(minutes=-454)))"#,
        r#"datetime.datetime(1, 2, 16, 14, 8, 38, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=59160)))"#,
    ),
    (
        r#"datetime.fromtimestamp(72784989943.11269, timezone.utc)"#,
        r#"datetime.datetime(4276, 6, 18, 20, 45, 43, 112686, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1, 2, 17, 19, 32, 38, 0, tzinfo=timezone(timedelta(minutes=1310))).timestamp()"#,
        r#"-62131544242.0"#,
    ),
    (
        r#"datetime(1, 2, 17, 19, 32, 38, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1 048 06 07 Sat Feb 07 PM 000000'"#,
    ),
    (
        r#"date(2024, 5, 26) + timedelta(1, 970284, -5202421)"#,
        r#"datetime.date(2024, 6, 7)"#,
    ),
    (
        r#"datetime(2024, 5, 26, 4, 29, 14, 0) - timedelta(1, 970284, -5202421)"#,
        r#"datetime.datetime(2024, 5, 13, 22, 57, 55, 202421)"#,
    ),
    (
        r#"datetime(2024, 5, 26, 4, 29, 14, 0) - datetime(1969, 3, 22, 5, 14, 4)"#,
        r#"datetime.timedelta(days=20153, seconds=83710)"#,
    ),
    (
        r#"date(2024, 5, 26).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=21, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 5, 26).toordinal() + -171)"#,
        r#"datetime.date(2023, 12, 7)"#,
    ),
    (
        r#"timedelta(1, 970284, -5202421) * 1234.5678"#,
        r#"datetime.timedelta(days=15098, seconds=74418, microseconds=433751)"#,
    ),
    (
        r#"timedelta(1, 970284, -5202421) / 1234.5678"#,
        r#"datetime.timedelta(seconds=855, microseconds=909896)"#,
    ),
    (
        r#"timedelta(1, 970284, -5202421) // -7"#,
        r#"datetime.timedelta(days=-2, seconds=21845, microseconds=886060)"#,
    ),
    (
        r#"timedelta(1, 970284, -5202421) / 1000"#,
        r#"datetime.timedelta(seconds=1056, microseconds=678798)"#,
    ),
    (
        r#"timedelta(seconds=-0.1, microseconds=-0.1, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59399, microseconds=900000)"#,
    ),
    (
        r#"str(timedelta(1, 970284, -5202421))"#,
        r#"'12 days, 5:31:18.797579'"#,
    ),
    (
        r#"datetime(2024, 5, 26, 4, 29, 14, 0, tzinfo=timezone(timedelta(minutes=439))).astimezone(timezone(timedelta(minutes=365)))"#,
        r#"datetime.datetime(2024, 5, 26, 3, 15, 14, tzinfo=datetime.timezone(datetime.timedelta(seconds=21900)))"#,
    ),
    (
        r#"datetime.fromtimestamp(157976926308.91064, timezone.utc)"#,
        r#"datetime.datetime(6976, 2, 2, 15, 31, 48, 910645, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 5, 26, 4, 29, 14, 0, tzinfo=timezone(timedelta(minutes=439))).timestamp()"#,
        r#"1716671414.0"#,
    ),
    (
        r#"datetime(2024, 5, 26, 4, 29, 14, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 147 21 21 Sun May 04 AM 000000'"#,
    ),
    (
        r#"date(1582, 9, 20) + timedelta(0, 0, 0)"#,
        r#"datetime.date(1582, 9, 20)"#,
    ),
    (
        r#"datetime(1582, 9, 20, 8, 17, 2, 0) - timedelta(0, 0, 0)"#,
        r#"datetime.datetime(1582, 9, 20, 8, 17, 2)"#,
    ),
    (
        r#"datetime(1582, 9, 20, 8, 17, 2, 0) - datetime(9999, 3, 27, 17, 2, 8)"#,
        r#"datetime.timedelta(days=-3074070, seconds=54894)"#,
    ),
    (
        r#"date(1582, 9, 20).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1582, week=38, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(1582, 9, 20).toordinal() + 32)"#,
        r#"datetime.date(1582, 10, 22)"#,
    ),
    (r#"timedelta(0, 0, 0) * 3.3333"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(0, 0, 0) / 1000000.5"#,
        r#"datetime.timedelta(0)"#,
    ),
    (r#"timedelta(0, 0, 0) // 86400"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) / 86400"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(seconds=-0.1, microseconds=0.5, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=77399, microseconds=900000)"#,
    ),
    (r#"str(timedelta(0, 0, 0))"#, r#"'0:00:00'"#),
    (
        r#"datetime(1582, 9, 20, 8, 17, 2, 0, tzinfo=timezone(timedelta(minutes=303))).astimezone(timezone(timedelta(minutes=-1143)))"#,
        r#"datetime.datetime(1582, 9, 19, 8, 11, 2, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=17820)))"#,
    ),
    (
        r#"datetime.fromtimestamp(23366261354.747482, timezone.utc)"#,
        r#"datetime.datetime(2710, 6, 13, 20, 9, 14, 747482, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1582, 9, 20, 8, 17, 2, 0, tzinfo=timezone(timedelta(minutes=303))).timestamp()"#,
        r#"-12221441158.0"#,
    ),
    (
        r#"datetime(1582, 9, 20, 8, 17, 2, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1582 263 38 38 Mon Sep 08 AM 000000'"#,
    ),
    (
        r#"date(2024, 2, 26) + timedelta(-820164298, 0, -7764519)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2024, 2, 26, 3, 29, 0, 355626) - timedelta(-820164298, 0, -7764519)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2024, 2, 26, 3, 29, 0, 355626) - datetime(2000, 3, 2, 5, 0, 3)"#,
        r#"datetime.timedelta(days=8760, seconds=80937, microseconds=355626)"#,
    ),
    (
        r#"date(2024, 2, 26).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=9, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 2, 26).toordinal() + 139)"#,
        r#"datetime.date(2024, 7, 14)"#,
    ),
    (
        r#"timedelta(-820164298, 0, -7764519) * 1.5"#,
        r#"OverflowError: days=-1230246448; must have magnitude <= 999999999"#,
    ),
    (
        r#"timedelta(-820164298, 0, -7764519) / 3.3333"#,
        r#"datetime.timedelta(days=-246051750, seconds=7125, microseconds=741453)"#,
    ),
    (
        r#"timedelta(-820164298, 0, -7764519) // 1"#,
        r#"datetime.timedelta(days=-820164299, seconds=86392, microseconds=235481)"#,
    ),
    (
        r#"timedelta(-820164298, 0, -7764519) / 3"#,
        r#"datetime.timedelta(days=-273388100, seconds=57597, microseconds=411827)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=1000000.5, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=12004, microseconds=213300)"#,
    ),
    (
        r#"str(timedelta(-820164298, 0, -7764519))"#,
        r#"'-820164299 days, 23:59:52.235481'"#,
    ),
    (
        r#"datetime(2024, 2, 26, 3, 29, 0, 355626, tzinfo=timezone(timedelta(minutes=386))).astimezone(timezone(timedelta(minutes=609)))"#,
        r#"datetime.datetime(2024, 2, 26, 7, 12, 0, 355626, tzinfo=datetime.timezone(datetime.timedelta(seconds=36540)))"#,
    ),
    (
        r#"datetime.fromtimestamp(148368731850.0054, timezone.utc)"#,
        r#"datetime.datetime(6671, 8, 14, 16, 37, 30, 5402, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 2, 26, 3, 29, 0, 355626, tzinfo=timezone(timedelta(minutes=386))).timestamp()"#,
        r#"1708894980.355626"#,
    ),
    (
        r#"datetime(2024, 2, 26, 3, 29, 0, 355626).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 057 08 09 Mon Feb 03 AM 355626'"#,
    ),
    (
        r#"date(1582, 1, 9) + timedelta(0, 0, 7254860)"#,
        r#"datetime.date(1582, 1, 9)"#,
    ),
    (
        r#"datetime(1582, 1, 9, 7, 59, 28, 111444) - timedelta(0, 0, 7254860)"#,
        r#"datetime.datetime(1582, 1, 9, 7, 59, 20, 856584)"#,
    ),
    (
        r#"datetime(1582, 1, 9, 7, 59, 28, 111444) - datetime(1970, 7, 17, 11, 28, 7)"#,
        r#"datetime.timedelta(days=-141904, seconds=73881, microseconds=111444)"#,
    ),
    (
        r#"date(1582, 1, 9).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1582, week=1, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(1582, 1, 9).toordinal() + -85)"#,
        r#"datetime.date(1581, 10, 16)"#,
    ),
    (
        r#"timedelta(0, 0, 7254860) * 1e-07"#,
        r#"datetime.timedelta(microseconds=1)"#,
    ),
    (
        r#"timedelta(0, 0, 7254860) / -2.5"#,
        r#"datetime.timedelta(days=-1, seconds=86397, microseconds=98056)"#,
    ),
    (
        r#"timedelta(0, 0, 7254860) // 1000"#,
        r#"datetime.timedelta(microseconds=7254)"#,
    ),
    (
        r#"timedelta(0, 0, 7254860) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=86398, microseconds=963591)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=3.3333, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1797, microseconds=500003)"#,
    ),
    (r#"str(timedelta(0, 0, 7254860))"#, r#"'0:00:07.254860'"#),
    (
        r#"datetime(1582, 1, 9, 7, 59, 28, 111444, tzinfo=timezone(timedelta(minutes=-1093))).astimezone(timezone(timedelta(minutes=1285)))"#,
        r#"datetime.datetime(1582, 1, 10, 23, 37, 28, 111444, tzinfo=datetime.timezone(datetime.timedelta(seconds=77100)))"#,
    ),
    (
        r#"datetime.fromtimestamp(200793384373.73453, timezone.utc)"#,
        r#"datetime.datetime(8332, 11, 21, 12, 6, 13, 734528, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1582, 1, 9, 7, 59, 28, 111444, tzinfo=timezone(timedelta(minutes=-1093))).timestamp()"#,
        r#"-12243304051.888556"#,
    ),
    (
        r#"datetime(1582, 1, 9, 7, 59, 28, 111444).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1582 009 01 01 Sat Jan 07 AM 111444'"#,
    ),
    (
        r#"date(2024, 5, 20) + timedelta(-1, -905131, 0)"#,
        r#"datetime.date(2024, 5, 8)"#,
    ),
    (
        r#"datetime(2024, 5, 20, 8, 28, 0, 276030) - timedelta(-1, -905131, 0)"#,
        r#"datetime.datetime(2024, 5, 31, 19, 53, 31, 276030)"#,
    ),
    (
        r#"datetime(2024, 5, 20, 8, 28, 0, 276030) - datetime(1970, 6, 8, 4, 0, 8)"#,
        r#"datetime.timedelta(days=19705, seconds=16072, microseconds=276030)"#,
    ),
    (
        r#"date(2024, 5, 20).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=21, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 5, 20).toordinal() + -365)"#,
        r#"datetime.date(2023, 5, 21)"#,
    ),
    (
        r#"timedelta(-1, -905131, 0) * 3.3333"#,
        r#"datetime.timedelta(days=-39, seconds=64529, microseconds=717700)"#,
    ),
    (
        r#"timedelta(-1, -905131, 0) / -2.5"#,
        r#"datetime.timedelta(days=4, seconds=51012, microseconds=400000)"#,
    ),
    (
        r#"timedelta(-1, -905131, 0) // 1"#,
        r#"datetime.timedelta(days=-12, seconds=45269)"#,
    ),
    (
        r#"timedelta(-1, -905131, 0) / -7"#,
        r#"datetime.timedelta(days=1, seconds=55247, microseconds=285714)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=1e-07, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1800, microseconds=1)"#,
    ),
    (
        r#"str(timedelta(-1, -905131, 0))"#,
        r#"'-12 days, 12:34:29'"#,
    ),
    (
        r#"datetime(2024, 5, 20, 8, 28, 0, 276030, tzinfo=timezone(timedelta(minutes=-1067))).astimezone(timezone(timedelta(minutes=-357)))"#,
        r#"datetime.datetime(2024, 5, 20, 20, 18, 0, 276030, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=64980)))"#,
    ),
    (
        r#"datetime.fromtimestamp(193283727152.82104, timezone.utc)"#,
        r#"datetime.datetime(8094, 12, 1, 4, 12, 32, 821045, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 5, 20, 8, 28, 0, 276030, tzinfo=timezone(timedelta(minutes=-1067))).timestamp()"#,
        r#"1716257700.27603"#,
    ),
    (
        r#"datetime(2024, 5, 20, 8, 28, 0, 276030).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 141 20 21 Mon May 08 AM 276030'"#,
    ),
    (
        r#"date(1900, 10, 2) + timedelta(-1, 0, 0)"#,
        r#"datetime.date(1900, 10, 1)"#,
    ),
    (
        r#"datetime(1900, 10, 2, 21, 57, 45, 822126) - timedelta(-1, 0, 0)"#,
        r#"datetime.datetime(1900, 10, 3, 21, 57, 45, 822126)"#,
    ),
    (
        r#"datetime(1900, 10, 2, 21, 57, 45, 822126) - datetime(9998, 8, 5, 9, 45, 21)"#,
        r#"datetime.timedelta(days=-2957676, seconds=43944, microseconds=822126)"#,
    ),
    (
        r#"date(1900, 10, 2).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1900, week=40, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(1900, 10, 2).toordinal() + -110)"#,
        r#"datetime.date(1900, 6, 14)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) * -2.5"#,
        r#"datetime.timedelta(days=2, seconds=43200)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 1000000.5"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=913600)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) // 1000"#,
        r#"datetime.timedelta(days=-1, seconds=86313, microseconds=600000)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 86400"#,
        r#"datetime.timedelta(days=-1, seconds=86399)"#,
    ),
    (
        r#"timedelta(seconds=1000000.5, microseconds=5057.343170698143, hours=0.5)"#,
        r#"datetime.timedelta(days=11, seconds=51400, microseconds=505057)"#,
    ),
    (r#"str(timedelta(-1, 0, 0))"#, r#"'-1 day, 0:00:00'"#),
    (
        r#"datetime(1900, 10, 2, 21, 57, 45, 822126, tzinfo=timezone(timedelta(minutes=1372))).astimezone(timezone(timedelta(minutes=953)))"#,
        r#"datetime.datetime(1900, 10, 2, 14, 58, 45, 822126, tzinfo=datetime.timezone(datetime.timedelta(seconds=57180)))"#,
    ),
    (
        r#"datetime.fromtimestamp(187369828051.1589, timezone.utc)"#,
        r#"datetime.datetime(7907, 7, 8, 6, 27, 31, 158905, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1900, 10, 2, 21, 57, 45, 822126, tzinfo=timezone(timedelta(minutes=1372))).timestamp()"#,
        r#"-2185318454.177874"#,
    ),
    (
        r#"datetime(1900, 10, 2, 21, 57, 45, 822126).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1900 275 39 40 Tue Oct 09 PM 822126'"#,
    ),
    (
        r#"date(2, 1, 2) + timedelta(-1, -779975, 0)"#,
        r#"datetime.date(1, 12, 22)"#,
    ),
    (
        r#"datetime(2, 1, 2, 20, 1, 40, 0) - timedelta(-1, -779975, 0)"#,
        r#"datetime.datetime(2, 1, 12, 20, 41, 15)"#,
    ),
    (
        r#"datetime(2, 1, 2, 20, 1, 40, 0) - datetime(400, 1, 15, 1, 40, 20)"#,
        r#"datetime.timedelta(days=-145379, seconds=66080)"#,
    ),
    (
        r#"date(2, 1, 2).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2, week=1, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(2, 1, 2).toordinal() + -329)"#,
        r#"datetime.date(1, 2, 7)"#,
    ),
    (
        r#"timedelta(-1, -779975, 0) * 1000000.5"#,
        r#"datetime.timedelta(days=-10027494, seconds=48412, microseconds=500000)"#,
    ),
    (
        r#"timedelta(-1, -779975, 0) / 1.5"#,
        r#"datetime.timedelta(days=-7, seconds=27216, microseconds=666667)"#,
    ),
    (
        r#"timedelta(-1, -779975, 0) // 86400"#,
        r#"datetime.timedelta(days=-1, seconds=86389, microseconds=972511)"#,
    ),
    (
        r#"timedelta(-1, -779975, 0) / 1"#,
        r#"datetime.timedelta(days=-11, seconds=84025)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=1.5, hours=1e-07)"#,
        r#"datetime.timedelta(microseconds=362)"#,
    ),
    (
        r#"str(timedelta(-1, -779975, 0))"#,
        r#"'-11 days, 23:20:25'"#,
    ),
    (
        r#"datetime(2, 1, 2, 20, 1, 40, 0, tzinfo=timezone(timedelta(minutes=-599))).astimezone(timezone(timedelta(minutes=-494)))"#,
        r#"datetime.datetime(2, 1, 2, 21, 46, 40, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=56760)))"#,
    ),
    (
        r#"datetime.fromtimestamp(169346863340.43, timezone.utc)"#,
        r#"datetime.datetime(7336, 5, 22, 3, 22, 20, 429993, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2, 1, 2, 20, 1, 40, 0, tzinfo=timezone(timedelta(minutes=-599))).timestamp()"#,
        r#"-62103866360.0"#,
    ),
    (
        r#"datetime(2, 1, 2, 20, 1, 40, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2 002 00 00 Wed Jan 08 PM 000000'"#,
    ),
    (
        r#"date(1969, 7, 3) + timedelta(-1, 0, 0)"#,
        r#"datetime.date(1969, 7, 2)"#,
    ),
    (
        r#"datetime(1969, 7, 3, 19, 9, 21, 266275) - timedelta(-1, 0, 0)"#,
        r#"datetime.datetime(1969, 7, 4, 19, 9, 21, 266275)"#,
    ),
    (
        r#"datetime(1969, 7, 3, 19, 9, 21, 266275) - datetime(99, 1, 16, 9, 21, 19)"#,
        r#"datetime.timedelta(days=683171, seconds=35282, microseconds=266275)"#,
    ),
    (
        r#"date(1969, 7, 3).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1969, week=27, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(1969, 7, 3).toordinal() + -338)"#,
        r#"datetime.date(1968, 7, 30)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) * 1.5"#,
        r#"datetime.timedelta(days=-2, seconds=43200)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=-1048576)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) // -7"#,
        r#"datetime.timedelta(seconds=12342, microseconds=857142)"#,
    ),
    (
        r#"timedelta(-1, 0, 0) / 86400"#,
        r#"datetime.timedelta(days=-1, seconds=86399)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=1.5, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59400, microseconds=2)"#,
    ),
    (r#"str(timedelta(-1, 0, 0))"#, r#"'-1 day, 0:00:00'"#),
    (
        r#"datetime(1969, 7, 3, 19, 9, 21, 266275, tzinfo=timezone(timedelta(minutes=-623))).astimezone(timezone(timedelta(minutes=-163)))"#,
        r#"datetime.datetime(1969, 7, 4, 2, 49, 21, 266275, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=76620)))"#,
    ),
    (
        r#"datetime.fromtimestamp(243218978394.67834, timezone.utc)"#,
        r#"datetime.datetime(9677, 4, 20, 11, 19, 54, 678345, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1969, 7, 3, 19, 9, 21, 266275, tzinfo=timezone(timedelta(minutes=-623))).timestamp()"#,
        r#"-15618458.733725"#,
    ),
    (
        r#"datetime(1969, 7, 3, 19, 9, 21, 266275).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1969 184 26 26 Thu Jul 07 PM 266275'"#,
    ),
    (
        r#"date(1, 5, 15) + timedelta(760716882, -57434, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1, 5, 15, 6, 4, 37, 0) - timedelta(760716882, -57434, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1, 5, 15, 6, 4, 37, 0) - datetime(400, 6, 5, 4, 37, 6)"#,
        r#"datetime.timedelta(days=-145753, seconds=5251)"#,
    ),
    (
        r#"date(1, 5, 15).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1, week=20, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(1, 5, 15).toordinal() + 217)"#,
        r#"datetime.date(1, 12, 18)"#,
    ),
    (
        r#"timedelta(760716882, -57434, 0) * 1000000.5"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(760716882, -57434, 0) / 1.5"#,
        r#"datetime.timedelta(days=507144587, seconds=48110, microseconds=666667)"#,
    ),
    (
        r#"timedelta(760716882, -57434, 0) // -7"#,
        r#"datetime.timedelta(days=-108673841, seconds=69919, microseconds=142857)"#,
    ),
    (
        r#"timedelta(760716882, -57434, 0) / 3"#,
        r#"datetime.timedelta(days=253572293, seconds=67255, microseconds=333333)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=-2.5, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(microseconds=3432)"#,
    ),
    (
        r#"str(timedelta(760716882, -57434, 0))"#,
        r#"'760716881 days, 8:02:46'"#,
    ),
    (
        r#"datetime(1, 5, 15, 6, 4, 37, 0, tzinfo=timezone(timedelta(minutes=1352))).astimezone(timezone(timedelta(minutes=407)))"#,
        r#"datetime.datetime(1, 5, 14, 14, 19, 37, tzinfo=datetime.timezone(datetime.timedelta(seconds=24420)))"#,
    ),
    (
        r#"datetime.fromtimestamp(65679992166.197464, timezone.utc)"#,
        r#"datetime.datetime(4051, 4, 26, 2, 16, 6, 197464, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1, 5, 15, 6, 4, 37, 0, tzinfo=timezone(timedelta(minutes=1352))).timestamp()"#,
        r#"-62124078443.0"#,
    ),
    (
        r#"datetime(1, 5, 15, 6, 4, 37, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1 135 19 20 Tue May 06 AM 000000'"#,
    ),
    (
        r#"date(1900, 6, 13) + timedelta(-1, -996349, 1350545)"#,
        r#"datetime.date(1900, 5, 31)"#,
    ),
    (
        r#"datetime(1900, 6, 13, 3, 59, 12, 0) - timedelta(-1, -996349, 1350545)"#,
        r#"datetime.datetime(1900, 6, 25, 16, 44, 59, 649455)"#,
    ),
    (
        r#"datetime(1900, 6, 13, 3, 59, 12, 0) - datetime(400, 6, 3, 11, 12, 3)"#,
        r#"datetime.timedelta(days=547872, seconds=60429)"#,
    ),
    (
        r#"date(1900, 6, 13).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1900, week=24, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(1900, 6, 13).toordinal() + 2)"#,
        r#"datetime.date(1900, 6, 15)"#,
    ),
    (
        r#"timedelta(-1, -996349, 1350545) * -2196.7786552321168"#,
        r#"datetime.timedelta(days=27529, seconds=51325, microseconds=325490)"#,
    ),
    (
        r#"timedelta(-1, -996349, 1350545) / 1234.5678"#,
        r#"datetime.timedelta(days=-1, seconds=85522, microseconds=974332)"#,
    ),
    (
        r#"timedelta(-1, -996349, 1350545) // -7"#,
        r#"datetime.timedelta(days=1, seconds=68278, microseconds=235636)"#,
    ),
    (
        r#"timedelta(-1, -996349, 1350545) / 1"#,
        r#"datetime.timedelta(days=-13, seconds=40452, microseconds=350545)"#,
    ),
    (
        r#"timedelta(seconds=0.5, microseconds=3.3333, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=77400, microseconds=500003)"#,
    ),
    (
        r#"str(timedelta(-1, -996349, 1350545))"#,
        r#"'-13 days, 11:14:12.350545'"#,
    ),
    (
        r#"datetime(1900, 6, 13, 3, 59, 12, 0, tzinfo=timezone(timedelta(minutes=-418))).astimezone(timezone(timedelta(minutes=-351)))"#,
        r#"datetime.datetime(1900, 6, 13, 5, 6, 12, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=65340)))"#,
    ),
    (
        r#"datetime.fromtimestamp(75234630617.48834, timezone.utc)"#,
        r#"datetime.datetime(4354, 2, 3, 4, 30, 17, 488342, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1900, 6, 13, 3, 59, 12, 0, tzinfo=timezone(timedelta(minutes=-418))).timestamp()"#,
        r#"-2194866168.0"#,
    ),
    (
        r#"datetime(1900, 6, 13, 3, 59, 12, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1900 164 23 24 Wed Jun 03 AM 000000'"#,
    ),
    (
        r#"date(100, 6, 26) + timedelta(0, 702808, 0)"#,
        r#"datetime.date(100, 7, 4)"#,
    ),
    (
        r#"datetime(100, 6, 26, 23, 5, 3, 978809) - timedelta(0, 702808, 0)"#,
        r#"datetime.datetime(100, 6, 18, 19, 51, 35, 978809)"#,
    ),
    (
        r#"datetime(100, 6, 26, 23, 5, 3, 978809) - datetime(2000, 3, 21, 5, 3, 23)"#,
        r#"datetime.timedelta(days=-693864, seconds=64900, microseconds=978809)"#,
    ),
    (
        r#"date(100, 6, 26).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=25, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(100, 6, 26).toordinal() + -107)"#,
        r#"datetime.date(100, 3, 11)"#,
    ),
    (
        r#"timedelta(0, 702808, 0) * 1000000.5"#,
        r#"datetime.timedelta(days=8134355, seconds=79404)"#,
    ),
    (
        r#"timedelta(0, 702808, 0) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=8529486, seconds=11008)"#,
    ),
    (
        r#"timedelta(0, 702808, 0) // 1000"#,
        r#"datetime.timedelta(seconds=702, microseconds=808000)"#,
    ),
    (
        r#"timedelta(0, 702808, 0) / -7"#,
        r#"datetime.timedelta(days=-2, seconds=72398, microseconds=857143)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=3.3333, hours=1e-07)"#,
        r#"datetime.timedelta(seconds=3, microseconds=333663)"#,
    ),
    (r#"str(timedelta(0, 702808, 0))"#, r#"'8 days, 3:13:28'"#),
    (
        r#"datetime(100, 6, 26, 23, 5, 3, 978809, tzinfo=timezone(timedelta(minutes=-207))).astimezone(timezone(timedelta(minutes=540)))"#,
        r#"datetime.datetime(100, 6, 27, 11, 32, 3, 978809, tzinfo=datetime.timezone(datetime.timedelta(seconds=32400)))"#,
    ),
    (
        r#"datetime.fromtimestamp(112769727761.68253, timezone.utc)"#,
        r#"datetime.datetime(5543, 7, 14, 4, 22, 41, 682526, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 6, 26, 23, 5, 3, 978809, tzinfo=timezone(timedelta(minutes=-207))).timestamp()"#,
        r#"-58996157276.021194"#,
    ),
    (
        r#"datetime(100, 6, 26, 23, 5, 3, 978809).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 177 25 25 Sat Jun 11 PM 978809'"#,
    ),
    (
        r#"date(2, 3, 21) + timedelta(1, 49844, 0)"#,
        r#"datetime.date(2, 3, 22)"#,
    ),
    (
        r#"datetime(2, 3, 21, 14, 58, 21, 796129) - timedelta(1, 49844, 0)"#,
        r#"datetime.datetime(2, 3, 20, 1, 7, 37, 796129)"#,
    ),
    (
        r#"datetime(2, 3, 21, 14, 58, 21, 796129) - datetime(99, 9, 7, 10, 21, 14)"#,
        r#"datetime.timedelta(days=-35599, seconds=16627, microseconds=796129)"#,
    ),
    (
        r#"date(2, 3, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2, week=12, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(2, 3, 21).toordinal() + -151)"#,
        r#"datetime.date(1, 10, 21)"#,
    ),
    (
        r#"timedelta(1, 49844, 0) * -0.1"#,
        r#"datetime.timedelta(days=-1, seconds=72775, microseconds=600000)"#,
    ),
    (
        r#"timedelta(1, 49844, 0) / -0.1"#,
        r#"datetime.timedelta(days=-16, seconds=19960)"#,
    ),
    (
        r#"timedelta(1, 49844, 0) // 3"#,
        r#"datetime.timedelta(seconds=45414, microseconds=666666)"#,
    ),
    (
        r#"timedelta(1, 49844, 0) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=66936, microseconds=571429)"#,
    ),
    (
        r#"timedelta(seconds=-4832.848636901612, microseconds=0.5, hours=1234.5678)"#,
        r#"datetime.timedelta(days=51, seconds=33211, microseconds=231364)"#,
    ),
    (r#"str(timedelta(1, 49844, 0))"#, r#"'1 day, 13:50:44'"#),
    (
        r#"datetime(2, 3, 21, 14, 58, 21, 796129, tzinfo=timezone(timedelta(minutes=129))).astimezone(timezone(timedelta(minutes=256)))"#,
        r#"datetime.datetime(2, 3, 21, 17, 5, 21, 796129, tzinfo=datetime.timezone(datetime.timedelta(seconds=15360)))"#,
    ),
    (
        r#"datetime.fromtimestamp(171210569236.36884, timezone.utc)"#,
        r#"datetime.datetime(7395, 6, 12, 19, 27, 16, 368835, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2, 3, 21, 14, 58, 21, 796129, tzinfo=timezone(timedelta(minutes=129))).timestamp()"#,
        r#"-62097189038.20387"#,
    ),
    (
        r#"datetime(2, 3, 21, 14, 58, 21, 796129).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2 080 11 11 Thu Mar 02 PM 796129'"#,
    ),
    (
        r#"date(1900, 5, 11) + timedelta(577291, -418007, 0)"#,
        r#"datetime.date(3480, 11, 29)"#,
    ),
    (
        r#"datetime(1900, 5, 11, 2, 17, 57, 260522) - timedelta(577291, -418007, 0)"#,
        r#"datetime.datetime(319, 10, 20, 22, 24, 44, 260522)"#,
    ),
    (
        r#"datetime(1900, 5, 11, 2, 17, 57, 260522) - datetime(2024, 8, 14, 17, 57, 2)"#,
        r#"datetime.timedelta(days=-45387, seconds=30055, microseconds=260522)"#,
    ),
    (
        r#"date(1900, 5, 11).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1900, week=19, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(1900, 5, 11).toordinal() + -81)"#,
        r#"datetime.date(1900, 2, 19)"#,
    ),
    (
        r#"timedelta(577291, -418007, 0) * 0.5"#,
        r#"datetime.timedelta(days=288643, seconds=6996, microseconds=500000)"#,
    ),
    (
        r#"timedelta(577291, -418007, 0) / 1234.5678"#,
        r#"datetime.timedelta(days=467, seconds=51998, microseconds=71195)"#,
    ),
    (
        r#"timedelta(577291, -418007, 0) // 1000"#,
        r#"datetime.timedelta(days=577, seconds=24724, microseconds=393000)"#,
    ),
    (
        r#"timedelta(577291, -418007, 0) / 86400"#,
        r#"datetime.timedelta(days=6, seconds=58886, microseconds=161956)"#,
    ),
    (
        r#"timedelta(seconds=1.5, microseconds=1000000.5, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(seconds=2, microseconds=503434)"#,
    ),
    (
        r#"str(timedelta(577291, -418007, 0))"#,
        r#"'577286 days, 3:53:13'"#,
    ),
    (
        r#"datetime(1900, 5, 11, 2, 17, 57, 260522, tzinfo=timezone(timedelta(minutes=-422))).astimezone(timezone(timedelta(minutes=-993)))"#,
        r#"datetime.datetime(1900, 5, 10, 16, 46, 57, 260522, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=26820)))"#,
    ),
    (
        r#"datetime.fromtimestamp(9378128482.828278, timezone.utc)"#,
        r#"datetime.datetime(2267, 3, 8, 3, 41, 22, 828278, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1900, 5, 11, 2, 17, 57, 260522, tzinfo=timezone(timedelta(minutes=-422))).timestamp()"#,
        r#"-2197723202.739478"#,
    ),
    (
        r#"datetime(1900, 5, 11, 2, 17, 57, 260522).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1900 131 18 19 Fri May 02 AM 260522'"#,
    ),
    (
        r#"date(1970, 11, 4) + timedelta(974448, 0, 0)"#,
        r#"datetime.date(4638, 10, 16)"#,
    ),
    (
        r#"datetime(1970, 11, 4, 7, 36, 58, 39417) - timedelta(974448, 0, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1970, 11, 4, 7, 36, 58, 39417) - datetime(2024, 5, 17, 12, 58, 7)"#,
        r#"datetime.timedelta(days=-19554, seconds=67131, microseconds=39417)"#,
    ),
    (
        r#"date(1970, 11, 4).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1970, week=45, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(1970, 11, 4).toordinal() + 251)"#,
        r#"datetime.date(1971, 7, 13)"#,
    ),
    (
        r#"timedelta(974448, 0, 0) * 1.5"#,
        r#"datetime.timedelta(days=1461672)"#,
    ),
    (
        r#"timedelta(974448, 0, 0) / 3.3333"#,
        r#"datetime.timedelta(days=292337, seconds=27939, microseconds=447395)"#,
    ),
    (
        r#"timedelta(974448, 0, 0) // 86400"#,
        r#"datetime.timedelta(days=11, seconds=24048)"#,
    ),
    (
        r#"timedelta(974448, 0, 0) / 86400"#,
        r#"datetime.timedelta(days=11, seconds=24048)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=-5528.339327799204, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59403, microseconds=327772)"#,
    ),
    (
        r#"str(timedelta(974448, 0, 0))"#,
        r#"'974448 days, 0:00:00'"#,
    ),
    (
        r#"datetime(1970, 11, 4, 7, 36, 58, 39417, tzinfo=timezone(timedelta(minutes=-204))).astimezone(timezone(timedelta(minutes=447)))"#,
        r#"datetime.datetime(1970, 11, 4, 18, 27, 58, 39417, tzinfo=datetime.timezone(datetime.timedelta(seconds=26820)))"#,
    ),
    (
        r#"datetime.fromtimestamp(26367131600.315796, timezone.utc)"#,
        r#"datetime.datetime(2805, 7, 17, 3, 13, 20, 315796, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1970, 11, 4, 7, 36, 58, 39417, tzinfo=timezone(timedelta(minutes=-204))).timestamp()"#,
        r#"26564458.039417"#,
    ),
    (
        r#"datetime(1970, 11, 4, 7, 36, 58, 39417).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1970 308 44 44 Wed Nov 07 AM 039417'"#,
    ),
    (
        r#"date(2024, 4, 16) + timedelta(-495839349, 0, 3818055)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2024, 4, 16, 1, 1, 12, 522516) - timedelta(-495839349, 0, 3818055)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2024, 4, 16, 1, 1, 12, 522516) - datetime(400, 4, 22, 1, 12, 1)"#,
        r#"datetime.timedelta(days=593147, seconds=85751, microseconds=522516)"#,
    ),
    (
        r#"date(2024, 4, 16).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=16, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 4, 16).toordinal() + 34)"#,
        r#"datetime.date(2024, 5, 20)"#,
    ),
    (
        r#"timedelta(-495839349, 0, 3818055) * 1e-07"#,
        r#"datetime.timedelta(days=-50, seconds=35948, microseconds=24640)"#,
    ),
    (
        r#"timedelta(-495839349, 0, 3818055) / -0.1"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-495839349, 0, 3818055) // 1000"#,
        r#"datetime.timedelta(days=-495840, seconds=56246, microseconds=403818)"#,
    ),
    (
        r#"timedelta(-495839349, 0, 3818055) / -7"#,
        r#"datetime.timedelta(days=70834192, seconds=61713, microseconds=740278)"#,
    ),
    (
        r#"timedelta(seconds=1e-07, microseconds=3.3333, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59400, microseconds=3)"#,
    ),
    (
        r#"str(timedelta(-495839349, 0, 3818055))"#,
        r#"'-495839349 days, 0:00:03.818055'"#,
    ),
    (
        r#"datetime(2024, 4, 16, 1, 1, 12, 522516, tzinfo=timezone(timedelta(minutes=-1163))).astimezone(timezone(timedelta(minutes=-599)))"#,
        r#"datetime.datetime(2024, 4, 16, 10, 25, 12, 522516, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=50460)))"#,
    ),
    (
        r#"datetime.fromtimestamp(93665640061.02237, timezone.utc)"#,
        r#"datetime.datetime(4938, 2, 23, 1, 21, 1, 22369, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 4, 16, 1, 1, 12, 522516, tzinfo=timezone(timedelta(minutes=-1163))).timestamp()"#,
        r#"1713299052.522516"#,
    ),
    (
        r#"datetime(2024, 4, 16, 1, 1, 12, 522516).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 107 15 16 Tue Apr 01 AM 522516'"#,
    ),
    (
        r#"date(400, 4, 8) + timedelta(-1, 594822, -6342297)"#,
        r#"datetime.date(400, 4, 13)"#,
    ),
    (
        r#"datetime(400, 4, 8, 19, 11, 57, 234172) - timedelta(-1, 594822, -6342297)"#,
        r#"datetime.datetime(400, 4, 2, 21, 58, 21, 576469)"#,
    ),
    (
        r#"datetime(400, 4, 8, 19, 11, 57, 234172) - datetime(2024, 1, 20, 11, 57, 19)"#,
        r#"datetime.timedelta(days=-593075, seconds=26078, microseconds=234172)"#,
    ),
    (
        r#"date(400, 4, 8).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=400, week=14, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(400, 4, 8).toordinal() + -251)"#,
        r#"datetime.date(399, 8, 1)"#,
    ),
    (
        r#"timedelta(-1, 594822, -6342297) * 0.5"#,
        r#"datetime.timedelta(days=2, seconds=81407, microseconds=828852)"#,
    ),
    (
        r#"timedelta(-1, 594822, -6342297) / -5741.01850038339"#,
        r#"datetime.timedelta(days=-1, seconds=86311, microseconds=441557)"#,
    ),
    (
        r#"timedelta(-1, 594822, -6342297) // 3"#,
        r#"datetime.timedelta(days=1, seconds=83071, microseconds=885901)"#,
    ),
    (
        r#"timedelta(-1, 594822, -6342297) / 1000"#,
        r#"datetime.timedelta(seconds=508, microseconds=415658)"#,
    ),
    (
        r#"timedelta(seconds=0.5, microseconds=9.5367431640625e-07, hours=-0.1)"#,
        r#"datetime.timedelta(days=-1, seconds=86040, microseconds=500000)"#,
    ),
    (
        r#"str(timedelta(-1, 594822, -6342297))"#,
        r#"'5 days, 21:13:35.657703'"#,
    ),
    (
        r#"datetime(400, 4, 8, 19, 11, 57, 234172, tzinfo=timezone(timedelta(minutes=-976))).astimezone(timezone(timedelta(minutes=-1114)))"#,
        r#"datetime.datetime(400, 4, 8, 16, 53, 57, 234172, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=19560)))"#,
    ),
    (
        r#"datetime.fromtimestamp(228794604400.89148, timezone.utc)"#,
        r#"datetime.datetime(9220, 3, 18, 16, 46, 40, 891479, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(400, 4, 8, 19, 11, 57, 234172, tzinfo=timezone(timedelta(minutes=-976))).timestamp()"#,
        r#"-49535843522.76583"#,
    ),
    (
        r#"datetime(400, 4, 8, 19, 11, 57, 234172).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'400 099 14 14 Sat Apr 07 PM 234172'"#,
    ),
    (
        r#"date(100, 3, 21) + timedelta(962685, -933115, 2704359)"#,
        r#"datetime.date(2735, 12, 7)"#,
    ),
    (
        r#"datetime(100, 3, 21, 10, 28, 10, 0) - timedelta(962685, -933115, 2704359)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(100, 3, 21, 10, 28, 10, 0) - datetime(400, 2, 12, 4, 10, 10)"#,
        r#"datetime.timedelta(days=-109535, seconds=22680)"#,
    ),
    (
        r#"date(100, 3, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=11, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(100, 3, 21).toordinal() + 30)"#,
        r#"datetime.date(100, 4, 20)"#,
    ),
    (
        r#"timedelta(962685, -933115, 2704359) * 1.5"#,
        r#"datetime.timedelta(days=1444011, seconds=25931, microseconds=556538)"#,
    ),
    (
        r#"timedelta(962685, -933115, 2704359) / 1e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(962685, -933115, 2704359) // 1000"#,
        r#"datetime.timedelta(days=962, seconds=58250, microseconds=887704)"#,
    ),
    (
        r#"timedelta(962685, -933115, 2704359) / -7"#,
        r#"datetime.timedelta(days=-137525, seconds=9873, microseconds=185092)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=1234.5678, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(seconds=3, microseconds=337968)"#,
    ),
    (
        r#"str(timedelta(962685, -933115, 2704359))"#,
        r#"'962674 days, 4:48:07.704359'"#,
    ),
    (
        r#"datetime(100, 3, 21, 10, 28, 10, 0, tzinfo=timezone(timedelta(minutes=-638))).astimezone(timezone(timedelta(minutes=87)))"#,
        r#"datetime.datetime(100, 3, 21, 22, 33, 10, tzinfo=datetime.timezone(datetime.timedelta(seconds=5220)))"#,
    ),
    (
        r#"datetime.fromtimestamp(107874001302.17514, timezone.utc)"#,
        r#"datetime.datetime(5388, 5, 22, 16, 21, 42, 175140, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 3, 21, 10, 28, 10, 0, tzinfo=timezone(timedelta(minutes=-638))).timestamp()"#,
        r#"-59004557630.0"#,
    ),
    (
        r#"datetime(100, 3, 21, 10, 28, 10, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 080 12 11 Sun Mar 10 AM 000000'"#,
    ),
    (
        r#"date(100, 6, 12) + timedelta(546271, -936494, -1678064)"#,
        r#"datetime.date(1596, 1, 21)"#,
    ),
    (
        r#"datetime(100, 6, 12, 1, 24, 2, 0) - timedelta(546271, -936494, -1678064)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(100, 6, 12, 1, 24, 2, 0) - datetime(400, 4, 24, 0, 2, 1)"#,
        r#"datetime.timedelta(days=-109524, seconds=4921)"#,
    ),
    (
        r#"date(100, 6, 12).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=23, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(100, 6, 12).toordinal() + -336)"#,
        r#"datetime.date(99, 7, 11)"#,
    ),
    (
        r#"timedelta(546271, -936494, -1678064) * -0.1"#,
        r#"datetime.timedelta(days=-54627, seconds=85009, microseconds=567806)"#,
    ),
    (
        r#"timedelta(546271, -936494, -1678064) / -0.1"#,
        r#"datetime.timedelta(days=-5462602, seconds=33756, microseconds=780666)"#,
    ),
    (
        r#"timedelta(546271, -936494, -1678064) // 86400"#,
        r#"datetime.timedelta(days=6, seconds=27860, microseconds=160929)"#,
    ),
    (
        r#"timedelta(546271, -936494, -1678064) / 1"#,
        r#"datetime.timedelta(days=546260, seconds=13904, microseconds=321936)"#,
    ),
    (
        r#"timedelta(seconds=-0.1, microseconds=3.3333, hours=-9924.567681316725)"#,
        r#"datetime.timedelta(days=-414, seconds=41156, microseconds=247263)"#,
    ),
    (
        r#"str(timedelta(546271, -936494, -1678064))"#,
        r#"'546260 days, 3:51:44.321936'"#,
    ),
    (
        r#"datetime(100, 6, 12, 1, 24, 2, 0, tzinfo=timezone(timedelta(minutes=1157))).astimezone(timezone(timedelta(minutes=-1172)))"#,
        r#"datetime.datetime(100, 6, 10, 10, 35, 2, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=16080)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-52480421468.12619, timezone.utc)"#,
        r#"datetime.datetime(306, 12, 18, 17, 8, 51, 873810, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 6, 12, 1, 24, 2, 0, tzinfo=timezone(timedelta(minutes=1157))).timestamp()"#,
        r#"-58997526778.0"#,
    ),
    (
        r#"datetime(100, 6, 12, 1, 24, 2, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 163 23 23 Sat Jun 01 AM 000000'"#,
    ),
    (
        r#"date(2, 8, 23) + timedelta(-23265, 656328, 4426328)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2, 8, 23, 4, 59, 31, 0) - timedelta(-23265, 656328, 4426328)"#,
        r#"datetime.datetime(66, 4, 26, 14, 40, 38, 573672)"#,
    ),
    (
        r#"datetime(2, 8, 23, 4, 59, 31, 0) - datetime(4970, 12, 25, 11, 31, 4)"#,
        r#"datetime.timedelta(days=-1814650, seconds=62907)"#,
    ),
    (
        r#"date(2, 8, 23).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2, week=34, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(2, 8, 23).toordinal() + -246)"#,
        r#"datetime.date(1, 12, 20)"#,
    ),
    (
        r#"timedelta(-23265, 656328, 4426328) * -0.1"#,
        r#"datetime.timedelta(days=2325, seconds=63966, microseconds=757367)"#,
    ),
    (
        r#"timedelta(-23265, 656328, 4426328) / 9.5367431640625e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-23265, 656328, 4426328) // -7"#,
        r#"datetime.timedelta(days=3322, seconds=42009, microseconds=653381)"#,
    ),
    (
        r#"timedelta(-23265, 656328, 4426328) / 86400"#,
        r#"datetime.timedelta(days=-1, seconds=63142, microseconds=596440)"#,
    ),
    (
        r#"timedelta(seconds=1e-07, microseconds=-2.5, hours=1.5)"#,
        r#"datetime.timedelta(seconds=5399, microseconds=999998)"#,
    ),
    (
        r#"str(timedelta(-23265, 656328, 4426328))"#,
        r#"'-23258 days, 14:18:52.426328'"#,
    ),
    (
        r#"datetime(2, 8, 23, 4, 59, 31, 0, tzinfo=timezone(timedelta(minutes=1221))).astimezone(timezone(timedelta(minutes=-1301)))"#,
        r#"datetime.datetime(2, 8, 21, 10, 57, 31, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=8340)))"#,
    ),
    (
        r#"datetime.fromtimestamp(89323870325.86588, timezone.utc)"#,
        r#"datetime.datetime(4800, 7, 24, 2, 12, 5, 865875, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2, 8, 23, 4, 59, 31, 0, tzinfo=timezone(timedelta(minutes=1221))).timestamp()"#,
        r#"-62083898489.0"#,
    ),
    (
        r#"datetime(2, 8, 23, 4, 59, 31, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2 235 33 33 Fri Aug 04 AM 000000'"#,
    ),
    (
        r#"date(1582, 3, 14) + timedelta(0, 0, 0)"#,
        r#"datetime.date(1582, 3, 14)"#,
    ),
    (
        r#"datetime(1582, 3, 14, 13, 31, 45, 0) - timedelta(0, 0, 0)"#,
        r#"datetime.datetime(1582, 3, 14, 13, 31, 45)"#,
    ),
    (
        r#"datetime(1582, 3, 14, 13, 31, 45, 0) - datetime(99, 7, 15, 7, 45, 13)"#,
        r#"datetime.timedelta(days=541531, seconds=20792)"#,
    ),
    (
        r#"date(1582, 3, 14).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1582, week=10, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(1582, 3, 14).toordinal() + 235)"#,
        r#"datetime.date(1582, 11, 4)"#,
    ),
    (r#"timedelta(0, 0, 0) * 1e-07"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) / 1.5"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) // -7"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) / -7"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(seconds=3.3333, microseconds=3.3333, hours=1e-07)"#,
        r#"datetime.timedelta(seconds=3, microseconds=333663)"#,
    ),
    (r#"str(timedelta(0, 0, 0))"#, r#"'0:00:00'"#),
    (
        r#"datetime(1582, 3, 14, 13, 31, 45, 0, tzinfo=timezone(timedelta(minutes=-679))).astimezone(timezone(timedelta(minutes=-435)))"#,
        r#"datetime.datetime(1582, 3, 14, 17, 35, 45, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=60300)))"#,
    ),
    (
        r#"datetime.fromtimestamp(13006243091.299225, timezone.utc)"#,
        r#"datetime.datetime(2382, 2, 25, 5, 18, 11, 299225, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1582, 3, 14, 13, 31, 45, 0, tzinfo=timezone(timedelta(minutes=-679))).timestamp()"#,
        r#"-12237779355.0"#,
    ),
    (
        r#"datetime(1582, 3, 14, 13, 31, 45, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1582 073 11 10 Sun Mar 01 PM 000000'"#,
    ),
    (
        r#"date(2000, 4, 11) + timedelta(-1, 0, -6626356)"#,
        r#"datetime.date(2000, 4, 9)"#,
    ),
    (
        r#"datetime(2000, 4, 11, 1, 6, 0, 0) - timedelta(-1, 0, -6626356)"#,
        r#"datetime.datetime(2000, 4, 12, 1, 6, 6, 626356)"#,
    ),
    (
        r#"datetime(2000, 4, 11, 1, 6, 0, 0) - datetime(1582, 1, 29, 6, 0, 1)"#,
        r#"datetime.timedelta(days=152743, seconds=68759)"#,
    ),
    (
        r#"date(2000, 4, 11).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2000, week=15, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(2000, 4, 11).toordinal() + -100)"#,
        r#"datetime.date(2000, 1, 2)"#,
    ),
    (
        r#"timedelta(-1, 0, -6626356) * 0.5"#,
        r#"datetime.timedelta(days=-1, seconds=43196, microseconds=686822)"#,
    ),
    (
        r#"timedelta(-1, 0, -6626356) / -6208.536386416361"#,
        r#"datetime.timedelta(seconds=13, microseconds=917391)"#,
    ),
    (
        r#"timedelta(-1, 0, -6626356) // 3"#,
        r#"datetime.timedelta(days=-1, seconds=57597, microseconds=791214)"#,
    ),
    (
        r#"timedelta(-1, 0, -6626356) / 1"#,
        r#"datetime.timedelta(days=-2, seconds=86393, microseconds=373644)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=3.3333, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1797, microseconds=500003)"#,
    ),
    (
        r#"str(timedelta(-1, 0, -6626356))"#,
        r#"'-2 days, 23:59:53.373644'"#,
    ),
    (
        r#"datetime(2000, 4, 11, 1, 6, 0, 0, tzinfo=timezone(timedelta(minutes=-1006))).astimezone(timezone(timedelta(minutes=1172)))"#,
        r#"datetime.datetime(2000, 4, 12, 13, 24, tzinfo=datetime.timezone(datetime.timedelta(seconds=70320)))"#,
    ),
    (
        r#"datetime.fromtimestamp(124805590361.42297, timezone.utc)"#,
        r#"datetime.datetime(5924, 12, 7, 3, 32, 41, 422974, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2000, 4, 11, 1, 6, 0, 0, tzinfo=timezone(timedelta(minutes=-1006))).timestamp()"#,
        r#"955475520.0"#,
    ),
    (
        r#"datetime(2000, 4, 11, 1, 6, 0, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2000 102 15 15 Tue Apr 01 AM 000000'"#,
    ),
    (
        r#"date(100, 1, 12) + timedelta(0, -572231, 0)"#,
        r#"datetime.date(100, 1, 5)"#,
    ),
    (
        r#"datetime(100, 1, 12, 0, 52, 20, 428862) - timedelta(0, -572231, 0)"#,
        r#"datetime.datetime(100, 1, 18, 15, 49, 31, 428862)"#,
    ),
    (
        r#"datetime(100, 1, 12, 0, 52, 20, 428862) - datetime(2000, 5, 3, 4, 20, 0)"#,
        r#"datetime.timedelta(days=-694073, seconds=73940, microseconds=428862)"#,
    ),
    (
        r#"date(100, 1, 12).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=2, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(100, 1, 12).toordinal() + -192)"#,
        r#"datetime.date(99, 7, 4)"#,
    ),
    (
        r#"timedelta(0, -572231, 0) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=454278)"#,
    ),
    (
        r#"timedelta(0, -572231, 0) / 1.5"#,
        r#"datetime.timedelta(days=-5, seconds=50512, microseconds=666667)"#,
    ),
    (
        r#"timedelta(0, -572231, 0) // 1000"#,
        r#"datetime.timedelta(days=-1, seconds=85827, microseconds=769000)"#,
    ),
    (
        r#"timedelta(0, -572231, 0) / 1"#,
        r#"datetime.timedelta(days=-7, seconds=32569)"#,
    ),
    (
        r#"timedelta(seconds=1000000.5, microseconds=1000000.5, hours=-2.5)"#,
        r#"datetime.timedelta(days=11, seconds=40601, microseconds=500000)"#,
    ),
    (r#"str(timedelta(0, -572231, 0))"#, r#"'-7 days, 9:02:49'"#),
    (
        r#"datetime(100, 1, 12, 0, 52, 20, 428862, tzinfo=timezone(timedelta(minutes=190))).astimezone(timezone(timedelta(minutes=1409)))"#,
        r#"datetime.datetime(100, 1, 12, 21, 11, 20, 428862, tzinfo=datetime.timezone(datetime.timedelta(seconds=84540)))"#,
    ),
    (
        r#"datetime.fromtimestamp(24061730183.918488, timezone.utc)"#,
        r#"datetime.datetime(2732, 6, 27, 5, 56, 23, 918488, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 1, 12, 0, 52, 20, 428862, tzinfo=timezone(timedelta(minutes=190))).timestamp()"#,
        r#"-59010517059.57114"#,
    ),
    (
        r#"datetime(100, 1, 12, 0, 52, 20, 428862).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 012 02 02 Tue Jan 12 AM 428862'"#,
    ),
    (
        r#"date(2024, 5, 14) + timedelta(-1, 563086, 3894220)"#,
        r#"datetime.date(2024, 5, 19)"#,
    ),
    (
        r#"datetime(2024, 5, 14, 0, 55, 49, 841188) - timedelta(-1, 563086, 3894220)"#,
        r#"datetime.datetime(2024, 5, 8, 12, 30, 59, 946968)"#,
    ),
    (
        r#"datetime(2024, 5, 14, 0, 55, 49, 841188) - datetime(1900, 12, 13, 7, 49, 0)"#,
        r#"datetime.timedelta(days=45077, seconds=61609, microseconds=841188)"#,
    ),
    (
        r#"date(2024, 5, 14).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=20, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 5, 14).toordinal() + -192)"#,
        r#"datetime.date(2023, 11, 4)"#,
    ),
    (
        r#"timedelta(-1, 563086, 3894220) * 1234.5678"#,
        r#"datetime.timedelta(days=6811, seconds=35593, microseconds=989418)"#,
    ),
    (
        r#"timedelta(-1, 563086, 3894220) / 1234.5678"#,
        r#"datetime.timedelta(seconds=386, microseconds=118846)"#,
    ),
    (
        r#"timedelta(-1, 563086, 3894220) // 1"#,
        r#"datetime.timedelta(days=5, seconds=44689, microseconds=894220)"#,
    ),
    (
        r#"timedelta(-1, 563086, 3894220) / 1"#,
        r#"datetime.timedelta(days=5, seconds=44689, microseconds=894220)"#,
    ),
    (
        r#"timedelta(seconds=-0.1, microseconds=-2.5, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1799, microseconds=899998)"#,
    ),
    (
        r#"str(timedelta(-1, 563086, 3894220))"#,
        r#"'5 days, 12:24:49.894220'"#,
    ),
    (
        r#"datetime(2024, 5, 14, 0, 55, 49, 841188, tzinfo=timezone(timedelta(minutes=820))).astimezone(timezone(timedelta(minutes=-856)))"#,
        r#"datetime.datetime(2024, 5, 12, 20, 59, 49, 841188, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=35040)))"#,
    ),
    (
        r#"datetime.fromtimestamp(138606674522.19986, timezone.utc)"#,
        r#"datetime.datetime(6362, 4, 9, 22, 2, 2, 199860, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 5, 14, 0, 55, 49, 841188, tzinfo=timezone(timedelta(minutes=820))).timestamp()"#,
        r#"1715598949.841188"#,
    ),
    (
        r#"datetime(2024, 5, 14, 0, 55, 49, 841188).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 135 19 20 Tue May 12 AM 841188'"#,
    ),
    (
        r#"date(2, 10, 20) + timedelta(-203619386, 0, 1675094)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2, 10, 20, 5, 33, 10, 0) - timedelta(-203619386, 0, 1675094)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2, 10, 20, 5, 33, 10, 0) - datetime(1900, 8, 25, 9, 10, 5)"#,
        r#"datetime.timedelta(days=-693175, seconds=73385)"#,
    ),
    (
        r#"date(2, 10, 20).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2, week=42, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(2, 10, 20).toordinal() + -198)"#,
        r#"datetime.date(2, 4, 5)"#,
    ),
    (
        r#"timedelta(-203619386, 0, 1675094) * 0.5"#,
        r#"datetime.timedelta(days=-101809693, microseconds=837547)"#,
    ),
    (
        r#"timedelta(-203619386, 0, 1675094) / 9.5367431640625e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-203619386, 0, 1675094) // -7"#,
        r#"datetime.timedelta(days=29088483, seconds=61714, microseconds=46415)"#,
    ),
    (
        r#"timedelta(-203619386, 0, 1675094) / 1"#,
        r#"datetime.timedelta(days=-203619386, seconds=1, microseconds=675094)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=-8274.111463990683, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=78634, microseconds=559526)"#,
    ),
    (
        r#"str(timedelta(-203619386, 0, 1675094))"#,
        r#"'-203619386 days, 0:00:01.675094'"#,
    ),
    (
        r#"datetime(2, 10, 20, 5, 33, 10, 0, tzinfo=timezone(timedelta(minutes=1183))).astimezone(timezone(timedelta(minutes=-530)))"#,
        r#"datetime.datetime(2, 10, 19, 1, 0, 10, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=54600)))"#,
    ),
    (
        r#"datetime.fromtimestamp(132526457200.87146, timezone.utc)"#,
        r#"datetime.datetime(6169, 8, 6, 0, 46, 40, 871460, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2, 10, 20, 5, 33, 10, 0, tzinfo=timezone(timedelta(minutes=1183))).timestamp()"#,
        r#"-62078882990.0"#,
    ),
    (
        r#"datetime(2, 10, 20, 5, 33, 10, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2 293 42 41 Sun Oct 05 AM 000000'"#,
    ),
    (
        r#"date(3214, 8, 6) + timedelta(0, 0, 2870687)"#,
        r#"datetime.date(3214, 8, 6)"#,
    ),
    (
        r#"datetime(3214, 8, 6, 3, 9, 15, 0) - timedelta(0, 0, 2870687)"#,
        r#"datetime.datetime(3214, 8, 6, 3, 9, 12, 129313)"#,
    ),
    (
        r#"datetime(3214, 8, 6, 3, 9, 15, 0) - datetime(1970, 11, 2, 9, 15, 3)"#,
        r#"datetime.timedelta(days=454273, seconds=64452)"#,
    ),
    (
        r#"date(3214, 8, 6).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=3214, week=32, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(3214, 8, 6).toordinal() + 283)"#,
        r#"datetime.date(3215, 5, 16)"#,
    ),
    (
        r#"timedelta(0, 0, 2870687) * 1.5"#,
        r#"datetime.timedelta(seconds=4, microseconds=306030)"#,
    ),
    (
        r#"timedelta(0, 0, 2870687) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=34, seconds=72533, microseconds=491712)"#,
    ),
    (
        r#"timedelta(0, 0, 2870687) // 86400"#,
        r#"datetime.timedelta(microseconds=33)"#,
    ),
    (
        r#"timedelta(0, 0, 2870687) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=589902)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=1234.5678, hours=-0.1)"#,
        r#"datetime.timedelta(days=-1, seconds=86043, microseconds=334535)"#,
    ),
    (r#"str(timedelta(0, 0, 2870687))"#, r#"'0:00:02.870687'"#),
    (
        r#"datetime(3214, 8, 6, 3, 9, 15, 0, tzinfo=timezone(timedelta(minutes=391))).astimezone(timezone(timedelta(minutes=623)))"#,
        r#"datetime.datetime(3214, 8, 6, 7, 1, 15, tzinfo=datetime.timezone(datetime.timedelta(seconds=37380)))"#,
    ),
    (
        r#"datetime.fromtimestamp(75889304022.61624, timezone.utc)"#,
        r#"datetime.datetime(4374, 11, 2, 10, 13, 42, 616241, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(3214, 8, 6, 3, 9, 15, 0, tzinfo=timezone(timedelta(minutes=391))).timestamp()"#,
        r#"39275613495.0"#,
    ),
    (
        r#"datetime(3214, 8, 6, 3, 9, 15, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'3214 218 31 31 Wed Aug 03 AM 000000'"#,
    ),
    (
        r#"date(1, 10, 16) + timedelta(-24252, 601312, -3974664)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(1, 10, 16, 12, 6, 4, 134695) - timedelta(-24252, 601312, -3974664)"#,
        r#"datetime.datetime(68, 3, 3, 13, 4, 16, 109359)"#,
    ),
    (
        r#"datetime(1, 10, 16, 12, 6, 4, 134695) - datetime(1582, 2, 26, 6, 4, 12)"#,
        r#"datetime.timedelta(days=-577216, seconds=21712, microseconds=134695)"#,
    ),
    (
        r#"date(1, 10, 16).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1, week=42, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(1, 10, 16).toordinal() + 52)"#,
        r#"datetime.date(1, 12, 7)"#,
    ),
    (
        r#"timedelta(-24252, 601312, -3974664) * 0.5"#,
        r#"datetime.timedelta(days=-12123, seconds=41454, microseconds=12668)"#,
    ),
    (
        r#"timedelta(-24252, 601312, -3974664) / -2.5"#,
        r#"datetime.timedelta(days=9698, seconds=1396, microseconds=789866)"#,
    ),
    (
        r#"timedelta(-24252, 601312, -3974664) // 1"#,
        r#"datetime.timedelta(days=-24246, seconds=82908, microseconds=25336)"#,
    ),
    (
        r#"timedelta(-24252, 601312, -3974664) / -7"#,
        r#"datetime.timedelta(days=3463, seconds=49870, microseconds=282095)"#,
    ),
    (
        r#"timedelta(seconds=1000000.5, microseconds=1000000.5, hours=-2.5)"#,
        r#"datetime.timedelta(days=11, seconds=40601, microseconds=500000)"#,
    ),
    (
        r#"str(timedelta(-24252, 601312, -3974664))"#,
        r#"'-24246 days, 23:01:48.025336'"#,
    ),
    (
        r#"datetime(1, 10, 16, 12, 6, 4, 134695, tzinfo=timezone(timedelta(minutes=-1334))).astimezone(timezone(timedelta(minutes=-1168)))"#,
        r#"datetime.datetime(1, 10, 16, 14, 52, 4, 134695, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=16320)))"#,
    ),
    (
        r#"datetime.fromtimestamp(248798496651.48828, timezone.utc)"#,
        r#"datetime.datetime(9854, 2, 10, 5, 30, 51, 488281, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1, 10, 16, 12, 6, 4, 134695, tzinfo=timezone(timedelta(minutes=-1334))).timestamp()"#,
        r#"-62110589995.8653"#,
    ),
    (
        r#"datetime(1, 10, 16, 12, 6, 4, 134695).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1 289 41 42 Tue Oct 12 PM 134695'"#,
    ),
    (
        r#"date(100, 3, 29) + timedelta(1, 0, -7801641)"#,
        r#"datetime.date(100, 3, 29)"#,
    ),
    (
        r#"datetime(100, 3, 29, 19, 48, 16, 166479) - timedelta(1, 0, -7801641)"#,
        r#"datetime.datetime(100, 3, 28, 19, 48, 23, 968120)"#,
    ),
    (
        r#"datetime(100, 3, 29, 19, 48, 16, 166479) - datetime(4506, 8, 5, 0, 16, 19)"#,
        r#"datetime.timedelta(days=-1609387, seconds=70317, microseconds=166479)"#,
    ),
    (
        r#"date(100, 3, 29).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=13, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(100, 3, 29).toordinal() + -140)"#,
        r#"datetime.date(99, 11, 9)"#,
    ),
    (
        r#"timedelta(1, 0, -7801641) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(microseconds=82390)"#,
    ),
    (
        r#"timedelta(1, 0, -7801641) / 3.3333"#,
        r#"datetime.timedelta(seconds=25917, microseconds=918687)"#,
    ),
    (
        r#"timedelta(1, 0, -7801641) // 86400"#,
        r#"datetime.timedelta(microseconds=999909)"#,
    ),
    (
        r#"timedelta(1, 0, -7801641) / 86400"#,
        r#"datetime.timedelta(microseconds=999910)"#,
    ),
    (
        r#"timedelta(seconds=-0.1, microseconds=-2.5, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=11999, microseconds=779997)"#,
    ),
    (r#"str(timedelta(1, 0, -7801641))"#, r#"'23:59:52.198359'"#),
    (
        r#"datetime(100, 3, 29, 19, 48, 16, 166479, tzinfo=timezone(timedelta(minutes=1344))).astimezone(timezone(timedelta(minutes=-97)))"#,
        r#"datetime.datetime(100, 3, 28, 19, 47, 16, 166479, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=80580)))"#,
    ),
    (
        r#"datetime.fromtimestamp(217578062093.4118, timezone.utc)"#,
        r#"datetime.datetime(8864, 10, 9, 14, 34, 53, 411804, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 3, 29, 19, 48, 16, 166479, tzinfo=timezone(timedelta(minutes=1344))).timestamp()"#,
        r#"-59003951743.83352"#,
    ),
    (
        r#"datetime(100, 3, 29, 19, 48, 16, 166479).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 088 13 13 Mon Mar 07 PM 166479'"#,
    ),
    (
        r#"date(9999, 5, 4) + timedelta(0, 334456, 0)"#,
        r#"datetime.date(9999, 5, 7)"#,
    ),
    (
        r#"datetime(9999, 5, 4, 8, 34, 40, 898209) - timedelta(0, 334456, 0)"#,
        r#"datetime.datetime(9999, 4, 30, 11, 40, 24, 898209)"#,
    ),
    (
        r#"datetime(9999, 5, 4, 8, 34, 40, 898209) - datetime(400, 7, 12, 10, 40, 8)"#,
        r#"datetime.timedelta(days=3505892, seconds=78872, microseconds=898209)"#,
    ),
    (
        r#"date(9999, 5, 4).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9999, week=18, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(9999, 5, 4).toordinal() + 191)"#,
        r#"datetime.date(9999, 11, 11)"#,
    ),
    (
        r#"timedelta(0, 334456, 0) * -0.1"#,
        r#"datetime.timedelta(days=-1, seconds=52954, microseconds=400000)"#,
    ),
    (
        r#"timedelta(0, 334456, 0) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=4059057, seconds=9856)"#,
    ),
    (
        r#"timedelta(0, 334456, 0) // 3"#,
        r#"datetime.timedelta(days=1, seconds=25085, microseconds=333333)"#,
    ),
    (
        r#"timedelta(0, 334456, 0) / 3"#,
        r#"datetime.timedelta(days=1, seconds=25085, microseconds=333333)"#,
    ),
    (
        r#"timedelta(seconds=0.5, microseconds=1000000.5, hours=-4926.949991275007)"#,
        r#"datetime.timedelta(days=-206, seconds=61381, microseconds=531410)"#,
    ),
    (r#"str(timedelta(0, 334456, 0))"#, r#"'3 days, 20:54:16'"#),
    (
        r#"datetime(9999, 5, 4, 8, 34, 40, 898209, tzinfo=timezone(timedelta(minutes=1279))).astimezone(timezone(timedelta(minutes=-159)))"#,
        r#"datetime.datetime(9999, 5, 3, 8, 36, 40, 898209, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=76860)))"#,
    ),
    (
        r#"datetime.fromtimestamp(167242020447.21838, timezone.utc)"#,
        r#"datetime.datetime(7269, 9, 8, 12, 47, 27, 218384, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9999, 5, 4, 8, 34, 40, 898209, tzinfo=timezone(timedelta(minutes=1279))).timestamp()"#,
        r#"253381346140.89822"#,
    ),
    (
        r#"datetime(9999, 5, 4, 8, 34, 40, 898209).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9999 124 18 18 Tue May 08 AM 898209'"#,
    ),
    (
        r#"date(100, 3, 10) + timedelta(291954, -124047, 0)"#,
        r#"datetime.date(899, 7, 11)"#,
    ),
    (
        r#"datetime(100, 3, 10, 15, 14, 39, 0) - timedelta(291954, -124047, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(100, 3, 10, 15, 14, 39, 0) - datetime(1, 1, 19, 14, 39, 15)"#,
        r#"datetime.timedelta(days=36209, seconds=2124)"#,
    ),
    (
        r#"date(100, 3, 10).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=10, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(100, 3, 10).toordinal() + -37)"#,
        r#"datetime.date(100, 2, 1)"#,
    ),
    (
        r#"timedelta(291954, -124047, 0) * 1000000.5"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(291954, -124047, 0) / 1e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(291954, -124047, 0) // 1000"#,
        r#"datetime.timedelta(days=291, seconds=82301, microseconds=553000)"#,
    ),
    (
        r#"timedelta(291954, -124047, 0) / 86400"#,
        r#"datetime.timedelta(days=3, seconds=32752, microseconds=564271)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=-5916.312580371719, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=77397, microseconds=494084)"#,
    ),
    (
        r#"str(timedelta(291954, -124047, 0))"#,
        r#"'291952 days, 13:32:33'"#,
    ),
    (
        r#"datetime(100, 3, 10, 15, 14, 39, 0, tzinfo=timezone(timedelta(minutes=-888))).astimezone(timezone(timedelta(minutes=-1382)))"#,
        r#"datetime.datetime(100, 3, 10, 7, 0, 39, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=3480)))"#,
    ),
    (
        r#"datetime.fromtimestamp(230343183938.1595, timezone.utc)"#,
        r#"datetime.datetime(9269, 4, 14, 1, 45, 38, 159485, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 3, 10, 15, 14, 39, 0, tzinfo=timezone(timedelta(minutes=-888))).timestamp()"#,
        r#"-59005475841.0"#,
    ),
    (
        r#"datetime(100, 3, 10, 15, 14, 39, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 069 10 10 Wed Mar 03 PM 000000'"#,
    ),
    (
        r#"date(9998, 3, 15) + timedelta(1, 827218, 3487300)"#,
        r#"datetime.date(9998, 3, 25)"#,
    ),
    (
        r#"datetime(9998, 3, 15, 0, 3, 41, 860755) - timedelta(1, 827218, 3487300)"#,
        r#"datetime.datetime(9998, 3, 4, 10, 16, 40, 373455)"#,
    ),
    (
        r#"datetime(9998, 3, 15, 0, 3, 41, 860755) - datetime(2024, 10, 15, 3, 41, 0)"#,
        r#"datetime.timedelta(days=2912228, seconds=73361, microseconds=860755)"#,
    ),
    (
        r#"date(9998, 3, 15).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9998, week=11, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(9998, 3, 15).toordinal() + 216)"#,
        r#"datetime.date(9998, 10, 17)"#,
    ),
    (
        r#"timedelta(1, 827218, 3487300) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(microseconds=871297)"#,
    ),
    (
        r#"timedelta(1, 827218, 3487300) / 0.5"#,
        r#"datetime.timedelta(days=21, seconds=12842, microseconds=974600)"#,
    ),
    (
        r#"timedelta(1, 827218, 3487300) // 1"#,
        r#"datetime.timedelta(days=10, seconds=49621, microseconds=487300)"#,
    ),
    (
        r#"timedelta(1, 827218, 3487300) / 1"#,
        r#"datetime.timedelta(days=10, seconds=49621, microseconds=487300)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=-2.5, hours=1.5)"#,
        r#"datetime.timedelta(seconds=6634, microseconds=567798)"#,
    ),
    (
        r#"str(timedelta(1, 827218, 3487300))"#,
        r#"'10 days, 13:47:01.487300'"#,
    ),
    (
        r#"datetime(9998, 3, 15, 0, 3, 41, 860755, tzinfo=timezone(timedelta(minutes=-1389))).astimezone(timezone(timedelta(minutes=1070)))"#,
        r#"datetime.datetime(9998, 3, 16, 17, 2, 41, 860755, tzinfo=datetime.timezone(datetime.timedelta(seconds=64200)))"#,
    ),
    (
        r#"datetime.fromtimestamp(110786116820.63318, timezone.utc)"#,
        r#"datetime.datetime(5480, 9, 2, 17, 20, 20, 633179, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9998, 3, 15, 0, 3, 41, 860755, tzinfo=timezone(timedelta(minutes=-1389))).timestamp()"#,
        r#"253345619561.86075"#,
    ),
    (
        r#"datetime(9998, 3, 15, 0, 3, 41, 860755).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9998 074 11 10 Sun Mar 12 AM 860755'"#,
    ),
    (
        r#"date(99, 7, 7) + timedelta(305848225, 358108, -4140072)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 7, 7, 2, 19, 40, 50846) - timedelta(305848225, 358108, -4140072)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 7, 7, 2, 19, 40, 50846) - datetime(1, 7, 28, 19, 40, 2)"#,
        r#"datetime.timedelta(days=35772, seconds=23978, microseconds=50846)"#,
    ),
    (
        r#"date(99, 7, 7).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=99, week=28, weekday=2)"#,
    ),
    (
        r#"date.fromordinal(date(99, 7, 7).toordinal() + 47)"#,
        r#"datetime.date(99, 8, 23)"#,
    ),
    (
        r#"timedelta(305848225, 358108, -4140072) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=291, seconds=58717, microseconds=513756)"#,
    ),
    (
        r#"timedelta(305848225, 358108, -4140072) / 9.5367431640625e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(305848225, 358108, -4140072) // 3"#,
        r#"datetime.timedelta(days=101949409, seconds=61767, microseconds=953309)"#,
    ),
    (
        r#"timedelta(305848225, 358108, -4140072) / 3"#,
        r#"datetime.timedelta(days=101949409, seconds=61767, microseconds=953309)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=0.5, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=12003, microseconds=213300)"#,
    ),
    (
        r#"str(timedelta(305848225, 358108, -4140072))"#,
        r#"'305848229 days, 3:28:23.859928'"#,
    ),
    (
        r#"datetime(99, 7, 7, 2, 19, 40, 50846, tzinfo=timezone(timedelta(minutes=-1224))).astimezone(timezone(timedelta(minutes=-350)))"#,
        r#"datetime.datetime(99, 7, 7, 16, 53, 40, 50846, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=65400)))"#,
    ),
    (
        r#"datetime.fromtimestamp(137118440878.94412, timezone.utc)"#,
        r#"datetime.datetime(6315, 2, 10, 23, 47, 58, 944122, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(99, 7, 7, 2, 19, 40, 50846, tzinfo=timezone(timedelta(minutes=-1224))).timestamp()"#,
        r#"-59026756579.94916"#,
    ),
    (
        r#"datetime(99, 7, 7, 2, 19, 40, 50846).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'99 188 27 27 Tue Jul 02 AM 050846'"#,
    ),
    (
        r#"date(2024, 9, 9) + timedelta(1, 0, -4303479)"#,
        r#"datetime.date(2024, 9, 9)"#,
    ),
    (
        r#"datetime(2024, 9, 9, 7, 53, 47, 0) - timedelta(1, 0, -4303479)"#,
        r#"datetime.datetime(2024, 9, 8, 7, 53, 51, 303479)"#,
    ),
    (
        r#"datetime(2024, 9, 9, 7, 53, 47, 0) - datetime(100, 7, 11, 5, 47, 7)"#,
        r#"datetime.timedelta(days=702787, seconds=7600)"#,
    ),
    (
        r#"date(2024, 9, 9).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=37, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 9, 9).toordinal() + 215)"#,
        r#"datetime.date(2025, 4, 12)"#,
    ),
    (
        r#"timedelta(1, 0, -4303479) * 1000000.5"#,
        r#"datetime.timedelta(days=999950, seconds=59718, microseconds=848260)"#,
    ),
    (
        r#"timedelta(1, 0, -4303479) / 1000000.5"#,
        r#"datetime.timedelta(microseconds=86396)"#,
    ),
    (
        r#"timedelta(1, 0, -4303479) // 1"#,
        r#"datetime.timedelta(seconds=86395, microseconds=696521)"#,
    ),
    (
        r#"timedelta(1, 0, -4303479) / 1"#,
        r#"datetime.timedelta(seconds=86395, microseconds=696521)"#,
    ),
    (
        r#"timedelta(seconds=1e-07, microseconds=3.3333, hours=1234.5678)"#,
        r#"datetime.timedelta(days=51, seconds=38044, microseconds=80003)"#,
    ),
    (r#"str(timedelta(1, 0, -4303479))"#, r#"'23:59:55.696521'"#),
    (
        r#"datetime(2024, 9, 9, 7, 53, 47, 0, tzinfo=timezone(timedelta(minutes=1111))).astimezone(timezone(timedelta(minutes=958)))"#,
        r#"datetime.datetime(2024, 9, 9, 5, 20, 47, tzinfo=datetime.timezone(datetime.timedelta(seconds=57480)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-35881271695.99075, timezone.utc)"#,
        r#"datetime.datetime(832, 12, 19, 12, 5, 4, 9247, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 9, 9, 7, 53, 47, 0, tzinfo=timezone(timedelta(minutes=1111))).timestamp()"#,
        r#"1725801767.0"#,
    ),
    (
        r#"datetime(2024, 9, 9, 7, 53, 47, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 253 36 37 Mon Sep 07 AM 000000'"#,
    ),
    (
        r#"date(99, 1, 1) + timedelta(-770909920, 0, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 1, 1, 22, 1, 1, 0) - timedelta(-770909920, 0, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 1, 1, 22, 1, 1, 0) - datetime(9998, 2, 24, 1, 1, 22)"#,
        r#"datetime.timedelta(days=-3615589, seconds=75579)"#,
    ),
    (
        r#"date(99, 1, 1).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=99, week=1, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(99, 1, 1).toordinal() + -353)"#,
        r#"datetime.date(98, 1, 13)"#,
    ),
    (
        r#"timedelta(-770909920, 0, 0) * -8684.694639370147"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-770909920, 0, 0) / 1e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-770909920, 0, 0) // 86400"#,
        r#"datetime.timedelta(days=-8923, seconds=37280)"#,
    ),
    (
        r#"timedelta(-770909920, 0, 0) / 1"#,
        r#"datetime.timedelta(days=-770909920)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=1e-07, hours=0.5)"#,
        r#"datetime.timedelta(seconds=3034, microseconds=567800)"#,
    ),
    (
        r#"str(timedelta(-770909920, 0, 0))"#,
        r#"'-770909920 days, 0:00:00'"#,
    ),
    (
        r#"datetime(99, 1, 1, 22, 1, 1, 0, tzinfo=timezone(timedelta(minutes=-1298))).astimezone(timezone(timedelta(minutes=1158)))"#,
        r#"datetime.datetime(99, 1, 3, 14, 57, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=69480)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-32884387405.450035, timezone.utc)"#,
        r#"datetime.datetime(927, 12, 8, 15, 56, 34, 549965, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(99, 1, 1, 22, 1, 1, 0, tzinfo=timezone(timedelta(minutes=-1298))).timestamp()"#,
        r#"-59042838059.0"#,
    ),
    (
        r#"datetime(99, 1, 1, 22, 1, 1, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'99 001 00 00 Thu Jan 10 PM 000000'"#,
    ),
    (
        r#"date(1969, 2, 5) + timedelta(1, -382474, 1291596)"#,
        r#"datetime.date(1969, 2, 1)"#,
    ),
    (
        r#"datetime(1969, 2, 5, 8, 1, 22, 269171) - timedelta(1, -382474, 1291596)"#,
        r#"datetime.datetime(1969, 2, 8, 18, 15, 54, 977575)"#,
    ),
    (
        r#"datetime(1969, 2, 5, 8, 1, 22, 269171) - datetime(9998, 6, 30, 1, 22, 8)"#,
        r#"datetime.timedelta(days=-2932677, seconds=23954, microseconds=269171)"#,
    ),
    (
        r#"date(1969, 2, 5).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1969, week=6, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(1969, 2, 5).toordinal() + -72)"#,
        r#"datetime.date(1968, 11, 25)"#,
    ),
    (
        r#"timedelta(1, -382474, 1291596) * 5384.750062823172"#,
        r#"datetime.timedelta(days=-18453, seconds=61664, microseconds=821334)"#,
    ),
    (
        r#"timedelta(1, -382474, 1291596) / 3.3333"#,
        r#"datetime.timedelta(days=-2, seconds=83977, microseconds=299252)"#,
    ),
    (
        r#"timedelta(1, -382474, 1291596) // 86400"#,
        r#"datetime.timedelta(days=-1, seconds=86396, microseconds=573232)"#,
    ),
    (
        r#"timedelta(1, -382474, 1291596) / 1"#,
        r#"datetime.timedelta(days=-4, seconds=49527, microseconds=291596)"#,
    ),
    (
        r#"timedelta(seconds=0.5, microseconds=1.5, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1800, microseconds=500002)"#,
    ),
    (
        r#"str(timedelta(1, -382474, 1291596))"#,
        r#"'-4 days, 13:45:27.291596'"#,
    ),
    (
        r#"datetime(1969, 2, 5, 8, 1, 22, 269171, tzinfo=timezone(timedelta(minutes=764))).astimezone(timezone(timedelta(minutes=879)))"#,
        r#"datetime.datetime(1969, 2, 5, 9, 56, 22, 269171, tzinfo=datetime.timezone(datetime.timedelta(seconds=52740)))"#,
    ),
    (
        r#"datetime.fromtimestamp(7138019662.0592575, timezone.utc)"#,
        r#"datetime.datetime(2196, 3, 11, 23, 14, 22, 59258, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1969, 2, 5, 8, 1, 22, 269171, tzinfo=timezone(timedelta(minutes=764))).timestamp()"#,
        r#"-28528957.730829"#,
    ),
    (
        r#"datetime(1969, 2, 5, 8, 1, 22, 269171).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1969 036 05 05 Wed Feb 08 AM 269171'"#,
    ),
    (
        r#"date(2000, 5, 6) + timedelta(-997210294, -576302, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2000, 5, 6, 11, 31, 6, 0) - timedelta(-997210294, -576302, 0)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(2000, 5, 6, 11, 31, 6, 0) - datetime(2000, 6, 27, 7, 6, 11)"#,
        r#"datetime.timedelta(days=-52, seconds=15895)"#,
    ),
    (
        r#"date(2000, 5, 6).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2000, week=18, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(2000, 5, 6).toordinal() + 127)"#,
        r#"datetime.date(2000, 9, 10)"#,
    ),
    (
        r#"timedelta(-997210294, -576302, 0) * -2.5"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-997210294, -576302, 0) / 1e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(-997210294, -576302, 0) // 3"#,
        r#"datetime.timedelta(days=-332403434, seconds=38299, microseconds=333333)"#,
    ),
    (
        r#"timedelta(-997210294, -576302, 0) / 1000"#,
        r#"datetime.timedelta(days=-997211, seconds=60422, microseconds=98000)"#,
    ),
    (
        r#"timedelta(seconds=1.5, microseconds=1000000.5, hours=-0.1)"#,
        r#"datetime.timedelta(days=-1, seconds=86042, microseconds=500000)"#,
    ),
    (
        r#"str(timedelta(-997210294, -576302, 0))"#,
        r#"'-997210301 days, 7:54:58'"#,
    ),
    (
        r#"datetime(2000, 5, 6, 11, 31, 6, 0, tzinfo=timezone(timedelta(minutes=17))).astimezone(timezone(timedelta(minutes=-1050)))"#,
        r#"datetime.datetime(2000, 5, 5, 17, 44, 6, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=23400)))"#,
    ),
    (
        r#"datetime.fromtimestamp(64393876029.82239, timezone.utc)"#,
        r#"datetime.datetime(4010, 7, 24, 11, 47, 9, 822388, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2000, 5, 6, 11, 31, 6, 0, tzinfo=timezone(timedelta(minutes=17))).timestamp()"#,
        r#"957611646.0"#,
    ),
    (
        r#"datetime(2000, 5, 6, 11, 31, 6, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2000 127 18 18 Sat May 11 AM 000000'"#,
    ),
    (
        r#"date(9998, 2, 14) + timedelta(0, 0, 171725)"#,
        r#"datetime.date(9998, 2, 14)"#,
    ),
    (
        r#"datetime(9998, 2, 14, 13, 57, 34, 0) - timedelta(0, 0, 171725)"#,
        r#"datetime.datetime(9998, 2, 14, 13, 57, 33, 828275)"#,
    ),
    (
        r#"datetime(9998, 2, 14, 13, 57, 34, 0) - datetime(2024, 4, 15, 9, 34, 13)"#,
        r#"datetime.timedelta(days=2912383, seconds=15801)"#,
    ),
    (
        r#"date(9998, 2, 14).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9998, week=7, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(9998, 2, 14).toordinal() + -271)"#,
        r#"datetime.date(9997, 5, 19)"#,
    ),
    (
        r#"timedelta(0, 0, 171725) * 630.8917096388832"#,
        r#"datetime.timedelta(seconds=108, microseconds=339879)"#,
    ),
    (
        r#"timedelta(0, 0, 171725) / -0.1"#,
        r#"datetime.timedelta(days=-1, seconds=86398, microseconds=282750)"#,
    ),
    (
        r#"timedelta(0, 0, 171725) // 86400"#,
        r#"datetime.timedelta(microseconds=1)"#,
    ),
    (
        r#"timedelta(0, 0, 171725) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=86399, microseconds=975468)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=-0.1, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(microseconds=3434)"#,
    ),
    (r#"str(timedelta(0, 0, 171725))"#, r#"'0:00:00.171725'"#),
    (
        r#"datetime(9998, 2, 14, 13, 57, 34, 0, tzinfo=timezone(timedelta(minutes=1383))).astimezone(timezone(timedelta(minutes=-386)))"#,
        r#"datetime.datetime(9998, 2, 13, 8, 28, 34, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=63240)))"#,
    ),
    (
        r#"datetime.fromtimestamp(119542627719.17569, timezone.utc)"#,
        r#"datetime.datetime(5758, 2, 26, 5, 28, 39, 175690, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9998, 2, 14, 13, 57, 34, 0, tzinfo=timezone(timedelta(minutes=1383))).timestamp()"#,
        r#"253342997674.0"#,
    ),
    (
        r#"datetime(9998, 2, 14, 13, 57, 34, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9998 045 06 06 Sat Feb 01 PM 000000'"#,
    ),
    (
        r#"date(1582, 8, 21) + timedelta(1, 0, -1024768)"#,
        r#"datetime.date(1582, 8, 21)"#,
    ),
    (
        r#"datetime(1582, 8, 21, 22, 52, 53, 0) - timedelta(1, 0, -1024768)"#,
        r#"datetime.datetime(1582, 8, 20, 22, 52, 54, 24768)"#,
    ),
    (
        r#"datetime(1582, 8, 21, 22, 52, 53, 0) - datetime(100, 12, 11, 4, 53, 22)"#,
        r#"datetime.timedelta(days=541177, seconds=64771)"#,
    ),
    (
        r#"date(1582, 8, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1582, week=33, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(1582, 8, 21).toordinal() + 217)"#,
        r#"datetime.date(1583, 3, 26)"#,
    ),
    (
        r#"timedelta(1, 0, -1024768) * -2.5"#,
        r#"datetime.timedelta(days=-3, seconds=43202, microseconds=561920)"#,
    ),
    (
        r#"timedelta(1, 0, -1024768) / 1e-07"#,
        r#"datetime.timedelta(days=9999881, seconds=33920, microseconds=39)"#,
    ),
    (
        r#"timedelta(1, 0, -1024768) // -7"#,
        r#"datetime.timedelta(days=-1, seconds=74057, microseconds=289252)"#,
    ),
    (
        r#"timedelta(1, 0, -1024768) / 1"#,
        r#"datetime.timedelta(seconds=86398, microseconds=975232)"#,
    ),
    (
        r#"timedelta(seconds=1.5, microseconds=-2.5, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=12001, microseconds=379997)"#,
    ),
    (r#"str(timedelta(1, 0, -1024768))"#, r#"'23:59:58.975232'"#),
    (
        r#"datetime(1582, 8, 21, 22, 52, 53, 0, tzinfo=timezone(timedelta(minutes=-221))).astimezone(timezone(timedelta(minutes=342)))"#,
        r#"datetime.datetime(1582, 8, 22, 8, 15, 53, tzinfo=datetime.timezone(datetime.timedelta(seconds=20520)))"#,
    ),
    (
        r#"datetime.fromtimestamp(24884373030.209442, timezone.utc)"#,
        r#"datetime.datetime(2758, 7, 22, 13, 50, 30, 209442, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1582, 8, 21, 22, 52, 53, 0, tzinfo=timezone(timedelta(minutes=-221))).timestamp()"#,
        r#"-12223949167.0"#,
    ),
    (
        r#"datetime(1582, 8, 21, 22, 52, 53, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1582 233 33 33 Sat Aug 10 PM 000000'"#,
    ),
    (
        r#"date(2024, 2, 9) + timedelta(-567056, 0, -9576634)"#,
        r#"datetime.date(471, 7, 23)"#,
    ),
    (
        r#"datetime(2024, 2, 9, 13, 44, 14, 524798) - timedelta(-567056, 0, -9576634)"#,
        r#"datetime.datetime(3576, 8, 27, 13, 44, 24, 101432)"#,
    ),
    (
        r#"datetime(2024, 2, 9, 13, 44, 14, 524798) - datetime(1, 3, 9, 20, 14, 13)"#,
        r#"datetime.timedelta(days=738856, seconds=63001, microseconds=524798)"#,
    ),
    (
        r#"date(2024, 2, 9).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=2024, week=6, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(2024, 2, 9).toordinal() + 218)"#,
        r#"datetime.date(2024, 9, 14)"#,
    ),
    (
        r#"timedelta(-567056, 0, -9576634) * 0.5"#,
        r#"datetime.timedelta(days=-283529, seconds=86395, microseconds=211683)"#,
    ),
    (
        r#"timedelta(-567056, 0, -9576634) / 1234.5678"#,
        r#"datetime.timedelta(days=-460, seconds=59149, microseconds=634085)"#,
    ),
    (
        r#"timedelta(-567056, 0, -9576634) // 86400"#,
        r#"datetime.timedelta(days=-7, seconds=37743, microseconds=999889)"#,
    ),
    (
        r#"timedelta(-567056, 0, -9576634) / 86400"#,
        r#"datetime.timedelta(days=-7, seconds=37743, microseconds=999889)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=6919.871006692141, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=78634, microseconds=574720)"#,
    ),
    (
        r#"str(timedelta(-567056, 0, -9576634))"#,
        r#"'-567057 days, 23:59:50.423366'"#,
    ),
    (
        r#"datetime(2024, 2, 9, 13, 44, 14, 524798, tzinfo=timezone(timedelta(minutes=1188))).astimezone(timezone(timedelta(minutes=-931)))"#,
        r#"datetime.datetime(2024, 2, 8, 2, 25, 14, 524798, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=30540)))"#,
    ),
    (
        r#"datetime.fromtimestamp(80709835395.84235, timezone.utc)"#,
        r#"datetime.datetime(4527, 8, 5, 14, 43, 15, 842346, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(2024, 2, 9, 13, 44, 14, 524798, tzinfo=timezone(timedelta(minutes=1188))).timestamp()"#,
        r#"1707414974.524798"#,
    ),
    (
        r#"datetime(2024, 2, 9, 13, 44, 14, 524798).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'2024 040 05 06 Fri Feb 01 PM 524798'"#,
    ),
    (
        r#"date(400, 11, 23) + timedelta(-794759, -491659, -4750128)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(400, 11, 23, 13, 30, 29, 20612) - timedelta(-794759, -491659, -4750128)"#,
        r#"datetime.datetime(2576, 11, 20, 6, 4, 52, 770740)"#,
    ),
    (
        r#"datetime(400, 11, 23, 13, 30, 29, 20612) - datetime(2024, 11, 30, 6, 29, 13)"#,
        r#"datetime.timedelta(days=-593161, seconds=25276, microseconds=20612)"#,
    ),
    (
        r#"date(400, 11, 23).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=400, week=47, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(400, 11, 23).toordinal() + -213)"#,
        r#"datetime.date(400, 4, 24)"#,
    ),
    (
        r#"timedelta(-794759, -491659, -4750128) * -0.1"#,
        r#"datetime.timedelta(days=79476, seconds=40526, microseconds=375013)"#,
    ),
    (
        r#"timedelta(-794759, -491659, -4750128) / 1234.5678"#,
        r#"datetime.timedelta(days=-644, seconds=20783, microseconds=335455)"#,
    ),
    (
        r#"timedelta(-794759, -491659, -4750128) // 1000"#,
        r#"datetime.timedelta(days=-795, seconds=20330, microseconds=736249)"#,
    ),
    (
        r#"timedelta(-794759, -491659, -4750128) / 1"#,
        r#"datetime.timedelta(days=-794765, seconds=26736, microseconds=249872)"#,
    ),
    (
        r#"timedelta(seconds=1000000.5, microseconds=1e-07, hours=1.5)"#,
        r#"datetime.timedelta(days=11, seconds=55000, microseconds=500000)"#,
    ),
    (
        r#"str(timedelta(-794759, -491659, -4750128))"#,
        r#"'-794765 days, 7:25:36.249872'"#,
    ),
    (
        r#"datetime(400, 11, 23, 13, 30, 29, 20612, tzinfo=timezone(timedelta(minutes=914))).astimezone(timezone(timedelta(minutes=431)))"#,
        r#"datetime.datetime(400, 11, 23, 5, 27, 29, 20612, tzinfo=datetime.timezone(datetime.timedelta(seconds=25860)))"#,
    ),
    (
        r#"datetime.fromtimestamp(107720948707.6431, timezone.utc)"#,
        r#"datetime.datetime(5383, 7, 17, 5, 45, 7, 643097, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(400, 11, 23, 13, 30, 29, 20612, tzinfo=timezone(timedelta(minutes=914))).timestamp()"#,
        r#"-49516191810.979385"#,
    ),
    (
        r#"datetime(400, 11, 23, 13, 30, 29, 20612).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'400 328 47 47 Thu Nov 01 PM 020612'"#,
    ),
    (
        r#"date(1970, 1, 21) + timedelta(-1, 94059, 3769015)"#,
        r#"datetime.date(1970, 1, 21)"#,
    ),
    (
        r#"datetime(1970, 1, 21, 6, 43, 11, 0) - timedelta(-1, 94059, 3769015)"#,
        r#"datetime.datetime(1970, 1, 21, 4, 35, 28, 230985)"#,
    ),
    (
        r#"datetime(1970, 1, 21, 6, 43, 11, 0) - datetime(2024, 1, 9, 19, 11, 6)"#,
        r#"datetime.timedelta(days=-19712, seconds=41525)"#,
    ),
    (
        r#"date(1970, 1, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1970, week=4, weekday=3)"#,
    ),
    (
        r#"date.fromordinal(date(1970, 1, 21).toordinal() + -120)"#,
        r#"datetime.date(1969, 9, 23)"#,
    ),
    (
        r#"timedelta(-1, 94059, 3769015) * 0.5"#,
        r#"datetime.timedelta(seconds=3831, microseconds=384508)"#,
    ),
    (
        r#"timedelta(-1, 94059, 3769015) / 1234.5678"#,
        r#"datetime.timedelta(seconds=6, microseconds=206843)"#,
    ),
    (
        r#"timedelta(-1, 94059, 3769015) // 1000"#,
        r#"datetime.timedelta(seconds=7, microseconds=662769)"#,
    ),
    (
        r#"timedelta(-1, 94059, 3769015) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=85305, microseconds=318712)"#,
    ),
    (
        r#"timedelta(seconds=1.5, microseconds=1234.5678, hours=1000000.5)"#,
        r#"datetime.timedelta(days=41666, seconds=59401, microseconds=501235)"#,
    ),
    (
        r#"str(timedelta(-1, 94059, 3769015))"#,
        r#"'2:07:42.769015'"#,
    ),
    (
        r#"datetime(1970, 1, 21, 6, 43, 11, 0, tzinfo=timezone(timedelta(minutes=-543))).astimezone(timezone(timedelta(minutes=166)))"#,
        r#"datetime.datetime(1970, 1, 21, 18, 32, 11, tzinfo=datetime.timezone(datetime.timedelta(seconds=9960)))"#,
    ),
    (
        r#"datetime.fromtimestamp(83256130037.63525, timezone.utc)"#,
        r#"datetime.datetime(4608, 4, 13, 14, 47, 17, 635254, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1970, 1, 21, 6, 43, 11, 0, tzinfo=timezone(timedelta(minutes=-543))).timestamp()"#,
        r#"1784771.0"#,
    ),
    (
        r#"datetime(1970, 1, 21, 6, 43, 11, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1970 021 03 03 Wed Jan 06 AM 000000'"#,
    ),
    (
        r#"date(99, 2, 26) + timedelta(1, 0, -5092213)"#,
        r#"datetime.date(99, 2, 26)"#,
    ),
    (
        r#"datetime(99, 2, 26, 21, 40, 53, 858510) - timedelta(1, 0, -5092213)"#,
        r#"datetime.datetime(99, 2, 25, 21, 40, 58, 950723)"#,
    ),
    (
        r#"datetime(99, 2, 26, 21, 40, 53, 858510) - datetime(400, 9, 21, 16, 53, 21)"#,
        r#"datetime.timedelta(days=-110145, seconds=17252, microseconds=858510)"#,
    ),
    (
        r#"date(99, 2, 26).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=99, week=9, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(99, 2, 26).toordinal() + -272)"#,
        r#"datetime.date(98, 5, 30)"#,
    ),
    (
        r#"timedelta(1, 0, -5092213) * 9.5367431640625e-07"#,
        r#"datetime.timedelta(microseconds=82393)"#,
    ),
    (
        r#"timedelta(1, 0, -5092213) / 1e-07"#,
        r#"datetime.timedelta(days=9999410, seconds=53870, microseconds=39)"#,
    ),
    (
        r#"timedelta(1, 0, -5092213) // -7"#,
        r#"datetime.timedelta(days=-1, seconds=74057, microseconds=870316)"#,
    ),
    (
        r#"timedelta(1, 0, -5092213) / 1000"#,
        r#"datetime.timedelta(seconds=86, microseconds=394908)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=9.5367431640625e-07, hours=3.3333)"#,
        r#"datetime.timedelta(seconds=13234, microseconds=447800)"#,
    ),
    (r#"str(timedelta(1, 0, -5092213))"#, r#"'23:59:54.907787'"#),
    (
        r#"datetime(99, 2, 26, 21, 40, 53, 858510, tzinfo=timezone(timedelta(minutes=27))).astimezone(timezone(timedelta(minutes=-436)))"#,
        r#"datetime.datetime(99, 2, 26, 13, 57, 53, 858510, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=60240)))"#,
    ),
    (
        r#"datetime.fromtimestamp(142864845570.65576, timezone.utc)"#,
        r#"datetime.datetime(6497, 3, 16, 7, 19, 30, 655762, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(99, 2, 26, 21, 40, 53, 858510, tzinfo=timezone(timedelta(minutes=27))).timestamp()"#,
        r#"-59038080366.14149"#,
    ),
    (
        r#"datetime(99, 2, 26, 21, 40, 53, 858510).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'99 057 08 08 Thu Feb 09 PM 858510'"#,
    ),
    (
        r#"date(1969, 8, 14) + timedelta(0, 382577, -4874455)"#,
        r#"datetime.date(1969, 8, 18)"#,
    ),
    (
        r#"datetime(1969, 8, 14, 12, 3, 5, 868115) - timedelta(0, 382577, -4874455)"#,
        r#"datetime.datetime(1969, 8, 10, 1, 46, 53, 742570)"#,
    ),
    (
        r#"datetime(1969, 8, 14, 12, 3, 5, 868115) - datetime(1970, 6, 21, 3, 5, 12)"#,
        r#"datetime.timedelta(days=-311, seconds=32273, microseconds=868115)"#,
    ),
    (
        r#"date(1969, 8, 14).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1969, week=33, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(1969, 8, 14).toordinal() + 196)"#,
        r#"datetime.date(1970, 2, 26)"#,
    ),
    (
        r#"timedelta(0, 382577, -4874455) * 0.5"#,
        r#"datetime.timedelta(days=2, seconds=18486, microseconds=62772)"#,
    ),
    (
        r#"timedelta(0, 382577, -4874455) / 1.5"#,
        r#"datetime.timedelta(days=2, seconds=82248, microseconds=83697)"#,
    ),
    (
        r#"timedelta(0, 382577, -4874455) // -7"#,
        r#"datetime.timedelta(days=-1, seconds=31746, microseconds=839207)"#,
    ),
    (
        r#"timedelta(0, 382577, -4874455) / -7"#,
        r#"datetime.timedelta(days=-1, seconds=31746, microseconds=839208)"#,
    ),
    (
        r#"timedelta(seconds=2164.0117617714295, microseconds=1e-07, hours=9.5367431640625e-07)"#,
        r#"datetime.timedelta(seconds=2164, microseconds=15195)"#,
    ),
    (
        r#"str(timedelta(0, 382577, -4874455))"#,
        r#"'4 days, 10:16:12.125545'"#,
    ),
    (
        r#"datetime(1969, 8, 14, 12, 3, 5, 868115, tzinfo=timezone(timedelta(minutes=-20))).astimezone(timezone(timedelta(minutes=-814)))"#,
        r#"datetime.datetime(1969, 8, 13, 22, 49, 5, 868115, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=37560)))"#,
    ),
    (
        r#"datetime.fromtimestamp(4647683875.762306, timezone.utc)"#,
        r#"datetime.datetime(2117, 4, 12, 15, 17, 55, 762306, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1969, 8, 14, 12, 3, 5, 868115, tzinfo=timezone(timedelta(minutes=-20))).timestamp()"#,
        r#"-12051414.131885"#,
    ),
    (
        r#"datetime(1969, 8, 14, 12, 3, 5, 868115).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1969 226 32 32 Thu Aug 12 PM 868115'"#,
    ),
    (
        r#"date(9999, 9, 6) + timedelta(913698601, 0, 8404639)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(9999, 9, 6, 6, 31, 44, 0) - timedelta(913698601, 0, 8404639)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(9999, 9, 6, 6, 31, 44, 0) - datetime(2024, 2, 18, 7, 44, 6)"#,
        r#"datetime.timedelta(days=2913008, seconds=82058)"#,
    ),
    (
        r#"date(9999, 9, 6).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9999, week=36, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(9999, 9, 6).toordinal() + -279)"#,
        r#"datetime.date(9998, 12, 1)"#,
    ),
    (
        r#"timedelta(913698601, 0, 8404639) * 1e-07"#,
        r#"datetime.timedelta(days=91, seconds=31955, microseconds=912641)"#,
    ),
    (
        r#"timedelta(913698601, 0, 8404639) / 9.5367431640625e-07"#,
        r#"OverflowError: Python int too large to convert to C int"#,
    ),
    (
        r#"timedelta(913698601, 0, 8404639) // 1000"#,
        r#"datetime.timedelta(days=913698, seconds=51926, microseconds=408404)"#,
    ),
    (
        r#"timedelta(913698601, 0, 8404639) / 86400"#,
        r#"datetime.timedelta(days=10575, seconds=18601, microseconds=97)"#,
    ),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=9.5367431640625e-07, hours=-2.5)"#,
        r#"datetime.timedelta(days=-1, seconds=77400, microseconds=1)"#,
    ),
    (
        r#"str(timedelta(913698601, 0, 8404639))"#,
        r#"'913698601 days, 0:00:08.404639'"#,
    ),
    (
        r#"datetime(9999, 9, 6, 6, 31, 44, 0, tzinfo=timezone(timedelta(minutes=770))).astimezone(timezone(timedelta(minutes=1016)))"#,
        r#"datetime.datetime(9999, 9, 6, 10, 37, 44, tzinfo=datetime.timezone(datetime.timedelta(seconds=60960)))"#,
    ),
    (
        r#"datetime.fromtimestamp(207492085380.27573, timezone.utc)"#,
        r#"datetime.datetime(8545, 2, 28, 18, 23, 0, 275726, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9999, 9, 6, 6, 31, 44, 0, tzinfo=timezone(timedelta(minutes=770))).timestamp()"#,
        r#"253392169304.0"#,
    ),
    (
        r#"datetime(9999, 9, 6, 6, 31, 44, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9999 249 36 36 Mon Sep 06 AM 000000'"#,
    ),
    (
        r#"date(99, 6, 15) + timedelta(459377, 395236, 5628374)"#,
        r#"datetime.date(1357, 3, 13)"#,
    ),
    (
        r#"datetime(99, 6, 15, 13, 26, 43, 0) - timedelta(459377, 395236, 5628374)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(99, 6, 15, 13, 26, 43, 0) - datetime(2024, 11, 1, 2, 43, 13)"#,
        r#"datetime.timedelta(days=-703231, seconds=38610)"#,
    ),
    (
        r#"date(99, 6, 15).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=99, week=25, weekday=1)"#,
    ),
    (
        r#"date.fromordinal(date(99, 6, 15).toordinal() + -379)"#,
        r#"datetime.date(98, 6, 1)"#,
    ),
    (
        r#"timedelta(459377, 395236, 5628374) * -0.1"#,
        r#"datetime.timedelta(days=-45939, seconds=72795, microseconds=837162)"#,
    ),
    (
        r#"timedelta(459377, 395236, 5628374) / 1.5"#,
        r#"datetime.timedelta(days=306254, seconds=33094, microseconds=418916)"#,
    ),
    (
        r#"timedelta(459377, 395236, 5628374) // 86400"#,
        r#"datetime.timedelta(days=5, seconds=27381, microseconds=574555)"#,
    ),
    (
        r#"timedelta(459377, 395236, 5628374) / 1000"#,
        r#"datetime.timedelta(days=459, seconds=32968, microseconds=41628)"#,
    ),
    (
        r#"timedelta(seconds=-2.5, microseconds=1234.5678, hours=-0.1)"#,
        r#"datetime.timedelta(days=-1, seconds=86037, microseconds=501235)"#,
    ),
    (
        r#"str(timedelta(459377, 395236, 5628374))"#,
        r#"'459381 days, 13:47:21.628374'"#,
    ),
    (
        r#"datetime(99, 6, 15, 13, 26, 43, 0, tzinfo=timezone(timedelta(minutes=-1053))).astimezone(timezone(timedelta(minutes=1260)))"#,
        r#"datetime.datetime(99, 6, 17, 3, 59, 43, tzinfo=datetime.timezone(datetime.timedelta(seconds=75600)))"#,
    ),
    (
        r#"datetime.fromtimestamp(53509082762.94568, timezone.utc)"#,
        r#"datetime.datetime(3665, 8, 20, 2, 6, 2, 945679, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(99, 6, 15, 13, 26, 43, 0, tzinfo=timezone(timedelta(minutes=-1053))).timestamp()"#,
        r#"-59028627617.0"#,
    ),
    (
        r#"datetime(99, 6, 15, 13, 26, 43, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'99 166 24 24 Mon Jun 01 PM 000000'"#,
    ),
    (
        r#"date(9999, 9, 18) + timedelta(1, -404093, 1474117)"#,
        r#"datetime.date(9999, 9, 14)"#,
    ),
    (
        r#"datetime(9999, 9, 18, 8, 35, 3, 866883) - timedelta(1, -404093, 1474117)"#,
        r#"datetime.datetime(9999, 9, 22, 0, 49, 55, 392766)"#,
    ),
    (
        r#"datetime(9999, 9, 18, 8, 35, 3, 866883) - datetime(1582, 8, 13, 11, 3, 8)"#,
        r#"datetime.timedelta(days=3074281, seconds=77515, microseconds=866883)"#,
    ),
    (
        r#"date(9999, 9, 18).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9999, week=37, weekday=6)"#,
    ),
    (
        r#"date.fromordinal(date(9999, 9, 18).toordinal() + -59)"#,
        r#"datetime.date(9999, 7, 21)"#,
    ),
    (
        r#"timedelta(1, -404093, 1474117) * 3.3333"#,
        r#"datetime.timedelta(days=-13, seconds=64238, microseconds=836774)"#,
    ),
    (
        r#"timedelta(1, -404093, 1474117) / -0.1"#,
        r#"datetime.timedelta(days=36, seconds=66515, microseconds=258830)"#,
    ),
    (
        r#"timedelta(1, -404093, 1474117) // 3"#,
        r#"datetime.timedelta(days=-2, seconds=66902, microseconds=824705)"#,
    ),
    (
        r#"timedelta(1, -404093, 1474117) / 1000"#,
        r#"datetime.timedelta(days=-1, seconds=86082, microseconds=308474)"#,
    ),
    (
        r#"timedelta(seconds=-0.1, microseconds=3.3333, hours=1.5)"#,
        r#"datetime.timedelta(seconds=5399, microseconds=900003)"#,
    ),
    (
        r#"str(timedelta(1, -404093, 1474117))"#,
        r#"'-4 days, 7:45:08.474117'"#,
    ),
    (
        r#"datetime(9999, 9, 18, 8, 35, 3, 866883, tzinfo=timezone(timedelta(minutes=-1275))).astimezone(timezone(timedelta(minutes=194)))"#,
        r#"datetime.datetime(9999, 9, 19, 9, 4, 3, 866883, tzinfo=datetime.timezone(datetime.timedelta(seconds=11640)))"#,
    ),
    (
        r#"datetime.fromtimestamp(164029725729.1612, timezone.utc)"#,
        r#"datetime.datetime(7167, 11, 24, 4, 42, 9, 161194, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9999, 9, 18, 8, 35, 3, 866883, tzinfo=timezone(timedelta(minutes=-1275))).timestamp()"#,
        r#"253393336203.86688"#,
    ),
    (
        r#"datetime(9999, 9, 18, 8, 35, 3, 866883).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9999 261 37 37 Sat Sep 08 AM 866883'"#,
    ),
    (
        r#"date(1970, 10, 2) + timedelta(0, 0, -3626645)"#,
        r#"datetime.date(1970, 10, 1)"#,
    ),
    (
        r#"datetime(1970, 10, 2, 19, 49, 42, 63070) - timedelta(0, 0, -3626645)"#,
        r#"datetime.datetime(1970, 10, 2, 19, 49, 45, 689715)"#,
    ),
    (
        r#"datetime(1970, 10, 2, 19, 49, 42, 63070) - datetime(2024, 11, 23, 1, 42, 19)"#,
        r#"datetime.timedelta(days=-19776, seconds=65243, microseconds=63070)"#,
    ),
    (
        r#"date(1970, 10, 2).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1970, week=40, weekday=5)"#,
    ),
    (
        r#"date.fromordinal(date(1970, 10, 2).toordinal() + 305)"#,
        r#"datetime.date(1971, 8, 3)"#,
    ),
    (
        r#"timedelta(0, 0, -3626645) * 1.5"#,
        r#"datetime.timedelta(days=-1, seconds=86394, microseconds=560032)"#,
    ),
    (
        r#"timedelta(0, 0, -3626645) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=-45, seconds=85187, microseconds=92480)"#,
    ),
    (
        r#"timedelta(0, 0, -3626645) // 3"#,
        r#"datetime.timedelta(days=-1, seconds=86398, microseconds=791118)"#,
    ),
    (
        r#"timedelta(0, 0, -3626645) / 1"#,
        r#"datetime.timedelta(days=-1, seconds=86396, microseconds=373355)"#,
    ),
    (
        r#"timedelta(seconds=0.5, microseconds=1.5, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1800, microseconds=500002)"#,
    ),
    (
        r#"str(timedelta(0, 0, -3626645))"#,
        r#"'-1 day, 23:59:56.373355'"#,
    ),
    (
        r#"datetime(1970, 10, 2, 19, 49, 42, 63070, tzinfo=timezone(timedelta(minutes=71))).astimezone(timezone(timedelta(minutes=-871)))"#,
        r#"datetime.datetime(1970, 10, 2, 4, 7, 42, 63070, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=34140)))"#,
    ),
    (
        r#"datetime.fromtimestamp(183827415078.1127, timezone.utc)"#,
        r#"datetime.datetime(7795, 4, 5, 2, 51, 18, 112701, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1970, 10, 2, 19, 49, 42, 63070, tzinfo=timezone(timedelta(minutes=71))).timestamp()"#,
        r#"23740722.06307"#,
    ),
    (
        r#"datetime(1970, 10, 2, 19, 49, 42, 63070).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1970 275 39 39 Fri Oct 07 PM 063070'"#,
    ),
    (
        r#"date(9998, 5, 28) + timedelta(-366576, -928192, -9315757)"#,
        r#"datetime.date(8994, 9, 21)"#,
    ),
    (
        r#"datetime(9998, 5, 28, 18, 41, 37, 0) - timedelta(-366576, -928192, -9315757)"#,
        r#"OverflowError: date value out of range"#,
    ),
    (
        r#"datetime(9998, 5, 28, 18, 41, 37, 0) - datetime(2000, 9, 2, 17, 37, 18)"#,
        r#"datetime.timedelta(days=2921112, seconds=3859)"#,
    ),
    (
        r#"date(9998, 5, 28).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=9998, week=22, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(9998, 5, 28).toordinal() + -279)"#,
        r#"datetime.date(9997, 8, 22)"#,
    ),
    (
        r#"timedelta(-366576, -928192, -9315757) * 1234.5678"#,
        r#"datetime.timedelta(days=-452576189, seconds=8461, microseconds=727704)"#,
    ),
    (
        r#"timedelta(-366576, -928192, -9315757) / 1234.5678"#,
        r#"datetime.timedelta(days=-297, seconds=5591, microseconds=269207)"#,
    ),
    (
        r#"timedelta(-366576, -928192, -9315757) // 1000"#,
        r#"datetime.timedelta(days=-367, seconds=35705, microseconds=398684)"#,
    ),
    (
        r#"timedelta(-366576, -928192, -9315757) / 1"#,
        r#"datetime.timedelta(days=-366587, seconds=22198, microseconds=684243)"#,
    ),
    (
        r#"timedelta(seconds=1234.5678, microseconds=-2.5, hours=1234.5678)"#,
        r#"datetime.timedelta(days=51, seconds=39278, microseconds=647798)"#,
    ),
    (
        r#"str(timedelta(-366576, -928192, -9315757))"#,
        r#"'-366587 days, 6:09:58.684243'"#,
    ),
    (
        r#"datetime(9998, 5, 28, 18, 41, 37, 0, tzinfo=timezone(timedelta(minutes=808))).astimezone(timezone(timedelta(minutes=-1022)))"#,
        r#"datetime.datetime(9998, 5, 27, 12, 11, 37, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=25080)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-34293331877.911076, timezone.utc)"#,
        r#"datetime.datetime(883, 4, 15, 10, 28, 42, 88924, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(9998, 5, 28, 18, 41, 37, 0, tzinfo=timezone(timedelta(minutes=808))).timestamp()"#,
        r#"253351948417.0"#,
    ),
    (
        r#"datetime(9998, 5, 28, 18, 41, 37, 0).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'9998 148 21 21 Thu May 06 PM 000000'"#,
    ),
    (
        r#"date(100, 3, 21) + timedelta(0, 0, 0)"#,
        r#"datetime.date(100, 3, 21)"#,
    ),
    (
        r#"datetime(100, 3, 21, 3, 8, 30, 18640) - timedelta(0, 0, 0)"#,
        r#"datetime.datetime(100, 3, 21, 3, 8, 30, 18640)"#,
    ),
    (
        r#"datetime(100, 3, 21, 3, 8, 30, 18640) - datetime(100, 8, 24, 8, 30, 3)"#,
        r#"datetime.timedelta(days=-157, seconds=67107, microseconds=18640)"#,
    ),
    (
        r#"date(100, 3, 21).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=100, week=11, weekday=7)"#,
    ),
    (
        r#"date.fromordinal(date(100, 3, 21).toordinal() + 362)"#,
        r#"datetime.date(101, 3, 18)"#,
    ),
    (r#"timedelta(0, 0, 0) * 0.5"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) / -2.5"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) // 1"#, r#"datetime.timedelta(0)"#),
    (r#"timedelta(0, 0, 0) / -7"#, r#"datetime.timedelta(0)"#),
    (
        r#"timedelta(seconds=9.5367431640625e-07, microseconds=3.3333, hours=0.5)"#,
        r#"datetime.timedelta(seconds=1800, microseconds=4)"#,
    ),
    (r#"str(timedelta(0, 0, 0))"#, r#"'0:00:00'"#),
    (
        r#"datetime(100, 3, 21, 3, 8, 30, 18640, tzinfo=timezone(timedelta(minutes=-1309))).astimezone(timezone(timedelta(minutes=-1393)))"#,
        r#"datetime.datetime(100, 3, 21, 1, 44, 30, 18640, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=2820)))"#,
    ),
    (
        r#"datetime.fromtimestamp(-41229200701.66764, timezone.utc)"#,
        r#"datetime.datetime(663, 7, 2, 4, 14, 58, 332359, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(100, 3, 21, 3, 8, 30, 18640, tzinfo=timezone(timedelta(minutes=-1309))).timestamp()"#,
        r#"-59004543749.98136"#,
    ),
    (
        r#"datetime(100, 3, 21, 3, 8, 30, 18640).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'100 080 12 11 Sun Mar 03 AM 018640'"#,
    ),
    (
        r#"date(1900, 5, 10) + timedelta(1, 805579, -7994149)"#,
        r#"datetime.date(1900, 5, 20)"#,
    ),
    (
        r#"datetime(1900, 5, 10, 11, 36, 46, 460035) - timedelta(1, 805579, -7994149)"#,
        r#"datetime.datetime(1900, 4, 30, 3, 50, 35, 454184)"#,
    ),
    (
        r#"datetime(1900, 5, 10, 11, 36, 46, 460035) - datetime(99, 2, 12, 12, 46, 11)"#,
        r#"datetime.timedelta(days=657887, seconds=82235, microseconds=460035)"#,
    ),
    (
        r#"date(1900, 5, 10).isocalendar()"#,
        r#"datetime.IsoCalendarDate(year=1900, week=19, weekday=4)"#,
    ),
    (
        r#"date.fromordinal(date(1900, 5, 10).toordinal() + 260)"#,
        r#"datetime.date(1901, 1, 25)"#,
    ),
    (
        r#"timedelta(1, 805579, -7994149) * 1234.5678"#,
        r#"datetime.timedelta(days=12745, seconds=30682, microseconds=357256)"#,
    ),
    (
        r#"timedelta(1, 805579, -7994149) / 9.5367431640625e-07"#,
        r#"datetime.timedelta(days=10825224, seconds=35831, microseconds=218176)"#,
    ),
    (
        r#"timedelta(1, 805579, -7994149) // -7"#,
        r#"datetime.timedelta(days=-2, seconds=45375, microseconds=570592)"#,
    ),
    (
        r#"timedelta(1, 805579, -7994149) / 86400"#,
        r#"datetime.timedelta(seconds=10, microseconds=323738)"#,
    ),
    (
        r#"timedelta(seconds=3.3333, microseconds=-8787.24386962543, hours=-3359.199483758479)"#,
        r#"datetime.timedelta(days=-140, seconds=2885, microseconds=182982)"#,
    ),
    (
        r#"str(timedelta(1, 805579, -7994149))"#,
        r#"'10 days, 7:46:11.005851'"#,
    ),
    (
        r#"datetime(1900, 5, 10, 11, 36, 46, 460035, tzinfo=timezone(timedelta(minutes=-1376))).astimezone(timezone(timedelta(minutes=-821)))"#,
        r#"datetime.datetime(1900, 5, 10, 20, 51, 46, 460035, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=37140)))"#,
    ),
    (
        r#"datetime.fromtimestamp(126352565796.03058, timezone.utc)"#,
        r#"datetime.datetime(5973, 12, 14, 22, 56, 36, 30579, tzinfo=datetime.timezone.utc)"#,
    ),
    (
        r#"datetime(1900, 5, 10, 11, 36, 46, 460035, tzinfo=timezone(timedelta(minutes=-1376))).timestamp()"#,
        r#"-2197718833.539965"#,
    ),
    (
        r#"datetime(1900, 5, 10, 11, 36, 46, 460035).strftime('%Y %j %U %W %a %b %I %p %f')"#,
        r#"'1900 130 18 19 Thu May 11 AM 460035'"#,
    ),
];

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
    for (src, want) in CASES.iter().chain(RANDOM_CASES) {
        let got = answer(&mut ev, src);
        if got != *want {
            wrong.push(format!("{src}\n    want: {want}\n    got:  {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        CASES.len() + RANDOM_CASES.len(),
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
    let cache = support::sdists_dir();
    let Some(status) = support::sdist_status("tests/eval_datetime.rs time-machine test") else {
        return;
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

unsafe extern "C" {
    fn tzset();
}

/// Local time in a zone with daylight saving time (a POSIX TZ rule, so no tz database is
/// needed): `fromtimestamp` sets `fold` on the repeated hour, `timestamp()` and `astimezone()`
/// resolve repeated and skipped wall times by `fold` as CPython does. Expected answers: CPython
/// 3.11 under the same TZ.
#[test]
fn local_time_with_daylight_saving_folds_and_gaps() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let old = std::env::var_os("TZ");
    // SAFETY: the runtime lock is held, so no other test thread of this binary calls into the
    // C library's time functions while the environment changes.
    unsafe {
        std::env::set_var("TZ", "EST5EDT,M3.2.0,M11.1.0");
        tzset();
    }
    let cases: &[(&str, &str)] = &[
        (r#"timemod.tzset()"#, r#"None"#),
        (r#"timemod.tzname"#, r#"('EST', 'EDT')"#),
        (r#"timemod.timezone"#, r#"18000"#),
        (r#"timemod.altzone"#, r#"14400"#),
        (r#"timemod.daylight"#, r#"1"#),
        (r#"timemod.ctime(0)"#, r#"'Wed Dec 31 19:00:00 1969'"#),
        (
            r#"timemod.ctime(1625140800)"#,
            r#"'Thu Jul  1 08:00:00 2021'"#,
        ),
        (
            r#"datetime.fromtimestamp(1636263000)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30)"#,
        ),
        (
            r#"datetime.fromtimestamp(1636266600)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, fold=1)"#,
        ),
        (
            r#"datetime.fromtimestamp(1636266599.5)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 29, 59, 500000, fold=1)"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30).timestamp()"#,
            r#"1636263000.0"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30, fold=1).timestamp()"#,
            r#"1636266600.0"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30).timestamp()"#,
            r#"1615707000.0"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30, fold=1).timestamp()"#,
            r#"1615703400.0"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30).astimezone()"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30, fold=1).astimezone()"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30).astimezone()"#,
            r#"datetime.datetime(2021, 3, 14, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30, fold=1).astimezone()"#,
            r#"datetime.datetime(2021, 3, 14, 3, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 7, 1, 12).astimezone(timezone.utc)"#,
            r#"datetime.datetime(2021, 7, 1, 16, 0, tzinfo=datetime.timezone.utc)"#,
        ),
        (
            r#"datetime(2021, 1, 1, 12).astimezone(timezone.utc)"#,
            r#"datetime.datetime(2021, 1, 1, 17, 0, tzinfo=datetime.timezone.utc)"#,
        ),
        (
            r#"datetime(2021, 7, 1, 12, tzinfo=timezone.utc).astimezone()"#,
            r#"datetime.datetime(2021, 7, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 1, 1, 12, tzinfo=timezone.utc).astimezone()"#,
            r#"datetime.datetime(2021, 1, 1, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        (
            r#"datetime.fromtimestamp(1625140800)"#,
            r#"datetime.datetime(2021, 7, 1, 8, 0)"#,
        ),
        (
            r#"date.fromtimestamp(1636266600)"#,
            r#"datetime.date(2021, 11, 7)"#,
        ),
        (
            r#"datetime.fromtimestamp(0)"#,
            r#"datetime.datetime(1969, 12, 31, 19, 0)"#,
        ),
        (
            r#"datetime.fromtimestamp(-86400 * 365 * 100)"#,
            r#"datetime.datetime(1870, 1, 24, 19, 0)"#,
        ),
        (
            r#"timemod.localtime(1625140800)"#,
            r#"time.struct_time(tm_year=2021, tm_mon=7, tm_mday=1, tm_hour=8, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=182, tm_isdst=1)"#,
        ),
        (r#"timemod.localtime(1625140800).tm_zone"#, r#"'EDT'"#),
        (r#"timemod.localtime(1609502400).tm_gmtoff"#, r#"-18000"#),
        (
            r#"timemod.mktime((2021, 7, 1, 8, 0, 0, 0, 1, -1))"#,
            r#"1625140800.0"#,
        ),
        (
            r#"timemod.strftime("%Z %z", timemod.localtime(1625140800))"#,
            r#"'EDT -0400'"#,
        ),
    ];
    let answers: Vec<(String, &str, &str)> = cases
        .iter()
        .map(|(src, want)| (answer(&mut ev, src), *src, *want))
        .collect();
    // SAFETY: as above.
    unsafe {
        match old {
            Some(v) => std::env::set_var("TZ", v),
            None => std::env::remove_var("TZ"),
        }
        tzset();
    }
    assert_eq!(answer(&mut ev, "timemod.tzset()"), "None");
    let wrong: Vec<String> = answers
        .iter()
        .filter(|(got, _, want)| got != want)
        .map(|(got, src, want)| format!("{src}\n    want: {want}\n    got:  {got}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// No leaks: after a warm-up, evaluating each case again (results, errors and all) creates and
/// frees exactly the same objects (`live_objects`, the runtime's count of objects not yet
/// deallocated, is back where it was).
#[test]
fn datetime_and_time_operations_do_not_leak() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let live = || {
        gilgate::capi::refcount::merge_pending();
        gilgate::capi::objimpl::live_objects()
    };
    let mut leaking = Vec::new();
    for (src, _) in CASES.iter().chain(RANDOM_CASES) {
        answer(&mut ev, src);
        // a case leaks when every one of three measured rounds leaves objects behind
        let leaked = (0..3).all(|_| {
            let before = live();
            answer(&mut ev, src);
            answer(&mut ev, src);
            live() > before
        });
        if leaked {
            leaking.push(*src);
        }
    }
    assert!(leaking.is_empty(), "leaking: {leaking:#?}");
}

/// `divmod()` (not in the `eval` language's builtins) through `PyNumber_Divmod`, which
/// reaches timedelta's `nb_divmod`.
#[test]
fn timedelta_divmod() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let cases: &[(&str, &str, &str)] = &[
        (
            "timedelta(1)",
            "timedelta(hours=7)",
            r#"(3, datetime.timedelta(seconds=10800))"#,
        ),
        (
            "timedelta(-1)",
            "timedelta(hours=7)",
            r#"(-4, datetime.timedelta(seconds=14400))"#,
        ),
        (
            "timedelta(1)",
            "timedelta(hours=-7)",
            r#"(-4, datetime.timedelta(days=-1, seconds=72000))"#,
        ),
        (
            "timedelta(1)",
            "timedelta(0)",
            r#"ZeroDivisionError: integer division or modulo by zero"#,
        ),
        (
            "timedelta(1)",
            "3",
            r#"TypeError: unsupported operand type(s) for divmod(): 'datetime.timedelta' and 'int'"#,
        ),
        (
            "date(2020, 1, 1)",
            "timedelta(1)",
            r#"TypeError: unsupported operand type(s) for divmod(): 'datetime.date' and 'datetime.timedelta'"#,
        ),
    ];
    let mut eval_obj = |src: &str| {
        let stmt = parse::parse_stmt(src).expect(src);
        ev.exec(&stmt).expect(src).expect(src)
    };
    for (a, b, want) in cases {
        let (x, y) = (eval_obj(a), eval_obj(b));
        // SAFETY: two live objects; the result is a new reference or NULL with an exception.
        let r = unsafe {
            PyRef::from_owned_ptr(gilgate::capi::abstract_::PyNumber_Divmod(
                x.as_ptr(),
                y.as_ptr(),
            ))
        };
        let got = match r {
            Ok(v) => v.repr().unwrap_or_default(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, *want, "divmod({a}, {b})");
    }
}
