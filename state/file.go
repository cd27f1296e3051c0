package state

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// FileStore is the default store: the TypeScript library's .alchemy/
// directory. A record of scope [app, stage, a, b] with id x is the file
// <dir>/app/stage/a/b/x.json; the marker of nested scope a is
// <dir>/app/stage/a.json beside its folder; the stage's own data is
// <dir>/app/stage.json. A "/" in an id is written as ":" in the file name.
// Files are written atomically (temp file, fsync, rename) with mode 0600 in
// directories of mode 0700.
type FileStore struct {
	dir     string
	codec   *Codec
	windows bool
	noSync  bool
}

// FileStoreOption configures a FileStore.
type FileStoreOption func(*FileStore)

// WithoutFsync skips the fsync before each rename. Renames stay atomic, so a
// killed process still leaves whole files; only a power loss could lose the
// latest writes. Meant for throwaway state such as benchmarks.
func WithoutFsync() FileStoreOption { return func(s *FileStore) { s.noSync = true } }

// NewFileStore returns a store rooted at dir (the .alchemy directory).
func NewFileStore(dir string, codec *Codec, opts ...FileStoreOption) *FileStore {
	s := &FileStore{dir: dir, codec: codec, windows: runtime.GOOS == "windows"}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Dir returns the .alchemy directory.
func (s *FileStore) Dir() string { return s.dir }

const tempMarker = ".tmp-"

func (s *FileStore) scopeDir(p Path) string {
	parts := append([]string{s.dir}, p...)
	return filepath.Join(parts...)
}

// fileName maps a record id to its file name, as the library does.
func (s *FileStore) fileName(id string) (string, error) {
	if id == "" {
		return "", errors.New("empty id")
	}
	if strings.Contains(id, ":") {
		return "", fmt.Errorf("id cannot include colons: %q", id)
	}
	sep := ":"
	if s.windows {
		sep = "-"
		id = strings.ReplaceAll(id, "*", "+")
	}
	return strings.ReplaceAll(id, "/", sep) + ".json", nil
}

// File returns the path of the file holding record id of scope p.
func (s *FileStore) File(p Path, id string) (string, error) {
	name, err := s.fileName(id)
	if err != nil {
		return "", err
	}
	return filepath.Join(s.scopeDir(p), name), nil
}

// Get implements Store.
func (s *FileStore) Get(ctx context.Context, p Path, id string) (*Record, error) {
	file, err := s.File(p, id)
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	data, err := readFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	r, err := s.codec.DecodeRecord(data)
	if err != nil {
		return nil, fmt.Errorf("state of resource %q (%s): %w", p.Child(id).String(), file, err)
	}
	return r, nil
}

// List implements Store.
func (s *FileStore) List(ctx context.Context, p Path) ([]string, error) {
	entries, err := os.ReadDir(s.scopeDir(p))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", p, err)
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".json") {
			continue
		}
		ids = append(ids, strings.ReplaceAll(strings.TrimSuffix(name, ".json"), ":", "/"))
	}
	return ids, nil
}

// Set implements Store.
func (s *FileStore) Set(ctx context.Context, p Path, id string, r *Record) error {
	file, err := s.File(p, id)
	if err != nil {
		return fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	data, err := s.codec.EncodeRecord(r)
	if err != nil {
		return fmt.Errorf("state of resource %q: %w", p.Child(id).String(), err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	if err := writeAtomic(file, data, !s.noSync); err != nil {
		return fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	return nil
}

// Delete implements Store.
func (s *FileStore) Delete(ctx context.Context, p Path, id string) error {
	file, err := s.File(p, id)
	if err != nil {
		return fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s: %w", p.Child(id), err)
	}
	return nil
}

// DeleteScope implements Store: the folder is removed when it holds no
// record files of its own (leftover temp files from a crash are removed with
// it). Folders of nested scopes do not keep it alive, as in the library.
func (s *FileStore) DeleteScope(ctx context.Context, p Path) error {
	dir := s.scopeDir(p)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state %s: %w", p, err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.Contains(e.Name(), tempMarker) {
			return fmt.Errorf("state %s: cannot remove %s: it still holds %s", p, dir, e.Name())
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("state %s: %w", p, err)
	}
	return nil
}

// writeAtomic writes data to a temp file in the same directory, syncs it and
// renames it over file, so that file is always either old or new.
func writeAtomic(file string, data []byte, sync bool) (err error) {
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+tempMarker+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if sync {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
