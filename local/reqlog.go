package local

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/local/api"
)

// LogEntry is one line of the JSONL request log.
type LogEntry struct {
	Time       string  `json:"time"`
	Method     string  `json:"method"`
	Path       string  `json:"path"`
	Query      string  `json:"query,omitempty"`
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Account    string  `json:"account,omitempty"`
	Code       int     `json:"code,omitempty"`
	Fault      string  `json:"fault,omitempty"`
}

// recorder captures the status of a response and keeps the writer's
// optional interfaces (hijacking for dropped connections, flushing).
type recorder struct {
	http.ResponseWriter
	status int
	fault  string
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

func (r *recorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.log == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		ctx, trace := api.WithTrace(r.Context())
		rec := &recorder{ResponseWriter: w}
		defer func() {
			e := LogEntry{Time: start.UTC().Format(time.RFC3339Nano), Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, "/client/v4"),
				Query: r.URL.RawQuery, Status: rec.status, DurationMS: float64(time.Since(start).Microseconds()) / 1000,
				Account: trace.Account, Code: trace.Code, Fault: rec.fault}
			line, _ := json.Marshal(e)
			s.logMu.Lock()
			s.log.Write(append(line, '\n'))
			s.logMu.Unlock()
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}
