package bundler

import (
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// A Worker bundled for upload (module and map parts) and linked back for
// the runtime keeps positions of the original TypeScript.
func TestBundleUploadedComposesSourceMaps(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"src/index.ts": "import { env } from \"cloudflare:workers\";\nimport { greet } from \"./greet\";\n\nexport default {\n  fetch(): Response {\n    return new Response(greet(String(env)));\n  },\n};\n",
		"src/greet.ts": "export function greet(name: string): string {\n  if (!name) throw new Error(\"boom\");\n  return \"hi \" + name;\n}\n",
	})
	w, err := BundleWorker(WorkerOptions{Entry: "src/index.ts", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	parts := w.Parts("worker.js")
	if len(parts) != 2 || parts[1].Name != "worker.js.map" || !strings.HasSuffix(string(parts[0].Content), "//# sourceMappingURL=worker.js.map\n") {
		t.Fatalf("parts: %+v", parts)
	}
	r, err := BundleUploaded(UploadOptions{Modules: parts, MainModule: "worker.js", Builtins: testModules, File: "/hello.bundle.js"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Code, "\nexport ") || strings.Contains(r.Code, "\nimport ") {
		t.Errorf("runnable code keeps module syntax:\n%s", r.Code)
	}
	m, err := sourcemap.Parse(r.SourceMap)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := sourcemap.Decode(m.Mappings)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(r.Code, "\n")
	found := false
	for _, s := range segs {
		if s.Source < 0 || s.GenLine >= len(lines) || !strings.Contains(lines[s.GenLine], `throw new Error("boom")`) {
			continue
		}
		if m.Sources[s.Source] == "/src/greet.ts" && s.OrigLine == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("the throw does not map to /src/greet.ts line 2; sources %v", m.Sources)
	}
}

func TestBundleUploadedModuleKinds(t *testing.T) {
	mods := []UploadedModule{
		{Name: "main.js", ContentType: "application/javascript+module", Content: []byte(
			"import txt from \"./notes.txt\";\nimport data from \"./blob.bin\";\nimport { n } from \"./lib/num.js\";\nexport default { txt, data, n };\n")},
		{Name: "notes.txt", ContentType: "text/plain", Content: []byte("hello")},
		{Name: "blob.bin", ContentType: "application/octet-stream", Content: []byte{1, 2, 3}},
		{Name: "lib/num.js", ContentType: "application/javascript+module", Content: []byte("import { m } from \"../other.js\";\nexport const n = m + 1;\n")},
		{Name: "other.js", ContentType: "application/javascript+module", Content: []byte("export const m = 41;\n")},
	}
	r, err := BundleUploaded(UploadOptions{Modules: mods, MainModule: "main.js"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"hello"`, "atob(", "41"} {
		if !strings.Contains(r.Code, want) {
			t.Errorf("bundle lacks %s:\n%s", want, r.Code)
		}
	}
	_, err = BundleUploaded(UploadOptions{Modules: []UploadedModule{{Name: "main.js", ContentType: "application/javascript+module",
		Content: []byte("import x from \"./missing.js\";\nexport default x;\n")}}, MainModule: "main.js"})
	if err == nil || !strings.Contains(err.Error(), `module "./missing.js" (imported by main.js) is not among the uploaded modules (main.js)`) {
		t.Errorf("missing import: %v", err)
	}
	if _, err := BundleUploaded(UploadOptions{Modules: mods, MainModule: "nope.js"}); err == nil || !strings.Contains(err.Error(), `"nope.js" is not among`) {
		t.Errorf("missing entry: %v", err)
	}
	sw, err := BundleUploaded(UploadOptions{Modules: []UploadedModule{{Name: "sw.js", ContentType: "application/javascript",
		Content: []byte("addEventListener(\"fetch\", (e) => e.respondWith(new Response(\"sw\")));\n")}}, BodyPart: "sw.js"})
	if err != nil || strings.Contains(sw.Code, EntryGlobal) || !strings.Contains(sw.Code, "addEventListener") {
		t.Errorf("service worker: %v\n%s", err, sw.Code)
	}
}
