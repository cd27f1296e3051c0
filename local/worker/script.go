package worker

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/bundler/sourcemap"
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
	// checked are the versions CheckScript started for uploads of the
	// script that are not stored yet: the load that finds one of them
	// stored serves it instead of starting the same code again.
	checked []*checkedVersion
	down    bool // shut down: nothing new is kept
}

// checkedVersion is a version started by CheckScript, waiting for its
// upload to be stored.
type checkedVersion struct {
	v *version
	// abandoned: the upload's request is over. A load in progress may
	// still take the version (the request ended after the store's event);
	// the load drops it otherwise.
	abandoned bool
	stop      func() bool // stops watching the upload's request
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
// deleted script stops serving. A generation that runs what the serving
// version runs (only its workers.dev flag or crons changed) keeps it.
func (w *liveScript) load(gen uint64, done chan struct{}) {
	v := w.next()
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
	switch {
	case v == retired:
		w.failed, retired = nil, nil
	case v.err != nil && !errors.Is(v.err, errNoScript) && retired != nil && retired.err == nil:
		w.failed, retired = v.err, v
	default:
		w.cur, w.failed = v, nil
	}
	w.tried = gen
	w.loading = nil
	var dropped []*version
	if gen != w.gen && (w.cur != nil || len(w.checked) > 0) {
		// Changed again while loading: load once more.
		w.startLoad()
	} else {
		// Every change so far was seen: a checked version whose upload
		// is over now never will be stored.
		dropped = w.dropChecked(func(c *checkedVersion) bool { return c.abandoned })
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
	for _, v := range dropped {
		v.retire()
	}
}

// next returns the version that is to serve the script as it is stored
// now: the serving version when it runs the same code with the same
// bindings, the version CheckScript started for the upload that stored
// this code, or a new one. Its err is set when the script cannot run.
func (w *liveScript) next() *version {
	rt, name := w.rt, w.key.script
	failed := func(err error) *version {
		v := rt.newVersion(w)
		v.err = err
		return v
	}
	st, err := rt.store()
	if err != nil {
		return failed(err)
	}
	sc, err := st.Script(rt.ctx, w.key.account, name)
	if errors.Is(err, store.ErrNotFound) {
		return failed(errNoScript)
	}
	if err != nil {
		return failed(fmt.Errorf("load Worker %q: %w", name, err))
	}
	key := runtimeKey(sc)
	w.mu.Lock()
	var checked *version
	for _, c := range w.checked {
		if c.v.key == key {
			checked = c.v
			break
		}
	}
	if checked != nil {
		w.dropChecked(func(c *checkedVersion) bool { return c.v == checked })
	}
	cur := w.cur
	w.mu.Unlock()
	if checked != nil {
		// Handed over from the check: the script as stored (its version
		// id) is what it serves from now on.
		checked.script = sc
		return checked
	}
	if cur != nil && cur.err == nil && cur.key == key && cur.script.MigrationTag == sc.MigrationTag {
		return cur
	}
	v := rt.newVersion(w)
	v.key = key
	if err := v.prepare(sc); err != nil {
		v.err = err // logged by the script's load
	}
	return v
}

// offer keeps a version CheckScript started for an upload, for the load
// that finds the upload stored, until the upload's request (ctx) ends and
// no load may still take it.
func (w *liveScript) offer(ctx context.Context, v *version) {
	w.mu.Lock()
	if w.down {
		w.mu.Unlock()
		v.retire()
		return
	}
	c := &checkedVersion{v: v}
	w.checked = append(w.checked, c)
	c.stop = context.AfterFunc(ctx, func() { w.abandon(c) })
	w.mu.Unlock()
}

// abandon records that the upload of a checked version is over. Unless a
// load is running or about to (it takes the version if the upload was
// stored, and drops it otherwise), the version is dropped now.
func (w *liveScript) abandon(c *checkedVersion) {
	w.mu.Lock()
	c.abandoned = true
	var dropped []*version
	if w.loading == nil {
		dropped = w.dropChecked(func(d *checkedVersion) bool { return d == c })
	}
	w.mu.Unlock()
	for _, v := range dropped {
		v.retire()
	}
}

// dropChecked removes the checked versions that match, and returns them
// for the caller to retire unless a load took them. Called with w.mu held.
func (w *liveScript) dropChecked(match func(*checkedVersion) bool) []*version {
	var dropped []*version
	kept := w.checked[:0]
	for _, c := range w.checked {
		if !match(c) {
			kept = append(kept, c)
			continue
		}
		c.stop()
		dropped = append(dropped, c.v)
	}
	clear(w.checked[len(kept):])
	w.checked = kept
	return dropped
}

// changed records a new version of the script. A Worker that has run
// loads it right away, so that the next request does not wait.
// A Worker with a checked upload pending loads it too: the checked version
// takes over at once, so that its request need not keep it.
func (w *liveScript) changed() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gen++
	if w.cur != nil || len(w.checked) > 0 {
		w.startLoad()
	}
}

func (w *liveScript) shutdown() {
	w.mu.Lock()
	v := w.cur
	w.cur, w.down = nil, true
	dropped := w.dropChecked(func(*checkedVersion) bool { return true })
	w.mu.Unlock()
	if v != nil {
		v.retire()
	}
	for _, v := range dropped {
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
	assets     *assetServer      // nil without static assets
	hasFetch   bool              // the code has a fetch handler (set by load)
	key        [sha256.Size]byte // runtimeKey of the script it runs

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

// newVersion returns a version of a script with no code yet, its isolate
// pool empty.
func (rt *Runtime) newVersion(w *liveScript) *version {
	v := &version{w: w, isolates: make([]*isolate, rt.opts.Isolates)}
	v.refs.Store(1)
	return v
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
		err = sourceMapped(err, sc.Modules)
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

// runtimeKey identifies what a script runs: everything a version's
// preparation and its isolates read from it (code, entry, compatibility,
// bindings, static assets). Versions of two scripts with the same key run
// alike, so that one started for the first serves the second. A script
// that binds version metadata includes its version in the key.
func runtimeKey(sc *store.Script) [sha256.Size]byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte(sc.MainModule))
	field([]byte(sc.BodyPart))
	field([]byte(sc.Settings.CompatibilityDate))
	field([]byte(strings.Join(sc.Settings.CompatibilityFlags, "\x00")))
	field(nil)
	for _, m := range sc.Modules {
		field([]byte(m.Name))
		field([]byte(m.ContentType))
		field(m.Content)
	}
	field(nil)
	for _, b := range sc.Settings.Bindings {
		field(canonicalJSON(b))
		if b.Type() == "version_metadata" {
			field([]byte(sc.VersionID + "\x00" + sc.ModifiedOn))
		}
	}
	field(nil)
	if sc.Assets != nil {
		field(canonicalJSON(sc.Assets.Manifest))
		field(canonicalJSON(sc.Assets.Config))
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// canonicalJSON encodes v with object keys sorted and no spacing, however
// it was spelled (a stored script's JSON comes back re-encoded).
func canonicalJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		return []byte(err.Error())
	}
	var generic any
	if json.Unmarshal(data, &generic) != nil {
		return data
	}
	data, _ = json.Marshal(generic)
	return data
}

// sourceMapped returns a build error with the places its messages name in
// the uploaded modules mapped through the modules' source maps (a part
// named by the module's sourceMappingURL comment, or the comment's data
// URL), to the files the modules were built from, as runtime errors are.
// A place no map covers stays as it is.
func sourceMapped(err error, modules []store.Module) error {
	var be *bundler.Error
	if !errors.As(err, &be) {
		return err
	}
	out := &bundler.Error{Messages: slices.Clone(be.Messages)}
	maps := map[string]*sourcemap.Map{} // by module; nil without one
	for i, msg := range out.Messages {
		if msg.File == "" {
			continue
		}
		m, seen := maps[msg.File]
		if !seen {
			m = uploadedSourceMap(modules, msg.File)
			maps[msg.File] = m
		}
		if file, line, col, text, ok := originalPosition(m, msg.Line, utf16Column(msg.LineText, msg.Column)); ok {
			msg.File, msg.Line = path.Join("/", path.Dir("/"+msg.File), m.SourceRoot, file)[1:], line
			msg.Column, msg.LineText = runeColumn(text, col), text
			if text == "" {
				msg.Length = 0
			} else {
				msg.Length = min(msg.Length, max(utf8.RuneCountInString(text)-msg.Column+1, 1))
			}
			out.Messages[i] = msg
		}
	}
	return out
}

// uploadedSourceMap is the source map of the uploaded module named name,
// or nil.
func uploadedSourceMap(modules []store.Module, name string) *sourcemap.Map {
	byName := func(n string) (store.Module, bool) {
		for _, m := range modules {
			if path.Clean("/" + m.Name)[1:] == n {
				return m, true
			}
		}
		return store.Module{}, false
	}
	mod, ok := byName(name)
	if !ok {
		return nil
	}
	refs := sourceMappingURL.FindAllSubmatch(mod.Content, -1)
	if len(refs) == 0 {
		return nil
	}
	ref := string(refs[len(refs)-1][1])
	var data []byte
	if rest, ok := strings.CutPrefix(ref, "data:"); ok {
		meta, payload, ok := strings.Cut(rest, ",")
		if !ok || !strings.HasSuffix(meta, ";base64") {
			return nil
		}
		if data, _ = base64.StdEncoding.DecodeString(payload); data == nil {
			return nil
		}
	} else if part, ok := byName(path.Join(path.Dir("/"+name), ref)[1:]); ok {
		data = part.Content
	} else {
		return nil
	}
	m, err := sourcemap.Parse(data)
	if err != nil {
		return nil
	}
	return m
}

// sourceMappingURL finds a module's source map comment.
var sourceMappingURL = regexp.MustCompile(`(?m)^[ \t]*//[#@][ \t]*sourceMappingURL=([^\s'"]+)[ \t]*$`)

// originalPosition maps a 1-based line and 0-based UTF-16 column of
// generated code through m to the original source, its 1-based line,
// 0-based UTF-16 column, and that line's text when the map embeds it.
func originalPosition(m *sourcemap.Map, line, col int) (file string, origLine, origCol int, text string, ok bool) {
	if m == nil {
		return "", 0, 0, "", false
	}
	segs, err := sourcemap.Decode(m.Mappings)
	if err != nil {
		return "", 0, 0, "", false
	}
	gl := line - 1
	i := sort.Search(len(segs), func(i int) bool {
		return segs[i].GenLine > gl || segs[i].GenLine == gl && segs[i].GenColumn > col
	}) - 1
	if i < 0 || segs[i].GenLine != gl || segs[i].Source < 0 || segs[i].Source >= len(m.Sources) {
		return "", 0, 0, "", false
	}
	sg := segs[i]
	if content, ok := m.Content(sg.Source); ok {
		if lines := strings.Split(content, "\n"); sg.OrigLine < len(lines) {
			text = strings.TrimSuffix(lines[sg.OrigLine], "\r")
		}
	}
	// Within a mapped stretch the columns move together.
	return m.Sources[sg.Source], sg.OrigLine + 1, sg.OrigColumn + col - sg.GenColumn, text, true
}

// utf16Column converts a 1-based character column of a line into the
// 0-based UTF-16 column source maps count in.
func utf16Column(line string, col int) int {
	units := 0
	for i, r := range []rune(line) {
		if i >= col-1 {
			return units
		}
		units += utf16.RuneLen(r)
	}
	return units + max(col-1-utf8.RuneCountInString(line), 0)
}

// runeColumn converts a 0-based UTF-16 column of a line into a 1-based
// character column.
func runeColumn(line string, col int) int {
	units := 0
	for i, r := range []rune(line) {
		if units >= col {
			return i + 1
		}
		units += utf16.RuneLen(r)
	}
	return utf8.RuneCountInString(line) + max(col-units, 0) + 1
}
