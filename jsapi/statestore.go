package jsapi

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// ModuleState is the module of the state store classes.
const ModuleState = "alchemy/state"

// Store classes of alchemy/state.
const (
	storeFileSystem = "FileSystemStateStore"
	storeCloudflare = "CloudflareStateStore"
	storeD1         = "D1StateStore"
	storeSQLite     = "SQLiteStateStore"
	storeDOFS       = "DOFSStateStore"
	storeR2Rest     = "R2RestStateStore"
)

// stateExports are the named exports of alchemy/state, as the TypeScript
// library's; the last two are there so that programs importing them build,
// and fail with a clear message when they construct one.
var stateExports = []string{storeCloudflare, storeD1, storeFileSystem, storeSQLite, storeDOFS, storeR2Rest}

// supportedStores names the classes a stateStore function may return.
var supportedStores = []string{storeFileSystem, storeCloudflare, storeD1, storeSQLite}

// storeOptions are the constructor options each supported class takes.
var storeOptions = map[string][]string{
	storeFileSystem: {"rootDir"},
	storeCloudflare: {"scriptName", "forceUpdate", "stateToken", "accountId", "apiToken", "apiKey", "email", "baseUrl"},
	storeD1:         {"databaseName", "accountId", "apiToken", "apiKey", "email", "baseUrl"},
	// dotAlchemy is accepted and ignored: the library overrides it with the
	// scope's .alchemy directory.
	storeSQLite: {"engine", "filename", "url", "dotAlchemy"},
}

// sqliteEngines are the values of SQLiteStateStore's engine option. Every
// one opens the same file here: the engines differ only in the JavaScript
// library that reads it.
var sqliteEngines = []string{"auto", "bun", "libsql"}

// storeSpec is a store object the program made: its class and options,
// checked and converted when it was constructed.
type storeSpec struct {
	class string
	opts  *value.Object
	// token is the CloudflareStateStore token (its option, else
	// ALCHEMY_STATE_TOKEN when the object was made).
	token string
}

// storeRegistry maps the store objects of one runtime to their specs.
type storeRegistry struct{ specs map[*goja.Object]*storeSpec }

type storeRegistryKey struct{ api *API }

func (r *realm) stores() *storeRegistry {
	v, err := r.host.Local(storeRegistryKey{r.api}, func() (any, error) {
		return &storeRegistry{specs: map[*goja.Object]*storeSpec{}}, nil
	})
	if err != nil {
		panic(err)
	}
	return v.(*storeRegistry)
}

// StateModule returns alchemy/state: the state store classes a program
// passes to alchemy(name, {stateStore: (scope) => new X(scope, options)}).
func (a *API) StateModule() runtime.Module {
	return runtime.Module{
		Name:    ModuleState,
		Exports: stateExports,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			r, err := a.realm(h)
			if err != nil {
				return nil, err
			}
			exports := r.vm.NewObject()
			for _, name := range stateExports {
				_ = exports.Set(name, r.storeClass(name))
			}
			return exports, nil
		},
	}
}

// storeClass returns the constructor of a store class: new X(scope,
// options) records the options; the object stands for the store.
func (r *realm) storeClass(class string) *goja.Object {
	vm := r.vm
	ctor := vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		spec, err := r.newStoreSpec(class, call.Argument(1))
		if err != nil {
			r.throw(fmt.Errorf("new %s(scope, options): %w", class, err))
		}
		_ = call.This.Set("scope", call.Argument(0))
		if spec.opts != nil {
			_ = call.This.Set("options", call.Argument(1))
		}
		r.stores().specs[call.This] = spec
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", vm.ToValue(class), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return ctor
}

func (r *realm) newStoreSpec(class string, options goja.Value) (*storeSpec, error) {
	known, ok := storeOptions[class]
	if !ok {
		return nil, fmt.Errorf("%s is not supported by this alchemy; the supported state stores are %s", class, listOf(supportedStores))
	}
	spec := &storeSpec{class: class}
	if options != nil && !goja.IsUndefined(options) && !goja.IsNull(options) {
		v, err := r.toValue(options)
		if err != nil {
			return nil, fmt.Errorf("options: %w", err)
		}
		o, isObj := v.(*value.Object)
		if !isObj {
			return nil, errors.New("options must be an object")
		}
		for _, k := range o.Keys() {
			if !slices.Contains(known, k) {
				return nil, fmt.Errorf("option %s is not supported (%s takes %s)", k, class, strings.Join(known, ", "))
			}
		}
		spec.opts = o
	}
	if class == storeCloudflare {
		tok, err := spec.text("stateToken")
		if err != nil {
			return nil, err
		}
		if tok == "" {
			tok, _ = r.host.Env().Get("ALCHEMY_STATE_TOKEN")
		}
		if tok == "" {
			return nil, errors.New("missing token: set ALCHEMY_STATE_TOKEN or pass the stateToken option (every deployment on the account must use the same token)")
		}
		spec.token = tok
	}
	if err := spec.check(); err != nil {
		return nil, err
	}
	return spec, nil
}

// listOf joins names as "a, b, c and d".
func listOf(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// check validates the options' types and values when the store is
// constructed, so that a mistake fails at the line that made it.
func (s *storeSpec) check() error {
	var texts []string
	switch s.class {
	case storeFileSystem:
		texts = []string{"rootDir"}
	case storeCloudflare, storeD1:
		texts = []string{"scriptName", "databaseName", "accountId", "apiToken", "apiKey", "email", "baseUrl"}
	case storeSQLite:
		texts = []string{"filename", "url", "dotAlchemy"}
		engine, err := s.text("engine")
		if err != nil {
			return err
		}
		if engine != "" && !slices.Contains(sqliteEngines, engine) {
			return fmt.Errorf("option engine must be one of %s, not %q", strings.Join(sqliteEngines, ", "), engine)
		}
		url, err := s.text("url")
		if err != nil {
			return err
		}
		if url != "" && !strings.HasPrefix(url, "file:") {
			return fmt.Errorf("option url %q is not supported: only a local file (a file: URL, or the filename option) can be used", url)
		}
	}
	for _, name := range texts {
		if _, err := s.text(name); err != nil {
			return err
		}
	}
	_, err := s.flag("forceUpdate")
	return err
}

// text reads a string option, given as a string or a Secret ("" when
// absent).
func (s *storeSpec) text(name string) (string, error) {
	v, ok := s.opts.Get(name)
	if !ok || v == nil {
		return "", nil
	}
	if sec, ok := v.(*value.Secret); ok {
		v = sec.Value
	}
	str, ok := v.(value.String)
	if !ok {
		return "", fmt.Errorf("option %s must be a string or a Secret", name)
	}
	return string(str), nil
}

func (s *storeSpec) flag(name string) (bool, error) {
	v, ok := s.opts.Get(name)
	if !ok || v == nil {
		return false, nil
	}
	b, ok := v.(value.Bool)
	if !ok {
		return false, fmt.Errorf("option %s must be a boolean", name)
	}
	return bool(b), nil
}

// same reports whether two specs describe the same store.
func (s *storeSpec) same(o *storeSpec) bool {
	if s.class != o.class || s.token != o.token {
		return false
	}
	a, errA := value.Marshal(orEmpty(s.opts), value.EncodeOptions{Plain: true})
	b, errB := value.Marshal(orEmpty(o.opts), value.EncodeOptions{Plain: true})
	return errA == nil && errB == nil && string(a) == string(b)
}

func orEmpty(o *value.Object) *value.Object {
	if o == nil {
		return value.NewObject(0)
	}
	return o
}

// stateStoreOption calls the stateStore option of alchemy() or
// alchemy.run() with scope, as the library does, and returns the store it
// made. Anything but a store object of alchemy/state is an error naming
// the option.
func (r *realm) stateStoreOption(o options, sc *scope) *storeSpec {
	v := o.get("stateStore")
	if v == nil {
		return nil
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		r.throw(fmt.Errorf("%s: option stateStore must be a function (scope) => store, such as (scope) => new CloudflareStateStore(scope)", o.what))
	}
	got, err := fn(goja.Undefined(), r.scopeObject(sc))
	if err != nil {
		panic(err)
	}
	if obj, ok := got.(*goja.Object); ok {
		if spec := r.stores().specs[obj]; spec != nil {
			return spec
		}
	}
	r.throw(fmt.Errorf("%s: option stateStore is not supported: it returned %s, but only the state stores of alchemy/state can be used (%s)",
		o.what, runtime.Inspect(r.vm, got, runtime.InspectOptions{}), strings.Join(supportedStores, ", ")))
	return nil
}

// ciStateStoreCheck is the library's guard against losing track of
// infrastructure in CI: with CI set and no stateStore, alchemy() fails
// unless ALCHEMY_CI_STATE_STORE_CHECK=false.
func (r *realm) ciStateStoreCheck(what string) {
	env := r.host.Env()
	if ci, _ := env.Get("CI"); ci == "" {
		return
	}
	if v, _ := env.Get("ALCHEMY_CI_STATE_STORE_CHECK"); v == "false" {
		return
	}
	r.throw(fmt.Errorf("%s: running in CI (CI is set) with the default state store, the .alchemy directory, which CI throws away: "+
		"the next run would not know what this one deployed. Pass a persistent store, such as stateStore: (scope) => new CloudflareStateStore(scope) "+
		"from alchemy/state, or set ALCHEMY_CI_STATE_STORE_CHECK=false to run anyway", what))
}

// newStore returns the store of an app: the one its stateStore option
// made, else files under stateDir. dir is the program's directory.
func (a *API) newStore(spec *storeSpec, stateDir, dir string, codec *state.Codec, getenv func(string) string) (state.Store, error) {
	// A dev session keeps its state apart from the deployed stages',
	// whatever store the program names.
	if spec == nil || a.cfg.Defaults.Local {
		return state.NewFileStore(stateDir, codec, a.cfg.StoreOptions...), nil
	}
	switch spec.class {
	case storeFileSystem:
		root, err := spec.text("rootDir")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.class, err)
		}
		if root != "" {
			if !filepath.IsAbs(root) {
				root = filepath.Join(dir, root)
			}
			stateDir = root
		}
		return state.NewFileStore(stateDir, codec, a.cfg.StoreOptions...), nil
	case storeCloudflare:
		return a.cloudflareStore(spec, codec, getenv)
	case storeD1:
		return a.d1Store(spec, codec, getenv)
	case storeSQLite:
		file, err := sqliteFile(spec, stateDir, dir, getenv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.class, err)
		}
		return state.NewSQLiteStore(file, codec), nil
	}
	return nil, fmt.Errorf("%s is not supported", spec.class)
}

// sqliteFile is where SQLiteStateStore keeps its database, as the library
// chooses it: the filename option, else a file: url, else
// ALCHEMY_STATE_FILE, else state.sqlite in the .alchemy directory. A
// relative path is taken from the program's directory.
func sqliteFile(spec *storeSpec, stateDir, dir string, getenv func(string) string) (string, error) {
	file, err := spec.text("filename")
	if err != nil {
		return "", err
	}
	if file == "" {
		url, err := spec.text("url")
		if err != nil {
			return "", err
		}
		file = strings.TrimPrefix(url, "file:")
	}
	if file == "" {
		file = getenv("ALCHEMY_STATE_FILE")
	}
	if file == "" {
		return filepath.Join(stateDir, state.SQLiteFile), nil
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	return file, nil
}

// cloudflareFor returns the run's Cloudflare, or one over the environment's
// credentials when the program registered no Cloudflare providers.
func (a *API) cloudflareFor(getenv func(string) string) *cloudflare.Cloudflare {
	if cf := cloudflare.Of(a.cfg.Registry); cf != nil {
		return cf
	}
	return cloudflare.New(cloudflare.Options{API: cloudflare.ConfigFromEnv(getenv)})
}

// apiOptions reads the Cloudflare API options of a store into cfg.
func (s *storeSpec) apiOptions(cfg *cloudflare.Config) error {
	fields := []struct {
		name string
		dst  *string
	}{
		{"accountId", &cfg.AccountID}, {"apiToken", &cfg.APIToken}, {"apiKey", &cfg.APIKey},
		{"email", &cfg.Email}, {"baseUrl", &cfg.BaseURL},
	}
	for _, f := range fields {
		v, err := s.text(f.name)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return nil
}

func (a *API) cloudflareStore(spec *storeSpec, codec *state.Codec, getenv func(string) string) (state.Store, error) {
	opts := cloudflare.StateStoreOptions{Token: spec.token, Codec: codec}
	var err error
	if err = spec.apiOptions(&opts.API); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.class, err)
	}
	if opts.ScriptName, err = spec.text("scriptName"); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.class, err)
	}
	if opts.ForceUpdate, err = spec.flag("forceUpdate"); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.class, err)
	}
	return a.cloudflareFor(getenv).StateStore(opts)
}

func (a *API) d1Store(spec *storeSpec, codec *state.Codec, getenv func(string) string) (state.Store, error) {
	opts := cloudflare.D1StateStoreOptions{Codec: codec}
	var err error
	if err = spec.apiOptions(&opts.API); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.class, err)
	}
	if opts.DatabaseName, err = spec.text("databaseName"); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.class, err)
	}
	return a.cloudflareFor(getenv).D1StateStore(opts)
}

// NoStateStoreCheckSymbol is the key (Symbol.for) of an alchemy() option,
// set by the test module, that skips the CI check: the library's test
// helper opens its scopes without alchemy(), so the check never applies to
// tests.
const NoStateStoreCheckSymbol = "alchemy.noStateStoreCheck"

func (r *realm) noStateStoreCheck(o options) bool {
	if o.obj == nil {
		return false
	}
	v := o.obj.GetSymbol(r.symbol(NoStateStoreCheckSymbol))
	return v != nil && v.ToBoolean()
}

// nestedStateStore checks the stateStore option of alchemy.run(): a nested
// scope keeps its records in its app's store, so the option is accepted when
// it names that store (as a program passing one store everywhere does).
func (r *realm) nestedStateStore(o options, parent *scope) {
	spec := r.stateStoreOption(o, parent)
	if spec == nil {
		return
	}
	app := parent.app.store
	if app == nil {
		app = &storeSpec{class: storeFileSystem}
	}
	if !spec.same(app) {
		r.throw(fmt.Errorf("%s: option stateStore: a nested scope keeps its state in the store of its app (%s); pass this stateStore to alchemy() instead", o.what, app.class))
	}
}
