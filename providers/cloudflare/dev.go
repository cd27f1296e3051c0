package cloudflare

import (
	"context"
	"fmt"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/value"
)

// DevHost is the dev session a run under --dev deploys into: it bundles
// Workers incrementally and serves each deployed Worker on its own
// localhost port. The provider stays a client of the (local) REST API for
// everything else.
type DevHost interface {
	// BundleWorker bundles a Worker entrypoint, reusing the previous
	// build of the same options.
	BundleWorker(opts bundler.WorkerOptions) (*bundler.Worker, error)
	// ServeWorker serves a deployed script on localhost (starting its
	// server the first time) and returns its URL, "http://localhost:PORT/".
	ServeWorker(ctx context.Context, w DevWorker) (string, error)
	// StopWorker stops serving a script that was deleted.
	StopWorker(script string)
}

// DevWorker is a Worker deployed to the local Cloudflare under --dev.
type DevWorker struct {
	// FQN names the resource in the [dev] lines.
	FQN string
	// Script is the script name on the local Cloudflare.
	Script string
	// Port is the port the props pin (dev.port), 0 for any.
	Port int
	// PreviousURL is the URL of the previous run, whose port is preferred.
	PreviousURL string
	// Inputs are the files the code was built from (none for inline code).
	Inputs []string
	// Rebuild bundles the code again from the files as they are now, for a
	// swap in place; nil when the Worker is not bundled from files.
	Rebuild func() (DevCode, error)
}

// DevCode is a Worker's code as the local Cloudflare stores it.
type DevCode struct {
	MainModule string
	Modules    []bundler.UploadedModule
	Inputs     []string
}

// devTarget names the dev session's local Cloudflare in a Worker's deploy
// hash, in place of its API address.
const devTarget = "dev"

// devLocal reports whether a resource is made on the local Cloudflare:
// under --dev, unless its props ask for the real one (dev.remote).
func (c *Cloudflare) devLocal(p props) bool {
	return c.opts.Local && c.opts.Dev != nil && !wantsRemote(p)
}

// wantsRemote reads props.dev.remote, tolerating a dev prop that is not
// an object (the children of a Worker carry dev: boolean).
func wantsRemote(p props) bool {
	v, ok := p.get("dev")
	if !ok {
		return false
	}
	o, isObj := v.(*value.Object)
	if !isObj {
		return false
	}
	b, _ := o.GetBool("remote")
	return b
}

// devPort reads props.dev.port (0 when absent).
func devPort(p props) (int, error) {
	v, ok := p.get("dev")
	if !ok {
		return 0, nil
	}
	o, isObj := v.(*value.Object)
	if !isObj {
		return 0, nil
	}
	pv, ok := o.Get("port")
	if !ok || pv == (value.Null{}) {
		return 0, nil
	}
	n, isNum := pv.(value.Number)
	if !isNum || float64(n) != float64(int(n)) || n < 1 || n > 65535 {
		return 0, p.errorf("dev.port", "must be a port number (1-65535)")
	}
	return int(n), nil
}

// devURL reads props.dev.url: the URL a Worker served by something else
// (a framework's own dev server) reports under --dev.
func devURL(p props) string {
	v, ok := p.get("dev")
	if !ok {
		return ""
	}
	if o, isObj := v.(*value.Object); isObj {
		s, _ := o.GetString("url")
		return s
	}
	return ""
}

// serveDev serves a Worker deployed under --dev and returns its URL.
func (w *workerProvider) serveDev(ctx context.Context, pl *workerPlan) (string, error) {
	if u := devURL(pl.p); u != "" {
		return u, nil
	}
	port, err := devPort(pl.p)
	if err != nil {
		return "", err
	}
	prev, _ := pl.req.Output.GetString("url")
	dw := DevWorker{FQN: pl.req.FQN, Script: pl.name, Port: port, PreviousURL: prev, Inputs: pl.code.inputs}
	if o := pl.codeOpts; !o.inline && !o.noBundle {
		dw.Rebuild = func() (DevCode, error) {
			code, err := buildCode(o)
			if err != nil {
				return DevCode{}, err
			}
			return code.devCode(), nil
		}
	}
	url, err := w.cf.opts.Dev.ServeWorker(ctx, dw)
	if err != nil {
		return "", fmt.Errorf("serve Worker %q locally: %w", pl.name, err)
	}
	return url, nil
}

func (c *workerCode) devCode() DevCode {
	d := DevCode{MainModule: c.main, Inputs: c.inputs}
	for _, m := range c.modules {
		d.Modules = append(d.Modules, bundler.UploadedModule{Name: m.Name, ContentType: m.ContentType, Content: m.Content})
	}
	return d
}

// localBindings checks that a Worker running locally binds no resource
// kept on the real Cloudflare (dev: {remote: true}): the local runtime has
// no way to reach its data.
func localBindings(p props) error {
	b, ok, err := p.object("bindings")
	if err != nil || !ok {
		return err
	}
	for name, v := range b.All {
		o, isObj := v.(*value.Object)
		if !isObj {
			continue
		}
		dev, ok := o.GetObject("dev")
		if !ok {
			continue
		}
		if remote, _ := dev.GetBool("remote"); remote {
			return p.errorf("bindings."+name, "binds a resource kept on Cloudflare (dev: {remote: true}), which a Worker running locally cannot reach; make the Worker remote too (dev: {remote: true}) or the resource local")
		}
	}
	return nil
}
