package store

import (
	"strings"
	"unicode"
)

// SplitSQL splits SQL text into statements at top-level semicolons. It
// skips quoted strings, identifiers and comments, and keeps the body of a
// CREATE TRIGGER (BEGIN … END) in one piece. Empty statements are dropped.
func SplitSQL(src string) []string {
	var out []string
	start := 0
	inTrigger := false
	lastWord := ""
	flush := func(end int) {
		stmt := strings.TrimSpace(src[start:end])
		if stripComments(stmt) != "" {
			out = append(out, stmt)
		}
		start = end + 1
		inTrigger = false
		lastWord = ""
	}
	words := 0
	var head []string
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(src) {
				if src[j] == c {
					if j+1 < len(src) && src[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j
			lastWord = ""
		case c == '[':
			for i < len(src) && src[i] != ']' {
				i++
			}
			lastWord = ""
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				i = len(src)
			} else {
				i += end + 3
			}
		case c == ';':
			if inTrigger && !strings.EqualFold(lastWord, "END") {
				lastWord = ""
				continue
			}
			flush(i)
			words = 0
			head = head[:0]
		case isWordByte(c):
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			lastWord = src[i:j]
			if words < 4 {
				head = append(head, strings.ToUpper(lastWord))
				words++
				if len(head) >= 2 && head[0] == "CREATE" && (head[len(head)-1] == "TRIGGER") {
					inTrigger = true
				}
			}
			i = j - 1
		default:
			if !unicode.IsSpace(rune(c)) {
				lastWord = ""
			}
		}
	}
	if start < len(src) {
		flush(len(src))
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 3
			}
		default:
			b.WriteByte(s[i])
		}
	}
	return strings.TrimSpace(b.String())
}
