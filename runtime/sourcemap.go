package runtime

import (
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// gojaMappings shifts every generated and original column of a mappings
// string by one. goja looks positions up with 1-based columns in a source map
// library that stores the map's 0-based ones; after the shift both sides are
// 1-based and a lookup lands on the right column. Only the first segment of
// each line (absolute generated column) and the first segment with a source
// (absolute original column) change; every other field is a delta.
func gojaMappings(s string) (string, error) {
	out := make([]byte, 0, len(s)+len(s)/16)
	origDone := false
	lineStart := true
	pos := 0
	for pos < len(s) {
		switch s[pos] {
		case ';':
			out = append(out, ';')
			pos++
			lineStart = true
			continue
		case ',':
			out = append(out, ',')
			pos++
			continue
		}
		end := pos
		for end < len(s) && s[end] != ',' && s[end] != ';' {
			end++
		}
		if !lineStart && origDone {
			out = append(out, s[pos:end]...)
			pos = end
			continue
		}
		var fields []int
		for p := pos; p < end; {
			v, next, err := sourcemap.ReadVLQ(s, p)
			if err != nil {
				return "", err
			}
			fields = append(fields, v)
			p = next
		}
		if lineStart {
			fields[0]++
		}
		if !origDone && len(fields) >= 4 {
			fields[3]++
			origDone = true
		}
		for _, f := range fields {
			out = sourcemap.AppendVLQ(out, f)
		}
		lineStart = false
		pos = end
	}
	return string(out), nil
}

// sources gives the original text of the files a program was built from, to
// show the line an error points at.
type sources struct {
	mu      sync.Mutex
	m       *sourcemap.Map
	code    string // the bundle
	lines   map[string][]string
	renamed map[string]string // bundle identifier → original name
}

func newSources(m *sourcemap.Map, code string) *sources {
	return &sources{m: m, code: code, lines: map[string][]string{}}
}

// originalName undoes the bundler's renaming of a top-level function (it
// renames parseNumber to parseNumber2 when two files declare one), using
// the names the source map records at each renamed identifier.
func (s *sources) originalName(name string) string {
	if s == nil || s.m == nil || name == "" {
		return name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.renamed == nil {
		s.renamed = map[string]string{}
		segs, err := sourcemap.Decode(s.m.Mappings)
		if err != nil {
			return name
		}
		lines := strings.Split(s.code, "\n")
		for _, sg := range segs {
			if sg.Name < 0 || sg.Name >= len(s.m.Names) || sg.GenLine >= len(lines) {
				continue
			}
			line := lines[sg.GenLine]
			if sg.GenColumn >= len(line) {
				continue
			}
			ident := identifierAt(line[sg.GenColumn:])
			if orig := s.m.Names[sg.Name]; ident != "" && ident != orig {
				s.renamed[ident] = orig
			}
		}
	}
	if orig, ok := s.renamed[name]; ok {
		return orig
	}
	return name
}

func identifierAt(s string) string {
	end := 0
	for end < len(s) {
		c := s[end]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || end > 0 && c >= '0' && c <= '9' {
			end++
			continue
		}
		break
	}
	return s[:end]
}

// line returns line n (1-based) of file, from the source map's embedded
// content, else from disk.
func (s *sources) line(file string, n int) (string, bool) {
	if s == nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lines, ok := s.lines[file]
	if !ok {
		text, found := s.content(file)
		if found {
			lines = strings.Split(text, "\n")
		}
		s.lines[file] = lines
	}
	if n < 1 || n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], "\r"), true
}

func (s *sources) content(file string) (string, bool) {
	if s.m != nil {
		for i, src := range s.m.Sources {
			if src == file {
				if c, ok := s.m.Content(i); ok {
					return c, true
				}
			}
		}
	}
	if !strings.HasPrefix(file, "/") {
		return "", false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", false
	}
	return string(data), true
}

// original maps a generated position (1-based line and column) to the
// original file and position, for errors goja reports before the map is
// attached (syntax errors).
func (s *sources) original(line, col int) (Frame, bool) {
	if s == nil || s.m == nil {
		return Frame{}, false
	}
	segs, err := sourcemap.Decode(s.m.Mappings)
	if err != nil {
		return Frame{}, false
	}
	gl, gc := line-1, col-1
	i := sort.Search(len(segs), func(i int) bool {
		return segs[i].GenLine > gl || segs[i].GenLine == gl && segs[i].GenColumn > gc
	}) - 1
	if i < 0 || segs[i].GenLine != gl || segs[i].Source < 0 {
		return Frame{}, false
	}
	sg := segs[i]
	return Frame{File: s.m.Sources[sg.Source], Line: sg.OrigLine + 1, Column: sg.OrigColumn + 1}, true
}
