package nodelib

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// The Node modules that npm packages written for Workers' nodejs_compat
// import: node:stream (and stream/promises, stream/web,
// stream/consumers), node:string_decoder, node:timers (and
// timers/promises), node:zlib, node:querystring and
// node:diagnostics_channel. Their JS halves are compiled once per process
// and evaluated once per Host.

var (
	//go:embed stream.js
	streamSource string
	//go:embed consumers.js
	consumersSource string
	//go:embed string_decoder.js
	stringDecoderSource string
	//go:embed timers.js
	timersSource string
	//go:embed zlib.js
	zlibSource string
	//go:embed querystring.js
	querystringSource string
	//go:embed diagnostics_channel.js
	diagnosticsChannelSource string
)

// jsFile is a JS factory file: compiled once per process, its factory
// called once per Host.
type jsFile struct {
	name    string
	program func() (*goja.Program, error)
}

func newJSFile(name string, source *string) *jsFile {
	return &jsFile{name: name, program: sync.OnceValues(func() (*goja.Program, error) {
		return goja.Compile("alchemy:"+name, *source, true)
	})}
}

type jsFileKey struct{ f *jsFile }

// load returns the object the file's factory builds for h, calling the
// factory with the values args makes on first use.
func (f *jsFile) load(h *runtime.Host, args func() ([]goja.Value, error)) (*goja.Object, error) {
	v, err := h.Local(jsFileKey{f}, func() (any, error) {
		prog, err := f.program()
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", f.name, err)
		}
		var values []goja.Value
		if args != nil {
			if values, err = args(); err != nil {
				return nil, err
			}
		}
		return runtime.RunFactory(h.VM(), prog, f.name, values...)
	})
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}

var (
	streamFile             = newJSFile("stream.js", &streamSource)
	consumersFile          = newJSFile("consumers.js", &consumersSource)
	stringDecoderFile      = newJSFile("string_decoder.js", &stringDecoderSource)
	timersFile             = newJSFile("timers.js", &timersSource)
	zlibFile               = newJSFile("zlib.js", &zlibSource)
	querystringFile        = newJSFile("querystring.js", &querystringSource)
	diagnosticsChannelFile = newJSFile("diagnostics_channel.js", &diagnosticsChannelSource)
)

// member returns one property of a loaded module object.
func member(load func(h *runtime.Host) (*goja.Object, error), name string) func(h *runtime.Host) (*goja.Object, error) {
	return func(h *runtime.Host) (*goja.Object, error) {
		obj, err := load(h)
		if err != nil {
			return nil, err
		}
		m, ok := obj.Get(name).(*goja.Object)
		if !ok {
			return nil, fmt.Errorf("the module has no %s", name)
		}
		return m, nil
	}
}

func deps(vm *goja.Runtime, values map[string]any) []goja.Value {
	return []goja.Value{exportsObject(vm, values)}
}

func loadStream(h *runtime.Host) (*goja.Object, error) {
	return streamFile.load(h, func() ([]goja.Value, error) {
		events, err := h.Require("node:events")
		if err != nil {
			return nil, err
		}
		decoder, err := loadStringDecoder(h)
		if err != nil {
			return nil, err
		}
		b, err := buffers(h)
		if err != nil {
			return nil, err
		}
		return deps(h.VM(), map[string]any{"EventEmitter": events, "Buffer": b.ctor, "StringDecoder": decoder.Get("StringDecoder")}), nil
	})
}

func streamModule() runtime.Module {
	name, aliases := names("stream")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadStream,
		Exports: []string{
			"Duplex", "PassThrough", "Readable", "Stream", "Transform", "Writable", "addAbortSignal", "compose",
			"destroy", "finished", "getDefaultHighWaterMark", "isDisturbed", "isErrored", "isReadable", "pipeline",
			"promises", "setDefaultHighWaterMark",
		},
	}
}

func streamPromisesModule() runtime.Module {
	name, aliases := names("stream/promises")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Exports: []string{"finished", "pipeline"},
		Load: member(loadStream, "promises")}
}

// webStreamNames are the web stream classes node:stream/web re-exports.
var webStreamNames = []string{
	"ByteLengthQueuingStrategy", "CompressionStream", "CountQueuingStrategy", "DecompressionStream",
	"ReadableStream", "ReadableStreamBYOBReader", "ReadableStreamDefaultController", "ReadableStreamDefaultReader",
	"TextDecoderStream", "TextEncoderStream", "TransformStream", "TransformStreamDefaultController",
	"WritableStream", "WritableStreamDefaultController", "WritableStreamDefaultWriter",
}

func streamWebModule() runtime.Module {
	name, aliases := names("stream/web")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Exports: webStreamNames,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			obj := h.VM().NewObject()
			for _, n := range webStreamNames {
				v := global(h, n)
				if v == nil || goja.IsUndefined(v) {
					return nil, fmt.Errorf("the %s global is not installed", n)
				}
				_ = obj.Set(n, v)
			}
			return obj, nil
		}}
}

func streamConsumersModule() runtime.Module {
	name, aliases := names("stream/consumers")
	return runtime.Module{Name: name, Aliases: aliases, Default: true,
		Exports: []string{"arrayBuffer", "blob", "buffer", "json", "text"},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			return consumersFile.load(h, func() ([]goja.Value, error) {
				b, err := buffers(h)
				if err != nil {
					return nil, err
				}
				return deps(h.VM(), map[string]any{"Buffer": b.ctor}), nil
			})
		}}
}

func loadStringDecoder(h *runtime.Host) (*goja.Object, error) {
	return stringDecoderFile.load(h, func() ([]goja.Value, error) {
		return []goja.Value{stringDecoderNatives(h.VM())}, nil
	})
}

func stringDecoderModule() runtime.Module {
	name, aliases := names("string_decoder")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Exports: []string{"StringDecoder"}, Load: loadStringDecoder}
}

func loadTimers(h *runtime.Host) (*goja.Object, error) { return timersFile.load(h, nil) }

func timersModule() runtime.Module {
	name, aliases := names("timers")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Load: loadTimers,
		Exports: []string{"clearImmediate", "clearInterval", "clearTimeout", "promises", "setImmediate", "setInterval", "setTimeout"}}
}

func timersPromisesModule() runtime.Module {
	name, aliases := names("timers/promises")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Load: member(loadTimers, "promises"),
		Exports: []string{"scheduler", "setImmediate", "setInterval", "setTimeout"}}
}

func zlibModule() runtime.Module {
	name, aliases := names("zlib")
	return runtime.Module{Name: name, Aliases: aliases, Default: true, Load: loadZlib,
		Exports: []string{
			"BrotliCompress", "BrotliDecompress", "Deflate", "DeflateRaw", "Gunzip", "Gzip", "Inflate", "InflateRaw",
			"Unzip", "brotliCompress", "brotliCompressSync", "brotliDecompress", "brotliDecompressSync", "codes",
			"constants", "crc32", "createBrotliCompress", "createBrotliDecompress", "createDeflate", "createDeflateRaw",
			"createGunzip", "createGzip", "createInflate", "createInflateRaw", "createUnzip", "deflate", "deflateRaw",
			"deflateRawSync", "deflateSync", "gunzip", "gunzipSync", "gzip", "gzipSync", "inflate", "inflateRaw",
			"inflateRawSync", "inflateSync", "unzip", "unzipSync",
		}}
}

func loadZlib(h *runtime.Host) (*goja.Object, error) {
	return zlibFile.load(h, func() ([]goja.Value, error) {
		stream, err := loadStream(h)
		if err != nil {
			return nil, err
		}
		b, err := buffers(h)
		if err != nil {
			return nil, err
		}
		return []goja.Value{zlibNatives(h), exportsObject(h.VM(), map[string]any{"stream": stream, "Buffer": b.ctor})}, nil
	})
}

func querystringModule() runtime.Module {
	name, aliases := names("querystring")
	return runtime.Module{Name: name, Aliases: aliases, Default: true,
		Exports: []string{"decode", "encode", "escape", "parse", "stringify", "unescape", "unescapeBuffer"},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			return querystringFile.load(h, func() ([]goja.Value, error) {
				b, err := buffers(h)
				if err != nil {
					return nil, err
				}
				return deps(h.VM(), map[string]any{"Buffer": b.ctor}), nil
			})
		}}
}

func diagnosticsChannelModule() runtime.Module {
	name, aliases := names("diagnostics_channel")
	return runtime.Module{Name: name, Aliases: aliases, Default: true,
		Exports: []string{"Channel", "channel", "hasSubscribers", "subscribe", "tracingChannel", "unsubscribe"},
		Load:    func(h *runtime.Host) (*goja.Object, error) { return diagnosticsChannelFile.load(h, nil) }}
}
