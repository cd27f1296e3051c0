package intl

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// CanonicalLocales checks that each tag is a well-formed BCP 47 language tag
// and returns the tags in canonical form without duplicates, as
// Intl.getCanonicalLocales does.
func CanonicalLocales(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		c, err := canonicalLocale(t)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func canonicalLocale(tag string) (string, error) {
	bad := rangeError("Incorrect locale information provided")
	// x/text accepts "_" separators and the irregular grandfathered tags
	// ("i-klingon"); Unicode BCP 47 locale identifiers, and V8, do not.
	if strings.Contains(tag, "_") {
		return "", bad
	}
	first, _, _ := strings.Cut(tag, "-")
	if n := len(first); n < 2 || n == 4 || n > 8 || !isAlpha(first) {
		return "", bad
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "", bad
	}
	return t.String(), nil
}

func isAlpha(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}
