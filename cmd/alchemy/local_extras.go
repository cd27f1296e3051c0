package main

import (
	"flag"
	"net/http"
	"time"

	"github.com/alchemy-go/alchemy/local"
)

// localExtras are the `alchemy local` flags for measuring clients and for
// repeatable fault tests.
type localExtras struct {
	latency   *time.Duration
	faultSeed *uint64
}

// addLocalExtras defines the extra flags on the command's flag set.
func addLocalExtras(fs *flag.FlagSet) *localExtras {
	return &localExtras{
		latency: fs.Duration("latency", 0,
			"hold every API request for `duration` before answering it, as the round trip to Cloudflare would (for measurements)"),
		faultSeed: fs.Uint64("fault-seed", 0,
			"seed the dice of --fault with `n`, so that runs making the same requests meet the same faults (0: random)"),
	}
}

// apply sets the options the flags ask for.
func (x *localExtras) apply(opt *local.Options) {
	opt.FaultSeed = *x.faultSeed
	if d := *x.latency; d > 0 {
		inner := opt.Middleware
		opt.Middleware = func(next http.Handler) http.Handler {
			if inner != nil {
				next = inner(next)
			}
			return withLatency(next, d)
		}
	}
}

// withLatency answers each request d after it arrived (or when the client
// gives up).
func withLatency(next http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			next.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
}
