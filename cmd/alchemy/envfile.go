package main

import (
	"fmt"
	"os"
	"strings"
)

// envEntry is one variable of an env file.
type envEntry struct {
	key, value string
}

// parseEnvFile reads dotenv syntax: KEY=VALUE lines, an optional "export "
// prefix, # comments, values in double quotes (escapes \n \r \t \" \\,
// may span lines), single quotes or backticks (literal, may span lines), or
// bare (trailing " # comment" dropped, surrounding spaces trimmed).
func parseEnvFile(name, text string) ([]envEntry, error) {
	var out []envEntry
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, rest, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !validEnvKey(key) {
			return nil, fmt.Errorf("%s:%d: expected KEY=VALUE", name, lineNo)
		}
		rest = strings.TrimLeft(rest, " \t")
		var value string
		if rest != "" && strings.ContainsRune("\"'`", rune(rest[0])) {
			quote := rest[0]
			body := rest[1:]
			for {
				end := closingQuote(body, quote)
				if end >= 0 {
					value = body[:end]
					break
				}
				if i+1 >= len(lines) {
					return nil, fmt.Errorf("%s:%d: unterminated %c quote", name, lineNo, quote)
				}
				i++
				body += "\n" + lines[i]
			}
			if quote == '"' {
				value = unescapeDouble(value)
			}
		} else {
			if j := strings.Index(rest, " #"); j >= 0 {
				rest = rest[:j]
			}
			value = strings.TrimSpace(rest)
		}
		out = append(out, envEntry{key: key, value: value})
	}
	return out, nil
}

func validEnvKey(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		ok := c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '-')
		if !ok {
			return false
		}
	}
	return true
}

// closingQuote finds the quote ending a value; in double quotes a
// backslash escapes the next character.
func closingQuote(s string, quote byte) int {
	for i := 0; i < len(s); i++ {
		if quote == '"' && s[i] == '\\' {
			i++
			continue
		}
		if s[i] == quote {
			return i
		}
	}
	return -1
}

func unescapeDouble(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// loadEnvFile reads an env file into env without overriding variables
// already set. explicit reports whether the user named the file (a missing
// default .env is fine).
func loadEnvFile(path string, explicit bool, set func(k, v string), has func(k string) bool) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && os.IsNotExist(err) {
			return false, nil
		}
		return false, fmt.Errorf("env file: %w", err)
	}
	entries, err := parseEnvFile(path, string(data))
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if !has(e.key) {
			set(e.key, e.value)
		}
	}
	return true, nil
}
