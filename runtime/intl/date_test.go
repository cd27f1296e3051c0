package intl

import (
	"errors"
	"testing"
	"time"
)

// The expected strings are Node.js 20's output (ICU 73) with TZ=UTC, for
// new Intl.DateTimeFormat("en-US", options).format(date) and
// date.toLocaleString, toLocaleDateString and toLocaleTimeString with the
// same arguments; a JavaScript error name stands for a throw.
func TestDateTimeFormat(t *testing.T) {
	tests := []struct {
		ms                       int64
		opts                     opts
		format, str, date, clock string
	}{
		{1704467045123, opts{}, "1/5/2024", "1/5/2024, 3:04:05 PM", "1/5/2024", "3:04:05 PM"},
		{0, opts{}, "1/1/1970", "1/1/1970, 12:00:00 AM", "1/1/1970", "12:00:00 AM"},
		{1704467045123, opts{"month": "long"}, "January", "January", "January", "January at 3:04:05 PM"},
		{1704467045123, opts{"month": "long"}, "January", "January", "January", "January at 3:04:05 PM"},
		{1704467045123, opts{"month": "short"}, "Jan", "Jan", "Jan", "Jan, 3:04:05 PM"},
		{1704467045123, opts{"month": "narrow"}, "J", "J", "J", "J, 3:04:05 PM"},
		{1704467045123, opts{"month": "2-digit"}, "01", "01", "01", "01, 3:04:05 PM"},
		{1704467045123, opts{"month": "numeric"}, "1", "1", "1", "1, 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric"}, "2024", "2024", "2024", "2024, 3:04:05 PM"},
		{1704467045123, opts{"year": "2-digit"}, "24", "24", "24", "24, 3:04:05 PM"},
		{1704467045123, opts{"day": "2-digit"}, "05", "05", "05", "05, 3:04:05 PM"},
		{1704467045123, opts{"weekday": "long"}, "Friday", "Friday", "Friday", "Friday 3:04:05 PM"},
		{1704467045123, opts{"weekday": "narrow"}, "F", "F", "F", "F 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "long", "day": "numeric"}, "January 5, 2024", "January 5, 2024", "January 5, 2024", "January 5, 2024 at 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "short", "day": "numeric"}, "Jan 5, 2024", "Jan 5, 2024", "Jan 5, 2024", "Jan 5, 2024, 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "2-digit", "day": "2-digit"}, "01/05/2024", "01/05/2024", "01/05/2024", "01/05/2024, 3:04:05 PM"},
		{1704467045123, opts{"year": "2-digit", "month": "2-digit", "day": "2-digit"}, "01/05/24", "01/05/24", "01/05/24", "01/05/24, 3:04:05 PM"},
		{1704467045123, opts{"weekday": "long", "year": "numeric", "month": "long", "day": "numeric"}, "Friday, January 5, 2024", "Friday, January 5, 2024", "Friday, January 5, 2024", "Friday, January 5, 2024 at 3:04:05 PM"},
		{1704467045123, opts{"weekday": "short", "year": "numeric", "month": "short", "day": "numeric"}, "Fri, Jan 5, 2024", "Fri, Jan 5, 2024", "Fri, Jan 5, 2024", "Fri, Jan 5, 2024, 3:04:05 PM"},
		{1704467045123, opts{"weekday": "long", "month": "long", "day": "numeric"}, "Friday, January 5", "Friday, January 5", "Friday, January 5", "Friday, January 5 at 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "long"}, "January 2024", "January 2024", "January 2024", "January 2024 at 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "numeric"}, "1/2024", "1/2024", "1/2024", "1/2024, 3:04:05 PM"},
		{1704467045123, opts{"month": "numeric", "day": "numeric"}, "1/5", "1/5", "1/5", "1/5, 3:04:05 PM"},
		{1704467045123, opts{"weekday": "short", "year": "numeric", "month": "numeric", "day": "numeric"}, "Fri, 1/5/2024", "Fri, 1/5/2024", "Fri, 1/5/2024", "Fri, 1/5/2024, 3:04:05 PM"},
		{1704467045123, opts{"hour": "numeric"}, "3 PM", "3 PM", "1/5/2024, 3 PM", "3 PM"},
		{1704467045123, opts{"hour": "2-digit", "minute": "2-digit"}, "03:04 PM", "03:04 PM", "1/5/2024, 03:04 PM", "03:04 PM"},
		{1704445445000, opts{"hour": "numeric", "minute": "2-digit"}, "9:04 AM", "9:04 AM", "1/5/2024, 9:04 AM", "9:04 AM"},
		{1704445445000, opts{"hour": "numeric", "hour12": false}, "09", "09", "1/5/2024, 09", "09"},
		{1704413045000, opts{"hour": "numeric", "minute": "numeric"}, "12:04 AM", "12:04 AM", "1/5/2024, 12:04 AM", "12:04 AM"},
		{1704413045000, opts{"hour": "numeric", "hourCycle": "h11"}, "0 AM", "0 AM", "1/5/2024, 0 AM", "0 AM"},
		{1704413045000, opts{"hour": "numeric", "minute": "numeric", "hourCycle": "h24"}, "24:04", "24:04", "1/5/2024, 24:04", "24:04"},
		{1704413045000, opts{"hour": "numeric", "minute": "numeric", "hourCycle": "h23"}, "00:04", "00:04", "1/5/2024, 00:04", "00:04"},
		{1704467045123, opts{"minute": "numeric"}, "4", "4", "1/5/2024, 4", "4"},
		{1704467045123, opts{"minute": "2-digit", "second": "2-digit"}, "04:05", "04:05", "1/5/2024, 04:05", "04:05"},
		{1704467045123, opts{"second": "numeric", "fractionalSecondDigits": float64(3)}, "5.123", "5.123", "1/5/2024, 5.123", "5.123"},
		{1704467045123, opts{"hour": "numeric", "minute": "2-digit", "second": "2-digit", "fractionalSecondDigits": float64(2)}, "3:04:05.12 PM", "3:04:05.12 PM", "1/5/2024, 3:04:05.12 PM", "3:04:05.12 PM"},
		{1704467045123, opts{"timeZone": "America/New_York"}, "1/5/2024", "1/5/2024, 10:04:05 AM", "1/5/2024", "10:04:05 AM"},
		{1720191845123, opts{"timeZone": "America/New_York", "hour": "numeric", "minute": "2-digit", "timeZoneName": "short"}, "11:04 AM EDT", "11:04 AM EDT", "7/5/2024, 11:04 AM EDT", "11:04 AM EDT"},
		{1704467045123, opts{"timeZone": "America/Los_Angeles", "timeZoneName": "long"}, "1/5/2024, Pacific Standard Time", "1/5/2024, 7:04:05 AM Pacific Standard Time", "1/5/2024, Pacific Standard Time", "7:04:05 AM Pacific Standard Time"},
		{1704467045123, opts{"timeZone": "Asia/Kolkata", "timeZoneName": "short"}, "1/5/2024, GMT+5:30", "1/5/2024, 8:34:05 PM GMT+5:30", "1/5/2024, GMT+5:30", "8:34:05 PM GMT+5:30"},
		{1720191845123, opts{"timeZone": "Europe/Berlin", "timeZoneName": "shortOffset"}, "7/5/2024, GMT+2", "7/5/2024, 5:04:05 PM GMT+2", "7/5/2024, GMT+2", "5:04:05 PM GMT+2"},
		{1720191845123, opts{"timeZone": "America/New_York", "timeZoneName": "longOffset"}, "7/5/2024, GMT-04:00", "7/5/2024, 11:04:05 AM GMT-04:00", "7/5/2024, GMT-04:00", "11:04:05 AM GMT-04:00"},
		{1720191845123, opts{"timeZone": "utc", "timeZoneName": "short"}, "7/5/2024, UTC", "7/5/2024, 3:04:05 PM UTC", "7/5/2024, UTC", "3:04:05 PM UTC"},
		{1720191845123, opts{"timeZone": "Africa/Abidjan", "timeZoneName": "long"}, "7/5/2024, Greenwich Mean Time", "7/5/2024, 3:04:05 PM Greenwich Mean Time", "7/5/2024, Greenwich Mean Time", "3:04:05 PM Greenwich Mean Time"},
		{1704467045123, opts{"dateStyle": "full"}, "Friday, January 5, 2024", "Friday, January 5, 2024", "Friday, January 5, 2024", "TypeError"},
		{1704467045123, opts{"dateStyle": "long"}, "January 5, 2024", "January 5, 2024", "January 5, 2024", "TypeError"},
		{1704467045123, opts{"dateStyle": "medium"}, "Jan 5, 2024", "Jan 5, 2024", "Jan 5, 2024", "TypeError"},
		{1704467045123, opts{"dateStyle": "short"}, "1/5/24", "1/5/24", "1/5/24", "TypeError"},
		{1704467045123, opts{"timeStyle": "full"}, "3:04:05 PM Coordinated Universal Time", "3:04:05 PM Coordinated Universal Time", "TypeError", "3:04:05 PM Coordinated Universal Time"},
		{1704467045123, opts{"timeStyle": "long"}, "3:04:05 PM UTC", "3:04:05 PM UTC", "TypeError", "3:04:05 PM UTC"},
		{1704467045123, opts{"timeStyle": "medium"}, "3:04:05 PM", "3:04:05 PM", "TypeError", "3:04:05 PM"},
		{1704467045123, opts{"timeStyle": "short"}, "3:04 PM", "3:04 PM", "TypeError", "3:04 PM"},
		{1704467045123, opts{"dateStyle": "full", "timeStyle": "short"}, "Friday, January 5, 2024 at 3:04 PM", "Friday, January 5, 2024 at 3:04 PM", "TypeError", "TypeError"},
		{1704467045123, opts{"dateStyle": "medium", "timeStyle": "medium"}, "Jan 5, 2024, 3:04:05 PM", "Jan 5, 2024, 3:04:05 PM", "TypeError", "TypeError"},
		{1704467045123, opts{"dateStyle": "short", "timeStyle": "short", "hour12": false}, "1/5/24, 15:04", "1/5/24, 15:04", "TypeError", "TypeError"},
		{1704467045123, opts{"month": "long", "hour": "numeric"}, "January at 3 PM", "January at 3 PM", "January at 3 PM", "January at 3 PM"},
		{1704467045123, opts{"year": "numeric", "month": "short", "day": "numeric", "hour": "numeric", "minute": "2-digit", "second": "2-digit"}, "Jan 5, 2024, 3:04:05 PM", "Jan 5, 2024, 3:04:05 PM", "Jan 5, 2024, 3:04:05 PM", "Jan 5, 2024, 3:04:05 PM"},
		{1704467045123, opts{"year": "numeric", "month": "2-digit", "day": "2-digit", "hour": "2-digit", "minute": "2-digit", "second": "2-digit", "hour12": false}, "01/05/2024, 15:04:05", "01/05/2024, 15:04:05", "01/05/2024, 15:04:05", "01/05/2024, 15:04:05"},
		{1704467045123, opts{"era": "short"}, "1/5/2024 AD", "1/5/2024 AD, 3:04:05 PM", "1/5/2024 AD", "AD, 3:04:05 PM"},
		{1704467045123, opts{"era": "long", "year": "numeric"}, "2024 Anno Domini", "2024 Anno Domini", "2024 Anno Domini", "2024 Anno Domini, 3:04:05 PM"},
		{-63745056000000, opts{"year": "numeric"}, "51", "51", "51", "51, 12:00:00 AM"},
		{1704445200000, opts{"hour": "numeric", "dayPeriod": "long"}, "9 in the morning", "9 in the morning", "1/5/2024, 9 in the morning", "9 in the morning"},
	}
	apis := []struct {
		name               string
		required, defaults string
	}{
		{"Intl.DateTimeFormat", RequireAny, DefaultDate},
		{"Date.prototype.toLocaleString", RequireAny, DefaultAll},
		{"Date.prototype.toLocaleDateString", RequireDate, DefaultDate},
		{"Date.prototype.toLocaleTimeString", RequireTime, DefaultTime},
	}
	for _, tt := range tests {
		for i, want := range []string{tt.format, tt.str, tt.date, tt.clock} {
			api := apis[i]
			got := ""
			f, err := NewDateTimeFormat(api.name, MapOptions(tt.opts), api.required, api.defaults, time.UTC, "UTC")
			var e *Error
			switch {
			case errors.As(err, &e):
				got = e.Name
			case err != nil:
				t.Fatal(err)
			default:
				got = f.Format(tt.ms)
			}
			if got != want {
				t.Errorf("%s %d %v: got %q, want %q", api.name, tt.ms, tt.opts, got, want)
			}
		}
	}
}

// Expected strings from Node.js 20 with TZ=UTC: a weekday next to a time.
func TestDateTimeFormatWeekdayAndTime(t *testing.T) {
	const friday = 1704467045000 // 2024-01-05T15:04:05Z
	tests := []struct {
		opts opts
		want string
	}{
		{opts{"weekday": "long", "hour": "numeric"}, "Friday 3 PM"},
		{opts{"weekday": "short", "hour": "numeric", "minute": "2-digit"}, "Fri 3:04 PM"},
		{opts{"weekday": "long", "hour": "numeric", "minute": "2-digit", "timeZoneName": "short"}, "Friday, 3:04 PM UTC"},
		{opts{"weekday": "short", "hour": "numeric", "hour12": false}, "Fri, 15"},
		{opts{"weekday": "narrow", "hour": "numeric", "minute": "2-digit", "hour12": false}, "F 15:04"},
	}
	for _, tt := range tests {
		f, err := NewDateTimeFormat("Date.prototype.toLocaleString", MapOptions(tt.opts), RequireAny, DefaultAll, time.UTC, "UTC")
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Format(friday); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.opts, got, tt.want)
		}
	}
}

// Expected errors from Node.js 20.
func TestDateTimeFormatErrors(t *testing.T) {
	tests := []struct {
		opts          opts
		name, message string
	}{
		{opts{"timeZone": "Bogus/Zone"}, "RangeError", "Invalid time zone specified: Bogus/Zone"},
		{opts{"dateStyle": "medium", "month": "long"}, "TypeError", "Can't set option month when dateStyle is used"},
		{opts{"timeStyle": "short", "month": "long"}, "TypeError", "Can't set option month when timeStyle is used"},
		{opts{"dateStyle": "bogus"}, "RangeError", "Value bogus out of range for Intl.DateTimeFormat options property dateStyle"},
		{opts{"month": "bogus"}, "RangeError", "Value bogus out of range for Intl.DateTimeFormat options property month"},
		{opts{"fractionalSecondDigits": float64(4)}, "RangeError", "fractionalSecondDigits value is out of range."},
	}
	for _, tt := range tests {
		_, err := NewDateTimeFormat("Intl.DateTimeFormat", MapOptions(tt.opts), RequireAny, DefaultDate, time.UTC, "UTC")
		var e *Error
		if !errors.As(err, &e) || e.Name != tt.name || e.Message != tt.message {
			t.Errorf("%v: got %v, want %s: %s", tt.opts, err, tt.name, tt.message)
		}
	}
}

func TestResolvedTimeZone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"utc", "UTC"}, {"Etc/GMT", "UTC"}, {"America/New_York", "America/New_York"},
	} {
		f, err := NewDateTimeFormat("Intl.DateTimeFormat", MapOptions(opts{"timeZone": tt.in}), RequireAny, DefaultDate, time.UTC, "UTC")
		if err != nil {
			t.Fatal(err)
		}
		if got := f.ResolvedOptions()[3]; got != (Field{"timeZone", tt.want}) {
			t.Errorf("%s: got %v, want %s", tt.in, got, tt.want)
		}
	}
}
