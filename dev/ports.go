package dev

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"syscall"
)

// DefaultBasePort is the first port Workers are served on.
const DefaultBasePort = 1337

// portSearch is how many ports above the base are tried.
const portSearch = 1000

// ports hands out the localhost ports of a session's Workers: a pinned
// port when a Worker asks for one, else the port it had before when free,
// else the first free one from the base upward. A port stays with its
// Worker for the whole session.
type ports struct {
	base  int
	taken map[int]string // port → script
}

// listen opens the port of a script.
func (p *ports) listen(script string, pinned, previous int) (net.Listener, int, error) {
	if pinned > 0 {
		if owner, ok := p.taken[pinned]; ok && owner != script {
			return nil, 0, fmt.Errorf("dev.port %d is already the port of Worker %q", pinned, owner)
		}
		ln, err := listenLocal(pinned)
		if err != nil {
			return nil, 0, fmt.Errorf("dev.port %d: %w", pinned, err)
		}
		return p.take(script, ln, pinned)
	}
	if previous >= p.base && previous < p.base+portSearch {
		if _, ok := p.taken[previous]; !ok {
			if ln, err := listenLocal(previous); err == nil {
				return p.take(script, ln, previous)
			}
		}
	}
	for port := p.base; port < p.base+portSearch && port <= 65535; port++ {
		if _, ok := p.taken[port]; ok {
			continue
		}
		ln, err := listenLocal(port)
		if errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.EACCES) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		return p.take(script, ln, port)
	}
	return nil, 0, fmt.Errorf("no free port between %d and %d", p.base, p.base+portSearch-1)
}

func (p *ports) take(script string, ln net.Listener, port int) (net.Listener, int, error) {
	p.taken[port] = script
	return ln, port, nil
}

func (p *ports) release(port int) { delete(p.taken, port) }

// listenLocal listens on the loopback address: Workers in dev are for this
// machine only.
func listenLocal(port int) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}

// portOf returns the port of a http://localhost:PORT/ URL, 0 for any other.
func portOf(u string) int {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Hostname() != "localhost" {
		return 0
	}
	n, _ := strconv.Atoi(parsed.Port())
	return n
}

// localURL is the address a Worker on port is reported at.
func localURL(port int) string { return "http://localhost:" + strconv.Itoa(port) + "/" }
