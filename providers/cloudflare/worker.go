package cloudflare

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cloudflare/cloudflare-go/v6/option"
	"golang.org/x/sync/errgroup"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// DefaultCompatibilityDate is the compatibility date of a Worker that sets
// none (the TypeScript Alchemy 0.94's default).
const DefaultCompatibilityDate = "2026-07-08"

// nodeCompatMinDate is the first date nodejs_compat works with (v2).
const nodeCompatMinDate = "2024-09-23"

// Keys of a Worker's record data.
const (
	// dataDeployHash is the hash of everything the last deploy uploaded.
	dataDeployHash = "deployHash"
	// dataHashKey keys that hash when the upload holds secrets, so that
	// the hash says nothing about them; it is stored as a secret.
	dataHashKey = "deployHashKey"
)

// workerProvider is cloudflare::Worker. It updates on every run, as in the
// TypeScript library, but skips the upload when nothing it would upload
// changed since the last deploy.
type workerProvider struct{ cf *Cloudflare }

// AlwaysUpdate implements engine.AlwaysUpdater: the code may change
// without the props changing.
func (w *workerProvider) AlwaysUpdate() bool { return true }

// workerPlan is everything a deploy needs, computed from the props before
// any API call.
type workerPlan struct {
	req         *engine.Request
	cl          *Client
	p           props
	name        string
	code        *workerCode
	bindings    *workerBindings
	compatDate  string
	compatFlags []string
	url         bool
	previews    value.Value // previews_enabled
	crons       []string
	hasCrons    bool
	assets      []assetFile
	assetsCfg   *value.Object
	hash        string
	hashKey     *value.Secret
}

// Diff implements engine.Differ: a new script name makes a new Worker (the
// old one is deleted at finalize).
func (w *workerProvider) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	p, err := propsOf(req)
	if err != nil {
		return engine.ChangeUpdate, err
	}
	name, err := workerName(req, p)
	if err != nil {
		return engine.ChangeUpdate, err
	}
	if prev, _ := req.Output.GetString("name"); prev != "" && prev != name {
		return engine.ChangeReplace, nil
	}
	return engine.ChangeUpdate, nil
}

// workerName is props.name ?? output.name ?? the physical name, lower-cased.
func workerName(req *engine.Request, p props) (string, error) {
	if name, ok, err := p.str("name"); err != nil || ok {
		return name, err
	}
	if req.Output != nil {
		if prev, ok := req.Output.GetString("name"); ok && prev != "" {
			return prev, nil
		}
	}
	return strings.ToLower(req.PhysicalName()), nil
}

// plan reads the props, bundles the code and hashes what would be uploaded.
func (w *workerProvider) plan(req *engine.Request) (*workerPlan, error) {
	cl, p, err := w.cf.clientOf(req)
	if err != nil {
		return nil, err
	}
	pl := &workerPlan{req: req, cl: cl, p: p}
	if pl.name, err = workerName(req, p); err != nil {
		return nil, err
	}
	for _, unsupported := range []string{"namespace", "version"} {
		if _, ok := p.get(unsupported); ok {
			return nil, p.errorf(unsupported, "is not supported yet")
		}
	}
	if err := w.compat(pl); err != nil {
		return nil, err
	}
	if pl.code, err = w.buildCode(pl); err != nil {
		return nil, wrap(req, err)
	}
	if pl.bindings, err = buildBindings(p, pl.name); err != nil {
		return nil, err
	}
	if pl.url, err = p.boolean("url", true); err != nil {
		return nil, err
	}
	pl.previews = value.Bool(!pl.bindings.ownDurableObjects())
	if v, ok := p.get("previewSubdomains"); ok {
		pl.previews = v
	}
	if pl.crons, pl.hasCrons, err = p.strings("crons"); err != nil {
		return nil, err
	}
	if dir := pl.bindings.assetsDir; dir != "" {
		abs := w.cf.resolve(dir)
		if pl.assets, err = readAssets(abs); err != nil {
			return nil, wrap(req, fmt.Errorf("assets %s: %w", dir, err))
		}
		if pl.assetsCfg, err = assetsConfig(p, abs); err != nil {
			return nil, err
		}
	}
	if err := pl.computeHash(); err != nil {
		return nil, wrap(req, err)
	}
	return pl, nil
}

// compat resolves the compatibility date and flags.
func (w *workerProvider) compat(pl *workerPlan) error {
	p := pl.p
	date, ok, err := p.str("compatibilityDate")
	if err != nil {
		return err
	}
	if !ok {
		date = DefaultCompatibilityDate
	}
	pl.compatDate = date
	var flags []string
	if preset, ok, err := p.str("compatibility"); err != nil {
		return err
	} else if ok {
		if preset != "node" {
			return p.errorf("compatibility", "unknown preset %q (want \"node\")", preset)
		}
		flags = append(flags, "nodejs_compat", "nodejs_compat_populate_process_env")
	}
	given, _, err := p.strings("compatibilityFlags")
	if err != nil {
		return err
	}
	for _, f := range given {
		if !slices.Contains(flags, f) {
			flags = append(flags, f)
		}
	}
	if flags == nil {
		flags = []string{}
	}
	pl.compatFlags = flags
	if slices.Contains(flags, "nodejs_compat") && !slices.Contains(flags, "nodejs_compat_v2") && date < nodeCompatMinDate {
		return p.errorf("compatibilityDate", "must be %s or later with the nodejs_compat flag (it is %s)", nodeCompatMinDate, date)
	}
	return nil
}

// buildCode bundles or reads the Worker's code.
func (w *workerProvider) buildCode(pl *workerPlan) (*workerCode, error) {
	p := pl.p
	script, inline, err := p.str("script")
	if err != nil {
		return nil, err
	}
	entry, hasEntry, err := p.str("entrypoint")
	if err != nil {
		return nil, err
	}
	if inline == hasEntry {
		return nil, p.errorf("entrypoint", "give either entrypoint (a file to bundle) or script (inline code)")
	}
	o := codeOptions{dir: w.cf.opts.Dir, entrypoint: entry, script: script, inline: inline, sourceMap: true}
	if cwd, ok, err := p.str("cwd"); err != nil {
		return nil, err
	} else if ok {
		o.dir = w.cf.resolve(cwd)
	} else if root, ok, _ := p.str("projectRoot"); ok {
		o.dir = w.cf.resolve(root)
	}
	if o.format, _, err = p.str("format"); err != nil {
		return nil, err
	}
	o.format = orDefault(o.format, "esm")
	if o.noBundle, err = p.boolean("noBundle", false); err != nil {
		return nil, err
	}
	if o.sourceMap, err = p.boolean("sourceMap", true); err != nil {
		return nil, err
	}
	o.nodeCompat = slices.ContainsFunc(pl.compatFlags, func(f string) bool { return strings.HasPrefix(f, "nodejs_compat") || f == "nodejs_als" })
	if bundle, ok, err := p.object("bundle"); err != nil {
		return nil, err
	} else if ok {
		for key := range bundle.All {
			if key != "define" {
				return nil, p.errorf("bundle."+key, "is not supported yet (only bundle.define is)")
			}
		}
		if define, ok := bundle.GetObject("define"); ok {
			o.define = map[string]string{}
			for k, v := range define.All {
				s, isStr := v.(value.String)
				if !isStr {
					return nil, p.errorf("bundle.define."+k, "must be a string")
				}
				o.define[k] = string(s)
			}
		}
	}
	if rules, ok, err := p.array("rules"); err != nil {
		return nil, err
	} else if ok {
		for i, r := range rules {
			ro, _ := r.(*value.Object)
			globs, _ := ro.Get("globs")
			arr, _ := globs.(value.Array)
			for _, g := range arr {
				if s, ok := g.(value.String); ok {
					o.globs = append(o.globs, string(s))
				} else {
					return nil, p.errorf(fmt.Sprintf("rules[%d].globs", i), "must be strings")
				}
			}
		}
	}
	return buildCode(o)
}

// metadata is the upload metadata, keys in the order the TypeScript
// library sends them. tags and migrations are nil for the hash.
func (pl *workerPlan) metadata(tags []string, migrations *value.Object, assets *value.Object) (*value.Object, error) {
	p := pl.p
	m := value.NewObject(16)
	m.Set("compatibility_date", value.String(pl.compatDate))
	m.Set("compatibility_flags", stringArray(pl.compatFlags))
	if tc, ok, err := p.array("tailConsumers"); err != nil {
		return nil, err
	} else if ok {
		out := value.Array{}
		for _, c := range tc {
			if o, ok := c.(*value.Object); ok {
				if kind, _ := o.GetString(value.KeyKind); kind == KindWorker {
					name, _ := o.GetString("name")
					out = append(out, value.Obj("service", value.String(name)))
					continue
				}
			}
			out = append(out, c)
		}
		m.Set("tail_consumers", out)
	}
	bindings := make(value.Array, len(pl.bindings.meta))
	for i, b := range pl.bindings.meta {
		bindings[i] = b
	}
	m.Set("bindings", bindings)
	obs := value.NewObject(4)
	if o, ok, err := p.object("observability"); err != nil {
		return nil, err
	} else if ok {
		obs = snakeKeys(o)
	}
	enabled, _ := obs.GetBool("enabled")
	if v, ok := obs.Get("enabled"); !ok || v != value.Bool(false) {
		enabled = true
	}
	obs.Set("enabled", value.Bool(enabled))
	m.Set("observability", obs)
	logpush, err := p.boolean("logpush", false)
	if err != nil {
		return nil, err
	}
	m.Set("logpush", value.Bool(logpush))
	if cache, ok := p.get("cache"); ok {
		co := value.NewObject(2)
		switch c := cache.(type) {
		case value.Bool:
			co.Set("enabled", c)
		case *value.Object:
			e, ok := c.GetBool("enabled")
			co.Set("enabled", value.Bool(e || !ok))
			if v, ok := c.Get("crossVersionCache"); ok {
				co.Set("cross_version_cache", v)
			}
		default:
			return nil, p.errorf("cache", "must be a boolean or an object")
		}
		m.Set("cache_options", co)
	}
	if tags != nil {
		m.Set("tags", stringArray(tags))
	}
	if migrations != nil {
		m.Set("migrations", migrations)
	}
	for _, f := range []string{"placement", "limits"} {
		if v, ok := p.get(f); ok {
			m.Set(f, v)
		}
	}
	if assets != nil {
		m.Set("assets", assets)
	}
	if pl.code.commonJS {
		m.Set("body_part", value.String(pl.code.main))
	} else {
		m.Set("main_module", value.String(pl.code.main))
	}
	return m, nil
}

func stringArray(s []string) value.Array {
	a := make(value.Array, len(s))
	for i, x := range s {
		a[i] = value.String(x)
	}
	return a
}

// snakeKeys converts camelCase keys to snake_case, deeply.
func snakeKeys(o *value.Object) *value.Object {
	out := value.NewObject(o.Len())
	for k, v := range o.All {
		if c, ok := v.(*value.Object); ok {
			v = snakeKeys(c)
		}
		var b strings.Builder
		for i, r := range k {
			if r >= 'A' && r <= 'Z' {
				if i > 0 {
					b.WriteByte('_')
				}
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		}
		out.Set(b.String(), v)
	}
	return out
}

// computeHash hashes what a deploy would send: the modules, the metadata
// (secrets in plaintext, so the hash is keyed by a secret of the
// Worker's own when it has any), the workers.dev settings, crons,
// workflows and the assets.
func (pl *workerPlan) computeHash() error {
	meta, err := pl.metadata(planTags(pl), nil, nil)
	if err != nil {
		return err
	}
	in := value.NewObject(12)
	in.Set("name", value.String(pl.name))
	in.Set("api", value.String(pl.cl.BaseURL()))
	in.Set("metadata", meta)
	mods := value.Array{}
	for _, m := range pl.code.modules {
		sum := sha256.Sum256(m.Content)
		mods = append(mods, value.Obj("name", value.String(m.Name), "type", value.String(m.ContentType), "sha256", value.String(hex.EncodeToString(sum[:]))))
	}
	in.Set("modules", mods)
	in.Set("url", value.Bool(pl.url))
	in.Set("previews", pl.previews)
	if pl.hasCrons {
		in.Set("crons", stringArray(pl.crons))
	}
	wfs := value.Array{}
	for _, wf := range pl.bindings.workflows {
		wfs = append(wfs, value.Array{value.String(wf.workflowName), value.String(wf.className)})
	}
	in.Set("workflows", wfs)
	if pl.assetsCfg != nil {
		in.Set("assets", value.Obj("manifest", value.String(manifestHash(pl.assets)), "config", pl.assetsCfg))
	}
	raw, err := plainJSON(in)
	if err != nil {
		return err
	}
	if !pl.bindings.hasSecrets {
		sum := sha256.Sum256(raw)
		pl.hash = "sha256:" + hex.EncodeToString(sum[:])
		return nil
	}
	key := pl.existingHashKey()
	if key == nil {
		b := make([]byte, 32)
		rand.Read(b)
		key = value.NewSecret(hex.EncodeToString(b))
	}
	pl.hashKey = key
	mac := hmac.New(sha256.New, []byte(key.Value.(value.String)))
	mac.Write(raw)
	pl.hash = "hmac-sha256:" + hex.EncodeToString(mac.Sum(nil))
	return nil
}

func (pl *workerPlan) existingHashKey() *value.Secret {
	if pl.req.Data == nil {
		return nil
	}
	v, _ := pl.req.Data.Get(dataHashKey)
	s, ok := v.(*value.Secret)
	if !ok {
		return nil
	}
	if _, isStr := s.Value.(value.String); !isStr {
		return nil
	}
	return s
}

// planTags are the tags the Worker's own bindings give (the migration tag
// bookkeeping aside).
func planTags(pl *workerPlan) []string {
	tags := []string{}
	for _, d := range pl.bindings.durableObjects {
		tags = append(tags, doTagPrefix+d.stableID+":"+d.name)
	}
	return tags
}

// Create implements engine.Provider. An existing script of the same name
// is an error unless adopted (or left by an interrupted create).
func (w *workerProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, err := w.cf.clientOf(req)
	if err != nil {
		return nil, err
	}
	name, err := workerName(req, p)
	if err != nil {
		return nil, err
	}
	// The lookups run while the code is bundled.
	settings := w.prefetch(ctx, cl, p, name)
	pl, err := w.plan(req)
	if err != nil {
		return nil, err
	}
	prev, err := settings()
	if err != nil {
		return nil, wrap(req, err)
	}
	if prev != nil && !takeOver(req) {
		return nil, wrap(req, fmt.Errorf("a Worker named %q already exists on the account: use adopt: true or --adopt to take it over, or choose another name", pl.name))
	}
	if err := w.deploy(ctx, pl, prev); err != nil {
		return nil, wrap(req, err)
	}
	return w.finish(ctx, pl, true)
}

// prefetch starts reading the script's settings (and the account's
// workers.dev subdomain, which the output url needs) and returns a function
// waiting for the settings.
func (w *workerProvider) prefetch(ctx context.Context, cl *Client, p props, name string) func() (*scriptSettings, error) {
	if url, _ := p.boolean("url", true); url {
		go cl.AccountSubdomain(ctx) // cached for finish; its error shows there
	}
	var s *scriptSettings
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		s, err = w.settings(ctx, cl, name)
	}()
	return func() (*scriptSettings, error) {
		<-done
		return s, err
	}
}

// Update implements engine.Provider.
func (w *workerProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	pl, err := w.plan(req)
	if err != nil {
		return nil, err
	}
	prev, _ := req.Data.Get(dataDeployHash)
	if prev == value.String(pl.hash) {
		return w.finish(ctx, pl, false)
	}
	settings, err := w.prefetch(ctx, pl.cl, pl.p, pl.name)()
	if err != nil {
		return nil, wrap(req, err)
	}
	if err := w.deploy(ctx, pl, settings); err != nil {
		return nil, wrap(req, err)
	}
	return w.finish(ctx, pl, true)
}

// settings reads the deployed script's settings; nil when there is no such
// script.
func (w *workerProvider) settings(ctx context.Context, cl *Client, name string) (*scriptSettings, error) {
	path, err := cl.accountPath(ctx, "workers/scripts/"+name+"/settings")
	if err != nil {
		return nil, err
	}
	var s scriptSettings
	_, err = cl.Call(ctx, fmt.Sprintf("read the settings of Worker %q", name), http.MethodGet, path, nil, &s)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// deploy uploads the script (assets first), then sets its workers.dev
// subdomain, cron triggers and workflows.
func (w *workerProvider) deploy(ctx context.Context, pl *workerPlan, settings *scriptSettings) error {
	cl, name := pl.cl, pl.name
	if len(pl.bindings.devNames) > 0 {
		sub, err := cl.AccountSubdomain(ctx)
		if err != nil {
			return err
		}
		pl.bindings.fillDevNames(name + "." + sub + ".workers.dev")
	}
	var assets *value.Object
	if pl.assetsCfg != nil {
		token, err := uploadAssets(ctx, cl, name, pl.assets)
		if err != nil {
			return err
		}
		assets = value.Obj("jwt", value.String(token), "config", pl.assetsCfg)
	}
	_, hasBindings := pl.p.get("bindings")
	mig := planMigrations(settings, pl.bindings.durableObjects, name, hasBindings)
	if err := w.upload(ctx, pl, mig, assets); err != nil {
		ae, ok := asAPIError(err)
		if !ok || (ae.Status != http.StatusPreconditionFailed && !ae.HasCode(10079)) {
			return err
		}
		tag, found := "", false
		for _, d := range ae.Errors {
			if tag, found = tagFromPreconditionError(d.Message); found {
				break
			}
		}
		if !found {
			return err
		}
		mig.oldTag, mig.newTag = tag, bumpMigrationTag(tag)
		if tag == "" {
			mig.newTag = ""
		}
		if err := w.upload(ctx, pl, mig, assets); err != nil {
			return err
		}
	}
	// The rest only needs the script to exist.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return w.setSubdomain(gctx, pl) })
	if pl.hasCrons {
		g.Go(func() error {
			path, err := cl.accountPath(gctx, "workers/scripts/"+name+"/schedules")
			if err != nil {
				return err
			}
			body := make([]map[string]string, len(pl.crons))
			for i, c := range pl.crons {
				body[i] = map[string]string{"cron": c}
			}
			_, err = cl.Call(gctx, fmt.Sprintf("set the cron triggers of Worker %q", name), http.MethodPut, path, body, nil)
			return err
		})
	}
	for _, wf := range pl.bindings.workflows {
		g.Go(func() error {
			path, err := cl.accountPath(gctx, "workflows/"+wf.workflowName)
			if err != nil {
				return err
			}
			_, err = cl.Call(gctx, fmt.Sprintf("create workflow %q", wf.workflowName), http.MethodPut, path,
				map[string]string{"class_name": wf.className, "script_name": name}, nil)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	pl.req.Data.Set(dataDeployHash, value.String(pl.hash))
	if pl.hashKey != nil {
		pl.req.Data.Set(dataHashKey, pl.hashKey)
	} else {
		pl.req.Data.Delete(dataHashKey)
	}
	return nil
}

// upload PUTs the script: one part per module (named by its file name),
// then the metadata.
func (w *workerProvider) upload(ctx context.Context, pl *workerPlan, mig doMigration, assets *value.Object) error {
	tags := mig.tags
	if tags == nil {
		tags = []string{}
	}
	meta, err := pl.metadata(tags, mig.object(), assets)
	if err != nil {
		return err
	}
	metaJSON, err := plainJSON(meta)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part := func(name, filename, contentType string, data []byte) error {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, filename))
		hdr.Set("Content-Type", contentType)
		pw, err := mw.CreatePart(hdr)
		if err != nil {
			return err
		}
		_, err = pw.Write(data)
		return err
	}
	for _, m := range pl.code.modules {
		if err := part(m.Name, m.Name, m.ContentType, m.Content); err != nil {
			return err
		}
	}
	if err := part("metadata", "blob", "application/json", metaJSON); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	path, err := pl.cl.accountPath(ctx, "workers/scripts/"+pl.name)
	if err != nil {
		return err
	}
	_, err = pl.cl.Call(ctx, fmt.Sprintf("upload Worker %q", pl.name), http.MethodPut, path, nil, nil,
		option.WithRequestBody(mw.FormDataContentType(), body.Bytes()))
	return err
}

// setSubdomain turns the script's workers.dev route on or off.
func (w *workerProvider) setSubdomain(ctx context.Context, pl *workerPlan) error {
	path, err := pl.cl.accountPath(ctx, "workers/scripts/"+pl.name+"/subdomain")
	if err != nil {
		return err
	}
	body := map[string]any{"enabled": pl.url}
	if pl.url {
		body["previews_enabled"] = pl.previews
	}
	_, err = pl.cl.Call(ctx, fmt.Sprintf("set the workers.dev route of Worker %q", pl.name), http.MethodPost, path, body, nil)
	if !pl.url && IsNotFound(err) {
		return nil
	}
	return err
}

// finish applies the child resources (custom domains, queue consumers,
// routes) and builds the output. deployed is false when the upload was
// skipped: the previous url and updatedAt stand.
func (w *workerProvider) finish(ctx context.Context, pl *workerPlan, deployed bool) (*value.Object, error) {
	req, p := pl.req, pl.p
	domains, routes, err := w.children(ctx, pl)
	if err != nil {
		return nil, err
	}
	url := ""
	if pl.url {
		if prev, ok := req.Output.GetString("url"); ok && !deployed {
			url = prev
		} else {
			sub, err := pl.cl.AccountSubdomain(ctx)
			if err != nil {
				return nil, wrap(req, err)
			}
			url = "https://" + pl.name + "." + sub + ".workers.dev"
		}
	}
	out := copyIdentityless(p.o)
	out.Set("type", value.String(TypeService))
	out.Set("id", value.String(req.ID))
	if v, ok := p.get("entrypoint"); ok {
		out.Set("entrypoint", v)
	}
	out.Set("name", value.String(pl.name))
	cwd := ""
	if c, ok, _ := p.str("cwd"); ok {
		if rel, err := filepath.Rel(w.cf.opts.Dir, w.cf.resolve(c)); err == nil && rel != "." {
			cwd = filepath.ToSlash(rel)
		}
	}
	out.Set("cwd", value.String(cwd))
	out.Set("compatibilityDate", value.String(pl.compatDate))
	out.Set("compatibilityFlags", stringArray(pl.compatFlags))
	format, _, _ := p.str("format")
	out.Set("format", value.String(orDefault(format, "esm")))
	if b, ok, _ := p.object("bindings"); ok {
		exported := value.NewObject(b.Len())
		for k, v := range b.All {
			exported.Set(k, exportBinding(v, pl.name))
		}
		out.Set("bindings", exported)
	}
	for _, f := range []string{"env", "observability"} {
		v, _ := p.get(f)
		out.Set(f, v)
	}
	now := value.DateOf(timeNow())
	created, ok := req.Output.Get("createdAt")
	if !ok {
		created = now
	}
	out.Set("createdAt", created)
	updated, ok := req.Output.Get("updatedAt")
	if deployed || !ok {
		updated = now
	}
	out.Set("updatedAt", updated)
	v, _ := p.get("eventSources")
	out.Set("eventSources", v)
	out.Set("url", strOrAbsent(url))
	for _, f := range []string{"assets", "crons", "tailConsumers"} {
		v, _ := p.get(f)
		out.Set(f, v)
	}
	out.Set("routes", routes)
	out.Set("domains", domains)
	for _, f := range []string{"namespace", "version", "placement", "limits"} {
		v, _ := p.get(f)
		out.Set(f, v)
	}
	out.Set("dev", value.Obj("hasRemote", value.Bool(true)))
	return out, nil
}

// children starts the Worker's custom domains, queue consumers and routes
// in its scope (in that order, as the TypeScript library does) and waits
// for them. Children from earlier runs that are gone are deleted when the
// handler returns.
func (w *workerProvider) children(ctx context.Context, pl *workerPlan) (domains, routes value.Value, err error) {
	req, p := pl.req, pl.p
	if req.Scope == nil {
		return nil, nil, nil
	}
	common := func(o *value.Object) {
		del, _ := p.get("delete")
		o.Set("delete", del)
		o.Set("dev", value.Bool(w.cf.opts.Local))
		for _, f := range []string{"accountId", "apiKey", "apiToken", "email", "baseUrl", "profile"} {
			v, _ := p.get(f)
			o.Set(f, v)
		}
	}
	adopt := value.Bool(req.Adopt)
	type started struct {
		h    *engine.Handle
		kind string
	}
	var all []started
	start := func(kind, id string, props *value.Object) error {
		h, err := req.Scope.Start(ctx, kind, id, props)
		if err != nil {
			return wrap(req, err)
		}
		all = append(all, started{h, kind})
		return nil
	}
	seen := map[string]bool{}
	if list, ok, err := p.array("domains"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, d := range list {
			field := fmt.Sprintf("domains[%d]", i)
			o := value.NewObject(8)
			var host string
			a := value.Value(adopt)
			switch d := d.(type) {
			case value.String:
				host = string(d)
				o.Set("name", d)
			case *value.Object:
				host, _ = d.GetString("domainName")
				o.Set("name", value.String(host))
				v, _ := d.Get("zoneId")
				o.Set("zoneId", v)
				if v, ok := d.Get("adopt"); ok {
					a = v
				}
				o.Set("adopt", a)
				v, _ = d.Get("overrideExistingOrigin")
				o.Set("overrideExistingOrigin", v)
			default:
				return nil, nil, p.errorf(field, "must be a hostname or {domainName, zoneId?, adopt?}")
			}
			if host == "" {
				return nil, nil, p.errorf(field, "domain names cannot be empty")
			}
			if seen["d:"+host] {
				return nil, nil, p.errorf(field, "custom domain %s is listed twice", host)
			}
			seen["d:"+host] = true
			o.Set("adopt", a)
			common(o)
			o.Set("workerName", value.String(pl.name))
			// The library spreads dev after workerName; keep its order.
			dev, _ := o.Delete("dev")
			o.Set("dev", dev)
			for _, f := range []string{"accountId", "apiKey", "apiToken", "email", "baseUrl", "profile"} {
				if v, ok := o.Delete(f); ok {
					o.Set(f, v)
				}
			}
			if err := start(KindCustomDomain, host, o); err != nil {
				return nil, nil, err
			}
		}
	}
	if list, ok, err := p.array("eventSources"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, es := range list {
			field := fmt.Sprintf("eventSources[%d]", i)
			eo, isObj := es.(*value.Object)
			if !isObj {
				return nil, nil, p.errorf(field, "must be a Queue or {queue, settings?}")
			}
			queue := value.Value(eo)
			var settings value.Value
			if kind, _ := eo.GetString(value.KeyKind); kind == KindQueue || (kind == "" && !eo.Has("queue")) {
				if dlq, ok := eo.Get("dlq"); ok {
					settings = value.Obj("deadLetterQueue", dlq)
				}
			} else {
				queue, _ = eo.Get("queue")
				settings, _ = eo.Get("settings")
			}
			qo, _ := queue.(*value.Object)
			qid, _ := qo.GetString("id")
			if w.cf.opts.Local {
				if dev, ok := qo.GetObject("dev"); ok {
					if id, ok := dev.GetString("id"); ok && id != "" {
						qid = id
					}
				}
			}
			if qid == "" {
				return nil, nil, p.errorf(field, "the queue has no id")
			}
			o := value.Obj("queue", queue, "scriptName", value.String(pl.name))
			o.Set("settings", settings)
			o.Set("adopt", adopt)
			common(o)
			if err := start(KindQueueConsumer, qid+"-consumer", o); err != nil {
				return nil, nil, err
			}
		}
	}
	if list, ok, err := p.array("routes"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, r := range list {
			field := fmt.Sprintf("routes[%d]", i)
			o := value.NewObject(8)
			var pattern string
			a := value.Value(adopt)
			var zone value.Value
			switch r := r.(type) {
			case value.String:
				pattern = string(r)
			case *value.Object:
				pattern, _ = r.GetString("pattern")
				zone, _ = r.Get("zoneId")
				if v, ok := r.Get("adopt"); ok {
					a = v
				}
			default:
				return nil, nil, p.errorf(field, "must be a pattern or {pattern, zoneId?, adopt?}")
			}
			if pattern == "" {
				return nil, nil, p.errorf(field, "the route pattern is empty")
			}
			if seen["r:"+pattern] {
				return nil, nil, p.errorf(field, "route %s is listed twice", pattern)
			}
			seen["r:"+pattern] = true
			o.Set("pattern", value.String(pattern))
			o.Set("script", value.String(pl.name))
			o.Set("zoneId", zone)
			o.Set("adopt", a)
			common(o)
			if err := start(KindRoute, pattern, o); err != nil {
				return nil, nil, err
			}
		}
	}
	var errs []error
	var domainOuts, routeOuts value.Array
	for _, s := range all {
		out, err := s.h.Wait(ctx)
		switch {
		case err != nil:
			errs = append(errs, err)
		case s.kind == KindCustomDomain:
			domainOuts = append(domainOuts, out)
		case s.kind == KindRoute:
			routeOuts = append(routeOuts, out)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs[0]
	}
	if _, ok := p.get("domains"); ok {
		domains = orEmptyArray(domainOuts)
	}
	if _, ok := p.get("routes"); ok {
		routes = orEmptyArray(routeOuts)
	}
	return domains, routes, nil
}

// Delete implements engine.Provider: the script's queue consumers and its
// workflows go first, then the script (with its Durable Object
// namespaces). Its routes and custom domains are deleted after it by the
// engine.
func (w *workerProvider) Delete(ctx context.Context, req *engine.Request) error {
	cl, p, err := w.cf.clientOf(req)
	if err != nil {
		return err
	}
	if del, err := deleteEnabled(p); err != nil || !del {
		return err
	}
	if dev, ok := req.Output.GetObject("dev"); ok {
		if remote, ok := dev.GetBool("hasRemote"); ok && !remote {
			return nil
		}
	}
	name, _ := req.Output.GetString("name")
	if name == "" {
		return nil
	}
	var consumers []consumerJSON
	var settings *scriptSettings
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		consumers, err = scriptConsumers(gctx, cl, name)
		return err
	})
	g.Go(func() (err error) {
		settings, err = w.settings(gctx, cl, name)
		return err
	})
	if err := g.Wait(); err != nil {
		return wrap(req, err)
	}
	for _, c := range consumers {
		path, err := cl.accountPath(ctx, "queues/"+c.QueueID+"/consumers/"+c.ConsumerID)
		if err != nil {
			return wrap(req, err)
		}
		if _, err := cl.Call(ctx, fmt.Sprintf("delete consumer %s of queue %s", c.ConsumerID, c.QueueID), http.MethodDelete, path, nil, nil); ignoreNotFound(err) != nil {
			return wrap(req, err)
		}
	}
	if settings != nil {
		for _, b := range settings.Bindings {
			if b.Type != TypeWorkflow || (b.ScriptName != "" && b.ScriptName != name) || b.WorkflowName == "" {
				continue
			}
			path, err := cl.accountPath(ctx, "workflows/"+b.WorkflowName)
			if err != nil {
				return wrap(req, err)
			}
			if _, err := cl.Call(ctx, fmt.Sprintf("delete workflow %q", b.WorkflowName), http.MethodDelete, path, nil, nil); ignoreNotFound(err) != nil {
				return wrap(req, err)
			}
		}
	}
	path, err := cl.accountPath(ctx, "workers/scripts/"+name+"?force=true")
	if err != nil {
		return wrap(req, err)
	}
	_, err = cl.Call(ctx, fmt.Sprintf("delete Worker %q", name), http.MethodDelete, path, nil, nil)
	return wrap(req, ignoreNotFound(err))
}
