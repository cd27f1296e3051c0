package cloudflare

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cloudflare/cloudflare-go/v6/option"
	"golang.org/x/sync/errgroup"

	"github.com/alchemy-go/alchemy/bundler"
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
	target      string // the Cloudflare deployed to, as the hash names it
	p           props
	name        string
	code        *workerCode
	codeOpts    codeOptions
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
	pl := &workerPlan{req: req, cl: cl, p: p, target: cl.BaseURL()}
	if w.cf.devLocal(p) {
		// The dev session's local Cloudflare listens on a new address each
		// session, but it is always the one whose data sits beside the dev
		// state: a Worker deployed to it in an earlier session is still
		// there.
		pl.target = devTarget
	}
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
	if w.cf.devLocal(p) {
		if err := localBindings(p); err != nil {
			return nil, err
		}
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
	if bundle, ok, err := p.within("bundle"); err != nil {
		return nil, err
	} else if ok {
		for key := range bundle.o.All {
			if !slices.Contains([]string{"define", "loader", "external", "alias"}, key) {
				return nil, bundle.errorf(key, "is not supported yet (define, loader, external and alias are)")
			}
		}
		if o.define, _, err = bundle.stringMap("define"); err != nil {
			return nil, err
		}
		if o.loader, _, err = bundle.stringMap("loader"); err != nil {
			return nil, err
		}
		for ext, name := range o.loader {
			if !strings.HasPrefix(ext, ".") {
				return nil, bundle.errorf("loader."+ext, "must be an extension with its dot, such as \".sql\"")
			}
			if !slices.Contains(bundler.LoaderNames(), name) {
				return nil, bundle.errorf("loader."+ext, "%q is not a loader a Worker bundle can use: one of %s", name, strings.Join(bundler.LoaderNames(), ", "))
			}
		}
		if o.external, _, err = bundle.strings("external"); err != nil {
			return nil, err
		}
		if o.alias, _, err = bundle.stringMap("alias"); err != nil {
			return nil, err
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
	if w.cf.opts.Local && w.cf.opts.Dev != nil {
		o.bundle = w.cf.opts.Dev.BundleWorker
	}
	pl.codeOpts = o
	return buildCode(o)
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

// UpToDate implements engine.Checker: with unchanged props, the Worker is
// up to date when what a deploy would upload hashes to what the last deploy
// uploaded. The plan (with its bundle) is kept for the Update that follows
// otherwise.
func (w *workerProvider) UpToDate(ctx context.Context, req *engine.Request) (bool, error) {
	pl, err := w.plan(req)
	if err != nil {
		return false, err
	}
	req.Memo = pl
	if !pl.deployed() {
		return false, nil
	}
	if w.cf.devLocal(pl.p) {
		// A dev session that starts again serves the unchanged Worker; its
		// record is only rewritten when its address changed.
		url, err := w.serveDev(ctx, pl)
		if err != nil {
			return false, wrap(req, err)
		}
		prev, _ := req.Output.GetString("url")
		return url == prev, nil
	}
	return true, nil
}

// deployed reports whether the last deploy uploaded what this plan would.
func (pl *workerPlan) deployed() bool {
	prev, _ := pl.req.Data.Get(dataDeployHash)
	return prev == value.String(pl.hash)
}

// Update implements engine.Provider. The upload is skipped when nothing it
// would send changed since the last deploy, unless forced.
func (w *workerProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	pl, ok := req.Memo.(*workerPlan)
	if ok {
		// Planned by UpToDate on the same props: only the request differs
		// (this one carries the record's live data).
		pl.req = req
	} else {
		var err error
		if pl, err = w.plan(req); err != nil {
			return nil, err
		}
	}
	if !req.Force && pl.deployed() {
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
	// The rest only needs the script to exist: when it does already, its
	// workers.dev route is set while the new version uploads.
	g, gctx := errgroup.WithContext(ctx)
	subdomainSet := settings != nil
	if subdomainSet {
		g.Go(func() error { return w.setSubdomain(gctx, pl) })
	}
	if err := w.uploadWithTag(ctx, pl, mig, assets); err != nil {
		g.Wait()
		return err
	}
	if !subdomainSet {
		g.Go(func() error { return w.setSubdomain(gctx, pl) })
	}
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

// uploadWithTag uploads the script; when Cloudflare refuses the Durable
// Object migrations for their tag (412), it retries once with the tag
// Cloudflare says it expects.
func (w *workerProvider) uploadWithTag(ctx context.Context, pl *workerPlan, mig doMigration, assets *value.Object) error {
	err := w.upload(ctx, pl, mig, assets)
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
	return w.upload(ctx, pl, mig, assets)
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
	if w.cf.devLocal(p) {
		// Under --dev every Worker answers on localhost, workers.dev or not.
		if url, err = w.serveDev(ctx, pl); err != nil {
			return nil, wrap(req, err)
		}
	} else if pl.url {
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
	stampTimes(out, req, value.DateOf(timeNow()), deployed)
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
	// A Worker that had neither queue consumers nor workflows is deleted at
	// once; otherwise (or when that is refused) what hangs off it goes
	// first.
	if !hasAttachments(p) {
		err := deleteScript(ctx, cl, name)
		if err == nil {
			w.stopDev(p, name)
		}
		if ae, ok := asAPIError(err); !ok || ae.Status >= 500 || ae.Status == http.StatusTooManyRequests {
			return wrap(req, err)
		}
	}
	if err := w.detach(ctx, cl, name); err != nil {
		return wrap(req, err)
	}
	if err := deleteScript(ctx, cl, name); err != nil {
		return wrap(req, err)
	}
	w.stopDev(p, name)
	return nil
}

// hasAttachments reports whether a Worker's props give it queue consumers
// or workflows, which go before the script.
func hasAttachments(p props) bool {
	if es, ok, _ := p.array("eventSources"); ok && len(es) > 0 {
		return true
	}
	b, _, _ := p.object("bindings")
	for _, v := range b.All {
		if o, ok := v.(*value.Object); ok {
			if t, _ := o.GetString("type"); t == TypeWorkflow {
				return true
			}
		}
	}
	return false
}

// deleteScript deletes a script with its Durable Object namespaces; a
// missing script is fine.
func deleteScript(ctx context.Context, cl *Client, name string) error {
	path, err := cl.accountPath(ctx, "workers/scripts/"+name+"?force=true")
	if err != nil {
		return err
	}
	_, err = cl.Call(ctx, fmt.Sprintf("delete Worker %q", name), http.MethodDelete, path, nil, nil)
	return ignoreNotFound(err)
}

// detach deletes the queue consumers of a script and the workflows it
// runs, as Cloudflare lists them.
func (w *workerProvider) detach(ctx context.Context, cl *Client, name string) error {
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
		return err
	}
	for _, c := range consumers {
		path, err := cl.accountPath(ctx, "queues/"+c.QueueID+"/consumers/"+c.ConsumerID)
		if err != nil {
			return err
		}
		if _, err := cl.Call(ctx, fmt.Sprintf("delete consumer %s of queue %s", c.ConsumerID, c.QueueID), http.MethodDelete, path, nil, nil); ignoreNotFound(err) != nil {
			return err
		}
	}
	if settings == nil {
		return nil
	}
	for _, b := range settings.Bindings {
		if b.Type != TypeWorkflow || (b.ScriptName != "" && b.ScriptName != name) || b.WorkflowName == "" {
			continue
		}
		path, err := cl.accountPath(ctx, "workflows/"+b.WorkflowName)
		if err != nil {
			return err
		}
		if _, err := cl.Call(ctx, fmt.Sprintf("delete workflow %q", b.WorkflowName), http.MethodDelete, path, nil, nil); ignoreNotFound(err) != nil {
			return err
		}
	}
	return nil
}

// stopDev stops serving a deleted Worker on localhost under --dev.
func (w *workerProvider) stopDev(p props, name string) {
	if w.cf.devLocal(p) {
		w.cf.opts.Dev.StopWorker(name)
	}
}
