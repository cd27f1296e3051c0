package local

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// FaultKind is what an injected fault does.
type FaultKind string

// Fault kinds.
const (
	Fault429  FaultKind = "429"  // 429 with Retry-After: 0 (code 10429)
	Fault500  FaultKind = "500"  // 500 with Retry-After: 0 (code 10002)
	FaultDrop FaultKind = "drop" // close the connection without answering
)

// FaultRule injects a fault into matching API requests.
type FaultRule struct {
	Kind FaultKind
	// Fraction of matching requests that fail, in (0, 1]; 0 means all.
	Fraction float64
	// Path is a regular expression matched against the request path; ""
	// matches every path.
	Path string
	// Method restricts the rule to one HTTP method; "" matches all.
	Method string
	// Count stops the rule after that many injections; 0 is unlimited.
	Count int
}

// ParseFaultRule reads the flag syntax KIND[,fraction=F][,path=RE][,method=M][,count=N],
// for example "429,fraction=0.2" or "drop,path=/storage/kv/,count=1".
func ParseFaultRule(spec string) (FaultRule, error) {
	parts := strings.Split(spec, ",")
	r := FaultRule{Kind: FaultKind(strings.ToLower(strings.TrimSpace(parts[0])))}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return r, fmt.Errorf("fault %q: %q is not key=value", spec, p)
		}
		var err error
		switch strings.TrimSpace(k) {
		case "fraction":
			r.Fraction, err = strconv.ParseFloat(v, 64)
		case "path":
			r.Path = v
		case "method":
			r.Method = strings.ToUpper(v)
		case "count":
			r.Count, err = strconv.Atoi(v)
		default:
			return r, fmt.Errorf("fault %q: unknown key %q (want fraction, path, method or count)", spec, k)
		}
		if err != nil {
			return r, fmt.Errorf("fault %q: %s: %w", spec, k, err)
		}
	}
	return r, r.validate()
}

func (r FaultRule) validate() error {
	switch r.Kind {
	case Fault429, Fault500, FaultDrop:
	default:
		return fmt.Errorf("fault kind %q: want 429, 500 or drop", r.Kind)
	}
	if r.Fraction < 0 || r.Fraction > 1 {
		return fmt.Errorf("fault fraction %v: want a number in (0, 1]", r.Fraction)
	}
	if r.Count < 0 {
		return fmt.Errorf("fault count %d: want ≥ 0", r.Count)
	}
	return nil
}

type activeRule struct {
	FaultRule
	re   *regexp.Regexp
	used int
}

// faults holds the rules of a server and decides per request.
type faults struct {
	mu    sync.Mutex
	rules []*activeRule
	rng   *rand.Rand
}

func newFaults(rules []FaultRule, seed uint64) (*faults, error) {
	if seed == 0 {
		seed = rand.Uint64()
	}
	f := &faults{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	return f, f.set(rules)
}

func (f *faults) set(rules []FaultRule) error {
	active := make([]*activeRule, 0, len(rules))
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return err
		}
		a := &activeRule{FaultRule: r}
		if r.Path != "" {
			re, err := regexp.Compile(r.Path)
			if err != nil {
				return fmt.Errorf("fault path %q: %w", r.Path, err)
			}
			a.re = re
		}
		active = append(active, a)
	}
	f.mu.Lock()
	f.rules = active
	f.mu.Unlock()
	return nil
}

// pick returns the fault to inject into a request, if any.
func (f *faults) pick(r *http.Request) (FaultKind, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.rules {
		if a.Count > 0 && a.used >= a.Count {
			continue
		}
		if a.Method != "" && a.Method != r.Method {
			continue
		}
		if a.re != nil && !a.re.MatchString(r.URL.Path) {
			continue
		}
		if a.Fraction > 0 && a.Fraction < 1 && f.rng.Float64() >= a.Fraction {
			continue
		}
		a.used++
		return a.Kind, true
	}
	return "", false
}

func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, ok := s.faults.pick(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if rec, ok := w.(*recorder); ok {
			rec.fault = string(kind)
		}
		switch kind {
		case FaultDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case Fault429:
			writeFault(w, http.StatusTooManyRequests, 10429, "Too many requests (injected fault)")
		case Fault500:
			writeFault(w, http.StatusInternalServerError, 10002, "Internal server error (injected fault)")
		}
	})
}

func writeFault(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Retry-After", "0")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"success": false, "errors": []any{map[string]any{"code": code, "message": msg}}, "messages": []any{}, "result": nil})
}
