// Package fs implements the resources of alchemy/fs: File (fs::File) and
// Folder (fs::Folder), real files and folders relative to the project root.
// They make the engine usable end to end without any cloud.
package fs

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// Resource kinds, as in the TypeScript library.
const (
	KindFile   = "fs::File"
	KindFolder = "fs::Folder"
)

// Register registers File and Folder for a project rooted at root.
func Register(reg *engine.Registry, root string) error {
	if err := reg.Register(KindFile, &File{Root: root}); err != nil {
		return err
	}
	return reg.Register(KindFolder, &Folder{Root: root})
}

// resolve makes a program path absolute against the project root.
func resolve(root, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// pathProp returns props.path, defaulting to the id as the library does.
func pathProp(req *engine.Request, props value.Value) (string, error) {
	o, _ := props.(*value.Object)
	v, ok := o.Get("path")
	if !ok || v == (value.Null{}) {
		return req.ID, nil
	}
	s, isStr := v.(value.String)
	if !isStr || s == "" {
		return "", fmt.Errorf("%s %q: prop path must be a non-empty string, got %s", req.Kind, req.ID, value.TypeName(v))
	}
	return string(s), nil
}

// File is fs::File {path, content}: a file with the given content. Its
// output is {path, content}. Changing path replaces it: the new file is
// written first and the old one removed at finalize.
type File struct {
	Root string
}

func (f *File) write(req *engine.Request) (*value.Object, error) {
	if err := checkProps(req); err != nil {
		return nil, err
	}
	p, err := pathProp(req, req.Props)
	if err != nil {
		return nil, err
	}
	o, _ := req.Props.(*value.Object)
	content, ok := o.Get("content")
	s, isStr := content.(value.String)
	if !ok || !isStr {
		return nil, fmt.Errorf("%s %q: prop content must be a string, got %s", req.Kind, req.ID, value.TypeName(content))
	}
	file := resolve(f.Root, p)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		return nil, fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
	}
	return value.Obj("path", value.String(p), "content", s), nil
}

// Create implements engine.Provider. An existing file is overwritten (a file
// has no identity beyond its path, so adopting is implied).
func (f *File) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return f.write(req)
}

// Update implements engine.Provider.
func (f *File) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return f.write(req)
}

// Diff implements engine.Differ: a new path is a new file.
func (f *File) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	return diffPath(req)
}

// Delete implements engine.Provider; a missing file is fine.
func (f *File) Delete(ctx context.Context, req *engine.Request) error {
	p, err := pathProp(req, req.Props)
	if err != nil {
		return err
	}
	if err := os.Remove(resolve(f.Root, p)); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
	}
	return nil
}

func diffPath(req *engine.Request) (engine.Change, error) {
	next, err := pathProp(req, req.Props)
	if err != nil {
		return engine.ChangeUpdate, err
	}
	prev, ok := req.Output.GetString("path")
	if ok && prev != next {
		return engine.ChangeReplace, nil
	}
	return engine.ChangeUpdate, nil
}

// Folder is fs::Folder {path, delete, clean, recursive}: a directory. Its
// output is {path}. On delete it is removed unless delete is false, with its
// contents only when clean is true (otherwise a non-empty folder stays).
type Folder struct {
	Root string
}

func boolProp(props value.Value, name string, def bool) bool {
	o, _ := props.(*value.Object)
	if b, ok := o.GetBool(name); ok {
		return b
	}
	return def
}

func (f *Folder) ensure(req *engine.Request) (*value.Object, error) {
	if err := checkProps(req); err != nil {
		return nil, err
	}
	p, err := pathProp(req, req.Props)
	if err != nil {
		return nil, err
	}
	dir := resolve(f.Root, p)
	if boolProp(req.Props, "recursive", true) {
		err = os.MkdirAll(dir, 0o755)
	} else if err = os.Mkdir(dir, 0o755); errors.Is(err, iofs.ErrExist) {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
	}
	return value.Obj("path", value.String(p)), nil
}

// Create implements engine.Provider.
func (f *Folder) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return f.ensure(req)
}

// Update implements engine.Provider.
func (f *Folder) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return f.ensure(req)
}

// Diff implements engine.Differ: a new path is a new folder.
func (f *Folder) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	return diffPath(req)
}

// Delete implements engine.Provider, best effort as in the library.
func (f *Folder) Delete(ctx context.Context, req *engine.Request) error {
	if !boolProp(req.Props, "delete", true) {
		return nil
	}
	p, err := pathProp(req, req.Props)
	if err != nil {
		return err
	}
	dir := resolve(f.Root, p)
	if boolProp(req.Props, "clean", false) {
		err = os.RemoveAll(dir)
	} else {
		err = os.Remove(dir)
	}
	if err != nil && !errors.Is(err, iofs.ErrNotExist) && !isNotEmpty(err) {
		return fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
	}
	return nil
}

func isNotEmpty(err error) bool {
	return errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST)
}
