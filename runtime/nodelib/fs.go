package nodelib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// An fsOp is one file system operation. Its parse function reads the JS
// arguments on the loop and returns the work, which touches only Go values
// (so it can run on another goroutine), and the conversion of the work's
// result into a JS value, run on the loop. The same op serves the
// synchronous (readFileSync), promise (fs/promises) and callback (readFile)
// forms.
type fsOp struct {
	name  string
	parse func(h *runtime.Host, call goja.FunctionCall) (work func() (any, error), toJS func(vm *goja.Runtime, res any) goja.Value)
}

func fsOps() []fsOp {
	return []fsOp{
		{"readFile", parseReadFile},
		{"writeFile", func(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
			return parseWrite(h, call, false)
		}},
		{"appendFile", func(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
			return parseWrite(h, call, true)
		}},
		{"mkdir", parseMkdir},
		{"readdir", parseReaddir},
		{"stat", func(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
			return parseStat(h, call, os.Stat, "stat")
		}},
		{"lstat", func(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
			return parseStat(h, call, os.Lstat, "lstat")
		}},
		{"rm", parseRm},
		{"rmdir", parseRmdir},
		{"unlink", parseUnlink},
		{"rename", parseRename},
		{"copyFile", parseCopyFile},
		{"cp", parseCp},
		{"realpath", parseRealpath},
		{"mkdtemp", parseMkdtemp},
		{"access", parseAccess},
		{"readlink", parseReadlink},
		{"symlink", parseSymlink},
		{"chmod", parseChmod},
	}
}

func fsExportNames() []string {
	var names []string
	for _, op := range fsOps() {
		names = append(names, op.name, op.name+"Sync")
	}
	return append(names, "existsSync", "constants", "promises")
}

func fsModule() runtime.Module {
	name, aliases := names("fs")
	return runtime.Module{Name: name, Aliases: aliases, Exports: fsExportNames(), Default: true, Load: loadFS}
}

func fsPromisesModule() runtime.Module {
	name, aliases := names("fs/promises")
	var exports []string
	for _, op := range fsOps() {
		exports = append(exports, op.name)
	}
	return runtime.Module{Name: name, Aliases: aliases, Exports: append(exports, "constants"), Default: true, Load: loadFSPromises}
}

func fsConstants(vm *goja.Runtime) *goja.Object {
	return exportsObject(vm, map[string]any{
		"F_OK": 0, "R_OK": 4, "W_OK": 2, "X_OK": 1, "COPYFILE_EXCL": 1, "COPYFILE_FICLONE": 2,
		"COPYFILE_FICLONE_FORCE": 4, "O_RDONLY": 0, "O_WRONLY": 1, "O_RDWR": 2,
	})
}

func loadFSPromises(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	obj := vm.NewObject()
	for _, op := range fsOps() {
		op := op
		_ = obj.Set(op.name, func(call goja.FunctionCall) goja.Value {
			work, toJS := op.parse(h, call)
			return vm.ToValue(h.Loop().Go(func(context.Context) runtime.Settle {
				res, err := work()
				if err != nil {
					return runtime.Rejected(err)
				}
				return func(vm *goja.Runtime) (goja.Value, error) { return toJS(vm, res), nil }
			}))
		})
	}
	_ = obj.Set("constants", fsConstants(vm))
	return obj, nil
}

func loadFS(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	promises, err := h.Require("node:fs/promises")
	if err != nil {
		return nil, err
	}
	lib, err := jslib(h)
	if err != nil {
		return nil, err
	}
	var names []any
	for _, op := range fsOps() {
		names = append(names, op.name)
	}
	callbackAPI, _ := goja.AssertFunction(lib.Get("callbackAPI"))
	cbv, err := callbackAPI(goja.Undefined(), promises, vm.NewArray(names...))
	if err != nil {
		return nil, err
	}
	obj := cbv.(*goja.Object)
	for _, op := range fsOps() {
		op := op
		_ = obj.Set(op.name+"Sync", func(call goja.FunctionCall) goja.Value {
			work, toJS := op.parse(h, call)
			res, err := work()
			if err != nil {
				panic(runtime.NewError(vm, err, nil))
			}
			return toJS(vm, res)
		})
	}
	_ = obj.Set("existsSync", func(call goja.FunctionCall) goja.Value {
		p, ok := optionalPath(h, call.Argument(0))
		if !ok {
			return vm.ToValue(false)
		}
		_, err := os.Stat(p)
		return vm.ToValue(err == nil)
	})
	_ = obj.Set("constants", fsConstants(vm))
	_ = obj.Set("promises", promises)
	return obj, nil
}

// fsError is a file system error as Node reports it: "ENOENT: no such file
// or directory, open '/x'" with code, errno, syscall and path.
type fsError struct {
	code    string
	errno   int
	desc    string
	syscall string
	path    string
	dest    string
}

func (e *fsError) Error() string {
	msg := fmt.Sprintf("%s: %s, %s '%s'", e.code, e.desc, e.syscall, e.path)
	if e.dest != "" {
		msg += fmt.Sprintf(" -> '%s'", e.dest)
	}
	return msg
}

// DecorateJSError adds Node's error properties.
func (e *fsError) DecorateJSError(vm *goja.Runtime, obj *goja.Object) {
	_ = obj.Set("code", e.code)
	_ = obj.Set("errno", -e.errno)
	_ = obj.Set("syscall", e.syscall)
	_ = obj.Set("path", e.path)
	if e.dest != "" {
		_ = obj.Set("dest", e.dest)
	}
}

var errnoNames = map[syscall.Errno][2]string{
	syscall.ENOENT:    {"ENOENT", "no such file or directory"},
	syscall.EEXIST:    {"EEXIST", "file already exists"},
	syscall.EACCES:    {"EACCES", "permission denied"},
	syscall.EPERM:     {"EPERM", "operation not permitted"},
	syscall.EISDIR:    {"EISDIR", "illegal operation on a directory"},
	syscall.ENOTDIR:   {"ENOTDIR", "not a directory"},
	syscall.ENOTEMPTY: {"ENOTEMPTY", "directory not empty"},
	syscall.EINVAL:    {"EINVAL", "invalid argument"},
	syscall.EMFILE:    {"EMFILE", "too many open files"},
	syscall.ELOOP:     {"ELOOP", "too many symbolic links encountered"},
	syscall.EXDEV:     {"EXDEV", "cross-device link not permitted"},
	syscall.EBUSY:     {"EBUSY", "resource busy or locked"},
	syscall.ENOSPC:    {"ENOSPC", "no space left on device"},
	syscall.EROFS:     {"EROFS", "read-only file system"},
}

// fsErr converts a Go file system error into Node's form.
func fsErr(err error, sys, path string) error {
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if n, ok := errnoNames[errno]; ok {
			return &fsError{code: n[0], errno: int(errno), desc: n[1], syscall: sys, path: path}
		}
		return &fsError{code: "E" + strings.ToUpper(strings.ReplaceAll(errno.Error(), " ", "_")), errno: int(errno), desc: errno.Error(), syscall: sys, path: path}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &fsError{code: "ENOENT", errno: int(syscall.ENOENT), desc: "no such file or directory", syscall: sys, path: path}
	}
	if errors.Is(err, fs.ErrExist) {
		return &fsError{code: "EEXIST", errno: int(syscall.EEXIST), desc: "file already exists", syscall: sys, path: path}
	}
	return fmt.Errorf("%s '%s': %w", sys, path, err)
}

func errnoErr(errno syscall.Errno, sys, path string) error {
	return fsErr(errno, sys, path)
}

// jsPath reads a path argument (string, Buffer or file: URL) and resolves it
// against the working directory.
func jsPath(h *runtime.Host, v goja.Value) string {
	p, ok := optionalPath(h, v)
	if !ok {
		throwTypeError(h.VM(), `The "path" argument must be of type string or an instance of Buffer or URL. Received %s`, runtime.Inspect(h.VM(), v, runtime.InspectOptions{}))
	}
	return p
}

func optionalPath(h *runtime.Host, v goja.Value) (string, bool) {
	var p string
	switch x := v.Export().(type) {
	case string:
		p = x
	case []byte:
		p = string(x)
	default:
		obj, ok := v.(*goja.Object)
		if !ok {
			return "", false
		}
		href := obj.Get("href")
		if href == nil || goja.IsUndefined(href) {
			return "", false
		}
		u, err := url.Parse(href.String())
		if err != nil || u.Scheme != "file" {
			return "", false
		}
		p = u.Path
	}
	if p == "" {
		return "", false
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(h.Dir(), p)
	}
	return p, true
}

// options reads an options argument that may be an encoding string.
type fsOptions struct {
	encoding      string
	flag          string
	mode          os.FileMode
	recursive     bool
	force         bool
	withFileTypes bool
}

func parseOptions(vm *goja.Runtime, v goja.Value, defaultEncoding string) fsOptions {
	o := fsOptions{encoding: defaultEncoding, mode: 0o666}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return o
	}
	if s, ok := v.Export().(string); ok {
		if _, isObj := v.(*goja.Object); !isObj {
			o.encoding = s
			return o
		}
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return o
	}
	get := func(k string) goja.Value {
		if x := obj.Get(k); x != nil && !goja.IsUndefined(x) {
			return x
		}
		return nil
	}
	if e := get("encoding"); e != nil {
		if goja.IsNull(e) {
			o.encoding = ""
		} else {
			o.encoding = e.String()
		}
	}
	if f := get("flag"); f != nil {
		o.flag = f.String()
	}
	if m := get("mode"); m != nil {
		o.mode = os.FileMode(m.ToInteger())
	}
	o.recursive = get("recursive") != nil && get("recursive").ToBoolean()
	o.force = get("force") != nil && get("force").ToBoolean()
	o.withFileTypes = get("withFileTypes") != nil && get("withFileTypes").ToBoolean()
	return o
}

func checkEncoding(vm *goja.Runtime, enc string) string {
	if enc == "" {
		return ""
	}
	n, err := normalizeEncoding(enc)
	if err != nil {
		throwTypeError(vm, "%v", err)
	}
	return n
}

func undefinedJS(*goja.Runtime, any) goja.Value { return goja.Undefined() }

func parseReadFile(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	vm := h.VM()
	path := jsPath(h, call.Argument(0))
	enc := checkEncoding(vm, parseOptions(vm, call.Argument(1), "").encoding)
	work := func() (any, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) && pe.Op == "read" {
				return nil, fsErr(err, "read", path)
			}
			return nil, fsErr(err, "open", path)
		}
		return data, nil
	}
	return work, func(vm *goja.Runtime, res any) goja.Value {
		data := res.([]byte)
		if enc == "" {
			return newBuffer(h, data)
		}
		return vm.ToValue(encodeBytes(data, enc))
	}
}

func parseWrite(h *runtime.Host, call goja.FunctionCall, appendMode bool) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	vm := h.VM()
	path := jsPath(h, call.Argument(0))
	opts := parseOptions(vm, call.Argument(2), "utf8")
	data, err := dataBytes(vm, call.Argument(1), checkEncoding(vm, opts.encoding))
	if err != nil {
		throwTypeError(vm, "%v", err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendMode || strings.HasPrefix(opts.flag, "a") {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	if strings.Contains(opts.flag, "x") {
		flags |= os.O_EXCL
	}
	return func() (any, error) {
		f, err := os.OpenFile(path, flags, opts.mode)
		if err != nil {
			return nil, fsErr(err, "open", path)
		}
		_, werr := f.Write(data)
		cerr := f.Close()
		if werr != nil {
			return nil, fsErr(werr, "write", path)
		}
		return nil, fsErr(cerr, "close", path)
	}, undefinedJS
}

func parseMkdir(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	vm := h.VM()
	path := jsPath(h, call.Argument(0))
	opts := parseOptions(vm, call.Argument(1), "")
	if n, ok := call.Argument(1).Export().(int64); ok {
		opts.mode = os.FileMode(n)
	} else if _, isObj := call.Argument(1).(*goja.Object); !isObj {
		opts.mode = 0o777
	}
	if opts.mode == 0o666 {
		opts.mode = 0o777
	}
	return func() (any, error) {
			if !opts.recursive {
				return nil, fsErr(os.Mkdir(path, opts.mode), "mkdir", path)
			}
			first := ""
			for p := path; ; p = filepath.Dir(p) {
				if _, err := os.Stat(p); err == nil {
					break
				}
				first = p
				if filepath.Dir(p) == p {
					break
				}
			}
			if err := os.MkdirAll(path, opts.mode); err != nil {
				return nil, fsErr(err, "mkdir", path)
			}
			return first, nil
		}, func(vm *goja.Runtime, res any) goja.Value {
			if s, _ := res.(string); s != "" {
				return vm.ToValue(s)
			}
			return goja.Undefined()
		}
}

type dirent struct {
	name, parent string
	mode         fs.FileMode
}

func parseReaddir(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	vm := h.VM()
	path := jsPath(h, call.Argument(0))
	opts := parseOptions(vm, call.Argument(1), "utf8")
	work := func() (any, error) {
		var out []dirent
		var walk func(dir, rel string) error
		walk = func(dir, rel string) error {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return fsErr(err, "scandir", dir)
			}
			for _, e := range entries {
				name := e.Name()
				if rel != "" {
					name = rel + "/" + name
				}
				out = append(out, dirent{name: name, parent: dir, mode: e.Type()})
				if opts.recursive && e.IsDir() {
					if err := walk(filepath.Join(dir, e.Name()), name); err != nil {
						return err
					}
				}
			}
			return nil
		}
		return out, walk(path, "")
	}
	return work, func(vm *goja.Runtime, res any) goja.Value {
		entries := res.([]dirent)
		items := make([]any, len(entries))
		for i, e := range entries {
			if opts.withFileTypes {
				items[i] = direntObject(vm, e)
			} else {
				items[i] = e.name
			}
		}
		return vm.NewArray(items...)
	}
}

func direntObject(vm *goja.Runtime, e dirent) *goja.Object {
	name := e.name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return exportsObject(vm, map[string]any{
		"name":           name,
		"parentPath":     e.parent,
		"path":           e.parent,
		"isFile":         func() bool { return e.mode.IsRegular() },
		"isDirectory":    func() bool { return e.mode.IsDir() },
		"isSymbolicLink": func() bool { return e.mode&fs.ModeSymlink != 0 },
	})
}

func parseStat(h *runtime.Host, call goja.FunctionCall, stat func(string) (fs.FileInfo, error), sys string) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	return func() (any, error) {
			fi, err := stat(path)
			if err != nil {
				return nil, fsErr(err, sys, path)
			}
			return fi, nil
		}, func(_ *goja.Runtime, res any) goja.Value {
			return statsObject(h, res.(fs.FileInfo))
		}
}

type statsKey struct{}

// statsProto is the prototype shared by the Stats objects of one Host: the
// is* methods test this.mode, and the Date properties are made from the
// *Ms numbers when read.
func statsProto(h *runtime.Host) *goja.Object {
	v, _ := h.Local(statsKey{}, func() (any, error) {
		vm := h.VM()
		proto := vm.NewObject()
		modeIs := func(name string, want uint32) {
			_ = proto.Set(name, func(call goja.FunctionCall) goja.Value {
				mode := uint32(call.This.ToObject(vm).Get("mode").ToInteger())
				return vm.ToValue(mode&syscall.S_IFMT == want)
			})
		}
		modeIs("isFile", syscall.S_IFREG)
		modeIs("isDirectory", syscall.S_IFDIR)
		modeIs("isSymbolicLink", syscall.S_IFLNK)
		modeIs("isFIFO", syscall.S_IFIFO)
		modeIs("isSocket", syscall.S_IFSOCK)
		modeIs("isBlockDevice", syscall.S_IFBLK)
		modeIs("isCharacterDevice", syscall.S_IFCHR)
		for _, name := range []string{"mtime", "atime", "ctime", "birthtime"} {
			msName := name + "Ms"
			_ = proto.DefineAccessorProperty(name, vm.ToValue(func(call goja.FunctionCall) goja.Value {
				d, err := vm.New(vm.Get("Date"), call.This.ToObject(vm).Get(msName))
				if err != nil {
					panic(err)
				}
				return d
			}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
		return proto, nil
	})
	return v.(*goja.Object)
}

func statsObject(h *runtime.Host, fi fs.FileInfo) *goja.Object {
	vm := h.VM()
	mtime := fi.ModTime()
	atime, ctime := mtime, mtime
	var uid, gid, ino, nlink, dev, blocks, blksize int64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		atime = time.Unix(st.Atim.Sec, st.Atim.Nsec)
		ctime = time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
		uid, gid, ino, nlink, dev = int64(st.Uid), int64(st.Gid), int64(st.Ino), int64(st.Nlink), int64(st.Dev)
		blocks, blksize = st.Blocks, int64(st.Blksize)
	}
	mode := uint32(fi.Mode().Perm())
	switch {
	case fi.Mode().IsDir():
		mode |= syscall.S_IFDIR
	case fi.Mode()&fs.ModeSymlink != 0:
		mode |= syscall.S_IFLNK
	case fi.Mode()&fs.ModeNamedPipe != 0:
		mode |= syscall.S_IFIFO
	case fi.Mode()&fs.ModeSocket != 0:
		mode |= syscall.S_IFSOCK
	case fi.Mode()&fs.ModeCharDevice != 0:
		mode |= syscall.S_IFCHR
	case fi.Mode()&fs.ModeDevice != 0:
		mode |= syscall.S_IFBLK
	default:
		mode |= syscall.S_IFREG
	}
	ms := func(t time.Time) float64 { return float64(t.UnixNano()) / 1e6 }
	obj := vm.CreateObject(statsProto(h))
	for _, kv := range []struct {
		k string
		v any
	}{
		{"dev", dev}, {"mode", mode}, {"nlink", nlink}, {"uid", uid}, {"gid", gid}, {"ino", ino},
		{"size", fi.Size()}, {"blksize", blksize}, {"blocks", blocks},
		{"atimeMs", ms(atime)}, {"mtimeMs", ms(mtime)}, {"ctimeMs", ms(ctime)}, {"birthtimeMs", ms(ctime)},
	} {
		_ = obj.Set(kv.k, kv.v)
	}
	return obj
}

func parseRm(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	opts := parseOptions(h.VM(), call.Argument(1), "")
	return func() (any, error) {
		fi, err := os.Lstat(path)
		if err != nil {
			if opts.force && errors.Is(err, fs.ErrNotExist) {
				return nil, nil
			}
			return nil, fsErr(err, "rm", path)
		}
		if fi.IsDir() {
			if !opts.recursive {
				return nil, &fsError{code: "ERR_FS_EISDIR", errno: int(syscall.EISDIR), desc: "Path is a directory", syscall: "rm", path: path}
			}
			return nil, fsErr(os.RemoveAll(path), "rm", path)
		}
		return nil, fsErr(os.Remove(path), "rm", path)
	}, undefinedJS
}

func parseRmdir(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	opts := parseOptions(h.VM(), call.Argument(1), "")
	return func() (any, error) {
		if opts.recursive {
			return nil, fsErr(os.RemoveAll(path), "rmdir", path)
		}
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fsErr(err, "rmdir", path)
		}
		if !fi.IsDir() {
			return nil, errnoErr(syscall.ENOTDIR, "rmdir", path)
		}
		return nil, fsErr(os.Remove(path), "rmdir", path)
	}, undefinedJS
}

func parseUnlink(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	return func() (any, error) {
		fi, err := os.Lstat(path)
		if err != nil {
			return nil, fsErr(err, "unlink", path)
		}
		if fi.IsDir() {
			return nil, errnoErr(syscall.EISDIR, "unlink", path)
		}
		return nil, fsErr(os.Remove(path), "unlink", path)
	}, undefinedJS
}

func parseRename(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	from, to := jsPath(h, call.Argument(0)), jsPath(h, call.Argument(1))
	return func() (any, error) {
		if err := os.Rename(from, to); err != nil {
			e := fsErr(err, "rename", from)
			if fe, ok := e.(*fsError); ok {
				fe.dest = to
			}
			return nil, e
		}
		return nil, nil
	}, undefinedJS
}

func parseCopyFile(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	src, dst := jsPath(h, call.Argument(0)), jsPath(h, call.Argument(1))
	excl := call.Argument(2).ToInteger()&1 != 0
	return func() (any, error) { return nil, copyFile(src, dst, excl) }, undefinedJS
}

func copyFile(src, dst string, excl bool) error {
	in, err := os.Open(src)
	if err != nil {
		return fsErr(err, "copyfile", src)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fsErr(err, "copyfile", src)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if excl {
		flags |= os.O_EXCL
	}
	out, err := os.OpenFile(dst, flags, fi.Mode().Perm())
	if err != nil {
		e := fsErr(err, "copyfile", src)
		if fe, ok := e.(*fsError); ok {
			fe.dest = dst
		}
		return e
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fsErr(err, "copyfile", src)
	}
	return fsErr(out.Close(), "copyfile", dst)
}

func parseCp(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	src, dst := jsPath(h, call.Argument(0)), jsPath(h, call.Argument(1))
	opts := parseOptions(h.VM(), call.Argument(2), "")
	return func() (any, error) {
		fi, err := os.Stat(src)
		if err != nil {
			return nil, fsErr(err, "cp", src)
		}
		if !fi.IsDir() {
			return nil, copyFile(src, dst, false)
		}
		if !opts.recursive {
			return nil, &fsError{code: "ERR_FS_EISDIR", errno: int(syscall.EISDIR), desc: "Recursive option is required to copy a directory", syscall: "cp", path: src}
		}
		return nil, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return fsErr(err, "cp", p)
			}
			rel, _ := filepath.Rel(src, p)
			target := filepath.Join(dst, rel)
			if d.IsDir() {
				return fsErr(os.MkdirAll(target, 0o777), "mkdir", target)
			}
			return copyFile(p, target, false)
		})
	}, undefinedJS
}

func parseRealpath(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	return func() (any, error) {
			p, err := filepath.EvalSymlinks(path)
			if err != nil {
				return nil, fsErr(err, "realpath", path)
			}
			return p, nil
		}, func(vm *goja.Runtime, res any) goja.Value {
			return vm.ToValue(res)
		}
}

func parseMkdtemp(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	prefix := jsPath(h, call.Argument(0))
	return func() (any, error) {
			dir, err := os.MkdirTemp(filepath.Dir(prefix), filepath.Base(prefix)+"*")
			if err != nil {
				return nil, fsErr(err, "mkdtemp", prefix+"XXXXXX")
			}
			return dir, nil
		}, func(vm *goja.Runtime, res any) goja.Value {
			return vm.ToValue(res)
		}
}

func parseAccess(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	mode := uint32(call.Argument(1).ToInteger())
	return func() (any, error) {
		return nil, fsErr(syscall.Access(path, mode), "access", path)
	}, undefinedJS
}

func parseReadlink(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	return func() (any, error) {
			p, err := os.Readlink(path)
			if err != nil {
				return nil, fsErr(err, "readlink", path)
			}
			return p, nil
		}, func(vm *goja.Runtime, res any) goja.Value {
			return vm.ToValue(res)
		}
}

func parseSymlink(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	target := call.Argument(0).String()
	path := jsPath(h, call.Argument(1))
	return func() (any, error) {
		return nil, fsErr(os.Symlink(target, path), "symlink", target)
	}, undefinedJS
}

func parseChmod(h *runtime.Host, call goja.FunctionCall) (func() (any, error), func(*goja.Runtime, any) goja.Value) {
	path := jsPath(h, call.Argument(0))
	var mode os.FileMode
	if s, ok := call.Argument(1).Export().(string); ok {
		var m uint32
		_, _ = fmt.Sscanf(s, "%o", &m)
		mode = os.FileMode(m)
	} else {
		mode = os.FileMode(call.Argument(1).ToInteger())
	}
	return func() (any, error) {
		return nil, fsErr(os.Chmod(path, mode), "chmod", path)
	}, undefinedJS
}
