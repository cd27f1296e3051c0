package codec_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/runtime/webapi/codec"
)

// feed writes data to c in pieces of size n and returns all output.
func feed(t *testing.T, c codec.Codec, data []byte, n int) ([]byte, error) {
	t.Helper()
	var out []byte
	for len(data) > 0 {
		k := min(n, len(data))
		b, err := c.Write(data[:k])
		out = append(out, b...)
		if err != nil {
			return out, err
		}
		data = data[k:]
	}
	b, err := c.Close()
	return append(out, b...), err
}

func TestRoundTrips(t *testing.T) {
	text := []byte(strings.Repeat("the quick brown fox jumps over the lazy dog. ", 2000))
	for _, f := range []codec.Format{codec.Gzip, codec.Deflate, codec.DeflateRaw} {
		for _, piece := range []int{1, 7, 4096, len(text)} {
			c, err := codec.NewCompressor(f, codec.DefaultLevel)
			if err != nil {
				t.Fatal(err)
			}
			packed, err := feed(t, c, text, piece)
			if err != nil {
				t.Fatalf("%s/%d: compress: %v", f, piece, err)
			}
			if len(packed) >= len(text)/10 {
				t.Errorf("%s: %d bytes compressed to %d", f, len(text), len(packed))
			}
			d, err := codec.NewDecompressor(f, true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := feed(t, d, packed, piece)
			if err != nil || !bytes.Equal(got, text) {
				t.Errorf("%s/%d: decompressed %d bytes (err %v), want %d", f, piece, len(got), err, len(text))
			}
			whole, err := codec.Decompress(f, packed, true)
			if err != nil || !bytes.Equal(whole, text) {
				t.Errorf("%s: Decompress: %d bytes, %v", f, len(whole), err)
			}
		}
	}
}

// A decompressor returns output as its input allows, before Close.
func TestDecompressorStreams(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("first part;"))
	_ = zw.Flush()
	flushed := buf.Len()
	_, _ = zw.Write([]byte("second part"))
	_ = zw.Close()
	d, _ := codec.NewDecompressor(codec.Gzip, false)
	got, err := d.Write(buf.Bytes()[:flushed])
	if err != nil || string(got) != "first part;" {
		t.Fatalf("after the flushed prefix: %q, %v", got, err)
	}
	rest, err := feed(t, d, buf.Bytes()[flushed:], 3)
	if err != nil || string(rest) != "second part" {
		t.Fatalf("rest: %q, %v", rest, err)
	}
}

func TestDecompressErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return b.Bytes()
	}
	zl := func(s string) []byte {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return b.Bytes()
	}
	corrupt := gz("checksum")
	corrupt[len(corrupt)-6] ^= 0xff
	tests := []struct {
		name   string
		format codec.Format
		data   []byte
		strict bool
		want   string // output, or the error code and message
	}{
		{"not gzip", codec.Gzip, []byte("hello world"), false, "Z_DATA_ERROR incorrect header check"},
		{"empty", codec.Gzip, nil, false, "Z_BUF_ERROR unexpected end of file"},
		{"truncated", codec.Deflate, zl("abcdef")[:5], false, "Z_BUF_ERROR unexpected end of file"},
		{"bad checksum", codec.Gzip, corrupt, false, "Z_DATA_ERROR incorrect data check"},
		{"two members", codec.Gzip, append(gz("one,"), gz("two")...), false, "one,two"},
		{"trailing garbage ignored", codec.Gzip, append(gz("x"), "junk"...), false, "x"},
		{"trailing garbage strict", codec.Gzip, append(gz("x"), "junk"...), true, "Z_DATA_ERROR trailing data after the end of the compressed stream"},
		{"unzip gzip", codec.Unzip, gz("g"), false, "g"},
		{"unzip zlib", codec.Unzip, zl("z"), false, "z"},
	}
	for _, tt := range tests {
		for _, streamed := range []bool{false, true} {
			var got []byte
			var err error
			if streamed {
				d, _ := codec.NewDecompressor(tt.format, tt.strict)
				got, err = feed(t, d, tt.data, 2)
			} else {
				got, err = codec.Decompress(tt.format, tt.data, tt.strict)
			}
			s := string(got)
			if err != nil {
				var ce *codec.Error
				if !errors.As(err, &ce) {
					t.Fatalf("%s: %T %v", tt.name, err, err)
				}
				s = ce.Code + " " + ce.Message
			}
			if s != tt.want {
				t.Errorf("%s (streamed %v): got %q, want %q", tt.name, streamed, s, tt.want)
			}
		}
	}
}

func TestBadArguments(t *testing.T) {
	if _, err := codec.NewCompressor(codec.Gzip, 10); err == nil {
		t.Error("level 10 accepted")
	}
	if _, err := codec.NewCompressor(codec.Unzip, 1); err == nil {
		t.Error("unzip compressor accepted")
	}
	if _, err := codec.ParseFormat("br"); err == nil {
		t.Error("br accepted")
	}
}

// A decompressor dropped mid-stream does not keep its goroutine.
func TestAbandonedDecompressorStops(t *testing.T) {
	before := goruntime.NumGoroutine()
	for range 20 {
		d, _ := codec.NewDecompressor(codec.Gzip, false)
		_, _ = d.Write([]byte{0x1f, 0x8b})
	}
	for i := 0; i < 100 && goruntime.NumGoroutine() > before; i++ {
		goruntime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := goruntime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running, had %d", n, before)
	}
}
