package intl

import (
	"math"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Part is one piece of a formatted value, as formatToParts returns it.
type Part struct {
	Type  string
	Value string
}

// Field is one entry of resolvedOptions, in the order V8 lists them.
type Field struct {
	Name  string
	Value any // string, int or bool
}

func joinParts(parts []Part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Value)
	}
	return b.String()
}

// NumberFormat formats numbers like Intl.NumberFormat in en-US.
type NumberFormat struct {
	style           string // decimal, percent, currency, unit
	currency        string
	currencyDisplay string
	currencySign    string
	unit            string
	unitDisplay     string
	notation        string // standard, compact
	compactDisplay  string
	useGrouping     string // auto, always, min2, or "" for none
	signDisplay     string
	roundingMode    string
	trailingZeros   string // trailingZeroDisplay
	minInt          int
	minFrac         int
	maxFrac         int
	minSig, maxSig  int // both 0 unless significant digits rule rounding
}

var (
	numberStyles     = []string{"decimal", "percent", "currency", "unit"}
	currencyDisplays = []string{"code", "symbol", "narrowSymbol", "name"}
	currencySigns    = []string{"standard", "accounting"}
	unitDisplays     = []string{"short", "narrow", "long"}
	notations        = []string{"standard", "scientific", "engineering", "compact"}
	compactDisplays  = []string{"short", "long"}
	signDisplays     = []string{"auto", "never", "always", "exceptZero", "negative"}
	roundingModes    = []string{"ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand", "halfTrunc", "halfEven"}
	trailingZeroes   = []string{"auto", "stripIfInteger"}
)

// NewNumberFormat reads the options of Intl.NumberFormat (api names the
// caller in error messages, as in "Number.prototype.toLocaleString").
// Scientific and engineering notation are formatted as standard.
func NewNumberFormat(api string, opts Options) (*NumberFormat, error) {
	r := reader{get: opts, api: api}
	f := &NumberFormat{}
	var err error
	if f.style, err = r.str("style", numberStyles, "decimal"); err != nil {
		return nil, err
	}
	cur, err := r.str("currency", nil, "")
	if err != nil {
		return nil, err
	}
	if cur != "" && !isCurrencyCode(cur) {
		return nil, rangeError("Invalid currency code : %s", cur)
	}
	if f.currencyDisplay, err = r.str("currencyDisplay", currencyDisplays, "symbol"); err != nil {
		return nil, err
	}
	if f.currencySign, err = r.str("currencySign", currencySigns, "standard"); err != nil {
		return nil, err
	}
	unit, err := r.str("unit", nil, "")
	if err != nil {
		return nil, err
	}
	if unit != "" && !isUnit(unit) {
		return nil, rangeError("Invalid unit argument for %s() '%s'", api, unit)
	}
	if f.unitDisplay, err = r.str("unitDisplay", unitDisplays, "short"); err != nil {
		return nil, err
	}
	switch f.style {
	case "currency":
		if cur == "" {
			return nil, typeError("Currency code is required with currency style.")
		}
		f.currency = strings.ToUpper(cur)
	case "unit":
		if unit == "" {
			return nil, typeError("Invalid unit argument for %s() '%s'", api, unit)
		}
		f.unit = unit
	}
	if f.notation, err = r.str("notation", notations, "standard"); err != nil {
		return nil, err
	}
	if err := f.digitOptions(r); err != nil {
		return nil, err
	}
	if f.compactDisplay, err = r.str("compactDisplay", compactDisplays, "short"); err != nil {
		return nil, err
	}
	grouping := "auto"
	if f.notation == "compact" {
		grouping = "min2"
	}
	switch v := r.value("useGrouping"); v := v.(type) {
	case nil:
	case string:
		switch v {
		case "always", "auto", "min2":
			grouping = v
		case "true", "false":
		case "":
			grouping = ""
		default:
			return nil, rangeError("Value %s out of range for %s options property useGrouping", v, api)
		}
	default:
		if toBool(v) {
			grouping = "always"
		} else {
			grouping = ""
		}
	}
	f.useGrouping = grouping
	if f.signDisplay, err = r.str("signDisplay", signDisplays, "auto"); err != nil {
		return nil, err
	}
	return f, nil
}

// digitOptions is ECMA-402's SetNumberFormatDigitOptions for
// roundingPriority "auto" and roundingIncrement 1.
func (f *NumberFormat) digitOptions(r reader) error {
	var err error
	if f.minInt, err = r.number("minimumIntegerDigits", 1, 21, 1); err != nil {
		return err
	}
	if f.roundingMode, err = r.str("roundingMode", roundingModes, "halfExpand"); err != nil {
		return err
	}
	if f.trailingZeros, err = r.str("trailingZeroDisplay", trailingZeroes, "auto"); err != nil {
		return err
	}
	minFracDefault, maxFracDefault := 0, 3
	switch f.style {
	case "currency":
		d := currencyInfo(f.currency).digits
		minFracDefault, maxFracDefault = d, d
	case "percent":
		maxFracDefault = 0
	}
	hasSig := r.value("minimumSignificantDigits") != nil || r.value("maximumSignificantDigits") != nil
	hasFrac := r.value("minimumFractionDigits") != nil || r.value("maximumFractionDigits") != nil
	if hasSig {
		if f.minSig, err = r.number("minimumSignificantDigits", 1, 21, 1); err != nil {
			return err
		}
		if f.maxSig, err = r.number("maximumSignificantDigits", f.minSig, 21, 21); err != nil {
			return err
		}
		return nil
	}
	if !hasFrac {
		if f.notation == "compact" {
			return nil // compact rounding: see compactRound
		}
		f.minFrac, f.maxFrac = minFracDefault, max(minFracDefault, maxFracDefault)
		return nil
	}
	f.minFrac, err = r.number("minimumFractionDigits", 0, 100, -1)
	if err != nil {
		return err
	}
	f.maxFrac, err = r.number("maximumFractionDigits", 0, 100, -1)
	if err != nil {
		return err
	}
	switch {
	case f.minFrac < 0:
		f.minFrac = min(minFracDefault, f.maxFrac)
	case f.maxFrac < 0:
		f.maxFrac = max(maxFracDefault, f.minFrac)
	case f.minFrac > f.maxFrac:
		return rangeError("maximumFractionDigits value is out of range.")
	}
	return nil
}

func isCurrencyCode(s string) bool { return len(s) == 3 && isAlpha(s) }

// ResolvedOptions returns resolvedOptions()'s fields.
func (f *NumberFormat) ResolvedOptions() []Field {
	fs := []Field{{"locale", Locale}, {"numberingSystem", "latn"}, {"style", f.style}}
	switch f.style {
	case "currency":
		fs = append(fs, Field{"currency", f.currency}, Field{"currencyDisplay", f.currencyDisplay},
			Field{"currencySign", f.currencySign})
	case "unit":
		fs = append(fs, Field{"unit", f.unit}, Field{"unitDisplay", f.unitDisplay})
	}
	fs = append(fs, Field{"minimumIntegerDigits", f.minInt})
	switch {
	case f.maxSig > 0:
		fs = append(fs, Field{"minimumSignificantDigits", f.minSig}, Field{"maximumSignificantDigits", f.maxSig})
	case f.notation != "compact" || f.maxFrac > 0:
		fs = append(fs, Field{"minimumFractionDigits", f.minFrac}, Field{"maximumFractionDigits", f.maxFrac})
	}
	var grouping any = false
	if f.useGrouping != "" {
		grouping = f.useGrouping
	}
	fs = append(fs, Field{"useGrouping", grouping}, Field{"notation", f.notation})
	if f.notation == "compact" {
		fs = append(fs, Field{"compactDisplay", f.compactDisplay})
	}
	return append(fs, Field{"signDisplay", f.signDisplay}, Field{"roundingMode", f.roundingMode},
		Field{"roundingIncrement", 1}, Field{"trailingZeroDisplay", f.trailingZeros},
		Field{"roundingPriority", "auto"})
}

// Format formats a number.
func (f *NumberFormat) Format(x float64) string { return joinParts(f.FormatToParts(x)) }

// FormatToParts formats a number into parts.
func (f *NumberFormat) FormatToParts(x float64) []Part {
	switch {
	case math.IsNaN(x):
		return f.decorate(false, false, []Part{{"nan", "NaN"}}, "")
	case math.IsInf(x, 0):
		return f.decorate(x < 0, false, []Part{{"infinity", "∞"}}, "")
	}
	return f.formatDecimal(decimalFromFloat(x))
}

// FormatBig formats a BigInt exactly.
func (f *NumberFormat) FormatBig(b *big.Int) string { return joinParts(f.FormatBigToParts(b)) }

// FormatBigToParts formats a BigInt exactly into parts.
func (f *NumberFormat) FormatBigToParts(b *big.Int) []Part { return f.formatDecimal(decimalFromBig(b)) }

func (f *NumberFormat) formatDecimal(d decimal) []Part {
	if f.style == "percent" && !d.isZero() {
		d.exp += 2
	}
	suffix := ""
	if f.notation == "compact" {
		suffix = f.compactRound(&d)
	} else if f.maxSig > 0 {
		d.roundSignificant(f.maxSig, f.roundingMode)
	} else {
		d.roundFraction(f.maxFrac, f.roundingMode)
	}
	intDigits, frac := d.integerDigits(), d.fractionDigits()
	if n := len(intDigits); n < f.minInt {
		intDigits = strings.Repeat("0", f.minInt-n) + intDigits
	}
	minFrac := f.minFrac
	if f.maxSig > 0 {
		lead := d.exp // position of the first significant digit
		if d.isZero() {
			lead = 1
		}
		minFrac = max(0, f.minSig-lead)
	}
	if f.trailingZeros == "stripIfInteger" && frac == "" {
		minFrac = 0
	}
	if len(frac) < minFrac {
		frac += strings.Repeat("0", minFrac-len(frac))
	}
	var parts []Part
	groups := f.useGrouping != "" && (f.useGrouping != "min2" || len(intDigits) >= 5)
	if groups && len(intDigits) > 3 {
		first := len(intDigits) % 3
		if first == 0 {
			first = 3
		}
		parts = append(parts, Part{"integer", intDigits[:first]})
		for i := first; i < len(intDigits); i += 3 {
			parts = append(parts, Part{"group", ","}, Part{"integer", intDigits[i : i+3]})
		}
	} else {
		parts = append(parts, Part{"integer", intDigits})
	}
	if frac != "" {
		parts = append(parts, Part{"decimal", "."}, Part{"fraction", frac})
	}
	if suffix != "" {
		if f.compactDisplay == "long" {
			parts = append(parts, Part{"literal", " "})
		}
		parts = append(parts, Part{"compact", suffix})
	}
	return f.decorate(d.neg, d.isZero(), parts, intDigits+"."+frac)
}

// compactRound scales d to thousands, millions, billions or trillions and
// rounds it the way compact notation does when no digit option is given
// (two significant digits below 100, whole numbers above). It returns the
// suffix.
func (f *NumberFormat) compactRound(d *decimal) string {
	round := func() {
		switch {
		case f.maxSig > 0:
			d.roundSignificant(f.maxSig, f.roundingMode)
		case f.maxFrac > 0 || f.minFrac > 0:
			d.roundFraction(f.maxFrac, f.roundingMode)
		case d.exp >= 3 || d.exp == 2 && !d.isZero():
			d.roundFraction(0, f.roundingMode)
		default:
			d.roundSignificant(2, f.roundingMode)
		}
	}
	scale := func() int {
		if d.isZero() || d.exp <= 3 {
			return 0
		}
		return min((d.exp-1)/3, 4)
	}
	k := scale()
	d.exp -= 3 * k
	round()
	if d.exp > 3 && k < 4 { // rounding carried into the next power (999,999 → 1M)
		d.exp -= 3
		k++
		round()
	}
	if k == 0 {
		return ""
	}
	if f.compactDisplay == "long" {
		return []string{"", "thousand", "million", "billion", "trillion"}[k]
	}
	return []string{"", "K", "M", "B", "T"}[k]
}

// decorate adds the sign, the currency or unit and the percent sign around
// the number's parts. digits is the formatted number without grouping, for
// plural choice.
func (f *NumberFormat) decorate(neg, zero bool, num []Part, digits string) []Part {
	sign := ""
	switch f.signDisplay {
	case "auto":
		if neg {
			sign = "-"
		}
	case "always":
		sign = "+"
		if neg {
			sign = "-"
		}
	case "exceptZero":
		if !zero {
			sign = "+"
			if neg {
				sign = "-"
			}
		}
	case "negative":
		if neg && !zero {
			sign = "-"
		}
	}
	if num[0].Type == "nan" {
		sign = ""
	}
	var out []Part
	accounting := f.style == "currency" && f.currencySign == "accounting" && sign == "-"
	switch {
	case accounting:
		out = append(out, Part{"literal", "("})
	case sign == "-":
		out = append(out, Part{"minusSign", "-"})
	case sign == "+":
		out = append(out, Part{"plusSign", "+"})
	}
	switch f.style {
	case "percent":
		out = append(append(out, num...), Part{"percentSign", "%"})
	case "currency":
		info := currencyInfo(f.currency)
		if f.currencyDisplay == "name" {
			name := info.other
			if digits == "1." && info.one != "" {
				name = info.one
			}
			out = append(append(out, num...), Part{"literal", " "}, Part{"currency", name})
			break
		}
		sym := f.currency
		switch f.currencyDisplay {
		case "symbol":
			sym = info.symbol
		case "narrowSymbol":
			sym = info.narrow
		}
		out = append(out, Part{"currency", sym})
		// ICU's currency spacing: a symbol ending in a letter ("CHF", "kr")
		// is kept apart from the digits.
		if last, _ := utf8.DecodeLastRuneInString(sym); unicode.IsLetter(last) {
			out = append(out, Part{"literal", "\u00a0"})
		}
		out = append(out, num...)
	case "unit":
		label, spaced := unitLabel(f.unit, f.unitDisplay, digits == "1.")
		out = append(out, num...)
		if spaced {
			out = append(out, Part{"literal", " "})
		}
		out = append(out, Part{"unit", label})
	default:
		out = append(out, num...)
	}
	if accounting {
		out = append(out, Part{"literal", ")"})
	}
	return out
}
