package jsapi

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
	"github.com/alchemy-go/alchemy/value"
)

// newTestRealm returns the module's realm in a fresh runtime, with Secret
// and Scope reachable as globals for test expressions.
func newTestRealm(t testing.TB) *realm {
	t.Helper()
	h := runtime.New(runtime.Config{Dir: t.TempDir()})
	webapi.Install(h)
	nodelib.InstallGlobals(h)
	r, err := New(Config{}).realm(h)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.vm.Set("Secret", r.lib.Get("Secret"))
	return r
}

func (r *realm) eval(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := r.vm.RunString("(" + src + ")")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}

// marshal writes a value compactly with secrets as {"@secret": plaintext},
// the form the library compares props in.
func marshal(t testing.TB, v value.Value) string {
	t.Helper()
	b, err := value.Marshal(v, value.EncodeOptions{Secret: func(s *value.Secret) (value.Value, error) { return s.Value, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestToValue(t *testing.T) {
	r := newTestRealm(t)
	tests := []struct {
		js, want string
	}{
		{`({b: 1, a: "x", c: true, d: 1.5})`, `{"b":1,"a":"x","c":true,"d":1.5}`},
		{`({"10": "ten", "2": "two", z: "z"})`, `{"2":"two","10":"ten","z":"z"}`},
		{`({u: undefined, f() { return 1 }, n: null})`, `{"n":null}`},
		{`[1, undefined, () => 1, null]`, `[1,null,null,null]`},
		{`-0`, `0`},
		{`1e21`, `1e+21`},
		{`new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678))`, `{"@date":"2024-02-29T12:30:45.678Z"}`},
		{`Symbol.for("golden::sym")`, `{"@symbol":"Symbol(golden::sym)"}`},
		{`new Uint8Array([104, 105])`, `{"@buffer":"aGk="}`},
		{`Buffer.from("hello buffer")`, `{"@buffer":"aGVsbG8gYnVmZmVy"}`},
		{`new Secret("hush")`, `{"@secret":"hush"}`},
		{`new Secret({user: "u", pass: 1})`, `{"@secret":{"user":"u","pass":1}}`},
		{`({x: 1, [Symbol.for("alchemy::ResourceKind")]: "k", [Symbol.for("alchemy::ResourceID")]: "id"})`,
			`{"Symbol(alchemy::ResourceKind)":"k","Symbol(alchemy::ResourceID)":"id","x":1}`},
		{`new (class Point { constructor() { this.x = 1; this.y = 2 } get z() { return 3 } })()`, `{"x":1,"y":2}`},
		{`new Map([["a", 1]])`, `{}`},
		{`"héllo \u2028"`, "\"héllo \u2028\""},
	}
	for _, tc := range tests {
		t.Run(tc.js, func(t *testing.T) {
			v, err := r.toValue(r.eval(t, tc.js))
			if err != nil {
				t.Fatal(err)
			}
			if got := marshal(t, v); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if v, err := r.toValue(goja.Undefined()); v != nil || err != nil {
		t.Errorf("undefined: %v, %v", v, err)
	}
}

func TestToValueErrors(t *testing.T) {
	r := newTestRealm(t)
	tests := []struct {
		js, want string
	}{
		{`({a: {b: 10n}})`, `a.b: a BigInt cannot be stored in state`},
		{`({tags: ["x", Symbol("local")]})`, `tags[1]: cannot store the unique symbol Symbol(local): use Symbol.for`},
		{`({[Symbol("k")]: 1})`, `cannot store the unique symbol key Symbol(k): use Symbol.for`},
		{`({when: new Date(NaN)})`, `when: invalid Date`},
		{`(() => { const o = {}; o.self = o; return o })()`, `nested too deeply (is the value cyclic?)`},
	}
	for _, tc := range tests {
		t.Run(tc.js, func(t *testing.T) {
			_, err := r.toValue(r.eval(t, tc.js))
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Errorf("error %v, want …%s", err, tc.want)
			}
		})
	}
}

// Values read from state come back to JS and convert to the same values:
// what a skipped resource resolves to serializes like its stored output.
func TestRoundTrip(t *testing.T) {
	r := newTestRealm(t)
	stored := `{"Symbol(alchemy::ResourceKind)":"fixture::Note","Symbol(alchemy::ResourceID)":"top",` +
		`"Symbol(alchemy::ResourceFQN)":"fixture-app/prod/top","Symbol(alchemy::ResourceScope)":{"@scope":null},` +
		`"Symbol(alchemy::ResourceSeq)":1,"2":"two","10":"ten","text":"top-level","tags":["a","b"],` +
		`"nested":{"n":1,"ok":true,"none":null},"at":{"@date":"2025-01-01T00:00:00.000Z"},` +
		`"buf":{"@buffer":"aGk="},"sym":{"@symbol":"Symbol(s)"},"__proto__":{"x":1},"token":{"@secret":"hush"}}`
	v, err := value.Unmarshal([]byte(stored), value.DecodeOptions{Secret: func(raw value.Value, _ string) (value.Value, error) {
		return &value.Secret{Value: raw}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := &scope{app: &appRun{name: "fixture-app", stageName: "prod"}, name: "prod", kind: scopeStage}
	js := r.toJS(v, s)
	obj := js.(*goja.Object)
	if kind := obj.GetSymbol(r.symbol("alchemy::ResourceKind")); kind == nil || kind.String() != "fixture::Note" {
		t.Errorf("ResourceKind symbol = %v", kind)
	}
	if sc, ok := obj.GetSymbol(r.symbol("alchemy::ResourceScope")).(*goja.Object); !ok || r.scopes[sc] != s {
		t.Errorf("ResourceScope is not the scope object")
	}
	if proto := obj.Get("__proto__"); proto == nil || obj.Prototype() != r.objectProto {
		t.Errorf("__proto__ must stay an own property")
	}
	back, err := r.toValue(js)
	if err != nil {
		t.Fatal(err)
	}
	if !value.Equal(v, back) {
		t.Errorf("round trip:\n got %s\nwant %s", marshal(t, back), marshal(t, v))
	}
	if got, want := marshal(t, back), marshal(t, v); got != want {
		t.Errorf("round trip:\n got %s\nwant %s", got, want)
	}
}

// A Secret never shows its plaintext when inspected or stringified.
func TestSecretRedacted(t *testing.T) {
	r := newTestRealm(t)
	secret := r.eval(t, `new Secret("hunter2", "db")`)
	for name, got := range map[string]string{
		"inspect": runtime.Inspect(r.vm, secret, runtime.InspectOptions{}),
		"string":  r.eval(t, `String(new Secret("hunter2", "db"))`).String(),
		"json":    r.eval(t, `JSON.stringify({s: new Secret("hunter2", "db")})`).String(),
		"spread":  r.eval(t, `JSON.stringify({...new Secret("hunter2", "db")})`).String(),
	} {
		if strings.Contains(got, "hunter2") {
			t.Errorf("%s shows the plaintext: %s", name, got)
		}
	}
	if got := r.eval(t, `new Secret("hunter2", "db").unencrypted`).String(); got != "hunter2" {
		t.Errorf("unencrypted = %q", got)
	}
}

func BenchmarkToValue(b *testing.B) {
	r := newTestRealm(b)
	props := r.eval(b, `({name: "resource-1", size: 1, tags: ["a", "b"], nested: {ok: true}, when: new Date(0)})`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.toValue(props); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToJS(b *testing.B) {
	r := newTestRealm(b)
	out, err := r.toValue(r.eval(b, `({[Symbol.for("alchemy::ResourceKind")]: "bench::Thing", [Symbol.for("alchemy::ResourceID")]: "r1",
		[Symbol.for("alchemy::ResourceFQN")]: "bench/dev/r1", [Symbol.for("alchemy::ResourceSeq")]: 1,
		name: "resource-1", size: 1, tags: ["a", "b"]})`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r.toJS(out, nil)
	}
}
