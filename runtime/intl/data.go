package intl

import "strings"

// currency is what en-US shows for one ISO 4217 currency.
type currency struct {
	digits     int    // minor unit digits
	symbol     string // currencyDisplay "symbol"
	narrow     string // currencyDisplay "narrowSymbol"
	one, other string // currencyDisplay "name", singular and plural
}

// currencies holds the currencies most programs format. Others are shown by
// their code, with two fraction digits.
var currencies = map[string]currency{
	"USD": {2, "$", "$", "US dollar", "US dollars"},
	"EUR": {2, "€", "€", "euro", "euros"},
	"GBP": {2, "£", "£", "British pound", "British pounds"},
	"JPY": {0, "¥", "¥", "Japanese yen", "Japanese yen"},
	"CNY": {2, "CN¥", "¥", "Chinese yuan", "Chinese yuan"},
	"INR": {2, "₹", "₹", "Indian rupee", "Indian rupees"},
	"CAD": {2, "CA$", "$", "Canadian dollar", "Canadian dollars"},
	"AUD": {2, "A$", "$", "Australian dollar", "Australian dollars"},
	"CHF": {2, "CHF", "CHF", "Swiss franc", "Swiss francs"},
	"KRW": {0, "₩", "₩", "South Korean won", "South Korean won"},
	"BRL": {2, "R$", "R$", "Brazilian real", "Brazilian reals"},
	"MXN": {2, "MX$", "$", "Mexican peso", "Mexican pesos"},
	"HKD": {2, "HK$", "$", "Hong Kong dollar", "Hong Kong dollars"},
	"NZD": {2, "NZ$", "$", "New Zealand dollar", "New Zealand dollars"},
	"SEK": {2, "SEK", "kr", "Swedish krona", "Swedish kronor"},
	"NOK": {2, "NOK", "kr", "Norwegian krone", "Norwegian kroner"},
	"DKK": {2, "DKK", "kr", "Danish krone", "Danish kroner"},
	"PLN": {2, "PLN", "zł", "Polish zloty", "Polish zlotys"},
	"CZK": {2, "CZK", "Kč", "Czech koruna", "Czech korunas"},
	"HUF": {0, "HUF", "Ft", "Hungarian forint", "Hungarian forints"},
	"RUB": {2, "RUB", "₽", "Russian ruble", "Russian rubles"},
	"TRY": {2, "TRY", "₺", "Turkish lira", "Turkish Lira"},
	"ZAR": {2, "ZAR", "R", "South African rand", "South African rand"},
	"SGD": {2, "SGD", "$", "Singapore dollar", "Singapore dollars"},
	"THB": {2, "THB", "฿", "Thai baht", "Thai baht"},
	"ILS": {2, "₪", "₪", "Israeli new shekel", "Israeli new shekels"},
	"TWD": {2, "NT$", "$", "New Taiwan dollar", "New Taiwan dollars"},
	"PHP": {2, "₱", "₱", "Philippine peso", "Philippine pesos"},
	"IDR": {0, "IDR", "Rp", "Indonesian rupiah", "Indonesian rupiahs"},
	"MYR": {2, "MYR", "RM", "Malaysian ringgit", "Malaysian ringgits"},
	"VND": {0, "₫", "₫", "Vietnamese dong", "Vietnamese dong"},
	"AED": {2, "AED", "AED", "UAE dirham", "UAE dirhams"},
	"SAR": {2, "SAR", "SAR", "Saudi riyal", "Saudi riyals"},
	"BHD": {3, "BHD", "BHD", "Bahraini dinar", "Bahraini dinars"},
	"KWD": {3, "KWD", "KWD", "Kuwaiti dinar", "Kuwaiti dinars"},
	"CLP": {0, "CLP", "$", "Chilean peso", "Chilean pesos"},
	"COP": {0, "COP", "$", "Colombian peso", "Colombian pesos"},
	"ARS": {2, "ARS", "$", "Argentine peso", "Argentine pesos"},
	"EGP": {2, "EGP", "E£", "Egyptian pound", "Egyptian pounds"},
	"NGN": {2, "NGN", "₦", "Nigerian naira", "Nigerian nairas"},
	"KES": {2, "KES", "KES", "Kenyan shilling", "Kenyan shillings"},
	"UAH": {2, "UAH", "₴", "Ukrainian hryvnia", "Ukrainian hryvnias"},
	"PKR": {0, "PKR", "Rs", "Pakistani rupee", "Pakistani rupees"},
	"BDT": {2, "BDT", "৳", "Bangladeshi taka", "Bangladeshi takas"},
	"ISK": {0, "ISK", "kr", "Icelandic króna", "Icelandic krónur"},
}

func currencyInfo(code string) currency {
	if c, ok := currencies[code]; ok {
		return c
	}
	return currency{digits: 2, symbol: code, narrow: code, other: code}
}

// unit is what en-US shows for one simple unit.
type unit struct {
	shortOne, short string // unitDisplay "short", singular and plural
	narrow          string // unitDisplay "narrow"
	one, other      string // unitDisplay "long", singular and plural
}

// units holds ECMA-402's sanctioned simple units.
var units = map[string]unit{
	"acre":              {"ac", "ac", "ac", "acre", "acres"},
	"bit":               {"bit", "bit", "bit", "bit", "bits"},
	"byte":              {"byte", "byte", "B", "byte", "bytes"},
	"celsius":           {"°C", "°C", "°C", "degree Celsius", "degrees Celsius"},
	"centimeter":        {"cm", "cm", "cm", "centimeter", "centimeters"},
	"day":               {"day", "days", "d", "day", "days"},
	"degree":            {"deg", "deg", "°", "degree", "degrees"},
	"fahrenheit":        {"°F", "°F", "°", "degree Fahrenheit", "degrees Fahrenheit"},
	"fluid-ounce":       {"fl oz", "fl oz", "fl oz", "fluid ounce", "fluid ounces"},
	"foot":              {"ft", "ft", "′", "foot", "feet"},
	"gallon":            {"gal", "gal", "gal", "gallon", "gallons"},
	"gigabit":           {"Gb", "Gb", "Gb", "gigabit", "gigabits"},
	"gigabyte":          {"GB", "GB", "GB", "gigabyte", "gigabytes"},
	"gram":              {"g", "g", "g", "gram", "grams"},
	"hectare":           {"ha", "ha", "ha", "hectare", "hectares"},
	"hour":              {"hr", "hr", "h", "hour", "hours"},
	"inch":              {"in", "in", "″", "inch", "inches"},
	"kilobit":           {"kb", "kb", "kb", "kilobit", "kilobits"},
	"kilobyte":          {"kB", "kB", "kB", "kilobyte", "kilobytes"},
	"kilogram":          {"kg", "kg", "kg", "kilogram", "kilograms"},
	"kilometer":         {"km", "km", "km", "kilometer", "kilometers"},
	"liter":             {"L", "L", "L", "liter", "liters"},
	"megabit":           {"Mb", "Mb", "Mb", "megabit", "megabits"},
	"megabyte":          {"MB", "MB", "MB", "megabyte", "megabytes"},
	"meter":             {"m", "m", "m", "meter", "meters"},
	"microsecond":       {"μs", "μs", "μs", "microsecond", "microseconds"},
	"mile":              {"mi", "mi", "mi", "mile", "miles"},
	"mile-scandinavian": {"smi", "smi", "smi", "mile-scandinavian", "miles-scandinavian"},
	"milliliter":        {"mL", "mL", "mL", "milliliter", "milliliters"},
	"millimeter":        {"mm", "mm", "mm", "millimeter", "millimeters"},
	"millisecond":       {"ms", "ms", "ms", "millisecond", "milliseconds"},
	"minute":            {"min", "min", "m", "minute", "minutes"},
	"month":             {"mth", "mths", "m", "month", "months"},
	"nanosecond":        {"ns", "ns", "ns", "nanosecond", "nanoseconds"},
	"ounce":             {"oz", "oz", "oz", "ounce", "ounces"},
	"percent":           {"%", "%", "%", "percent", "percent"},
	"petabyte":          {"PB", "PB", "PB", "petabyte", "petabytes"},
	"pound":             {"lb", "lb", "#", "pound", "pounds"},
	"second":            {"sec", "sec", "s", "second", "seconds"},
	"stone":             {"st", "st", "st", "stone", "stones"},
	"terabit":           {"Tb", "Tb", "Tb", "terabit", "terabits"},
	"terabyte":          {"TB", "TB", "TB", "terabyte", "terabytes"},
	"week":              {"wk", "wks", "w", "week", "weeks"},
	"yard":              {"yd", "yd", "yd", "yard", "yards"},
	"year":              {"yr", "yrs", "y", "year", "years"},
}

// tightUnits follow the number without a space in short display.
var tightUnits = map[string]bool{"celsius": true, "fahrenheit": true, "percent": true}

// unitLabel returns the label of a simple or compound ("kilometer-per-hour")
// unit for a display and plural form, and whether a space separates it
// from the number.
func unitLabel(name, display string, singular bool) (label string, spaced bool) {
	if num, per, ok := strings.Cut(name, "-per-"); ok {
		a, b := units[num], units[per]
		switch display {
		case "long":
			return pick(singular, a.one, a.other) + " per " + b.one, true
		case "narrow":
			if name == "mile-per-hour" {
				return "mph", false
			}
			return a.narrow + "/" + b.narrow, false
		}
		if name == "mile-per-hour" {
			return "mph", true
		}
		return a.short + "/" + b.narrow, true
	}
	u := units[name]
	switch display {
	case "long":
		return pick(singular, u.one, u.other), true
	case "narrow":
		return u.narrow, false
	}
	return pick(singular, u.shortOne, u.short), !tightUnits[name]
}

// isUnit reports whether name is a sanctioned simple unit or a compound of
// two joined by "-per-".
func isUnit(name string) bool {
	if num, per, ok := strings.Cut(name, "-per-"); ok {
		_, ok1 := units[num]
		_, ok2 := units[per]
		return ok1 && ok2
	}
	_, ok := units[name]
	return ok
}

func pick(singular bool, one, other string) string {
	if singular {
		return one
	}
	return other
}
