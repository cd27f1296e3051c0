package intl

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// decimal is a finite number in base 10: 0.digits × 10^exp, with no leading
// or trailing zeros in digits (zero has no digits). ICU rounds the shortest
// decimal form of a double, not its binary value, so 1.0005 rounds to
// 1.001 at three fraction digits; working on decimal digits does the same.
type decimal struct {
	neg    bool
	digits []byte // ASCII '0'..'9'
	exp    int
}

func decimalFromFloat(f float64) decimal {
	d := decimal{neg: math.Signbit(f)}
	if f == 0 {
		return d
	}
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, 64) // "1.234567891e+06"
	mant, e, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(e)
	d.digits = []byte(strings.Replace(mant, ".", "", 1))
	d.exp = exp + 1
	d.trim()
	return d
}

func decimalFromBig(b *big.Int) decimal {
	s := b.String()
	d := decimal{}
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	if s == "0" {
		return d
	}
	d.digits, d.exp = []byte(s), len(s)
	d.trim()
	return d
}

func (d *decimal) trim() {
	i := 0
	for i < len(d.digits) && d.digits[i] == '0' {
		i++
	}
	d.digits, d.exp = d.digits[i:], d.exp-i
	j := len(d.digits)
	for j > 0 && d.digits[j-1] == '0' {
		j--
	}
	d.digits = d.digits[:j]
	if len(d.digits) == 0 {
		d.exp = 0
	}
}

func (d decimal) isZero() bool { return len(d.digits) == 0 }

// roundFraction rounds to at most n fraction digits.
func (d *decimal) roundFraction(n int, mode string) { d.round(d.exp+n, mode) }

// roundSignificant rounds to at most n significant digits.
func (d *decimal) roundSignificant(n int, mode string) { d.round(n, mode) }

// round keeps the first n digits, rounding by mode (an ECMA-402
// roundingMode). n may be negative or zero: the number then rounds to zero
// or to one unit of the kept position.
func (d *decimal) round(n int, mode string) {
	if n >= len(d.digits) {
		return
	}
	var first byte = '0' // the first dropped digit
	rest := false        // any non-zero dropped digit after it
	if n >= 0 {
		first = d.digits[n]
		for _, c := range d.digits[n+1:] {
			if c != '0' {
				rest = true
				break
			}
		}
	} else {
		rest = true // all digits are dropped and lie below the first dropped position
	}
	lastOdd := n > 0 && (d.digits[n-1]-'0')%2 == 1
	up := roundsUp(mode, d.neg, first, rest, lastOdd)
	if n <= 0 {
		if up {
			d.digits, d.exp = []byte{'1'}, d.exp-n+1
		} else {
			d.digits, d.exp = nil, 0
		}
		return
	}
	kept := append([]byte(nil), d.digits[:n]...)
	if up {
		i := n - 1
		for i >= 0 && kept[i] == '9' {
			kept[i] = '0'
			i--
		}
		if i < 0 {
			kept = append([]byte{'1'}, kept...)
			d.exp++
		} else {
			kept[i]++
		}
	}
	d.digits = kept
	d.trim()
}

// roundsUp reports whether dropping digits (first, then rest) moves the
// magnitude up under mode; lastOdd says whether the last kept digit is odd
// (for halfEven).
func roundsUp(mode string, neg bool, first byte, rest, lastOdd bool) bool {
	if first == '0' && !rest {
		return false
	}
	switch mode {
	case "ceil":
		return !neg
	case "floor":
		return neg
	case "expand":
		return true
	case "trunc":
		return false
	}
	if first < '5' {
		return false
	}
	if first > '5' || rest {
		return true
	}
	switch mode { // exactly one half
	case "halfCeil":
		return !neg
	case "halfFloor":
		return neg
	case "halfTrunc":
		return false
	case "halfEven":
		return lastOdd
	}
	return true // halfExpand
}

// integerDigits returns the digits before the decimal point ("0" for none).
func (d decimal) integerDigits() string {
	if d.exp <= 0 {
		return "0"
	}
	if d.exp >= len(d.digits) {
		return string(d.digits) + strings.Repeat("0", d.exp-len(d.digits))
	}
	return string(d.digits[:d.exp])
}

// fractionDigits returns the digits after the decimal point, without
// trailing zeros.
func (d decimal) fractionDigits() string {
	if d.exp >= len(d.digits) {
		return ""
	}
	if d.exp >= 0 {
		return string(d.digits[d.exp:])
	}
	return strings.Repeat("0", -d.exp) + string(d.digits)
}
