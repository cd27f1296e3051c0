package worker

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime"
)

// liveScript is one deployed script and the version of it that serves.
type liveScript struct {
	rt  *Runtime
	key workerKey

	mu      sync.Mutex
	gen     uint64        // bumped by every change of the script
	cur     *version      // the version that serves
	tried   uint64        // the generation of the newest finished load
	failed  error         // why generation tried does not serve, when cur is older
	loading chan struct{} // closed when the load in progress finishes
	// logged identifies the load error last logged (the version that
	// failed and why) until a load succeeds: a deploy changes a script
	// several times (its code, then its workers.dev route or crons), and
	// a version that cannot run is reported once, not once per change.
	logged string
}

// errNoScript is the load error of a Worker that is not deployed.
var errNoScript = errors.New("no such Worker")

// acquire returns the version to run a request on, loading the script's
// current code first when needed. The caller releases it.
func (w *liveScript) acquire(ctx context.Context) (*version, error) {
	v, _, err := w.settle(ctx)
	return v, err
}

// settle waits until the script's current code has been loaded and
// returns the version that serves, acquired, with the reason the current
// code does not serve when an older version serves in its place.
func (w *liveScript) settle(ctx context.Context) (v *version, failed error, err error) {
	for {
		w.mu.Lock()
		if v := w.cur; v != nil && w.tried == w.gen {
			v.refs.Add(1)
			failed := w.failed
			w.mu.Unlock()
			if v.err != nil {
				v.release()
				return nil, nil, v.err
			}
			return v, failed, nil
		}
		ch := w.startLoad()
		w.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// startLoad starts loading the current code unless a load is running.
// Called with w.mu held.
func (w *liveScript) startLoad() chan struct{} {
	if w.loading == nil {
		ch := make(chan struct{})
		w.loading = ch
		go w.load(w.gen, ch)
	}
	return w.loading
}

// load loads a generation of the script. The new version takes over only
// when it loads, as a Cloudflare deploy takes effect only when the new
// code starts: a version that does not build, compile or start leaves the
// last good one serving (its error is logged and kept for Load). A
// deleted script stops serving.
func (w *liveScript) load(gen uint64, done chan struct{}) {
	v := w.rt.newVersion(w)
	w.mu.Lock()
	var report string
	switch {
	case v.err == nil:
		w.logged = ""
	case errors.Is(v.err, errNoScript) || errors.Is(v.err, ErrClosed):
	default:
		var versionID string
		if v.script != nil {
			versionID = v.script.VersionID
		}
		if id := versionID + "\x00" + v.err.Error(); id != w.logged {
			report, w.logged = v.err.Error(), id
		}
	}
	retired := w.cur
	if v.err != nil && !errors.Is(v.err, errNoScript) && retired != nil && retired.err == nil {
		w.failed, retired = v.err, v
	} else {
		w.cur, w.failed = v, nil
	}
	w.tried = gen
	w.loading = nil
	if gen != w.gen && w.cur != nil {
		// Changed again while loading: load once more.
		w.startLoad()
	}
	w.mu.Unlock()
	// Logged before waiters wake, so that the reason comes before what
	// they print about it.
	if report != "" {
		w.rt.errorf(w.key.script, "%s", report)
	}
	close(done)
	if retired != nil {
		retired.retire()
	}
}

// changed records a new version of the script. A Worker that has run
// loads it right away, so that the next request does not wait.
func (w *liveScript) changed() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gen++
	if w.cur != nil {
		w.startLoad()
	}
}

func (w *liveScript) shutdown() {
	w.mu.Lock()
	v := w.cur
	w.cur = nil
	w.mu.Unlock()
	if v != nil {
		v.retire()
	}
}

// version is one loaded version of a Worker's code with its isolates.
type version struct {
	w          *liveScript
	err        error // the load failed; every request gets it
	script     *store.Script
	prog       *runtime.Program
	nodeCompat bool
	classic    bool // service-worker syntax
	bindings   []binding
	assets     *assetServer // nil without static assets
	hasFetch   bool         // the code has a fetch handler (set by load)

	refs    atomic.Int64 // requests using the version, plus one while it is current
	retired atomic.Bool

	mu       sync.Mutex
	isolates []*isolate // by slot; nil until started
	closed   bool
}

// loadError is a Worker that could not be loaded: its code does not
// bundle, compile or evaluate.
type loadError struct {
	err  error
	text string // the error as people read it
}

func (e *loadError) Error() string { return e.text }
func (e *loadError) Unwrap() error { return e.err }

func (rt *Runtime) newVersion(w *liveScript) *version {
	v := &version{w: w}
	v.refs.Store(1)
	v.isolates = make([]*isolate, rt.opts.Isolates)
	if err := v.load(); err != nil {
		v.err = err // logged by the script's load
	}
	return v
}

func (v *version) load() error {
	rt, name := v.w.rt, v.w.key.script
	st, err := rt.store()
	if err != nil {
		return err
	}
	sc, err := st.Script(rt.ctx, v.w.key.account, name)
	if errors.Is(err, store.ErrNotFound) {
		return errNoScript
	}
	if err != nil {
		return fmt.Errorf("load Worker %q: %w", name, err)
	}
	return v.prepare(sc)
}

// prepare links, compiles and starts a script's code: the steps whose
// failure keeps a version from serving.
func (v *version) prepare(sc *store.Script) error {
	rt, name := v.w.rt, v.w.key.script
	v.script = sc
	for _, f := range sc.Settings.CompatibilityFlags {
		// nodejs_als (AsyncLocalStorage alone) gets the whole Node set.
		if strings.HasPrefix(f, "nodejs_compat") || f == "nodejs_als" {
			v.nodeCompat = true
		}
	}
	v.classic = sc.MainModule == ""
	v.assets = newAssetServer(sc.Assets)

	mods := make([]bundler.UploadedModule, len(sc.Modules))
	for i, m := range sc.Modules {
		mods[i] = bundler.UploadedModule{Name: m.Name, ContentType: m.ContentType, Content: m.Content}
	}
	linked, err := bundler.BundleUploaded(bundler.UploadOptions{
		Modules: mods, MainModule: sc.MainModule, BodyPart: sc.BodyPart,
		Builtins: rt.builtins[v.nodeCompat], File: "/" + name + ".bundle.js",
	})
	if err != nil {
		text := err.Error()
		if !v.nodeCompat && strings.Contains(text, `"node:`) {
			text += " (Node built-ins need the nodejs_compat compatibility flag)"
		}
		return &loadError{err: err, text: "the Worker does not build: " + text}
	}
	v.prog, err = runtime.CompileProgram(runtime.Script{Code: linked.Code, SourceMap: linked.SourceMap, File: linked.File})
	if err != nil {
		return &loadError{err: err, text: "the Worker does not compile: " + err.Error()}
	}
	if v.bindings, err = v.describeBindings(); err != nil {
		return &loadError{err: err, text: err.Error()}
	}
	// The first isolate evaluates the code now, so that a Worker that
	// throws at startup fails here, once.
	iso := v.start(0)
	<-iso.ready
	if iso.err != nil {
		return iso.err
	}
	v.hasFetch = iso.hasFetch
	return nil
}

// start starts the isolate of a slot. Called once per slot.
func (v *version) start(slot int) *isolate {
	v.mu.Lock()
	defer v.mu.Unlock()
	if iso := v.isolates[slot]; iso != nil {
		return iso
	}
	iso := newIsolate(v)
	v.isolates[slot] = iso
	return iso
}

// pick returns the least busy started isolate, and starts another one
// when every started isolate is busy.
func (v *version) pick(ctx context.Context) (*isolate, error) {
	v.mu.Lock()
	var best *isolate
	free := -1
	for i, iso := range v.isolates {
		if iso == nil {
			if free < 0 {
				free = i
			}
			continue
		}
		if best == nil || iso.inflight.Load() < best.inflight.Load() {
			best = iso
		}
	}
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	if best == nil || best.inflight.Load() > 0 && free >= 0 {
		started := v.start(free)
		if best == nil {
			best = started
		}
	}
	return best.wait(ctx)
}

// isolateFor returns the isolate a Durable Object lives in: always the
// same one for an object while the version serves.
func (v *version) isolateFor(ctx context.Context, objectID string) (*isolate, error) {
	h := fnv.New32a()
	h.Write([]byte(objectID))
	return v.start(int(h.Sum32() % uint32(len(v.isolates)))).wait(ctx)
}

func (v *version) release() {
	if v.refs.Add(-1) == 0 && v.retired.Load() {
		v.close()
	}
}

// retire takes the version out of service: it closes when its last
// request finishes.
func (v *version) retire() {
	if v.retired.CompareAndSwap(false, true) {
		v.release()
	}
}

func (v *version) close() {
	v.mu.Lock()
	v.closed = true
	isolates := v.isolates
	v.mu.Unlock()
	for _, iso := range isolates {
		if iso != nil {
			iso.shutdown()
		}
	}
}
