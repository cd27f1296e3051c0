package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Testscript commands for dev sessions running in the background:
//
//	waitmatch [-env NAME] FILE REGEXP
//	    wait (up to 20s) until FILE (a background command's redirected
//	    output) matches REGEXP; -env sets $NAME to the first submatch.
//	waitbody URL REGEXP
//	    GET URL again and again (a refused connection included) until the
//	    response body matches REGEXP (up to 20s), then print the body.
//	listening PORT
//	    succeed when something accepts connections on 127.0.0.1:PORT
//	    (! listening: nothing does).
func init() {
	scriptCmds["waitmatch"] = waitMatchCmd
	scriptCmds["waitbody"] = waitBodyCmd
	scriptCmds["listening"] = listeningCmd
}

// devWait bounds the waits of a dev testscript; generous, because the
// machine running the tests may be busy.
const devWait = 20 * time.Second

func waitMatchCmd(ts *testscript.TestScript, neg bool, args []string) {
	envName := ""
	if len(args) > 2 && args[0] == "-env" {
		envName, args = args[1], args[2:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitmatch [-env NAME] FILE REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	deadline := time.Now().Add(devWait)
	for {
		data, _ := os.ReadFile(ts.MkAbs(args[0])) // not there yet: nothing matches
		m := re.FindSubmatch(data)
		if m != nil {
			if envName != "" {
				if len(m) < 2 {
					ts.Fatalf("waitmatch: %q has no submatch for -env", args[1])
				}
				ts.Setenv(envName, string(m[1]))
			}
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitmatch: %s did not match %q within %s:\n%s", args[0], args[1], devWait, data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitBodyCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitbody URL REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(devWait)
	last := ""
	for {
		resp, err := client.Get(args[0])
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && re.Match(body) {
				ts.Stdout().Write(body)
				return
			}
			last = fmt.Sprintf("status %d, body %q", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitbody %s: no body matching %q within %s; last: %s", args[0], args[1], devWait, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func listeningCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: listening PORT")
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", args[0]), time.Second)
	if err == nil {
		c.Close()
	}
	switch {
	case err != nil && !neg:
		ts.Fatalf("nothing listens on port %s: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("something still listens on port %s", args[0])
	}
}
