package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/types"
	"github.com/alchemy-go/alchemy/value"
)

// Testscript commands for state directories:
//
//	statecmp [-exact] WANT GOT
//	    compare every record file of two state directories (lock files
//	    left out). Without -exact the random parts of encrypted secrets
//	    (ciphertext, iv, salt, tag) and the dependsOn field this project
//	    adds after the library's fields are ignored; everything else —
//	    field order, symbol keys, tags, indentation — must be identical.
//	cpdir SRC DST
//	    copy a directory tree (a snapshot of .alchemy to compare with later).
//	jsonvalid DIR
//	    every .json file under DIR is one whole JSON value.
//	stateread DIR PASSWORD
//	    decode every record under DIR with the state codec (secrets
//	    decrypted with PASSWORD) and print, per file, "FILE KIND STATUS",
//	    then "FILE secret PATH" for each secret it holds. With !, some
//	    record must fail to decode (its error goes to stderr).
//	secretfree DIR TEXT
//	    no file under DIR contains TEXT.
//	resourcelines LOG
//	    the resource lines ("[action] …") of the last command's stdout are
//	    those of LOG (a TypeScript library log), in order, [failed] lines
//	    and warnings left out.
//
// Scripts also see $STATE, the repository's testdata/state directory.
func init() {
	scriptCmds["statecmp"] = stateCmpCmd
	scriptCmds["cpdir"] = cpDirCmd
	scriptCmds["jsonvalid"] = jsonValidCmd
	scriptCmds["stateread"] = stateReadCmd
	scriptCmds["secretfree"] = secretFreeCmd
	scriptCmds["resourcelines"] = resourceLinesCmd
	scriptSetups = append(scriptSetups, func(env *testscript.Env) error {
		dir, err := filepath.Abs("../../testdata/state")
		if err != nil {
			return err
		}
		env.Setenv("STATE", dir)
		return nil
	})
}

// stateFiles returns the record files under dir (relative path → content),
// leaving out lock files.
func stateFiles(ts *testscript.TestScript, dir string) map[string][]byte {
	files := map[string][]byte{}
	root := ts.MkAbs(dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".lock") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		ts.Fatalf("%s: %v", dir, err)
	}
	return files
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var (
	envelopeField = regexp.MustCompile(`"(ciphertext|iv|salt|tag)": "[^"]*"`)
	dependsOnTail = regexp.MustCompile(`(?s),\n  "dependsOn": \[\n.*?\n  \]\n\}$`)
)

// normalizeRecord hides what legitimately differs between two writes of the
// same record: the random parts of secret envelopes and the dependsOn field.
func normalizeRecord(data []byte) []byte {
	if loc := dependsOnTail.FindIndex(data); loc != nil {
		data = append(append([]byte(nil), data[:loc[0]]...), "\n}"...)
	}
	return envelopeField.ReplaceAll(data, []byte(`"$1": "…"`))
}

func stateCmpCmd(ts *testscript.TestScript, neg bool, args []string) {
	exact := len(args) > 0 && args[0] == "-exact"
	if exact {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: statecmp [-exact] WANT GOT")
	}
	want, got := stateFiles(ts, args[0]), stateFiles(ts, args[1])
	if w, g := sortedKeys(want), sortedKeys(got); !slices.Equal(w, g) {
		ts.Fatalf("files differ:\n got %q\nwant %q", g, w)
	}
	for _, name := range sortedKeys(want) {
		w, g := want[name], got[name]
		if !exact {
			w, g = normalizeRecord(w), normalizeRecord(g)
		}
		if !bytes.Equal(w, g) {
			ts.Fatalf("%s differs\n--- got\n%s\n--- want\n%s", name, got[name], want[name])
		}
	}
	ts.Logf("%d files identical", len(want))
}

func jsonValidCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jsonvalid DIR")
	}
	files := stateFiles(ts, args[0])
	n := 0
	for _, name := range sortedKeys(files) {
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		if _, err := value.UnmarshalPlain(files[name]); err != nil {
			ts.Fatalf("%s: %v", name, err)
		}
		n++
	}
	if n == 0 {
		ts.Fatalf("jsonvalid: no JSON file under %s", args[0])
	}
	ts.Logf("%d JSON files parse", n)
}

func stateReadCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: stateread DIR PASSWORD")
	}
	codec := state.NewCodec(args[1])
	files := stateFiles(ts, args[0])
	for _, name := range sortedKeys(files) {
		rec, err := codec.DecodeRecord(files[name])
		if err != nil {
			if neg {
				fmt.Fprintf(ts.Stderr(), "%s: %v\n", name, err)
				return
			}
			ts.Fatalf("%s: %v", name, err)
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %s\n", name, rec.Kind, rec.Status)
		walkSecrets("props", rec.Props, func(path string) { fmt.Fprintf(ts.Stdout(), "%s secret %s\n", name, path) })
		walkSecrets("output", rec.Output, func(path string) { fmt.Fprintf(ts.Stdout(), "%s secret %s\n", name, path) })
	}
	if neg {
		ts.Fatalf("every record decoded")
	}
}

// walkSecrets calls found with the path of every decrypted secret in v.
func walkSecrets(path string, v value.Value, found func(path string)) {
	switch v := v.(type) {
	case *value.Secret:
		if s, ok := v.Value.(value.String); ok && s != "" {
			found(path)
		}
	case *value.Object:
		for k, item := range v.All {
			walkSecrets(path+"."+k, item, found)
		}
	case value.Array:
		for i, item := range v {
			walkSecrets(fmt.Sprintf("%s[%d]", path, i), item, found)
		}
	}
}

func secretFreeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: secretfree DIR TEXT")
	}
	files := stateFiles(ts, args[0])
	for _, name := range sortedKeys(files) {
		if bytes.Contains(files[name], []byte(args[1])) {
			ts.Fatalf("%s holds %q in plaintext", name, args[1])
		}
	}
}

var resourceLine = regexp.MustCompile(`^\[[a-z]+\] +\S`)

func resourceLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if resourceLine.MatchString(l) && !strings.HasPrefix(l, "[failed]") {
			out = append(out, l)
		}
	}
	return out
}

func resourceLinesCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: resourcelines LOG")
	}
	want := resourceLines(ts.ReadFile(args[0]))
	got := resourceLines(ts.ReadFile("stdout"))
	if !slices.Equal(got, want) {
		ts.Fatalf("resource lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func cpDirCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpdir SRC DST")
	}
	src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		ts.Fatalf("cpdir: %v", err)
	}
}

// Ctrl-C during a deployment exits 130 once the state is written.
func TestInterruptedDeployment(t *testing.T) {
	dir := t.TempDir()
	prog := `import alchemy, { Resource } from "alchemy";
import { writeFile } from "node:fs/promises";
const Slow = Resource("intr::Slow", async function (id) {
  await writeFile("started", "");
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  return this({});
});
await alchemy("intr", { stage: "dev" });
await Slow("slow", {});
`
	if err := os.WriteFile(filepath.Join(dir, "alchemy.run.js"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _ := interruptRun(t, dir)
	data, err := os.ReadFile(filepath.Join(dir, ".alchemy/intr/dev/slow.json"))
	if err != nil || !bytes.Contains(data, []byte(`"status": "creating"`)) {
		t.Errorf("record: %v\n%s", err, data)
	}
	if !strings.Contains(stdout, "1 failed in ") {
		t.Errorf("no summary: %s", stdout)
	}
}

// alchemy/cloudflare, as registered by the CLI, exports exactly the values
// types/alchemy.d.ts declares for it.
func TestCloudflareExportsMatchDeclarations(t *testing.T) {
	dts := string(types.Files(types.Options{})[types.AlchemyFile])
	decl := regexp.MustCompile(`^  export (?:declare )?(?:const|function|class|let) ([A-Za-z_$][\w$]*)`)
	var declared []string
	in := false
	for _, line := range strings.Split(dts, "\n") {
		if strings.HasPrefix(line, "declare module ") {
			in = line == `declare module "`+cloudflare.ModuleName+`" {`
			continue
		}
		if m := decl.FindStringSubmatch(line); in && m != nil && !slices.Contains(declared, m[1]) {
			declared = append(declared, m[1])
		}
	}
	m := cloudflareModule()
	var served []string
	for _, r := range m.Resources {
		served = append(served, r.Export)
	}
	for _, v := range m.Values {
		served = append(served, v.Name)
	}
	slices.Sort(declared)
	slices.Sort(served)
	if len(declared) == 0 || !slices.Equal(declared, served) {
		t.Errorf("alchemy/cloudflare exports:\n%q\ndeclared:\n%q", served, declared)
	}
}
