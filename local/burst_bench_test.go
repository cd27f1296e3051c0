package local_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
)

// BenchmarkConcurrentKVCreates measures a burst of 100 KV namespace creates
// sent at once, as a deploy with Promise.all sends them: one op is the whole
// burst. The latency variant holds every request as `alchemy local
// --latency` does, so the burst reaches the store at the same instant.
func BenchmarkConcurrentKVCreates(b *testing.B) {
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			benchBurst(b, latency, 100, "/storage/kv/namespaces", func(i int) string {
				return fmt.Sprintf(`{"title":"ns-%d"}`, i)
			})
		})
	}
}

// BenchmarkConcurrentD1Creates measures a burst of 20 D1 database creates.
func BenchmarkConcurrentD1Creates(b *testing.B) {
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			benchBurst(b, latency, 20, "/d1/database", func(i int) string {
				return fmt.Sprintf(`{"name":"db-%d"}`, i)
			})
		})
	}
}

// benchBurst starts a server (with a request log, as the CLI's
// --request-log) and posts n bodies to the account's path at once per op.
func benchBurst(b *testing.B, latency time.Duration, n int, path string, body func(i int) string) {
	opt := local.Options{DataDir: b.TempDir(), AccountID: testAccount, RequestLog: io.Discard}
	if latency > 0 {
		opt.Middleware = func(next http.Handler) http.Handler { return delayed(next, latency) }
	}
	srv, err := local.Start(context.Background(), opt)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	defer client.CloseIdleConnections()
	url := srv.APIBaseURL() + "/accounts/" + testAccount + path
	post := func(i int) error {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body(i)))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer bench-token")
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("POST %s: %d %s", path, res.StatusCode, raw)
		}
		return nil
	}
	b.ResetTimer()
	for op := range b.N {
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { errs[i] = post(op*n + i) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// delayed answers each request d after it arrived.
func delayed(next http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(d)
		next.ServeHTTP(w, r)
	})
}
