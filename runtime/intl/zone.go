package intl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// usZones are the US zones en-US names by abbreviation, with their long and
// generic names.
var usZones = map[string]struct{ long, generic, longGeneric string }{
	"EST": {"Eastern Standard Time", "ET", "Eastern Time"},
	"EDT": {"Eastern Daylight Time", "ET", "Eastern Time"},
	"CST": {"Central Standard Time", "CT", "Central Time"},
	"CDT": {"Central Daylight Time", "CT", "Central Time"},
	"MST": {"Mountain Standard Time", "MT", "Mountain Time"},
	"MDT": {"Mountain Daylight Time", "MT", "Mountain Time"},
	"PST": {"Pacific Standard Time", "PT", "Pacific Time"},
	"PDT": {"Pacific Daylight Time", "PT", "Pacific Time"},
	"HST": {"Hawaii-Aleutian Standard Time", "HST", "Hawaii-Aleutian Standard Time"},
}

// zoneLabel names t's zone the way en-US does for one timeZoneName form.
// UTC, GMT and the US zones have names; other zones are shown by their
// offset ("GMT+5:30"), where ICU would use a regional name for the long
// forms.
func zoneLabel(t time.Time, zone, form string) string {
	abbr, offset := t.Zone()
	switch form {
	case "shortOffset":
		return gmtOffset(offset, false)
	case "longOffset":
		return gmtOffset(offset, true)
	}
	long := form == "long" || form == "longGeneric"
	if zone == "UTC" {
		if long {
			return "Coordinated Universal Time"
		}
		return "UTC"
	}
	if us, ok := usZones[abbr]; ok && isUSZone(zone) {
		switch form {
		case "long":
			return us.long
		case "shortGeneric":
			return us.generic
		case "longGeneric":
			return us.longGeneric
		}
		return abbr
	}
	if abbr == "GMT" && offset == 0 {
		if long {
			return "Greenwich Mean Time"
		}
		return "GMT"
	}
	return gmtOffset(offset, long)
}

func isUSZone(zone string) bool {
	return strings.HasPrefix(zone, "America/") || strings.HasPrefix(zone, "US/") || zone == "Pacific/Honolulu"
}

// gmtOffset renders an offset in seconds as "GMT-5" or "GMT+5:30" (short)
// or "GMT-05:00" (long).
func gmtOffset(offset int, long bool) string {
	sign := "+"
	if offset < 0 {
		sign, offset = "-", -offset
	}
	h, m := offset/3600, offset%3600/60
	if long {
		return fmt.Sprintf("GMT%s%02d:%02d", sign, h, m)
	}
	if m != 0 {
		return fmt.Sprintf("GMT%s%d:%02d", sign, h, m)
	}
	return fmt.Sprintf("GMT%s%d", sign, h)
}

// LocalZoneName returns the IANA name of the process's local time zone
// (time.Local): the TZ variable, else the target of /etc/localtime, else
// "UTC".
func LocalZoneName() string {
	if tz, ok := os.LookupEnv("TZ"); ok {
		tz = strings.TrimPrefix(tz, ":")
		if tz == "" || strings.HasPrefix(tz, "/") {
			return "UTC"
		}
		if _, name, err := loadZone(tz); err == nil {
			return name
		}
		return "UTC"
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, canonical, err := loadZone(name); err == nil {
				return canonical
			}
		}
	}
	return "UTC"
}
