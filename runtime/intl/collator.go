package intl

import (
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Collator compares strings like Intl.Collator, with the Unicode root
// collation that en-US uses. caseFirst is accepted but has no effect
// (lower case sorts first, the en-US default). Not safe for concurrent use.
type Collator struct {
	c                 *collate.Collator
	usage             string
	sensitivity       string
	ignorePunctuation bool
	numeric           bool
	caseFirst         string
}

// NewCollator reads the options of Intl.Collator.
func NewCollator(api string, opts Options) (*Collator, error) {
	r := reader{get: opts, api: api}
	c := &Collator{}
	var err error
	if c.usage, err = r.str("usage", []string{"sort", "search"}, "sort"); err != nil {
		return nil, err
	}
	c.numeric, _ = r.boolean("numeric")
	if c.caseFirst, err = r.str("caseFirst", []string{"upper", "lower", "false"}, "false"); err != nil {
		return nil, err
	}
	if c.sensitivity, err = r.str("sensitivity", []string{"base", "accent", "case", "variant"}, "variant"); err != nil {
		return nil, err
	}
	c.ignorePunctuation, _ = r.boolean("ignorePunctuation")
	var o []collate.Option
	switch c.sensitivity {
	case "base":
		o = append(o, collate.IgnoreCase, collate.IgnoreDiacritics)
	case "accent":
		o = append(o, collate.IgnoreCase)
	}
	if c.numeric {
		o = append(o, collate.Numeric)
	}
	c.c = collate.New(language.AmericanEnglish, o...)
	return c, nil
}

// Compare returns -1, 0 or 1 as a sorts before, with or after b.
func (c *Collator) Compare(a, b string) int {
	return c.c.CompareString(c.prepare(a), c.prepare(b))
}

// prepare decomposes s and drops what the options ignore. x/text's collate
// has neither a case-only strength nor shifted punctuation that works with
// the other options, so accents (for sensitivity "case") and punctuation
// and spaces (for ignorePunctuation) are removed here.
func (c *Collator) prepare(s string) string {
	s = norm.NFD.String(s)
	if c.sensitivity != "case" && !c.ignorePunctuation {
		return s
	}
	return strings.Map(func(r rune) rune {
		if c.sensitivity == "case" && unicode.Is(unicode.Mn, r) ||
			c.ignorePunctuation && (unicode.IsPunct(r) || unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
}

// ResolvedOptions returns resolvedOptions()'s fields.
func (c *Collator) ResolvedOptions() []Field {
	return []Field{
		{"locale", Locale}, {"usage", c.usage}, {"sensitivity", c.sensitivity},
		{"ignorePunctuation", c.ignorePunctuation}, {"collation", "default"},
		{"numeric", c.numeric}, {"caseFirst", c.caseFirst},
	}
}
