package bundler

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A WorkerContext rebuilds from the files as they are at each Rebuild, and
// a failed build (with its location) leaves it usable.
func TestWorkerContextRebuild(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"worker.ts": `import { body } from "./body";
export default { fetch: () => new Response(body) };
`,
		"body.ts": `export const body: string = "one";`,
	})
	c, err := NewWorkerContext(WorkerOptions{Entry: "worker.ts", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Dispose()
	steps := []struct {
		body    string // the new body.ts
		want    string // in the code
		wantErr string // in the error instead
	}{
		{body: `export const body: string = "one";`, want: `"one"`},
		{body: `export const body: string = "two";`, want: `"two"`},
		{body: "export const body: string = \"three\"\nlet = ;\n", wantErr: "body.ts:2:7: error: Unexpected \";\""},
		{body: `export const body: string = "four";`, want: `"four"`},
	}
	for i, s := range steps {
		if err := os.WriteFile(filepath.Join(dir, "body.ts"), []byte(s.body), 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := c.Rebuild()
		if s.wantErr != "" {
			var be *Error
			if !errors.As(err, &be) || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("step %d: error %v, want a build error containing %q", i, err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if !strings.Contains(w.Code, s.want) {
			t.Fatalf("step %d: code does not contain %s:\n%s", i, s.want, w.Code)
		}
		if len(w.Inputs) != 2 || len(w.SourceMap) == 0 {
			t.Fatalf("step %d: inputs %v, source map %d bytes; want both files and a map", i, w.Inputs, len(w.SourceMap))
		}
	}
	c.Dispose()
	if _, err := c.Rebuild(); err == nil {
		t.Fatal("Rebuild after Dispose succeeded")
	}
}
