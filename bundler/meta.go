package bundler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// The meta plugin gives each file its own import.meta, __dirname and
// __filename. esbuild's Define rewrites them to the file-local variable
// metaVar; this plugin declares that variable at the very start of every file
// that mentions one of them, initialised from the runtime's MetaGlobal with
// the file's absolute path. The declaration is put on the file's first line
// (after a hashbang, on the second) without a line break, so only that line's
// columns move; finishSourceMap moves them back.

// preamble records where a declaration was inserted into one file.
type preamble struct {
	line     int // zero-based line the declaration starts
	length   int // bytes inserted at the start of that line
	hashbang bool
}

type preambleSet struct {
	mu    sync.Mutex
	files map[string]preamble // by absolute path
}

func newPreambleSet() *preambleSet {
	return &preambleSet{files: map[string]preamble{}}
}

func (s *preambleSet) add(path string, p preamble) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = p
}

func (s *preambleSet) lookup(path string) (preamble, bool) {
	if s == nil {
		return preamble{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.files[path]
	return p, ok
}

func (s *preambleSet) any() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files) > 0
}

// strip removes the inserted declarations from m's mappings and contents.
func (s *preambleSet) strip(m *sourcemap.Map) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bySource := map[int]preamble{}
	for i, src := range m.Sources {
		if p, ok := s.files[src]; ok {
			bySource[i] = p
		}
	}
	if len(bySource) == 0 {
		return nil
	}
	segs, err := sourcemap.Decode(m.Mappings)
	if err != nil {
		return err
	}
	for i := range segs {
		p, ok := bySource[segs[i].Source]
		if !ok || segs[i].OrigLine != p.line {
			continue
		}
		segs[i].OrigColumn = max(segs[i].OrigColumn-p.length, 0)
	}
	m.Mappings = sourcemap.Encode(segs)
	for i, p := range bySource {
		content, ok := m.Content(i)
		if !ok {
			continue
		}
		restored := removePreamble(content, p)
		m.SourcesContent[i] = &restored
	}
	return nil
}

func removePreamble(content string, p preamble) string {
	start := 0
	if p.line > 0 {
		start = strings.IndexByte(content, '\n') + 1
	}
	if start+p.length > len(content) {
		return content
	}
	out := content[:start] + content[start+p.length:]
	if p.hashbang {
		out = "#!" + out[2:]
	}
	return out
}

var metaMarkers = []string{"import.meta", "__dirname", "__filename"}

func usesMeta(src []byte) bool {
	for _, m := range metaMarkers {
		if strings.Contains(string(src), m) {
			return true
		}
	}
	return false
}

func loaderFor(path string) api.Loader {
	switch filepath.Ext(path) {
	case ".ts", ".mts", ".cts":
		return api.LoaderTS
	case ".tsx":
		return api.LoaderTSX
	case ".jsx":
		return api.LoaderJSX
	default:
		return api.LoaderJS
	}
}

func metaPlugin(pre *preambleSet) api.Plugin {
	return api.Plugin{
		Name: "alchemy-import-meta",
		Setup: func(build api.PluginBuild) {
			build.OnLoad(api.OnLoadOptions{Filter: `\.(?:[cm]?[jt]sx?)$`, Namespace: "file"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := os.ReadFile(args.Path)
				if err != nil || !usesMeta(src) {
					return api.OnLoadResult{}, nil // esbuild loads (and reports) it
				}
				decl := fmt.Sprintf("var %s = %s(%s);", metaVar, MetaGlobal, jsString(args.Path))
				text := string(src)
				p := preamble{length: len(decl)}
				if strings.HasPrefix(text, "#!") {
					// A hashbang must stay first; turn it into a comment of the
					// same length and declare the variable on the next line.
					nl := strings.IndexByte(text, '\n')
					if nl < 0 {
						text += "\n"
						nl = len(text) - 1
					}
					text = "//" + text[2:nl+1] + decl + text[nl+1:]
					p.line, p.hashbang = 1, true
				} else {
					text = decl + text
				}
				pre.add(args.Path, p)
				return api.OnLoadResult{Contents: &text, Loader: loaderFor(args.Path), ResolveDir: filepath.Dir(args.Path)}, nil
			})
		},
	}
}
