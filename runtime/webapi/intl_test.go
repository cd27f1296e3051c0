package webapi_test

import "testing"

// The expected lines are what Node.js 20 prints for the same program (with
// "de-DE" formatted as en-US on purpose: every locale formats as en-US).
func TestIntl(t *testing.T) {
	expectLines(t, `
console.log((1234567.891).toLocaleString("en-US"), (1234567.891).toLocaleString(), (1234.5).toLocaleString("de-DE", { style: "currency", currency: "EUR" }));
console.log(new Date(0).toLocaleDateString("en-US", { month: "long", timeZone: "UTC" }), new Date(0).toLocaleString("en-US", { timeZone: "UTC" }));
console.log(new Date(0).toLocaleTimeString("en-US", { timeZone: "America/New_York", timeZoneName: "short" }), new Date(NaN).toLocaleString());
console.log(typeof Intl, String(Intl), new Intl.NumberFormat().format(12345n), Intl.NumberFormat("en", { style: "percent" }).format(0.5), new Intl.NumberFormat() instanceof Intl.NumberFormat);
const nf = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
console.log([1.25, 1000.06].map(nf.format).join(" "), JSON.stringify(nf.formatToParts(-1.5)));
console.log(JSON.stringify(nf.resolvedOptions()));
console.log(new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "full", timeStyle: "long" }).format(0), new Intl.DateTimeFormat("en-US", { timeZone: "UTC" }).format(new Date(0)));
console.log(JSON.stringify(new Intl.DateTimeFormat("en", { timeZone: "utc", hour: "numeric", minute: "2-digit" }).formatToParts(0)));
console.log(["b", "a", "B", "á", "A"].sort(new Intl.Collator().compare).join(","), "a".localeCompare("A", undefined, { sensitivity: "base" }), "a".localeCompare("B"), Object.prototype.toString.call(new Intl.Collator()));
for (const f of [() => (1).toLocaleString("en_US"), () => (1).toLocaleString("en", { style: "currency" }), () => new Date(0).toLocaleString("en", { timeZone: "Nowhere/City" }), () => new Intl.DateTimeFormat().format(NaN), () => (1).toLocaleString("en", { maximumFractionDigits: -1 })]) {
  try { console.log(f()); } catch (e: any) { console.log(e.name + ": " + e.message); }
}
console.log(JSON.stringify(Intl.getCanonicalLocales(["EN-us", "de"])), (12345678901234567890n).toLocaleString(), (5).toLocaleString(undefined, { minimumIntegerDigits: 2 }));
console.log(Number.prototype.toLocaleString.name, Number.prototype.toLocaleString.length, Intl.NumberFormat.name, Intl.NumberFormat.supportedLocalesOf("en-US"));
`,
		"1,234,567.891 1,234,567.891 €1,234.50",
		"January 1/1/1970, 12:00:00 AM",
		"7:00:00 PM EST Invalid Date",
		"object [object Intl] 12,345 50% true",
		`1.3 1,000.1 [{"type":"minusSign","value":"-"},{"type":"integer","value":"1"},{"type":"decimal","value":"."},{"type":"fraction","value":"5"}]`,
		`{"locale":"en-US","numberingSystem":"latn","style":"decimal","minimumIntegerDigits":1,"minimumFractionDigits":0,"maximumFractionDigits":1,"useGrouping":"auto","notation":"standard","signDisplay":"auto","roundingMode":"halfExpand","roundingIncrement":1,"trailingZeroDisplay":"auto","roundingPriority":"auto"}`,
		"Thursday, January 1, 1970 at 12:00:00 AM UTC 1/1/1970",
		`[{"type":"hour","value":"12"},{"type":"literal","value":":"},{"type":"minute","value":"00"},{"type":"literal","value":" "},{"type":"dayPeriod","value":"AM"}]`,
		"a,A,á,b,B 0 -1 [object Intl.Collator]",
		"RangeError: Incorrect locale information provided",
		"TypeError: Currency code is required with currency style.",
		"RangeError: Invalid time zone specified: Nowhere/City",
		"RangeError: Invalid time value",
		"RangeError: maximumFractionDigits value is out of range.",
		`["en-US","de"] 12,345,678,901,234,567,890 05`,
		"toLocaleString 0 NumberFormat [ 'en-US' ]",
	)
}
