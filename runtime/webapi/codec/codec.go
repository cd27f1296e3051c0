// Package codec compresses and decompresses gzip, zlib ("deflate") and raw
// deflate data incrementally, a chunk at a time, for the JS compression
// APIs (CompressionStream, DecompressionStream and node:zlib). A Codec takes
// input as the program produces it and returns the output that input made
// available, so a stream is never held whole in memory.
package codec

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	goruntime "runtime"
	"sync"
)

// Format is a compressed data format.
type Format string

// The formats. Unzip decompresses gzip or zlib data, told apart by the
// gzip magic bytes; it cannot compress.
const (
	Gzip       Format = "gzip"
	Deflate    Format = "deflate" // zlib (RFC 1950)
	DeflateRaw Format = "deflate-raw"
	Unzip      Format = "unzip"
)

// ParseFormat returns the format a name such as "gzip" names.
func ParseFormat(name string) (Format, error) {
	switch f := Format(name); f {
	case Gzip, Deflate, DeflateRaw, Unzip:
		return f, nil
	}
	return "", fmt.Errorf("unsupported compression format %q (want gzip, deflate or deflate-raw)", name)
}

// DefaultLevel is zlib's default compression level.
const DefaultLevel = flate.DefaultCompression

// Error is a failure to decompress, described as zlib describes it.
type Error struct {
	// Message is zlib's message, such as "incorrect header check".
	Message string
	// Code is zlib's code name, such as "Z_DATA_ERROR", and Errno its number.
	Code  string
	Errno int
	Err   error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// ErrTrailingData is returned by a strict decompressor given bytes after
// the end of the compressed stream.
var ErrTrailingData = &Error{Message: "trailing data after the end of the compressed stream", Code: "Z_DATA_ERROR", Errno: -3}

// describe turns a decoding error into an *Error.
func describe(err error) error {
	var ce flate.CorruptInputError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Message: "unexpected end of file", Code: "Z_BUF_ERROR", Errno: -5, Err: err}
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, zlib.ErrHeader):
		return &Error{Message: "incorrect header check", Code: "Z_DATA_ERROR", Errno: -3, Err: err}
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, zlib.ErrChecksum):
		return &Error{Message: "incorrect data check", Code: "Z_DATA_ERROR", Errno: -3, Err: err}
	case errors.Is(err, zlib.ErrDictionary):
		return &Error{Message: "Missing dictionary", Code: "Z_NEED_DICT", Errno: 2, Err: err}
	case errors.As(err, &ce):
		return &Error{Message: fmt.Sprintf("invalid compressed data (corrupt input before offset %d)", int64(ce)), Code: "Z_DATA_ERROR", Errno: -3, Err: err}
	case errors.Is(err, ErrTrailingData):
		return err
	}
	return &Error{Message: err.Error(), Code: "Z_DATA_ERROR", Errno: -3, Err: err}
}

// Codec compresses or decompresses one stream. Write, Flush and Close
// return the output produced so far; after Close or an error the Codec is
// spent. A Codec is not safe for concurrent use.
type Codec interface {
	// Write consumes p (which the Codec does not keep).
	Write(p []byte) ([]byte, error)
	// Flush returns all output the input so far allows (for a compressor, a
	// sync flush: the output then decompresses to everything written).
	Flush() ([]byte, error)
	// Close ends the input and returns the rest of the output. A
	// decompressor whose input stopped before the end of the compressed
	// stream fails with "unexpected end of file".
	Close() ([]byte, error)
}

// NewCompressor returns a compressor to format at level (-1 for the
// default, 0 to 9).
func NewCompressor(format Format, level int) (Codec, error) {
	if level < flate.DefaultCompression || level > flate.BestCompression {
		return nil, fmt.Errorf("compression level %d is out of range (-1 to 9)", level)
	}
	c := &compressor{}
	var err error
	switch format {
	case Gzip:
		c.w, err = gzip.NewWriterLevel(&c.out, level)
	case Deflate:
		c.w, err = zlib.NewWriterLevel(&c.out, level)
	case DeflateRaw:
		c.w, err = flate.NewWriter(&c.out, level)
	default:
		return nil, fmt.Errorf("cannot compress to %q", format)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

type flushWriteCloser interface {
	io.WriteCloser
	Flush() error
}

type compressor struct {
	w   flushWriteCloser
	out bytes.Buffer
}

func (c *compressor) take() []byte {
	b := bytes.Clone(c.out.Bytes())
	c.out.Reset()
	return b
}

func (c *compressor) Write(p []byte) ([]byte, error) {
	if _, err := c.w.Write(p); err != nil {
		return nil, err
	}
	return c.take(), nil
}

func (c *compressor) Flush() ([]byte, error) {
	if err := c.w.Flush(); err != nil {
		return nil, err
	}
	return c.take(), nil
}

func (c *compressor) Close() ([]byte, error) {
	if err := c.w.Close(); err != nil {
		return nil, err
	}
	return c.take(), nil
}

// NewDecompressor returns a decompressor of format. A strict one fails on
// bytes after the end of the compressed stream (as DecompressionStream
// does); otherwise they are ignored, but for further gzip members, which
// are decompressed too (as node:zlib does).
func NewDecompressor(format Format, strict bool) (Codec, error) {
	switch format {
	case Gzip, Deflate, DeflateRaw, Unzip:
	default:
		return nil, fmt.Errorf("cannot decompress %q", format)
	}
	p := &pump{in: make(chan []byte), ready: make(chan struct{}, 1), done: make(chan struct{})}
	d := &decompressor{p: p}
	go p.run(format, strict)
	// A decompressor dropped before Close must not leave its goroutine
	// waiting for input forever.
	goruntime.AddCleanup(d, (*pump).stop, p)
	return d, nil
}

// decompressor hands input to a goroutine running Go's pull-based readers
// and waits until that goroutine has consumed it and asks for more: the
// output of each Write is then all the input so far allows.
type decompressor struct {
	p          *pump
	wantsInput bool // the pump asked for input and waits on p.in
	closed     bool
}

// pump is the decompressing goroutine's side; it never refers to the
// decompressor, so that an abandoned decompressor can be collected.
type pump struct {
	in       chan []byte
	ready    chan struct{}
	done     chan struct{}
	stopOnce sync.Once

	mu  sync.Mutex
	out bytes.Buffer
	err error

	cur []byte // input being read (pump goroutine only)
}

func (p *pump) stop() { p.stopOnce.Do(func() { close(p.in) }) }

// Read serves the decoders: when the current chunk is used up it signals
// that it wants input and waits for the next chunk (or the end).
func (p *pump) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		p.ready <- struct{}{}
		c, ok := <-p.in
		if !ok {
			return 0, io.EOF
		}
		p.cur = c
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

func (p *pump) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *pump) run(format Format, strict bool) {
	err := decode(bufio.NewReader(p), p, format, strict)
	p.mu.Lock()
	p.err = describe(err)
	p.mu.Unlock()
	close(p.done)
	// Swallow input sent after the end so that no sender blocks.
	for range p.in {
	}
}

// decode decompresses one stream from r into w.
func decode(r *bufio.Reader, w io.Writer, format Format, strict bool) error {
	if format == Unzip {
		head, err := r.Peek(2)
		if err != nil {
			return io.ErrUnexpectedEOF
		}
		format = Deflate
		if head[0] == 0x1f && head[1] == 0x8b {
			format = Gzip
		}
	}
	switch format {
	case Gzip:
		// Check the magic bytes first, so that input that is not gzip
		// fails as such even when shorter than a gzip header.
		if head, _ := r.Peek(2); (len(head) > 0 && head[0] != 0x1f) || (len(head) > 1 && head[1] != 0x8b) {
			return gzip.ErrHeader
		}
		zr, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		for {
			zr.Multistream(false)
			if _, err := io.Copy(w, zr); err != nil {
				return err
			}
			head, err := r.Peek(2)
			if err != nil || head[0] != 0x1f || head[1] != 0x8b || strict {
				break
			}
			if err := zr.Reset(r); err != nil {
				return err
			}
		}
	case Deflate:
		zr, err := zlib.NewReader(r)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, zr); err != nil {
			return err
		}
	case DeflateRaw:
		if _, err := io.Copy(w, flate.NewReader(r)); err != nil {
			return err
		}
	}
	if strict {
		if _, err := r.Peek(1); err == nil {
			return ErrTrailingData
		}
	}
	return nil
}

func (d *decompressor) take() ([]byte, error) {
	p := d.p
	p.mu.Lock()
	defer p.mu.Unlock()
	b := bytes.Clone(p.out.Bytes())
	p.out.Reset()
	return b, p.err
}

// wait blocks until the pump wants input or has finished; it reports
// whether the pump still runs.
func (d *decompressor) wait() bool {
	if d.wantsInput {
		return true
	}
	select {
	case <-d.p.ready:
		d.wantsInput = true
		return true
	case <-d.p.done:
		return false
	}
}

func (d *decompressor) Write(b []byte) ([]byte, error) {
	if d.closed {
		return nil, errors.New("write after close")
	}
	if len(b) == 0 {
		return d.take()
	}
	if !d.wait() {
		out, err := d.take()
		if err == nil {
			// The stream ended before this input: in lenient mode, bytes
			// after the end are dropped.
			return out, nil
		}
		return out, err
	}
	d.wantsInput = false
	d.p.in <- bytes.Clone(b)
	d.wait()
	return d.take()
}

func (d *decompressor) Flush() ([]byte, error) { return d.take() }

func (d *decompressor) Close() ([]byte, error) {
	if d.closed {
		return d.take()
	}
	d.closed = true
	d.wait()
	d.p.stop()
	<-d.p.done
	return d.take()
}

// Compress compresses data whole.
func Compress(format Format, level int, data []byte) ([]byte, error) {
	c, err := NewCompressor(format, level)
	if err != nil {
		return nil, err
	}
	out, err := c.Write(data)
	if err != nil {
		return nil, err
	}
	rest, err := c.Close()
	return append(out, rest...), err
}

// Decompress decompresses data whole, without a goroutine.
func Decompress(format Format, data []byte, strict bool) ([]byte, error) {
	var out bytes.Buffer
	err := decode(bufio.NewReader(bytes.NewReader(data)), &out, format, strict)
	return out.Bytes(), describe(err)
}
