package webapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/dop251/goja"
)

// encodeForm serialises FormData entries ([name, string] or [name, bytes,
// filename, type]) as multipart/form-data, returning [bytes, contentType].
func (r *realm) encodeForm(call goja.FunctionCall) goja.Value {
	vm := r.vm
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	entries, ok := call.Argument(0).(*goja.Object)
	if !ok {
		throwError(vm, "TypeError", "encodeForm: entries must be an array")
	}
	var err error
	vm.ForOf(entries, func(e goja.Value) bool {
		entry := e.ToObject(vm)
		name := entry.Get("0").String()
		if data, ok := Bytes(vm, entry.Get("1")); ok {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, escapeQuotes(name), escapeQuotes(entry.Get("2").String())))
			ct := entry.Get("3").String()
			if ct == "" {
				ct = "application/octet-stream"
			}
			h.Set("Content-Type", ct)
			var pw io.Writer
			if pw, err = w.CreatePart(h); err == nil {
				_, err = pw.Write(data)
			}
		} else {
			err = w.WriteField(name, entry.Get("1").String())
		}
		return err == nil
	})
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		throwError(vm, "TypeError", "FormData: %v", err)
	}
	return vm.NewArray(NewUint8Array(vm, buf.Bytes()), "multipart/form-data; boundary="+w.Boundary())
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// parseForm reads a multipart/form-data body into entries: [name, string]
// for fields, [name, bytes, filename, type] for files.
func (r *realm) parseForm(call goja.FunctionCall) goja.Value {
	vm := r.vm
	data, _ := Bytes(vm, call.Argument(0))
	_, params, err := mime.ParseMediaType(call.Argument(1).String())
	if err != nil || params["boundary"] == "" {
		throwError(vm, "TypeError", "FormData: the content type has no multipart boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(data), params["boundary"])
	var out []any
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			throwError(vm, "TypeError", "FormData: malformed multipart body: %v", err)
		}
		content, err := io.ReadAll(p)
		if err != nil {
			throwError(vm, "TypeError", "FormData: malformed multipart body: %v", err)
		}
		if _, cd, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); cd != nil {
			if _, isFile := cd["filename"]; isFile {
				ct := p.Header.Get("Content-Type")
				if ct == "" {
					ct = "application/octet-stream"
				}
				out = append(out, vm.NewArray(p.FormName(), NewUint8Array(vm, content), cd["filename"], ct))
				continue
			}
		}
		out = append(out, vm.NewArray(p.FormName(), strings.ToValidUTF8(string(content), "\uFFFD")))
	}
	return vm.NewArray(out...)
}
