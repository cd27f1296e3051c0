package cloudflare

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/value"
)

func settingsWith(tags []string, bindings ...[3]string) *scriptSettings {
	s := &scriptSettings{Tags: tags}
	for _, b := range bindings {
		s.Bindings = append(s.Bindings, struct {
			Type         string `json:"type"`
			Name         string `json:"name"`
			ClassName    string `json:"class_name"`
			ScriptName   string `json:"script_name"`
			WorkflowName string `json:"workflow_name"`
		}{Type: TypeDurableObject, Name: b[0], ClassName: b[1], ScriptName: b[2]})
	}
	return s
}

func TestPlanMigrations(t *testing.T) {
	own := func(name, id, class string, sqlite bool) doBinding {
		return doBinding{name: name, stableID: id, className: class, sqlite: sqlite, own: true}
	}
	cases := []struct {
		name     string
		old      *scriptSettings
		current  []doBinding
		want     string
		wantTags []string
	}{
		{"first deploy", nil, []doBinding{own("C", "counter", "Counter", true), own("L", "legacy", "Legacy", false)},
			`{"new_classes":["Legacy"],"deleted_classes":[],"renamed_classes":[],"transferred_classes":[],"new_sqlite_classes":["Counter"]}`,
			[]string{"alchemy:do:counter:C", "alchemy:do:legacy:L"}},
		{"unchanged", settingsWith([]string{"alchemy:do:counter:C"}, [3]string{"C", "Counter", ""}), []doBinding{own("C", "counter", "Counter", true)},
			`{"new_classes":[],"deleted_classes":[],"renamed_classes":[],"transferred_classes":[],"new_sqlite_classes":[]}`, nil},
		{"renamed by stable id", settingsWith([]string{"alchemy:do:counter:C"}, [3]string{"C", "Counter", ""}), []doBinding{own("D", "counter", "Counter2", false)},
			`{"new_classes":[],"deleted_classes":[],"renamed_classes":[{"from":"Counter","to":"Counter2"}],"transferred_classes":[],"new_sqlite_classes":[]}`, nil},
		{"removed", settingsWith([]string{"alchemy:do:counter:C"}, [3]string{"C", "Counter", ""}), nil,
			`{"new_classes":[],"deleted_classes":["Counter"],"renamed_classes":[],"transferred_classes":[],"new_sqlite_classes":[]}`, []string{}},
		{"untagged script matched by binding name", settingsWith(nil, [3]string{"C", "Counter", ""}), []doBinding{own("C", "counter", "Counter", false)},
			`{"new_classes":[],"deleted_classes":[],"renamed_classes":[],"transferred_classes":[],"new_sqlite_classes":[]}`, nil},
		{"other script's classes are not ours", settingsWith(nil, [3]string{"X", "Remote", "other"}), []doBinding{{name: "X", stableID: "x", className: "Remote"}},
			`{"new_classes":[],"deleted_classes":[],"renamed_classes":[],"transferred_classes":[],"new_sqlite_classes":[]}`, []string{"alchemy:do:x:X"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := planMigrations(c.old, c.current, "w", true)
			raw, err := plainJSON(m.object())
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) != c.want {
				t.Errorf("migrations %s\nwant %s", raw, c.want)
			}
			if c.wantTags != nil && !slices.Equal(orEmpty(m.tags), c.wantTags) {
				t.Errorf("tags %v, want %v", m.tags, c.wantTags)
			}
		})
	}
	m := planMigrations(&scriptSettings{MigrationTag: "v3"}, nil, "w", true)
	if m.oldTag != "v3" || m.newTag != "alchemy:v4" {
		t.Errorf("tags %q → %q", m.oldTag, m.newTag)
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestMigrationTags(t *testing.T) {
	for in, want := range map[string]string{"": "", "v1": "alchemy:v2", "alchemy:v9": "alchemy:v10", "custom": "alchemy:v1"} {
		if got := bumpMigrationTag(in); got != want {
			t.Errorf("bump(%q) = %q, want %q", in, got, want)
		}
	}
	for msg, want := range map[string]string{
		"Migration tag precondition failed; old_tag '' was sent; current tag is 'v1' when expected tag is 'v1'": "v1",
		"Migration tag precondition failed; current tag is 'v3'":                                                "v3",
		`when expected tag is "alchemy:v2"`:                                                                     "alchemy:v2",
	} {
		if got, ok := tagFromPreconditionError(msg); !ok || got != want {
			t.Errorf("%q → %q %v, want %q", msg, got, ok, want)
		}
	}
}

func TestBindingMapping(t *testing.T) {
	kv := value.Obj(value.KeyKind, value.String(KindKVNamespace), value.KeyFQN, value.String("a/b/kv"), "type", value.String("kv_namespace"), "namespaceId", value.String("ns1"))
	worker := value.Obj(value.KeyKind, value.String(KindWorker), value.KeyFQN, value.String("a/b/w"), "type", value.String("service"), "name", value.String("other-worker"))
	do, _ := DurableObjectNamespace("counter", value.Obj("className", value.String("Counter"), "sqlite", value.Bool(true)))
	remoteDO, _ := DurableObjectNamespace("remote", value.Obj("className", value.String("Remote"), "scriptName", value.String("other")))
	wf, _ := Workflow("flow", value.Obj("className", value.String("Flow")))
	js, _ := JSON(value.Array{value.Number(1)})
	ref, _ := WorkerRef(value.Obj("service", value.String("svc")))
	entry, _ := experimentalEntrypoint([]value.Value{worker, value.String("Admin")})
	cases := []struct {
		name string
		v    value.Value
		want string
	}{
		{"string", value.String("hello"), `{"type":"plain_text","name":"B","text":"hello"}`},
		{"secret", value.NewSecret("s3"), `{"type":"secret_text","name":"B","text":"s3"}`},
		{"boolean", value.Bool(true), `{"type":"json","name":"B","json":true}`},
		{"number", value.Number(3), `{"type":"json","name":"B","json":3}`},
		{"array", value.Array{value.String("a")}, `{"type":"json","name":"B","json":["a"]}`},
		{"plain object", value.Obj("level", value.Number(2)), `{"type":"json","name":"B","json":{"level":2}}`},
		{"null", value.Null{}, `{"type":"json","name":"B","json":null}`},
		{"Json", js, `{"type":"json","name":"B","json":[1]}`},
		{"KV", kv, `{"type":"kv_namespace","name":"B","namespace_id":"ns1"}`},
		{"KV by id", value.Obj("type", value.String("kv_namespace"), "id", value.String("ns2")), `{"type":"kv_namespace","name":"B","namespace_id":"ns2"}`},
		{"R2", value.Obj("type", value.String("r2_bucket"), "name", value.String("bk"), "jurisdiction", value.String("eu")), `{"type":"r2_bucket","name":"B","bucket_name":"bk","jurisdiction":"eu"}`},
		{"R2 default jurisdiction", value.Obj("type", value.String("r2_bucket"), "name", value.String("bk"), "jurisdiction", value.String("default")), `{"type":"r2_bucket","name":"B","bucket_name":"bk"}`},
		{"D1", value.Obj("type", value.String("d1"), "id", value.String("uuid")), `{"type":"d1","name":"B","id":"uuid"}`},
		{"Queue", value.Obj("type", value.String("queue"), "name", value.String("jobs")), `{"type":"queue","name":"B","queue_name":"jobs"}`},
		{"Worker", worker, `{"type":"service","name":"B","service":"other-worker"}`},
		{"Worker entrypoint", entry, `{"type":"service","name":"B","service":"other-worker","entrypoint":"Admin"}`},
		{"WorkerRef", ref, `{"type":"service","name":"B","service":"svc"}`},
		{"Self", Self(), `{"type":"service","name":"B","service":"me"}`},
		{"own DO", do, `{"type":"durable_object_namespace","name":"B","class_name":"Counter"}`},
		{"other script's DO", remoteDO, `{"type":"durable_object_namespace","name":"B","class_name":"Remote","script_name":"other"}`},
		{"Workflow", wf, `{"type":"workflow","name":"B","workflow_name":"Flow","class_name":"Flow"}`},
		{"VersionMetadata", VersionMetadata(), `{"type":"version_metadata","name":"B"}`},
		{"AI", value.Obj("type", value.String("ai")), `{"type":"ai","name":"B"}`},
		{"Hyperdrive", value.Obj("type", value.String("hyperdrive"), "hyperdriveId", value.String("h1")), `{"type":"hyperdrive","name":"B","id":"h1"}`},
		{"Vectorize", value.Obj("type", value.String("vectorize"), "indexName", value.String("ix")), `{"type":"vectorize","name":"B","index_name":"ix"}`},
		{"Analytics Engine", value.Obj("type", value.String("analytics_engine"), "dataset", value.String("ds")), `{"type":"analytics_engine","name":"B","dataset":"ds"}`},
		{"assets", value.Obj("type", value.String("assets"), "path", value.String("public")), `{"type":"assets","name":"B"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := props{kind: KindWorker, id: "w", o: value.Obj("bindings", value.Obj("B", c.v))}
			wb, err := buildBindings(p, "me")
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := plainJSON(wb.meta[0])
			if string(raw) != c.want {
				t.Errorf("binding %s\nwant %s", raw, c.want)
			}
		})
	}
	bad := []struct {
		name string
		v    value.Value
		want string
	}{
		{"undefined", nil, "bindings.B: is undefined"},
		{"unknown resource", value.Obj(value.KeyKind, value.String("aws::Bucket"), value.KeyFQN, value.String("x"), "name", value.String("b")), "aws::Bucket cannot be bound"},
		{"secret number", &value.Secret{Value: value.Number(1)}, "must hold a string"},
	}
	for _, c := range bad {
		p := props{kind: KindWorker, id: "w", o: value.NewObject(1)}
		bindings := value.NewObject(1)
		bindings.Set("B", c.v)
		if c.v == nil {
			// A bridge that keeps undefined hands it as a nil member.
			wb := &workerBindings{devNames: map[string]string{}}
			_, err := wb.binding(p, "bindings.B", "B", nil, "me")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		p.o.Set("bindings", bindings)
		if _, err := buildBindings(p, "me"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	dup := props{kind: KindWorker, id: "w", o: value.Obj("bindings", value.Obj("A", do, "B", do))}
	if _, err := buildBindings(dup, "me"); err == nil || !strings.Contains(err.Error(), `id "counter" is also used by binding A`) {
		t.Errorf("duplicate stable id: %v", err)
	}
}

func TestExportBinding(t *testing.T) {
	do, _ := DurableObjectNamespace("counter", value.Obj("className", value.String("Counter"), "sqlite", value.Bool(true)))
	raw, _ := plainJSON(exportBinding(do, "api"))
	if string(raw) != `{"type":"durable_object_namespace","id":"counter","className":"Counter","scriptName":"api","sqlite":true}` {
		t.Errorf("exported DO %s", raw)
	}
	wf, _ := Workflow("flow", nil)
	raw, _ = plainJSON(exportBinding(wf, "api"))
	if string(raw) != `{"type":"workflow","id":"flow","workflowName":"flow","className":"flow","scriptName":"api"}` {
		t.Errorf("exported workflow %s", raw)
	}
}

func TestNormalize(t *testing.T) {
	norm := func(name string, local bool, dir string, v value.Value) string {
		t.Helper()
		for _, e := range Module() {
			if e.Name == name {
				out, err := e.Normalize(NormalizeContext{Local: local, Dir: dir}, "id", v)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := plainJSON(out)
				return string(raw)
			}
		}
		t.Fatalf("no export %s", name)
		return ""
	}
	cases := []struct {
		name, export string
		local        bool
		props        value.Value
		want         string
	}{
		{"fixture KV", "KVNamespace", false, value.Obj("title", value.String("fixture-cache")), `{"title":"fixture-cache","dev":{"force":false}}`},
		{"no props", "Queue", false, nil, `{"dev":{"force":false}}`},
		{"dev keeps its place", "R2Bucket", true, value.Obj("dev", value.Obj("remote", value.Bool(true)), "name", value.String("b")), `{"dev":{"remote":true,"force":true},"name":"b"}`},
		{"force keeps its place", "KVNamespace", false, value.Obj("dev", value.Obj("force", value.Bool(true), "remote", value.Bool(false))), `{"dev":{"force":false,"remote":false}}`},
		{"worker as given", "Worker", false, value.Obj("name", value.String("w"), "projectRoot", value.String("app")), `{"name":"w","projectRoot":"app","cwd":"app"}`},
	}
	for _, c := range cases {
		if got := norm(c.export, c.local, "", c.props); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, got, c.want)
		}
	}
	dir := t.TempDir()
	for name, sql := range map[string]string{"m/0001_a.sql": "A", "m/10_c.sql": "C", "m/2_b.sql": "B", "m/zz.sql": "Z", "m/aa.sql": "AA", "seed.sql": "S"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(sql), 0o644)
	}
	got := norm("D1Database", false, dir, value.Obj("importFiles", value.Array{value.String("seed.sql")}, "migrationsDir", value.String("m")))
	var order []string
	for _, part := range strings.Split(got, `"id":"`)[1:] {
		order = append(order, part[:strings.IndexByte(part, '"')])
	}
	if !slices.Equal(order, []string{"seed.sql", "0001_a.sql", "2_b.sql", "10_c.sql", "aa.sql", "zz.sql"}) {
		t.Errorf("D1 props %s: file order %v", got, order)
	}
	if !strings.HasPrefix(got, `{"importFiles":[{"id":"seed.sql","hash":"`) || !strings.Contains(got, `"migrationsDir":"m","migrationsFiles":[`) ||
		!strings.HasSuffix(got, `"dev":{"force":false}}`) {
		t.Errorf("D1 props %s", got)
	}
}

func TestDescriptors(t *testing.T) {
	cases := []struct {
		export string
		args   []value.Value
		want   string
	}{
		{"DurableObjectNamespace", []value.Value{value.String("counter"), value.Obj("className", value.String("Counter"), "sqlite", value.Bool(true))},
			`{"type":"durable_object_namespace","id":"counter","className":"Counter","sqlite":true}`},
		{"Workflow", []value.Value{value.String("wf"), value.Obj("className", value.String("MyFlow"))},
			`{"type":"workflow","id":"wf","workflowName":"MyFlow","className":"MyFlow"}`},
		{"Workflow", []value.Value{value.String("wf")}, `{"type":"workflow","id":"wf","workflowName":"wf","className":"wf"}`},
		{"Json", []value.Value{value.Obj("a", value.Number(1))}, `{"type":"json","json":{"a":1}}`},
		{"WorkerRef", []value.Value{value.Obj("service", value.String("s"), "environment", value.String("production"))}, `{"type":"service","service":"s","environment":"production"}`},
		{"VersionMetadata", nil, `{"type":"version_metadata"}`},
		{"Assets", []value.Value{value.Obj("path", value.String("./public"))}, `{"type":"assets","path":"./public"}`},
	}
	for _, c := range cases {
		for _, e := range Module() {
			if e.Name != c.export {
				continue
			}
			v, err := e.Build(c.args)
			if err != nil {
				t.Fatalf("%s: %v", c.export, err)
			}
			raw, _ := plainJSON(v)
			if string(raw) != c.want {
				t.Errorf("%s: %s\nwant %s", c.export, raw, c.want)
			}
		}
	}
	for _, e := range Module() {
		if e.Name == "DurableObjectNamespace" {
			if _, err := e.Build([]value.Value{value.String("x"), value.NewObject(0)}); err == nil || !strings.Contains(err.Error(), "className") {
				t.Errorf("missing className: %v", err)
			}
		}
	}
}

func TestGuards(t *testing.T) {
	kv := value.Obj(value.KeyKind, value.String(KindKVNamespace), value.KeyFQN, value.String("x"), "type", value.String("kv_namespace"))
	do, _ := DurableObjectNamespace("d", value.Obj("className", value.String("C")))
	want := map[string][]bool{"isKVNamespace": {true, false}, "isDurableObjectNamespace": {false, true}, "isWorker": {false, false}}
	for _, e := range Module() {
		if w, ok := want[e.Name]; ok {
			if got := []bool{e.Is(kv), e.Is(do)}; !slices.Equal(got, w) {
				t.Errorf("%s: %v, want %v", e.Name, got, w)
			}
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		glob, name string
		want       bool
	}{
		{"**/*.js", "a.js", true},
		{"**/*.js", "lib/deep/a.js", true},
		{"**/*.js", "a.js.map", false},
		{"*.wasm", "x/a.wasm", false},
		{"lib/*.js", "lib/a.js", true},
		{"lib/**", "lib/a/b.txt", true},
	}
	for _, c := range cases {
		if got := globMatch(c.glob, c.name); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.glob, c.name, got)
		}
	}
}

func TestAssetsManifest(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"index.html": "<h1>hi</h1>", "css/site.css": "body{}", "_headers": "/*\n  X: y", ".assetsignore": "secret.txt\n", "secret.txt": "no"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	files, err := readAssets(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, fmt.Sprintf("%s %d %d", f.name, len(f.hash), f.size))
	}
	if want := []string{"/css/site.css 32 6", "/index.html 32 11"}; !slices.Equal(got, want) {
		t.Errorf("manifest %v, want %v", got, want)
	}
	cfg, err := assetsConfig(props{kind: KindWorker, id: "w", o: value.Obj("assets", value.Obj("not_found_handling", value.String("404-page")))}, dir)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := plainJSON(cfg)
	if string(raw) != `{"html_handling":"auto-trailing-slash","_headers":"/*\n  X: y","not_found_handling":"404-page"}` {
		t.Errorf("config %s", raw)
	}
	if _, err := assetsConfig(props{kind: KindWorker, id: "w", o: value.Obj("assets", value.Obj("_headers", value.String("x")))}, dir); err == nil {
		t.Error("a _headers prop and file at once should fail")
	}
}
