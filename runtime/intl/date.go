package intl

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateTimeFormat formats dates like Intl.DateTimeFormat in en-US with the
// Gregorian calendar.
type DateTimeFormat struct {
	zone     *time.Location
	zoneName string // resolvedOptions().timeZone

	weekday, era, year, month, day, dayPeriod string
	hour, minute, second, timeZoneName        string
	fractionalSecondDigits                    int
	hourCycle                                 string // h11, h12, h23, h24; "" without hour

	dateStyle, timeStyle string
}

var (
	textWidths   = []string{"narrow", "short", "long"}
	numeric      = []string{"2-digit", "numeric"}
	monthForms   = []string{"2-digit", "numeric", "narrow", "short", "long"}
	zoneNames    = []string{"short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"}
	hourCycles   = []string{"h11", "h12", "h23", "h24"}
	dateStyles   = []string{"full", "long", "medium", "short"}
	dateFieldSet = []string{"weekday", "year", "month", "day"}
	timeFieldSet = []string{"dayPeriod", "hour", "minute", "second", "fractionalSecondDigits"}
)

// Which fields a caller needs and which it adds when none is given
// (ECMA-402's ToDateTimeOptions): Intl.DateTimeFormat and toLocaleString
// require any and default to the date or to all; toLocaleDateString and
// toLocaleTimeString require and default to the date or the time.
const (
	RequireAny  = "any"
	RequireDate = "date"
	RequireTime = "time"
	DefaultDate = "date"
	DefaultTime = "time"
	DefaultAll  = "all"
)

// NewDateTimeFormat reads the options of Intl.DateTimeFormat. local is
// the zone used when the options name none, localName its IANA name.
func NewDateTimeFormat(api string, opts Options, required, defaults string, local *time.Location, localName string) (*DateTimeFormat, error) {
	r := reader{get: opts, api: api}
	f := &DateTimeFormat{zone: local, zoneName: localName}
	if _, err := r.str("calendar", nil, ""); err != nil {
		return nil, err
	}
	hour12, hasHour12 := r.boolean("hour12")
	hc, err := r.str("hourCycle", hourCycles, "")
	if err != nil {
		return nil, err
	}
	if tz := r.value("timeZone"); tz != nil {
		if f.zone, f.zoneName, err = loadZone(toString(tz)); err != nil {
			return nil, err
		}
	}
	fields := []struct {
		name    string
		allowed []string
		dst     *string
	}{
		{"weekday", textWidths, &f.weekday},
		{"era", textWidths, &f.era},
		{"year", numeric, &f.year},
		{"month", monthForms, &f.month},
		{"day", numeric, &f.day},
		{"dayPeriod", textWidths, &f.dayPeriod},
		{"hour", numeric, &f.hour},
		{"minute", numeric, &f.minute},
		{"second", numeric, &f.second},
	}
	explicit := ""
	for _, fd := range fields {
		if *fd.dst, err = r.str(fd.name, fd.allowed, ""); err != nil {
			return nil, err
		}
		if *fd.dst != "" && explicit == "" {
			explicit = fd.name
		}
	}
	if f.fractionalSecondDigits, err = r.number("fractionalSecondDigits", 1, 3, 0); err != nil {
		return nil, err
	}
	if f.fractionalSecondDigits > 0 && explicit == "" {
		explicit = "fractionalSecondDigits"
	}
	if f.timeZoneName, err = r.str("timeZoneName", zoneNames, ""); err != nil {
		return nil, err
	}
	if f.timeZoneName != "" && explicit == "" {
		explicit = "timeZoneName"
	}
	if _, err := r.str("formatMatcher", []string{"basic", "best fit"}, "best fit"); err != nil {
		return nil, err
	}
	if f.dateStyle, err = r.str("dateStyle", dateStyles, ""); err != nil {
		return nil, err
	}
	if f.timeStyle, err = r.str("timeStyle", dateStyles, ""); err != nil {
		return nil, err
	}
	if f.dateStyle != "" || f.timeStyle != "" {
		if explicit != "" {
			style := "dateStyle"
			if f.dateStyle == "" {
				style = "timeStyle"
			}
			return nil, typeError("Can't set option %s when %s is used", explicit, style)
		}
		if required == RequireDate && f.timeStyle != "" {
			return nil, typeError("Invalid option : timeStyle")
		}
		if required == RequireTime && f.dateStyle != "" {
			return nil, typeError("Invalid option : dateStyle")
		}
	} else {
		f.addDefaults(required, defaults)
	}
	if f.hour != "" || f.timeStyle != "" {
		f.hourCycle = "h12"
		if hc != "" {
			f.hourCycle = hc
		}
		if hasHour12 {
			f.hourCycle = "h23"
			if hour12 {
				f.hourCycle = "h12"
			}
		}
	}
	return f, nil
}

func (f *DateTimeFormat) addDefaults(required, defaults string) {
	needed := true
	if required == RequireDate || required == RequireAny {
		if f.weekday != "" || f.year != "" || f.month != "" || f.day != "" {
			needed = false
		}
	}
	if required == RequireTime || required == RequireAny {
		if f.dayPeriod != "" || f.hour != "" || f.minute != "" || f.second != "" || f.fractionalSecondDigits > 0 {
			needed = false
		}
	}
	if !needed {
		return
	}
	if defaults == DefaultDate || defaults == DefaultAll {
		f.year, f.month, f.day = "numeric", "numeric", "numeric"
	}
	if defaults == DefaultTime || defaults == DefaultAll {
		f.hour, f.minute, f.second = "numeric", "numeric", "numeric"
	}
}

// loadZone resolves an IANA time zone name as V8 does: UTC and its aliases
// in any case become "UTC".
func loadZone(name string) (*time.Location, string, error) {
	switch strings.ToUpper(name) {
	case "UTC", "GMT", "ETC/UTC", "ETC/GMT", "UCT", "ETC/UCT", "ZULU", "ETC/ZULU", "UNIVERSAL", "ETC/UNIVERSAL":
		return time.UTC, "UTC", nil
	}
	bad := rangeError("Invalid time zone specified: %s", name)
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, "", bad
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, "", bad
	}
	return loc, name, nil
}

// ResolvedOptions returns resolvedOptions()'s fields.
func (f *DateTimeFormat) ResolvedOptions() []Field {
	fs := []Field{{"locale", Locale}, {"calendar", "gregory"}, {"numberingSystem", "latn"}, {"timeZone", f.zoneName}}
	if f.hourCycle != "" {
		fs = append(fs, Field{"hourCycle", f.hourCycle}, Field{"hour12", f.hourCycle == "h11" || f.hourCycle == "h12"})
	}
	for _, fd := range []Field{
		{"weekday", f.weekday}, {"era", f.era}, {"year", f.year}, {"month", f.month}, {"day", f.day},
		{"dayPeriod", f.dayPeriod}, {"hour", f.hour}, {"minute", f.minute}, {"second", f.second},
	} {
		if fd.Value != "" {
			if fd.Name == "minute" || fd.Name == "second" {
				if f.hour != "" || fd.Name == "second" && f.minute != "" {
					fd.Value = "2-digit"
				}
			}
			fs = append(fs, fd)
		}
	}
	if f.fractionalSecondDigits > 0 {
		fs = append(fs, Field{"fractionalSecondDigits", f.fractionalSecondDigits})
	}
	if f.timeZoneName != "" {
		fs = append(fs, Field{"timeZoneName", f.timeZoneName})
	}
	if f.dateStyle != "" {
		fs = append(fs, Field{"dateStyle", f.dateStyle})
	}
	if f.timeStyle != "" {
		fs = append(fs, Field{"timeStyle", f.timeStyle})
	}
	return fs
}

// Format formats the instant ms milliseconds after the epoch.
func (f *DateTimeFormat) Format(ms int64) string { return joinParts(f.FormatToParts(ms)) }

// FormatToParts formats the instant ms milliseconds after the epoch into
// parts.
func (f *DateTimeFormat) FormatToParts(ms int64) []Part {
	t := time.UnixMilli(ms).In(f.zone)
	g := f
	if f.dateStyle != "" || f.timeStyle != "" {
		g = f.expandStyles()
	}
	date := g.dateParts(t)
	clock := g.timeParts(t)
	switch {
	case len(date) == 0:
		return clock
	case len(clock) == 0:
		return date
	}
	sep := ", "
	switch {
	case g.month == "long" || f.dateStyle == "full" || f.dateStyle == "long":
		sep = " at "
	case len(date) == 1 && g.weekday != "" && g.timeZoneName == "" && (g.minute != "" || g.hourCycle == "h11" || g.hourCycle == "h12"):
		sep = " " // en has "E h:mm a" but no weekday pattern with a zone or a lone 24-hour hour
	}
	return append(append(date, Part{"literal", sep}), clock...)
}

// expandStyles returns the fields dateStyle and timeStyle stand for.
func (f *DateTimeFormat) expandStyles() *DateTimeFormat {
	g := &DateTimeFormat{zone: f.zone, zoneName: f.zoneName, hourCycle: f.hourCycle, dateStyle: f.dateStyle}
	switch f.dateStyle {
	case "full":
		g.weekday, g.month, g.day, g.year = "long", "long", "numeric", "numeric"
	case "long":
		g.month, g.day, g.year = "long", "numeric", "numeric"
	case "medium":
		g.month, g.day, g.year = "short", "numeric", "numeric"
	case "short":
		g.month, g.day, g.year = "numeric", "numeric", "2-digit"
	}
	switch f.timeStyle {
	case "full":
		g.timeZoneName = "long"
		g.hour, g.minute, g.second = "numeric", "2-digit", "2-digit"
	case "long":
		g.timeZoneName = "short"
		g.hour, g.minute, g.second = "numeric", "2-digit", "2-digit"
	case "medium":
		g.hour, g.minute, g.second = "numeric", "2-digit", "2-digit"
	case "short":
		g.hour, g.minute = "numeric", "2-digit"
	}
	return g
}

var (
	monthNames   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	weekdayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func textForm(name, width string) string {
	switch width {
	case "short":
		return name[:3]
	case "narrow":
		return name[:1]
	}
	return name
}

func digits(n int, form string) string {
	if form == "2-digit" {
		return fmt.Sprintf("%02d", n%100)
	}
	return strconv.Itoa(n)
}

func (f *DateTimeFormat) dateParts(t time.Time) []Part {
	year := t.Year()
	era := "AD"
	if year <= 0 {
		year, era = 1-year, "BC"
	}
	var yearPart, monthPart, dayPart, weekdayPart *Part
	if f.year != "" {
		yearPart = &Part{"year", digits(year, f.year)}
	}
	textMonth := f.month == "long" || f.month == "short" || f.month == "narrow"
	if f.month != "" {
		v := digits(int(t.Month()), f.month)
		if textMonth {
			v = textForm(monthNames[t.Month()-1], f.month)
		}
		monthPart = &Part{"month", v}
	}
	if f.day != "" {
		dayPart = &Part{"day", digits(t.Day(), f.day)}
	}
	if f.weekday != "" {
		weekdayPart = &Part{"weekday", textForm(weekdayNames[t.Weekday()], f.weekday)}
	}
	var out []Part
	lit := func(s string) { out = append(out, Part{"literal", s}) }
	add := func(p *Part) { out = append(out, *p) }
	if textMonth {
		// "January 5, 2024", "January 2024", "January 5"
		add(monthPart)
		if dayPart != nil {
			lit(" ")
			add(dayPart)
		}
		if yearPart != nil {
			if dayPart != nil {
				lit(", ")
			} else {
				lit(" ")
			}
			add(yearPart)
		}
	} else {
		// "1/5/2024", "1/2024", "1/5"
		for _, p := range []*Part{monthPart, dayPart, yearPart} {
			if p == nil {
				continue
			}
			if len(out) > 0 {
				lit("/")
			}
			add(p)
		}
	}
	if f.era != "" {
		if len(out) > 0 {
			lit(" ")
		}
		names := map[string]string{"AD": "Anno Domini", "BC": "Before Christ"}
		v := era
		switch f.era {
		case "long":
			v = names[era]
		case "narrow":
			v = era[:1]
		}
		out = append(out, Part{"era", v})
	}
	if weekdayPart != nil {
		if len(out) == 0 {
			return []Part{*weekdayPart}
		}
		return append([]Part{*weekdayPart, {"literal", ", "}}, out...)
	}
	return out
}

func (f *DateTimeFormat) timeParts(t time.Time) []Part {
	var out []Part
	lit := func(s string) { out = append(out, Part{"literal", s}) }
	twelve := f.hourCycle == "h11" || f.hourCycle == "h12"
	if f.hour != "" {
		h := t.Hour()
		switch f.hourCycle {
		case "h11":
			h %= 12
		case "h12":
			if h = h % 12; h == 0 {
				h = 12
			}
		case "h24":
			if h == 0 {
				h = 24
			}
		}
		form := f.hour
		if !twelve {
			form = "2-digit" // en-US has no unpadded 24-hour pattern
		}
		out = append(out, Part{"hour", digits(h, form)})
	}
	if f.minute != "" {
		if len(out) > 0 {
			lit(":")
		}
		form := f.minute
		if f.hour != "" {
			form = "2-digit"
		}
		out = append(out, Part{"minute", digits(t.Minute(), form)})
	}
	if f.second != "" || f.fractionalSecondDigits > 0 {
		if len(out) > 0 {
			lit(":")
		}
		form := f.second
		if f.hour != "" || f.minute != "" {
			form = "2-digit"
		}
		out = append(out, Part{"second", digits(t.Second(), form)})
		if n := f.fractionalSecondDigits; n > 0 {
			ms := fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
			lit(".")
			out = append(out, Part{"fractionalSecond", ms[:n]})
		}
	}
	if f.hour != "" && twelve {
		period := "AM"
		if t.Hour() >= 12 {
			period = "PM"
		}
		if f.dayPeriod != "" {
			period = flexibleDayPeriod(t.Hour())
		}
		lit(" ")
		out = append(out, Part{"dayPeriod", period})
	} else if f.dayPeriod != "" && f.hour == "" {
		out = append(out, Part{"dayPeriod", flexibleDayPeriod(t.Hour())})
	}
	if f.timeZoneName != "" {
		if len(out) > 0 {
			lit(" ")
		}
		out = append(out, Part{"timeZoneName", zoneLabel(t, f.zoneName, f.timeZoneName)})
	}
	return out
}

// flexibleDayPeriod is en's "in the morning" family.
func flexibleDayPeriod(hour int) string {
	switch {
	case hour >= 6 && hour < 12:
		return "in the morning"
	case hour >= 12 && hour < 18:
		return "in the afternoon"
	case hour >= 18 && hour < 21:
		return "in the evening"
	}
	return "at night"
}
