package types

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// TSConfigFile is the compiler configuration at a project's root.
const TSConfigFile = "tsconfig.json"

// Packages from npm whose declarations replace layers.
const (
	nodeTypesPackage    = "@types/node"
	workersTypesPackage = "@cloudflare/workers-types"
)

// Installed returns the Options of the declaration packages installed in root's node_modules: what a
// tsconfig.json written now should name.
func Installed(root string) Options {
	has := func(pkg string) bool {
		_, err := os.Stat(filepath.Join(root, "node_modules", filepath.FromSlash(pkg), "package.json"))
		return err == nil
	}
	return Options{NodeTypes: has(nodeTypesPackage), WorkersTypes: has(workersTypesPackage)}
}

// TSConfigInfo is what alchemy reads of a project's tsconfig.json.
type TSConfigInfo struct {
	// Types is compilerOptions.types; HasTypes says whether the field is there at all.
	Types    []string
	HasTypes bool
	// Include and Files are the top-level fields of those names.
	Include []string
	Files   []string
}

// ReadTSConfig reads root's tsconfig.json, which may hold comments and trailing commas. It returns
// fs.ErrNotExist (wrapped) when there is none.
func ReadTSConfig(root string) (TSConfigInfo, error) {
	name := filepath.Join(root, TSConfigFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return TSConfigInfo{}, err
	}
	var doc struct {
		CompilerOptions struct {
			Types *[]string `json:"types"`
		} `json:"compilerOptions"`
		Include []string `json:"include"`
		Files   []string `json:"files"`
	}
	if err := json.Unmarshal(plainJSON(data), &doc); err != nil {
		return TSConfigInfo{}, fmt.Errorf("%s: %w", name, err)
	}
	info := TSConfigInfo{Include: doc.Include, Files: doc.Files}
	if doc.CompilerOptions.Types != nil {
		info.Types, info.HasTypes = *doc.CompilerOptions.Types, true
	}
	return info, nil
}

// Detect returns the Options of a project's compilation. With compilerOptions.types in its
// tsconfig.json, the packages named there are in it; without the field, TypeScript includes every
// installed @types package, @types/node among them, but not @cloudflare/workers-types. Without a
// tsconfig.json, Detect returns Installed(root).
func Detect(root string) (Options, error) {
	info, err := ReadTSConfig(root)
	if errors.Is(err, fs.ErrNotExist) {
		return Installed(root), nil
	}
	if err != nil {
		return Options{}, err
	}
	if !info.HasTypes {
		return Options{NodeTypes: Installed(root).NodeTypes}, nil
	}
	var opts Options
	for _, t := range info.Types {
		switch {
		case t == "node" || t == nodeTypesPackage:
			opts.NodeTypes = true
		case t == workersTypesPackage || strings.HasPrefix(t, workersTypesPackage+"/"):
			opts.WorkersTypes = true
		}
	}
	return opts, nil
}

// IncludesIndex reports whether a tsconfig.json brings Dir/index.d.ts into the compilation: its include
// or files name it, or a pattern under Dir. ("**/*" does not reach into .alchemy: TypeScript skips
// directories whose names start with a dot.)
func (info TSConfigInfo) IncludesIndex() bool {
	index := path.Join(Dir, IndexFile)
	return slices.ContainsFunc(append(slices.Clone(info.Include), info.Files...), func(p string) bool {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		return p == index || p == Dir || strings.HasPrefix(p, Dir+"/")
	})
}

// Write makes root/Dir hold exactly Files(opts): each file is written whole (through a temporary file
// renamed over it), and declaration files it holds no longer (a layer left out, a file of an older
// version) are removed.
func Write(root string, opts Options) error {
	dir := filepath.Join(root, filepath.FromSlash(Dir))
	files := Files(opts)
	for name, data := range files {
		if err := writeFileAtomic(filepath.Join(dir, filepath.FromSlash(name)), data); err != nil {
			return err
		}
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".d.ts") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; ok {
			return nil
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("remove stale declarations: %w", err)
		}
		return nil
	})
}

// writeFileAtomic writes data to name (creating its directory), so that a reader never sees half of it.
func writeFileAtomic(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// plainJSON turns the JSON with comments and trailing commas that tsconfig.json allows into JSON:
// comments become spaces and a comma before a closing bracket goes.
func plainJSON(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '"':
			start := i
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			out = append(out, src[start:min(i+1, len(src))]...)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			out = append(out, '\n')
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			for i += 2; i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/'); i++ {
			}
			i++
			out = append(out, ' ')
		case c == ']' || c == '}':
			j := len(out) - 1
			for j >= 0 && (out[j] == ' ' || out[j] == '\t' || out[j] == '\n' || out[j] == '\r') {
				j--
			}
			if j >= 0 && out[j] == ',' {
				out = append(out[:j], out[j+1:]...)
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}
