package dev

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Each case changes files in a watched directory and expects one batch
// naming exactly the files that changed.
func TestWatcherBatches(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, dir string)
		want   []string
	}{
		{"write", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "a.ts"), "2")
		}, []string{"a.ts"}},
		{"burst of writes is one batch", func(t *testing.T, dir string) {
			for i := range 10 {
				write(t, filepath.Join(dir, "a.ts"), string(rune('0'+i)))
			}
		}, []string{"a.ts"}},
		{"save by renaming a new file over the old one", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, ".a.ts.swp"), "new")
			if err := os.Rename(filepath.Join(dir, ".a.ts.swp"), filepath.Join(dir, "a.ts")); err != nil {
				t.Fatal(err)
			}
		}, []string{".a.ts.swp", "a.ts"}},
		{"new file", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "b.ts"), "")
		}, []string{"b.ts"}},
		{"remove", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "a.ts")); err != nil {
				t.Fatal(err)
			}
		}, []string{"a.ts"}},
		{"chmod alone is no change; ignored directories are not watched", func(t *testing.T, dir string) {
			if err := os.Chmod(filepath.Join(dir, "a.ts"), 0o600); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, ".alchemy", "state.json"), "{}")
			write(t, filepath.Join(dir, "node_modules", "x.js"), "")
			write(t, filepath.Join(dir, "sub", "c.ts"), "") // a real change, to end the wait
		}, []string{"sub/c.ts"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "a.ts"), "1")
			for _, sub := range []string{".alchemy", "node_modules", "sub"} {
				if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			w, err := NewWatcher(50 * time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			w.AddTree(dir)
			c.change(t, dir)
			got := next(t, w)
			var rel []string
			for _, p := range got {
				r, _ := filepath.Rel(dir, p)
				rel = append(rel, filepath.ToSlash(r))
			}
			if !slices.Equal(rel, c.want) {
				t.Fatalf("changed %v, want %v", rel, c.want)
			}
		})
	}
}

// Changes made while nobody waits are reported by the next call.
func TestWatcherKeepsEventsUntilNext(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWatcher(0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.AddFiles(filepath.Join(dir, "program.ts"))
	write(t, filepath.Join(dir, "program.ts"), "x")
	time.Sleep(100 * time.Millisecond) // busy running the program
	if got := next(t, w); len(got) != 1 || filepath.Base(got[0]) != "program.ts" {
		t.Fatalf("changed %v, want program.ts", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := w.Next(ctx); got != nil {
		t.Fatalf("Next on a done context returned %v", got)
	}
}

func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := w.Next(ctx)
	if got == nil {
		t.Fatal("no change reported within 10s")
	}
	return slices.Sorted(maps.Keys(got))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
