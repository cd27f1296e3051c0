package bundler

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// Message is one build diagnostic.
type Message struct {
	// File is relative to the working directory when inside it; empty when
	// the message has no location.
	File string
	// Line and Column are 1-based; Column counts characters.
	Line, Column int
	// Length is the number of characters the message points at.
	Length int
	// Text is the message itself.
	Text string
	// LineText is the source line the message points at.
	LineText string
	// Notes carry esbuild's additional hints (such as "Did you mean ...").
	Notes []string
}

// String formats the message as "file:line:column: error: text" followed by
// the source line with a marker under the column, then the notes.
func (m Message) String() string {
	var b strings.Builder
	if m.File != "" {
		fmt.Fprintf(&b, "%s:%d:%d: ", m.File, m.Line, m.Column)
	}
	b.WriteString("error: ")
	b.WriteString(m.Text)
	b.WriteByte('\n')
	if m.File != "" && m.LineText != "" {
		b.WriteString(sourcemap.Excerpt(m.Line, m.Column, m.Length, m.LineText))
	}
	for _, n := range m.Notes {
		b.WriteString("  note: ")
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.String()
}

// Error is a failed build: one or more diagnostics.
type Error struct {
	Messages []Message
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, m := range e.Messages {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(m.String(), "\n"))
	}
	return b.String()
}

func newError(dir string, msgs []api.Message, pre *preambleSet) *Error {
	e := &Error{}
	for _, m := range msgs {
		e.Messages = append(e.Messages, newMessage(dir, m, pre))
	}
	return e
}

func newMessage(dir string, m api.Message, pre *preambleSet) Message {
	out := Message{Text: m.Text}
	if loc := m.Location; loc != nil {
		out.File = displayPath(dir, loc)
		out.Line = loc.Line
		lineText, byteCol := loc.LineText, loc.Column
		if p, ok := pre.lookup(filepath.Join(dir, out.File)); ok && loc.Line == p.line+1 && len(lineText) >= p.length {
			// The message points into a line the meta plugin prefixed.
			lineText = lineText[p.length:]
			byteCol = max(byteCol-p.length, 0)
		}
		out.LineText = lineText
		out.Column, out.Length = charColumn(lineText, byteCol, loc.Length)
	}
	for _, n := range m.Notes {
		text := n.Text
		if n.Location != nil && n.Location.File != "" && !isVirtualLocation(n.Location) {
			col, _ := charColumn(n.Location.LineText, n.Location.Column, 0)
			text = fmt.Sprintf("%s:%d:%d: %s", displayPath(dir, n.Location), n.Location.Line, col, text)
		}
		out.Notes = append(out.Notes, text)
	}
	return out
}

// displayPath names a location's file relative to dir; virtual modules keep
// their namespace.
func displayPath(dir string, loc *api.Location) string {
	if loc.Namespace != "" && loc.Namespace != "file" {
		return loc.Namespace + ":" + loc.File
	}
	p := loc.File
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return relPath(dir, p)
}

// charColumn converts esbuild's 0-based byte column and byte length into a
// 1-based character column and a character length.
func charColumn(lineText string, byteCol, byteLen int) (col, length int) {
	if byteCol > len(lineText) {
		return byteCol + 1, byteLen
	}
	col = utf8.RuneCountInString(lineText[:byteCol]) + 1
	end := min(byteCol+byteLen, len(lineText))
	return col, utf8.RuneCountInString(lineText[byteCol:end])
}

// isVirtualLocation reports whether a location is inside a generated module,
// whose text means nothing to the user.
func isVirtualLocation(loc *api.Location) bool {
	if loc.Namespace != "" && loc.Namespace != "file" {
		return true
	}
	ns, _, ok := strings.Cut(loc.File, ":")
	return ok && (ns == nsBuiltin || ns == nsBuiltinCJS || ns == nsUnsupported)
}
