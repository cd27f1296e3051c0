package webapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestCompressionStreams(t *testing.T) {
	// Bytes Go's gzip made, for DecompressionStream to read.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("made by Go's gzip"))
	_ = zw.Close()
	fromGo := base64.StdEncoding.EncodeToString(buf.Bytes())

	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"round trips through Response", `
const text = "hello compression ".repeat(500);
for (const format of ["gzip", "deflate", "deflate-raw"]) {
  const packed = new Response(new Response(text).body!.pipeThrough(new CompressionStream(format)));
  const bytes = new Uint8Array(await packed.arrayBuffer());
  const back = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format))).text();
  console.log(format, bytes.length < text.length / 10, back === text);
}`, []string{"gzip true true", "deflate true true", "deflate-raw true true"}},
		{"gzip header and zlib header", `
const first = async (format: string) => {
  const r = new Blob(["x"]).stream().pipeThrough(new CompressionStream(format)).getReader();
  const chunks: number[] = [];
  for (;;) { const { value, done } = await r.read(); if (done) break; chunks.push(...value); }
  return chunks.slice(0, 2).map((b) => b.toString(16)).join(" ");
};
console.log(await first("gzip"), await first("deflate"));`, []string{"1f 8b 78 9c"}},
		{"decompresses Go's gzip byte by byte", fmt.Sprintf(`
const bytes = new Uint8Array(Array.from(atob(%q), (c) => c.charCodeAt(0)));
const ds = new DecompressionStream("gzip");
const w = ds.writable.getWriter();
const out = new Response(ds.readable).text();
for (const b of bytes) await w.write(new Uint8Array([b]));
await w.close();
console.log(await out);`, fromGo), []string{"made by Go's gzip"}},
		{"errors", `
try { new CompressionStream("br"); } catch (e: any) { console.log(e.name, e.message); }
try { new (DecompressionStream as any)(); } catch (e: any) { console.log(e.name); }
const bad = new Blob(["not gzip at all"]).stream().pipeThrough(new DecompressionStream("gzip"));
try { await new Response(bad).text(); } catch (e: any) { console.log(e.name, e.message); }
const cs = new CompressionStream("gzip");
const w = cs.writable.getWriter();
try { await w.write("a string" as any); } catch (e: any) { console.log(e.name, e.message); }
console.log(String(new DecompressionStream("deflate")));`, []string{
			`TypeError CompressionStream: unsupported compression format "br" (want "gzip", "deflate" or "deflate-raw")`,
			"TypeError",
			"TypeError DecompressionStream (gzip): incorrect header check",
			"TypeError The chunk must be an ArrayBuffer or an ArrayBuffer view",
			"[object DecompressionStream]",
		}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) { expectLines(t, tt.src, tt.want...) })
	}
}
