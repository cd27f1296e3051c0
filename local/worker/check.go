package worker

import (
	"context"

	"github.com/alchemy-go/alchemy/local/store"
)

// CheckScript reports why a script's code could not run, without deploying
// it: it links, compiles and starts the code in an isolate of its own with
// the script's bindings, the steps a deploy's load takes. The local
// Cloudflare calls it before storing an upload, so that code that cannot
// run is rejected as Cloudflare rejects it, instead of being stored while
// the last good version keeps serving. It implements local.ScriptChecker.
//
// Code that runs is not started again when its upload is stored: the
// checked version, its first isolate started, takes over serving as soon
// as the store reports the script changed and the stored script runs the
// same code with the same bindings (a concurrent upload may have stored
// something else; then it is dropped). It is dropped as well when ctx, the
// upload's request, ends without the upload being stored.
func (rt *Runtime) CheckScript(ctx context.Context, account string, sc *store.Script) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := rt.store(); err != nil {
		return err
	}
	w, err := rt.worker(account, sc.Name)
	if err != nil {
		return err
	}
	// The version does not serve until a load takes it: it shares only
	// the script's name and runtime with the versions that do.
	v := rt.newVersion(w)
	v.key = runtimeKey(sc)
	if err := v.prepare(sc); err != nil {
		v.retire()
		return err
	}
	w.offer(ctx, v)
	return nil
}
