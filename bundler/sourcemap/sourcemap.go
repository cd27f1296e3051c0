// Package sourcemap reads and writes version 3 source maps: the JSON document
// and its base64 VLQ "mappings" string. It has no dependencies, so both the
// bundler (which produces maps) and the runtime (which adapts them for the JS
// engine) can use it.
package sourcemap

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Map is a version 3 source map document.
type Map struct {
	Version        int       `json:"version"`
	File           string    `json:"file,omitempty"`
	SourceRoot     string    `json:"sourceRoot,omitempty"`
	Sources        []string  `json:"sources"`
	SourcesContent []*string `json:"sourcesContent,omitempty"`
	Names          []string  `json:"names"`
	Mappings       string    `json:"mappings"`
}

// Parse decodes a source map document.
func Parse(data []byte) (*Map, error) {
	var m Map
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("source map: %w", err)
	}
	if m.Version != 3 {
		return nil, fmt.Errorf("source map: version %d is not supported", m.Version)
	}
	return &m, nil
}

// Marshal encodes the document as JSON.
func (m *Map) Marshal() ([]byte, error) {
	return json.Marshal(m)
}

// Content returns the embedded content of source i, if any.
func (m *Map) Content(i int) (string, bool) {
	if i < 0 || i >= len(m.SourcesContent) || m.SourcesContent[i] == nil {
		return "", false
	}
	return *m.SourcesContent[i], true
}

// Segment is one decoded mapping. Lines and columns are zero-based; Source
// and Name are -1 when the segment has none.
type Segment struct {
	GenLine, GenColumn   int
	Source               int
	OrigLine, OrigColumn int
	Name                 int
}

// Decode expands a mappings string into absolute segments.
func Decode(mappings string) ([]Segment, error) {
	var (
		segs                                          []Segment
		genLine, genCol, src, origLine, origCol, name int
	)
	pos := 0
	for pos < len(mappings) {
		switch mappings[pos] {
		case ';':
			genLine++
			genCol = 0
			pos++
			continue
		case ',':
			pos++
			continue
		}
		var fields [5]int
		n := 0
		for pos < len(mappings) && mappings[pos] != ',' && mappings[pos] != ';' {
			if n == 5 {
				return nil, errors.New("source map: segment with more than 5 fields")
			}
			v, next, err := ReadVLQ(mappings, pos)
			if err != nil {
				return nil, err
			}
			fields[n] = v
			n++
			pos = next
		}
		if n != 1 && n != 4 && n != 5 {
			return nil, fmt.Errorf("source map: segment with %d fields", n)
		}
		genCol += fields[0]
		seg := Segment{GenLine: genLine, GenColumn: genCol, Source: -1, Name: -1}
		if n >= 4 {
			src += fields[1]
			origLine += fields[2]
			origCol += fields[3]
			seg.Source, seg.OrigLine, seg.OrigColumn = src, origLine, origCol
		}
		if n == 5 {
			name += fields[4]
			seg.Name = name
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

// Encode writes segments (sorted by generated position) as a mappings string.
func Encode(segs []Segment) string {
	var (
		b                                          strings.Builder
		line, genCol, src, origLine, origCol, name int
		first                                      = true
	)
	for _, s := range segs {
		for line < s.GenLine {
			b.WriteByte(';')
			line++
			genCol = 0
			first = true
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		buf := AppendVLQ(nil, s.GenColumn-genCol)
		genCol = s.GenColumn
		if s.Source >= 0 {
			buf = AppendVLQ(buf, s.Source-src)
			buf = AppendVLQ(buf, s.OrigLine-origLine)
			buf = AppendVLQ(buf, s.OrigColumn-origCol)
			src, origLine, origCol = s.Source, s.OrigLine, s.OrigColumn
			if s.Name >= 0 {
				buf = AppendVLQ(buf, s.Name-name)
				name = s.Name
			}
		}
		b.Write(buf)
	}
	return b.String()
}

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func base64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}

// ReadVLQ decodes one base64 VLQ value of s starting at pos and returns it
// with the position after it.
func ReadVLQ(s string, pos int) (value, next int, err error) {
	shift := 0
	result := 0
	for {
		if pos >= len(s) {
			return 0, pos, errors.New("source map: truncated VLQ value")
		}
		digit := base64Value(s[pos])
		if digit < 0 {
			return 0, pos, fmt.Errorf("source map: invalid character %q in mappings", s[pos])
		}
		pos++
		result |= (digit & 31) << shift
		if digit&32 == 0 {
			break
		}
		shift += 5
		if shift > 60 {
			return 0, pos, errors.New("source map: VLQ value too large")
		}
	}
	if result&1 != 0 {
		return -(result >> 1), pos, nil
	}
	return result >> 1, pos, nil
}

// AppendVLQ appends the base64 VLQ encoding of v to buf.
func AppendVLQ(buf []byte, v int) []byte {
	u := v << 1
	if v < 0 {
		u = (-v << 1) | 1
	}
	for {
		digit := u & 31
		u >>= 5
		if u > 0 {
			digit |= 32
		}
		buf = append(buf, base64Digits[digit])
		if u == 0 {
			return buf
		}
	}
}

// Excerpt renders a source line with a marker under a 1-based column,
// spanning length characters, the way diagnostics show where they point:
//
//	3 | import { x } from "./nope";
//	  |                   ^~~~~~~~
func Excerpt(line, column, length int, text string) string {
	num := fmt.Sprint(line)
	text = strings.ReplaceAll(text, "\t", " ")
	pad := strings.Repeat(" ", len(num))
	marker := strings.Repeat(" ", max(column-1, 0)) + "^"
	if length > 1 {
		marker += strings.Repeat("~", length-1)
	}
	return fmt.Sprintf("  %s | %s\n  %s | %s\n", num, text, pad, marker)
}
