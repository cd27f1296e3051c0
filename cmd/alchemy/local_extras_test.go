package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
)

func TestLocalExtrasFlags(t *testing.T) {
	tests := []struct {
		args       []string
		wantSeed   uint64
		wantWrap   bool
		minLatency time.Duration
	}{
		{args: nil},
		{args: []string{"--fault-seed", "42"}, wantSeed: 42},
		{args: []string{"--latency", "30ms"}, wantWrap: true, minLatency: 30 * time.Millisecond},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("local", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		x := addLocalExtras(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		var opt local.Options
		x.apply(&opt)
		if opt.FaultSeed != tc.wantSeed {
			t.Errorf("%q: seed %d, want %d", tc.args, opt.FaultSeed, tc.wantSeed)
		}
		if (opt.Middleware != nil) != tc.wantWrap {
			t.Fatalf("%q: middleware %v, want %v", tc.args, opt.Middleware != nil, tc.wantWrap)
		}
		if opt.Middleware == nil {
			continue
		}
		srv := httptest.NewServer(opt.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "answered")
		})))
		start := time.Now()
		res, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		srv.Close()
		if string(body) != "answered" || time.Since(start) < tc.minLatency {
			t.Errorf("%q: %q after %v, want the answer after at least %v", tc.args, body, time.Since(start), tc.minLatency)
		}
	}
}

// TestFaultSeedRepeats checks that two local Cloudflares with the same seed
// fail the same requests.
func TestFaultSeedRepeats(t *testing.T) {
	outcomes := func() []int {
		rule, err := local.ParseFaultRule("500,fraction=0.3")
		if err != nil {
			t.Fatal(err)
		}
		srv, err := local.Start(context.Background(), local.Options{Faults: []local.FaultRule{rule}, FaultSeed: 7})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		var statuses []int
		for range 40 {
			req, _ := http.NewRequest(http.MethodGet, srv.APIBaseURL()+"/accounts", nil)
			req.Header.Set("Authorization", "Bearer t")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			statuses = append(statuses, res.StatusCode)
		}
		return statuses
	}
	first, second := outcomes(), outcomes()
	if !slices.Equal(first, second) || !slices.Contains(first, http.StatusInternalServerError) || !slices.Contains(first, http.StatusOK) {
		t.Errorf("seeded faults differ or never fail:\n%v\n%v", first, second)
	}
}
