package worker

import (
	"context"

	"github.com/alchemy-go/alchemy/local/store"
)

// CheckScript reports why a script's code could not run, without deploying
// it: it links, compiles and starts the code in a throwaway isolate with the
// script's bindings, the steps a deploy's load takes. The local Cloudflare
// calls it before storing an upload, so that code that cannot run is
// rejected as Cloudflare rejects it, instead of being stored while the last
// good version keeps serving. It implements local.ScriptChecker.
func (rt *Runtime) CheckScript(ctx context.Context, account string, sc *store.Script) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := rt.store(); err != nil {
		return err
	}
	// A liveScript of its own, never registered: the check shares nothing
	// with the version that serves, nor with its reloads.
	v := &version{w: &liveScript{rt: rt, key: workerKey{account, sc.Name}}, isolates: make([]*isolate, 1)}
	v.refs.Store(1)
	err := v.prepare(sc)
	v.retire()
	return err
}
