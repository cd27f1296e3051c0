package dev

import (
	"net"
	"strings"
	"testing"
)

func TestPorts(t *testing.T) {
	base := freeRun(t, 4)
	busy, err := listenLocal(base + 1) // held by another program
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	p := &ports{base: base, taken: map[int]string{}}
	steps := []struct {
		script           string
		pinned, previous int
		want             int
		wantErr          string
	}{
		{script: "a", want: base},
		{script: "b", want: base + 2}, // base+1 is in use
		{script: "c", previous: base + 3, want: base + 3},
		{script: "d", previous: base, want: base + 4}, // a has it
		{script: "e", pinned: base, wantErr: `already the port of Worker "a"`},
		{script: "f", pinned: base + 1, wantErr: "address already in use"},
	}
	var open []net.Listener
	defer func() {
		for _, ln := range open {
			ln.Close()
		}
	}()
	for _, s := range steps {
		ln, port, err := p.listen(s.script, s.pinned, s.previous)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("%s: error %v, want %q", s.script, err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.script, err)
		}
		open = append(open, ln)
		if port != s.want {
			t.Fatalf("%s: port %d, want %d", s.script, port, s.want)
		}
	}
	// A released port goes to the next Worker that needs one.
	open[0].Close()
	p.release(base)
	if _, port, err := p.listen("g", 0, 0); err != nil || port != base {
		t.Fatalf("after release: port %d, %v; want %d", port, err, base)
	}
}

func TestPortOf(t *testing.T) {
	for u, want := range map[string]int{
		"http://localhost:1337/":    1337,
		"http://localhost:8080":     8080,
		"https://api.x.workers.dev": 0,
		"http://127.0.0.1:1337/":    0,
		"":                          0,
	} {
		if got := portOf(u); got != want {
			t.Errorf("portOf(%q) = %d, want %d", u, got, want)
		}
	}
}

// freeRun finds n+1 consecutive free ports and returns the first.
func freeRun(t *testing.T, n int) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		base := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		ok := true
		for i := 0; i <= n && ok; i++ {
			l, err := listenLocal(base + i)
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no run of free ports")
	return 0
}
