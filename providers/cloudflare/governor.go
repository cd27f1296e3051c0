package cloudflare

import (
	"context"
	"sync"
	"time"
)

// Cloudflare allows 1,200 API requests per five minutes per user token.
const (
	rateLimitRequests = 1200
	rateLimitWindow   = 5 * time.Minute
	// governorBurst is how many requests may go out at once. The refill
	// rate is chosen so that burst plus a full window of refills never
	// exceeds the limit: at most 1,200 requests in any five minutes.
	governorBurst = 300
)

// Governor is a token bucket that keeps a client under Cloudflare's rate
// limit. A nil *Governor lets every request through (a local Cloudflare).
// It is safe for concurrent use.
type Governor struct {
	mu       sync.Mutex
	capacity float64
	tokens   float64
	perSec   float64
	last     time.Time
	now      func() time.Time
}

// NewGovernor returns a bucket of burst tokens refilled so that no more than
// limit requests go out in any window.
func NewGovernor(limit int, window time.Duration, burst int) *Governor {
	if burst > limit {
		burst = limit
	}
	return &Governor{
		capacity: float64(burst),
		tokens:   float64(burst),
		perSec:   float64(limit-burst) / window.Seconds(),
		now:      time.Now,
	}
}

// newDefaultGovernor is the governor for Cloudflare's API.
func newDefaultGovernor() *Governor {
	return NewGovernor(rateLimitRequests, rateLimitWindow, governorBurst)
}

// Wait blocks until a request may go out, or ctx ends.
func (g *Governor) Wait(ctx context.Context) error {
	if g == nil {
		return nil
	}
	for {
		delay := g.reserve()
		if delay <= 0 {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve takes a token if one is available and otherwise returns how long
// until the next one.
func (g *Governor) reserve() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if !g.last.IsZero() {
		g.tokens = min(g.capacity, g.tokens+now.Sub(g.last).Seconds()*g.perSec)
	}
	g.last = now
	if g.tokens >= 1 {
		g.tokens--
		return 0
	}
	if g.perSec <= 0 {
		return time.Second
	}
	return time.Duration((1 - g.tokens) / g.perSec * float64(time.Second))
}
