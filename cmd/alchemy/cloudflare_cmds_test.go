package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// Testscript commands for the Cloudflare provider's scripts:
//
//	cfseed DATA STATE PASSWORD
//	    seed the local Cloudflare data directory DATA (not being served)
//	    with the resources the state directory STATE describes, as the
//	    Cloudflare that wrote it held them: each KV namespace with its id
//	    and title, each Worker (its entrypoint bundled from the working
//	    directory) with its bindings, compatibility date and workers.dev
//	    route, and the account's workers.dev subdomain taken from a Worker's
//	    url. Secrets are decrypted with PASSWORD. Sets CLOUDFLARE_ACCOUNT_ID
//	    to the data directory's account.
//	cfreqs LOG
//	    print the requests of a request log (alchemy local --request-log),
//	    one "METHOD PATH STATUS" line each, in order, with " fault=KIND"
//	    added to the requests that got an injected fault.
//	cfstatecmp WANT GOT
//	    compare two state directories as statecmp does, with what differs
//	    between two deployments of the same program masked, in file names
//	    and contents: Cloudflare ids (32 hex, UUIDs), times (ISO strings,
//	    and the epoch numbers of createdAt/modifiedAt/updatedAt fields),
//	    secret envelopes and the Worker's deploy hash.
func init() {
	scriptCmds["cfseed"] = cfSeedCmd
	scriptCmds["cfreqs"] = cfReqsCmd
	scriptCmds["cfstatecmp"] = cfStateCmpCmd
}

func cfSeedCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: cfseed DATA STATE PASSWORD")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, ts.MkAbs(args[0]))
	ts.Check(err)
	defer st.Close()
	acct, err := st.DefaultAccountID(ctx)
	ts.Check(err)
	_, err = st.EnsureAccount(ctx, acct, "Local Account")
	ts.Check(err)
	ts.Setenv("CLOUDFLARE_ACCOUNT_ID", acct)

	codec := state.NewCodec(args[2])
	var kvs, workers []*state.Record
	root := ts.MkAbs(args[1])
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rec, err := codec.DecodeRecord(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		switch rec.Kind {
		case cloudflare.KindKVNamespace:
			kvs = append(kvs, rec)
		case cloudflare.KindWorker:
			workers = append(workers, rec)
		}
		return nil
	})
	ts.Check(err)
	for _, rec := range kvs {
		id, _ := rec.Output.GetString("namespaceId")
		title, _ := rec.Output.GetString("title")
		_, err := st.ImportKVNamespace(ctx, acct, id, title)
		ts.Check(err)
	}
	for _, rec := range workers {
		seedWorker(ts, st, acct, rec)
	}
}

// seedWorker uploads the Worker a state record describes.
func seedWorker(ts *testscript.TestScript, st *store.Store, acct string, rec *state.Record) {
	ctx := context.Background()
	out := rec.Output
	name, _ := out.GetString("name")
	entry, _ := out.GetString("entrypoint")
	date, _ := out.GetString("compatibilityDate")
	b, err := bundler.BundleWorker(bundler.WorkerOptions{Entry: entry, Dir: ts.MkAbs(".")})
	ts.Check(err)
	up := store.ScriptUpload{MainModule: "worker.js", Settings: store.ScriptSettings{CompatibilityDate: date, Bindings: []store.Binding{}}}
	for _, p := range b.Parts("worker.js") {
		up.Modules = append(up.Modules, store.Module{Name: p.Name, ContentType: p.ContentType, Content: p.Content})
	}
	bindings, _ := out.GetObject("bindings")
	for k, v := range bindings.All {
		bnd := store.Binding{"name": k}
		switch v := v.(type) {
		case value.String:
			bnd["type"], bnd["text"] = "plain_text", string(v)
		case *value.Secret:
			s, ok := v.Value.(value.String)
			if !ok {
				ts.Fatalf("cfseed: Worker %s: secret binding %s is not a string", name, k)
			}
			bnd["type"], bnd["text"] = "secret_text", string(s)
		case *value.Object:
			if t, _ := v.GetString("type"); t != "kv_namespace" {
				ts.Fatalf("cfseed: Worker %s: cannot seed binding %s of type %q", name, k, t)
			}
			id, _ := v.GetString("namespaceId")
			bnd["type"], bnd["namespace_id"] = "kv_namespace", id
		default:
			ts.Fatalf("cfseed: Worker %s: cannot seed binding %s (%s)", name, k, value.TypeName(v))
		}
		up.Settings.Bindings = append(up.Settings.Bindings, bnd)
	}
	_, err = st.PutScript(ctx, acct, name, up)
	ts.Check(err)
	raw, ok := out.GetString("url")
	if !ok {
		return
	}
	u, err := url.Parse(raw)
	ts.Check(err)
	labels := strings.Split(u.Hostname(), ".")
	if len(labels) != 4 || labels[0] != name || labels[2] != "workers" {
		ts.Fatalf("cfseed: Worker %s: url %q is not <script>.<subdomain>.workers.dev", name, raw)
	}
	ts.Check(st.SetSubdomain(ctx, acct, labels[1]))
	ts.Check(st.SetScriptSubdomain(ctx, acct, name, true, true))
}

func cfReqsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cfreqs LOG")
	}
	sc := bufio.NewScanner(strings.NewReader(ts.ReadFile(args[0])))
	for sc.Scan() {
		var e local.LogEntry
		ts.Check(json.Unmarshal(sc.Bytes(), &e))
		fault := ""
		if e.Fault != "" {
			fault = " fault=" + e.Fault
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %d%s\n", e.Method, e.Path, e.Status, fault)
	}
	ts.Check(sc.Err())
}

// deploymentMasks hide what two deployments of one program legitimately
// differ in.
var deploymentMasks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"(ciphertext|iv|salt|tag)": "[^"]*"`), `"$1": "…"`},
	{regexp.MustCompile(`"(deployHash)": "[^"]*"`), `"$1": "…"`},
	{regexp.MustCompile(`"(createdAt|modifiedAt|updatedAt)": \d+`), `"$1": 0`},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`), `<time>`},
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), `<uuid>`},
	{regexp.MustCompile(`\b[0-9a-f]{32}\b`), `<id>`},
}

func maskDeployment(data []byte) []byte {
	for _, m := range deploymentMasks {
		data = m.re.ReplaceAll(data, []byte(m.with))
	}
	return data
}

func cfStateCmpCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cfstatecmp WANT GOT")
	}
	masked := func(files map[string][]byte) map[string][]byte {
		out := map[string][]byte{}
		for name, data := range files {
			out[string(maskDeployment([]byte(name)))] = data
		}
		return out
	}
	want, got := masked(stateFiles(ts, args[0])), masked(stateFiles(ts, args[1]))
	if w, g := sortedKeys(want), sortedKeys(got); strings.Join(w, "\n") != strings.Join(g, "\n") {
		ts.Fatalf("files differ:\n got %q\nwant %q", g, w)
	}
	for _, name := range sortedKeys(want) {
		if w, g := maskDeployment(want[name]), maskDeployment(got[name]); !bytes.Equal(w, g) {
			ts.Fatalf("%s differs (masked)\n--- got\n%s\n--- want\n%s", name, g, w)
		}
	}
	ts.Logf("%d files identical once ids, times and ciphertexts are masked", len(want))
}
