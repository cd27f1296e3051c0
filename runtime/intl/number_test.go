package intl

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

type opts = map[string]any

// The expected strings are Node.js 20's output (ICU 73) for
// x.toLocaleString("en-US", options).
func TestNumberFormat(t *testing.T) {
	tests := []struct {
		x    float64
		opts opts
		want string
	}{
		{1234567.891, opts{}, "1,234,567.891"},
		{0, opts{}, "0"},
		{math.Copysign(0, -1), opts{}, "-0"},
		{math.NaN(), opts{}, "NaN"},
		{math.Inf(1), opts{}, "∞"},
		{math.Inf(-1), opts{}, "-∞"},
		{0.0005, opts{}, "0.001"},
		{1.0005, opts{}, "1.001"},
		{0.30000000000000004, opts{}, "0.3"},
		{-0.0001, opts{}, "-0"},
		{999.9996, opts{}, "1,000"},
		{1e+21, opts{}, "1,000,000,000,000,000,000,000"},
		{5e-324, opts{}, "0"},
		{123.456, opts{}, "123.456"},
		{2.5, opts{"maximumFractionDigits": float64(0)}, "3"},
		{-2.5, opts{"maximumFractionDigits": float64(0)}, "-3"},
		{2.5, opts{"maximumFractionDigits": float64(0), "roundingMode": "halfEven"}, "2"},
		{3.5, opts{"maximumFractionDigits": float64(0), "roundingMode": "halfEven"}, "4"},
		{1.21, opts{"maximumFractionDigits": float64(1), "roundingMode": "ceil"}, "1.3"},
		{-1.21, opts{"maximumFractionDigits": float64(1), "roundingMode": "ceil"}, "-1.2"},
		{1.29, opts{"maximumFractionDigits": float64(1), "roundingMode": "trunc"}, "1.2"},
		{-1.25, opts{"maximumFractionDigits": float64(1), "roundingMode": "halfTrunc"}, "-1.2"},
		{1.25, opts{"maximumFractionDigits": float64(1), "roundingMode": "halfFloor"}, "1.2"},
		{1234567.891, opts{"useGrouping": false}, "1234567.891"},
		{1234, opts{"useGrouping": "min2"}, "1234"},
		{12345, opts{"useGrouping": "min2"}, "12,345"},
		{1234.5, opts{"minimumFractionDigits": float64(2)}, "1,234.50"},
		{1234.5678, opts{"maximumFractionDigits": float64(2)}, "1,234.57"},
		{1234.5, opts{"minimumFractionDigits": float64(5)}, "1,234.50000"},
		{1234.5, opts{"maximumFractionDigits": "2"}, "1,234.5"},
		{5, opts{"minimumIntegerDigits": float64(3)}, "005"},
		{123456, opts{"maximumSignificantDigits": float64(3)}, "123,000"},
		{0.000123456, opts{"maximumSignificantDigits": float64(3)}, "0.000123"},
		{1.5, opts{"minimumSignificantDigits": float64(3)}, "1.50"},
		{0, opts{"minimumSignificantDigits": float64(3)}, "0.00"},
		{999.99, opts{"maximumSignificantDigits": float64(2)}, "1,000"},
		{1234, opts{"signDisplay": "always"}, "+1,234"},
		{0, opts{"signDisplay": "always"}, "+0"},
		{0, opts{"signDisplay": "exceptZero"}, "0"},
		{-0.001, opts{"signDisplay": "exceptZero", "maximumFractionDigits": float64(2)}, "0"},
		{-1234, opts{"signDisplay": "never"}, "1,234"},
		{-1, opts{"signDisplay": "negative"}, "-1"},
		{math.Copysign(0, -1), opts{"signDisplay": "negative"}, "0"},
		{1.5, opts{"trailingZeroDisplay": "stripIfInteger", "minimumFractionDigits": float64(2)}, "1.50"},
		{1, opts{"trailingZeroDisplay": "stripIfInteger", "minimumFractionDigits": float64(2)}, "1"},
		{0.256, opts{"style": "percent"}, "26%"},
		{0.2567, opts{"style": "percent", "minimumFractionDigits": float64(1)}, "25.7%"},
		{12.5, opts{"style": "percent"}, "1,250%"},
		{math.Copysign(0, -1), opts{"style": "percent"}, "-0%"},
		{math.Inf(-1), opts{"style": "percent"}, "-∞%"},
		{1234.5, opts{"style": "currency", "currency": "USD"}, "$1,234.50"},
		{-1234.5, opts{"style": "currency", "currency": "usd"}, "-$1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "EUR"}, "€1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "JPY"}, "¥1,235"},
		{1234.5, opts{"style": "currency", "currency": "CHF"}, "CHF 1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "XYZ"}, "XYZ 1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "CAD"}, "CA$1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "BHD"}, "BHD 1,234.500"},
		{1234.5, opts{"style": "currency", "currency": "USD", "currencyDisplay": "code"}, "USD 1,234.50"},
		{1234.5, opts{"style": "currency", "currency": "USD", "currencyDisplay": "name"}, "1,234.50 US dollars"},
		{1, opts{"style": "currency", "currency": "JPY", "currencyDisplay": "name"}, "1 Japanese yen"},
		{1234.5, opts{"style": "currency", "currency": "SEK", "currencyDisplay": "narrowSymbol"}, "kr 1,234.50"},
		{-1234.5, opts{"style": "currency", "currency": "USD", "currencySign": "accounting"}, "($1,234.50)"},
		{1234.5, opts{"style": "currency", "currency": "USD", "maximumFractionDigits": float64(0)}, "$1,235"},
		{1234.5, opts{"style": "currency", "currency": "USD", "minimumFractionDigits": float64(0)}, "$1,234.5"},
		{1234, opts{"style": "currency", "currency": "USD", "minimumFractionDigits": float64(0)}, "$1,234"},
		{math.NaN(), opts{"style": "currency", "currency": "USD"}, "$NaN"},
		{1234, opts{"style": "unit", "unit": "kilobyte"}, "1,234 kB"},
		{1, opts{"style": "unit", "unit": "day", "unitDisplay": "short"}, "1 day"},
		{3, opts{"style": "unit", "unit": "day", "unitDisplay": "long"}, "3 days"},
		{1, opts{"style": "unit", "unit": "hour", "unitDisplay": "long"}, "1 hour"},
		{20, opts{"style": "unit", "unit": "celsius"}, "20°C"},
		{50, opts{"style": "unit", "unit": "percent"}, "50%"},
		{2.5, opts{"style": "unit", "unit": "megabyte-per-second"}, "2.5 MB/s"},
		{120, opts{"style": "unit", "unit": "kilometer-per-hour", "unitDisplay": "narrow"}, "120km/h"},
		{1, opts{"style": "unit", "unit": "kilometer-per-hour", "unitDisplay": "long"}, "1 kilometer per hour"},
		{55, opts{"style": "unit", "unit": "mile-per-hour"}, "55 mph"},
		{5, opts{"style": "unit", "unit": "millisecond", "unitDisplay": "narrow"}, "5ms"},
		{1234, opts{"notation": "compact"}, "1.2K"},
		{12345, opts{"notation": "compact"}, "12K"},
		{123456, opts{"notation": "compact"}, "123K"},
		{999999, opts{"notation": "compact"}, "1M"},
		{1500000, opts{"notation": "compact", "compactDisplay": "long"}, "1.5 million"},
		{2500000000000, opts{"notation": "compact"}, "2.5T"},
		{0.123, opts{"notation": "compact"}, "0.12"},
		{99.5, opts{"notation": "compact"}, "100"},
		{-4321, opts{"notation": "compact"}, "-4.3K"},
		{10000000000000000, opts{"notation": "compact"}, "10,000T"},
		{1234, opts{"notation": "compact", "maximumFractionDigits": float64(2)}, "1.23K"},
	}
	for _, tt := range tests {
		f, err := NewNumberFormat("Number.prototype.toLocaleString", MapOptions(tt.opts))
		if err != nil {
			t.Errorf("%v %v: %v", tt.x, tt.opts, err)
			continue
		}
		if got := f.Format(tt.x); got != tt.want {
			t.Errorf("%v %v: got %q, want %q", tt.x, tt.opts, got, tt.want)
		}
	}
}

func TestNumberFormatErrors(t *testing.T) {
	tests := []struct {
		opts    opts
		name    string
		message string
	}{
		{opts{"style": "bogus"}, "RangeError", "Value bogus out of range for Number.prototype.toLocaleString options property style"},
		{opts{"style": "currency"}, "TypeError", "Currency code is required with currency style."},
		{opts{"style": "currency", "currency": "US"}, "RangeError", "Invalid currency code : US"},
		{opts{"style": "unit"}, "TypeError", "Invalid unit argument for Number.prototype.toLocaleString() ''"},
		{opts{"style": "unit", "unit": "furlong"}, "RangeError", "Invalid unit argument for Number.prototype.toLocaleString() 'furlong'"},
		{opts{"signDisplay": "x"}, "RangeError", "Value x out of range for Number.prototype.toLocaleString options property signDisplay"},
		{opts{"minimumFractionDigits": float64(4), "maximumFractionDigits": float64(2)}, "RangeError", "maximumFractionDigits value is out of range."},
		{opts{"maximumFractionDigits": float64(-1)}, "RangeError", "maximumFractionDigits value is out of range."},
		{opts{"minimumIntegerDigits": float64(0)}, "RangeError", "minimumIntegerDigits value is out of range."},
		{opts{"maximumSignificantDigits": float64(0)}, "RangeError", "maximumSignificantDigits value is out of range."},
		{opts{"maximumSignificantDigits": float64(22)}, "RangeError", "maximumSignificantDigits value is out of range."},
		{opts{"minimumFractionDigits": "x"}, "RangeError", "minimumFractionDigits value is out of range."},
		{opts{"style": "currency", "currency": "USD", "currencyDisplay": "bogus"}, "RangeError", "Value bogus out of range for Number.prototype.toLocaleString options property currencyDisplay"},
	}
	for _, tt := range tests {
		_, err := NewNumberFormat("Number.prototype.toLocaleString", MapOptions(tt.opts))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%v: got %v, want a %s", tt.opts, err, tt.name)
			continue
		}
		if e.Name != tt.name || e.Message != tt.message {
			t.Errorf("%v: got %s: %s, want %s: %s", tt.opts, e.Name, e.Message, tt.name, tt.message)
		}
	}
}

// Expected strings from Node.js 20: BigInt values are formatted exactly.
func TestNumberFormatBigInt(t *testing.T) {
	tests := []struct {
		x    string
		opts opts
		want string
	}{
		{"12345", opts{}, "12,345"},
		{"-12345678901234567890", opts{}, "-12,345,678,901,234,567,890"},
		{"1234", opts{"style": "currency", "currency": "USD"}, "$1,234.00"},
		{"0", opts{}, "0"},
		{"123456789", opts{"maximumSignificantDigits": float64(2)}, "120,000,000"},
		{"10", opts{"style": "percent"}, "1,000%"},
	}
	for _, tt := range tests {
		f, err := NewNumberFormat("BigInt.prototype.toLocaleString", MapOptions(tt.opts))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := new(big.Int).SetString(tt.x, 10)
		if got := f.FormatBig(b); got != tt.want {
			t.Errorf("%sn %v: got %q, want %q", tt.x, tt.opts, got, tt.want)
		}
	}
}
