package worker_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// A Worker with nodejs_compat uses node:stream, node:zlib and
// CompressionStream in its fetch handler, as bundled npm packages do.
func TestNodeCompatStreamsAndCompression(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("compat", script{
		flags: []string{"nodejs_compat"},
		modules: []store.Module{module("worker.js", `
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import { StringDecoder } from "node:string_decoder";
import querystring from "querystring";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/node-gzip") {
      // A Node stream pipeline gzips the body and hands it to the Response.
      const gzip = createGzip();
      const upper = new Transform({ transform(chunk, enc, cb) { cb(null, String(chunk).toUpperCase()); } });
      pipeline(Readable.from(["hello ", "from ", "node:zlib"]), upper, gzip).catch(() => {});
      return new Response(Readable.toWeb(gzip), { headers: { "content-type": "application/gzip" } });
    }
    if (url.pathname === "/web-gzip") {
      const body = new Response("hello from CompressionStream").body.pipeThrough(new CompressionStream("gzip"));
      return new Response(body, { headers: { "content-type": "application/gzip" } });
    }
    if (url.pathname === "/round-trip") {
      // The request body is gzip made by Go: DecompressionStream and gunzipSync agree.
      const bytes = new Uint8Array(await request.arrayBuffer());
      const viaWeb = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
      const viaNode = gunzipSync(bytes).toString();
      const d = new StringDecoder("utf8");
      const euro = Buffer.from("€");
      const split = d.write(euro.subarray(0, 2)) + d.end(euro.subarray(2));
      const q = querystring.parse(url.search.slice(1));
      return Response.json({ viaWeb, same: viaWeb === viaNode, split, q: q.q, size: gzipSync(viaNode).length > 0 });
    }
    return new Response("not found", { status: 404 });
  },
};
`)},
	})

	for _, path := range []string{"/node-gzip", "/web-gzip"} {
		status, body, header := e.do(http.MethodGet, "compat", path, "")
		if status != http.StatusOK || header.Get("Content-Type") != "application/gzip" {
			t.Fatalf("%s: %d %q %v", path, status, body, header)
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: the body is not gzip: %v", path, err)
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := map[string]string{"/node-gzip": "HELLO FROM NODE:ZLIB", "/web-gzip": "hello from CompressionStream"}[path]
		if string(text) != want {
			t.Errorf("%s: decompressed %q, want %q", path, text, want)
		}
	}

	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("gzip made by Go"))
	_ = zw.Close()
	status, body, _ := e.do(http.MethodPost, "compat", "/round-trip?q=a+b", buf.String())
	if want := `{"viaWeb":"gzip made by Go","same":true,"split":"€","q":"a b","size":true}`; status != http.StatusOK || body != want {
		t.Errorf("round trip: %d %s, want %s", status, body, want)
	}
}
