package nodelib

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// normalizeEncoding returns the canonical name of a Node encoding, or an
// error for an unknown one.
func normalizeEncoding(enc string) (string, error) {
	switch strings.ToLower(enc) {
	case "utf8", "utf-8":
		return "utf8", nil
	case "hex":
		return "hex", nil
	case "base64":
		return "base64", nil
	case "base64url":
		return "base64url", nil
	case "latin1", "binary":
		return "latin1", nil
	case "ascii":
		return "ascii", nil
	case "utf16le", "utf-16le", "ucs2", "ucs-2":
		return "utf16le", nil
	}
	return "", fmt.Errorf("unknown encoding: %s", enc)
}

// encodeBytes renders data as a string in a Node encoding.
func encodeBytes(data []byte, enc string) string {
	switch enc {
	case "hex":
		return hex.EncodeToString(data)
	case "base64":
		return base64.StdEncoding.EncodeToString(data)
	case "base64url":
		return base64.RawURLEncoding.EncodeToString(data)
	case "latin1", "ascii":
		runes := make([]rune, len(data))
		for i, b := range data {
			if enc == "ascii" {
				b &= 0x7f
			}
			runes[i] = rune(b)
		}
		return string(runes)
	case "utf16le":
		units := make([]uint16, len(data)/2)
		for i := range units {
			units[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		return string(utf16.Decode(units))
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// decodeString turns a string into bytes in a Node encoding.
func decodeString(s, enc string) ([]byte, error) {
	switch enc {
	case "hex":
		if len(s)%2 == 1 {
			s = s[:len(s)-1]
		}
		return hex.DecodeString(s)
	case "base64", "base64url":
		return decodeBase64Loosely(s), nil
	case "latin1", "ascii":
		out := make([]byte, 0, len(s))
		for _, r := range s {
			out = append(out, byte(r))
		}
		return out, nil
	case "utf16le":
		units := utf16.Encode([]rune(s))
		out := make([]byte, 2*len(units))
		for i, u := range units {
			out[2*i], out[2*i+1] = byte(u), byte(u>>8)
		}
		return out, nil
	}
	return []byte(strings.ToValidUTF8(s, "\uFFFD")), nil
}

// dataBytes returns the bytes of a string (in enc), Buffer, typed array,
// DataView or ArrayBuffer, copied so a goroutine may use them.
func dataBytes(vm *goja.Runtime, v goja.Value, enc string) ([]byte, error) {
	if s, ok := v.Export().(string); ok {
		if _, isObj := v.(*goja.Object); !isObj {
			return decodeString(s, enc)
		}
	}
	if b, ok := webapi.Bytes(vm, v); ok {
		return append([]byte(nil), b...), nil
	}
	return nil, fmt.Errorf(`the "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView`)
}

// decodeBase64Loosely decodes base64 as Node does: both alphabets, the
// characters outside them (whitespace, line breaks) skipped, decoding
// stopping at the first "=", and a dangling last character ignored.
func decodeBase64Loosely(s string) []byte {
	clean := make([]byte, 0, len(s))
scan:
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=':
			break scan
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '+' || c == '/' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}
