package worker

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// MaxDepth is how many Worker invocations one request chain may make, as on
// Cloudflare: the Worker a client's request reaches is the first, and every
// Worker a subrequest invokes (a service binding, a Durable Object stub, a
// fetch() to a Worker's hostname) is one more. A subrequest that would
// invoke one more fails with ErrDepth instead.
const MaxDepth = 16

// ErrDepth is the error of a subrequest that would pass MaxDepth: the
// message is Cloudflare's, followed by the limit.
var ErrDepth = errors.New("Subrequest depth limit exceeded. This request recursed through Workers too many times. " +
	"This can happen e.g. if you have a Worker or Durable Object that calls other Workers or objects recursively. " +
	"(A request may pass through at most " + strconv.Itoa(MaxDepth) + " Worker invocations.)")

// depthKey is the context key of the depth of the Worker invocation a
// context belongs to.
type depthKey struct{}

// depthOf returns the depth of the invocation ctx belongs to: 1 for one a
// client's request, an event or a timer started.
func depthOf(ctx context.Context) int {
	if d, ok := ctx.Value(depthKey{}).(int); ok {
		return d
	}
	return 1
}

func withDepth(ctx context.Context, depth int) context.Context {
	return context.WithValue(ctx, depthKey{}, depth)
}

// nextHop returns the context of the Worker invocation a subrequest made
// under ctx causes, or ErrDepth when the chain has no room for it.
func nextHop(ctx context.Context) (context.Context, error) {
	d := depthOf(ctx) + 1
	if d > MaxDepth {
		return nil, ErrDepth
	}
	return withDepth(ctx, d), nil
}

// Headers of the depth of a request chain over HTTP.
const (
	// callHeader is set by the isolate's fetch() on every outgoing request
	// (and removed by its transport before the request leaves): "<depth>
	// <call id>", the invocation that made the request.
	callHeader = "X-Alchemy-Call"
	// hopHeader carries the depth of the invocation that sent a request
	// to a Worker over HTTP (a loop back through the local Cloudflare, or
	// a dev-mode Worker port): "<depth>.<mac>", the MAC keyed with the
	// Runtime's secret so that a client from outside cannot pass one off.
	hopHeader = "X-Alchemy-Hop"
)

// hopKey is a Runtime's secret for hopHeader.
type hopKey []byte

func newHopKey() hopKey {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

func (k hopKey) mac(depth int) string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(strconv.Itoa(depth)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// value returns hopHeader's value for a request sent by an invocation at
// depth.
func (k hopKey) value(depth int) string {
	return strconv.Itoa(depth) + "." + k.mac(depth)
}

// parse returns the depth of a hopHeader value made with k; ok is false
// for anything else.
func (k hopKey) parse(v string) (depth int, ok bool) {
	ds, mac, found := strings.Cut(v, ".")
	if !found {
		return 0, false
	}
	d, err := strconv.Atoi(ds)
	if err != nil || d < 1 || !hmac.Equal([]byte(mac), []byte(k.mac(d))) {
		return 0, false
	}
	return d, true
}

// incomingDepth removes the hop header from a request that reaches a
// Worker over HTTP and returns the context of the invocation it causes:
// one deeper than the sender's when the header is genuine, a new chain
// otherwise.
func (rt *Runtime) incomingDepth(r *http.Request) (context.Context, error) {
	ctx := r.Context()
	r.Header.Del(callHeader) // only ever set by a client from outside
	v := r.Header.Get(hopHeader)
	if v == "" {
		return ctx, nil
	}
	r.Header.Del(hopHeader)
	d, ok := rt.hops.parse(v)
	if !ok {
		return ctx, nil
	}
	return nextHop(withDepth(ctx, d))
}

// joinContext returns a context with the values of values that is also
// cancelled when also is.
func joinContext(values, also context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(values)
	stop := context.AfterFunc(also, func() { cancel(context.Cause(also)) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// parseCallTag reads callHeader's value.
func parseCallTag(v string) (depth int, id int64) {
	ds, ids, _ := strings.Cut(v, " ")
	depth, err := strconv.Atoi(ds)
	if err != nil || depth < 1 {
		depth = 1
	}
	id, _ = strconv.ParseInt(ids, 10, 64)
	return depth, id
}

func callTag(depth int, id int64) string {
	return strconv.Itoa(depth) + " " + strconv.FormatInt(id, 10)
}

// isLoopback reports whether host (without a port) names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bodyCloser runs done once the response body is closed.
type bodyCloser struct {
	io.ReadCloser
	done func()
}

func (b *bodyCloser) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}
