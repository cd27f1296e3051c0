package types

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeTree lays out files (slash paths) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const (
	nodeInstalled    = "node_modules/@types/node/package.json"
	workersInstalled = "node_modules/@cloudflare/workers-types/package.json"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  Options
	}{
		{"empty", nil, Options{}},
		{"installed, no tsconfig", map[string]string{nodeInstalled: "{}", workersInstalled: "{}"}, Options{NodeTypes: true, WorkersTypes: true}},
		{"tsconfig names none", map[string]string{nodeInstalled: "{}", workersInstalled: "{}",
			TSConfigFile: `{"compilerOptions": {"types": []}}`}, Options{}},
		{"tsconfig names both", map[string]string{TSConfigFile: `{
  // the seeds' style
  "compilerOptions": {
    "types": ["node", "@cloudflare/workers-types/experimental",], /* trailing comma */
  },
}`}, Options{NodeTypes: true, WorkersTypes: true}},
		{"tsconfig without types includes installed @types only", map[string]string{nodeInstalled: "{}", workersInstalled: "{}",
			TSConfigFile: `{"compilerOptions": {"strict": true}}`}, Options{NodeTypes: true}},
		{"strings keep their slashes", map[string]string{TSConfigFile: `{"compilerOptions": {"types": ["@types/node"], "x": "a // b /* c */"}}`},
			Options{NodeTypes: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(writeTree(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Detect = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDetectBadTSConfig(t *testing.T) {
	root := writeTree(t, map[string]string{TSConfigFile: `{"compilerOptions": {"types": "node"}}`})
	if _, err := Detect(root); err == nil {
		t.Error("Detect of a tsconfig whose types is a string: no error")
	}
	if _, err := ReadTSConfig(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadTSConfig with no tsconfig.json: %v, want fs.ErrNotExist", err)
	}
}

func TestIncludesIndex(t *testing.T) {
	tests := []struct {
		info TSConfigInfo
		want bool
	}{
		{TSConfigInfo{Include: []string{"**/*.ts", ".alchemy/types/index.d.ts"}}, true},
		{TSConfigInfo{Include: []string{"./.alchemy/types/**/*.d.ts"}}, true},
		{TSConfigInfo{Files: []string{".alchemy/types/index.d.ts"}}, true},
		{TSConfigInfo{Include: []string{"**/*"}}, false},
		{TSConfigInfo{}, false},
	}
	for _, tt := range tests {
		if got := tt.info.IncludesIndex(); got != tt.want {
			t.Errorf("%+v.IncludesIndex() = %v, want %v", tt.info, got, tt.want)
		}
	}
}

func TestWriteReplacesTheDeclarations(t *testing.T) {
	root := writeTree(t, map[string]string{
		".alchemy/types/random.d.ts":  "declare module \"alchemy/random\" {}",
		".alchemy/types/README":       "kept: not a declaration file",
		".alchemy/types/alchemy.d.ts": "stale",
		".alchemy/app/dev/x.json":     "{}",
	})
	if err := Write(root, Options{NodeTypes: true}); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(filepath.Join(root, ".alchemy"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{".alchemy/app/dev/x.json", ".alchemy/types/README", ".alchemy/types/alchemy.d.ts", ".alchemy/types/index.d.ts",
		".alchemy/types/node.d.ts", ".alchemy/types/opt-in/vitest/globals.d.ts", ".alchemy/types/web.d.ts", ".alchemy/types/workers.d.ts"}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("files after Write:\n%v\nwant\n%v", got, want)
	}
	for name, data := range Files(Options{NodeTypes: true}) {
		written, err := os.ReadFile(filepath.Join(root, Dir, filepath.FromSlash(name)))
		if err != nil || string(written) != string(data) {
			t.Errorf("%s: written %d bytes (%v), want the embedded %d", name, len(written), err, len(data))
		}
	}
}
