package worker

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// logSink serialises the writes of every Worker to one writer.
type logSink struct {
	mu sync.Mutex
	w  io.Writer
}

// tagged returns a writer that prefixes each line written to it with
// "[name] ". Console calls write whole lines, so lines of different Workers
// never interleave.
func (s *logSink) tagged(name string) io.Writer {
	return &taggedWriter{sink: s, prefix: []byte("[" + name + "] ")}
}

// line writes one message of the runtime about a Worker.
func (s *logSink) line(name, msg string) {
	_, _ = s.tagged(name).Write([]byte(strings.TrimRight(msg, "\n") + "\n"))
}

type taggedWriter struct {
	sink    *logSink
	prefix  []byte
	partial bool // the last write ended mid-line
}

func (t *taggedWriter) Write(p []byte) (int, error) {
	t.sink.mu.Lock()
	defer t.sink.mu.Unlock()
	var b bytes.Buffer
	rest := p
	for len(rest) > 0 {
		if !t.partial {
			b.Write(t.prefix)
		}
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			b.Write(rest)
			t.partial = true
			break
		}
		b.Write(rest[:i+1])
		rest = rest[i+1:]
		t.partial = false
	}
	if _, err := t.sink.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
