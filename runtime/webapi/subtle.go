package webapi

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"slices"
	"strings"

	"github.com/dop251/goja"
)

// cryptoKey is the Go side of a CryptoKey.
type cryptoKey struct {
	kind        string // "secret", "public" or "private"
	alg         string // normalised algorithm name
	hash        string // for HMAC, RSA and the KDFs: "SHA-256", …
	curve       string // for ECDSA: "P-256", …
	secret      []byte
	pub         crypto.PublicKey
	priv        crypto.PrivateKey
	extractable bool
	usages      []string
}

func (k *cryptoKey) lengthBits() int { return len(k.secret) * 8 }

// subtleAPI is crypto.subtle and the CryptoKey class of one realm.
type subtleAPI struct {
	r        *realm
	obj      *goja.Object
	keyCtor  *goja.Object
	keyProto *goja.Object
	slot     *goja.Symbol
}

func (r *realm) subtleAPI() *subtleAPI {
	if r.subtle != nil {
		return r.subtle
	}
	vm := r.vm
	s := &subtleAPI{r: r, slot: goja.NewSymbol("CryptoKey")}
	s.keyCtor = vm.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(vm.NewTypeError("Illegal constructor"))
	}).(*goja.Object)
	_ = s.keyCtor.DefineDataProperty("name", vm.ToValue("CryptoKey"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	s.keyProto = s.keyCtor.Get("prototype").(*goja.Object)
	getter := func(name string, fn func(k *cryptoKey) goja.Value) {
		_ = s.keyProto.DefineAccessorProperty(name, vm.ToValue(func(call goja.FunctionCall) goja.Value {
			return fn(s.key(call.This))
		}), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	getter("type", func(k *cryptoKey) goja.Value { return vm.ToValue(k.kind) })
	getter("extractable", func(k *cryptoKey) goja.Value { return vm.ToValue(k.extractable) })
	getter("usages", func(k *cryptoKey) goja.Value {
		u := make([]any, len(k.usages))
		for i, x := range k.usages {
			u[i] = x
		}
		return vm.NewArray(u...)
	})
	getter("algorithm", func(k *cryptoKey) goja.Value { return s.algorithmObject(k) })
	_ = s.keyProto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("CryptoKey"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)

	obj := vm.NewObject()
	method := func(name string, fn func(call goja.FunctionCall) (goja.Value, error)) {
		_ = obj.Set(name, func(call goja.FunctionCall) goja.Value {
			return s.promise(func() (goja.Value, error) { return fn(call) })
		})
	}
	method("digest", s.digest)
	method("importKey", s.importKey)
	method("exportKey", s.exportKey)
	method("generateKey", s.generateKey)
	method("sign", s.sign)
	method("verify", s.verify)
	method("encrypt", func(call goja.FunctionCall) (goja.Value, error) { return s.crypt(call, true) })
	method("decrypt", func(call goja.FunctionCall) (goja.Value, error) { return s.crypt(call, false) })
	method("deriveBits", s.deriveBits)
	method("deriveKey", s.deriveKey)
	for _, name := range []string{"wrapKey", "unwrapKey"} {
		method(name, func(goja.FunctionCall) (goja.Value, error) {
			return nil, &DOMError{"NotSupportedError", "crypto.subtle." + name + " is not supported"}
		})
	}
	_ = obj.Set("timingSafeEqual", func(call goja.FunctionCall) goja.Value {
		a, ok1 := Bytes(vm, call.Argument(0))
		b, ok2 := Bytes(vm, call.Argument(1))
		if !ok1 || !ok2 {
			throwError(vm, "TypeError", "timingSafeEqual: both arguments must be ArrayBuffers or views")
		}
		if len(a) != len(b) {
			throwError(vm, "RangeError", "timingSafeEqual: the inputs must have the same length")
		}
		return vm.ToValue(subtle.ConstantTimeCompare(a, b) == 1)
	})
	s.obj = obj
	r.subtle = s
	return s
}

// promise runs fn now and returns a promise of its outcome.
func (s *subtleAPI) promise(fn func() (goja.Value, error)) goja.Value {
	vm := s.r.vm
	p, resolve, reject := vm.NewPromise()
	var v goja.Value
	var err error
	if ex := vm.Try(func() { v, err = fn() }); ex != nil {
		_ = reject(ex.Value())
		return vm.ToValue(p)
	}
	if err != nil {
		var de *DOMError
		if errors.As(err, &de) {
			_ = reject(newDOMException(vm, de.Name, de.Message))
		} else {
			_ = reject(vm.NewTypeError(err.Error()))
		}
		return vm.ToValue(p)
	}
	_ = resolve(v)
	return vm.ToValue(p)
}

func (s *subtleAPI) key(v goja.Value) *cryptoKey {
	if obj, ok := v.(*goja.Object); ok {
		if x := obj.GetSymbol(s.slot); x != nil {
			if k, ok := x.Export().(*cryptoKey); ok {
				return k
			}
		}
	}
	panic(s.r.vm.NewTypeError("the argument is not a CryptoKey"))
}

func (s *subtleAPI) keyObject(k *cryptoKey) *goja.Object {
	vm := s.r.vm
	obj := vm.CreateObject(s.keyProto)
	_ = obj.DefineDataPropertySymbol(s.slot, vm.ToValue(k), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return obj
}

func (s *subtleAPI) algorithmObject(k *cryptoKey) goja.Value {
	vm := s.r.vm
	a := vm.NewObject()
	_ = a.Set("name", k.alg)
	hashObj := func() *goja.Object {
		h := vm.NewObject()
		_ = h.Set("name", k.hash)
		return h
	}
	switch k.alg {
	case "HMAC":
		_ = a.Set("hash", hashObj())
		_ = a.Set("length", k.lengthBits())
	case "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW":
		_ = a.Set("length", k.lengthBits())
	case "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP":
		_ = a.Set("hash", hashObj())
		var pub *rsa.PublicKey
		if k.priv != nil {
			pub = &k.priv.(*rsa.PrivateKey).PublicKey
		} else {
			pub = k.pub.(*rsa.PublicKey)
		}
		_ = a.Set("modulusLength", pub.N.BitLen())
		_ = a.Set("publicExponent", NewUint8Array(vm, big.NewInt(int64(pub.E)).Bytes()))
	case "ECDSA", "ECDH":
		_ = a.Set("namedCurve", k.curve)
	}
	return a
}

// algorithm reads an AlgorithmIdentifier: a name or an object with one.
type algorithm struct {
	name string
	obj  *goja.Object
}

func (s *subtleAPI) algorithm(v goja.Value) algorithm {
	vm := s.r.vm
	a := algorithm{}
	if obj, ok := v.(*goja.Object); ok {
		a.obj = obj
		v = obj.Get("name")
	}
	if v == nil || goja.IsUndefined(v) {
		panic(vm.NewTypeError("the algorithm must have a name"))
	}
	a.name = canonicalAlgorithm(v.String())
	return a
}

var algorithmNames = []string{
	"SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5", "HMAC", "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW",
	"PBKDF2", "HKDF", "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP", "ECDSA", "ECDH", "Ed25519", "NODE-ED25519",
}

func canonicalAlgorithm(name string) string {
	for _, n := range algorithmNames {
		if strings.EqualFold(n, name) {
			if n == "NODE-ED25519" {
				return "Ed25519"
			}
			return n
		}
	}
	return name
}

func (a algorithm) get(name string) goja.Value {
	if a.obj == nil {
		return nil
	}
	v := a.obj.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}

func (s *subtleAPI) hashOf(a algorithm) (string, error) {
	v := a.get("hash")
	if v == nil {
		return "", fmt.Errorf("%s: the algorithm needs a hash", a.name)
	}
	h := s.algorithm(v).name
	if _, ok := hashFunc(h); !ok {
		return "", &DOMError{"NotSupportedError", fmt.Sprintf("unsupported hash %q", h)}
	}
	return h, nil
}

func hashFunc(name string) (func() hash.Hash, bool) {
	switch name {
	case "SHA-1":
		return sha1.New, true
	case "SHA-256":
		return sha256.New, true
	case "SHA-384":
		return sha512.New384, true
	case "SHA-512":
		return sha512.New, true
	case "MD5":
		return md5.New, true
	}
	return nil, false
}

func cryptoHash(name string) crypto.Hash {
	switch name {
	case "SHA-1":
		return crypto.SHA1
	case "SHA-384":
		return crypto.SHA384
	case "SHA-512":
		return crypto.SHA512
	}
	return crypto.SHA256
}

func (s *subtleAPI) bytesArg(v goja.Value, what string) []byte {
	b, ok := Bytes(s.r.vm, v)
	if !ok {
		panic(s.r.vm.NewTypeError(what + " must be an ArrayBuffer or an ArrayBuffer view"))
	}
	return append([]byte(nil), b...)
}

func (s *subtleAPI) buffer(b []byte) goja.Value {
	return s.r.vm.ToValue(s.r.vm.NewArrayBuffer(b))
}

func (s *subtleAPI) usages(v goja.Value) []string {
	var out []string
	if obj, ok := v.(*goja.Object); ok {
		s.r.vm.ForOf(obj, func(u goja.Value) bool {
			out = append(out, u.String())
			return true
		})
	}
	return out
}

func (s *subtleAPI) digest(call goja.FunctionCall) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	fn, ok := hashFunc(a.name)
	if !ok {
		return nil, &DOMError{"NotSupportedError", fmt.Sprintf("unrecognized digest algorithm %q", a.name)}
	}
	h := fn()
	h.Write(s.bytesArg(call.Argument(1), "digest: the data"))
	return s.buffer(h.Sum(nil)), nil
}

func checkUsage(k *cryptoKey, usage, alg string) error {
	if k.alg != alg {
		return &DOMError{"InvalidAccessError", fmt.Sprintf("the key is for %s, not %s", k.alg, alg)}
	}
	if !slices.Contains(k.usages, usage) {
		return &DOMError{"InvalidAccessError", fmt.Sprintf("the key's usages do not include %q", usage)}
	}
	return nil
}

func (s *subtleAPI) importKey(call goja.FunctionCall) (goja.Value, error) {
	format := call.Argument(0).String()
	a := s.algorithm(call.Argument(2))
	k, err := s.buildKey(format, call.Argument(1), a)
	if err != nil {
		return nil, err
	}
	k.extractable = call.Argument(3).ToBoolean()
	k.usages = s.usages(call.Argument(4))
	return s.keyObject(k), nil
}

func (s *subtleAPI) buildKey(format string, data goja.Value, a algorithm) (*cryptoKey, error) {
	k := &cryptoKey{alg: a.name}
	switch a.name {
	case "HMAC", "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW", "PBKDF2", "HKDF":
		k.kind = "secret"
		switch format {
		case "raw":
			k.secret = s.bytesArg(data, "importKey: the key data")
		case "jwk":
			jwk := s.jwk(data)
			if jwk["kty"] != "oct" {
				return nil, &DOMError{"DataError", "a secret key's JWK must have kty \"oct\""}
			}
			b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(jwk["k"], "="))
			if err != nil {
				return nil, &DOMError{"DataError", "the JWK's k is not base64url"}
			}
			k.secret = b
		default:
			return nil, &DOMError{"NotSupportedError", fmt.Sprintf("%s keys cannot be imported as %q", a.name, format)}
		}
		if a.name == "HMAC" {
			h, err := s.hashOf(a)
			if err != nil {
				return nil, err
			}
			k.hash = h
		}
		if strings.HasPrefix(a.name, "AES") {
			if n := len(k.secret); n != 16 && n != 24 && n != 32 {
				return nil, &DOMError{"DataError", fmt.Sprintf("an AES key must be 128, 192 or 256 bits, not %d", n*8)}
			}
		}
		return k, nil
	case "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP", "ECDSA", "ECDH", "Ed25519":
		if a.name != "Ed25519" && a.name != "ECDSA" && a.name != "ECDH" {
			h, err := s.hashOf(a)
			if err != nil {
				return nil, err
			}
			k.hash = h
		}
		var key any
		var err error
		switch format {
		case "spki":
			key, err = x509.ParsePKIXPublicKey(s.bytesArg(data, "importKey: the key data"))
		case "pkcs8":
			key, err = x509.ParsePKCS8PrivateKey(s.bytesArg(data, "importKey: the key data"))
		case "jwk":
			key, err = jwkKey(s.jwk(data))
		case "raw":
			raw := s.bytesArg(data, "importKey: the key data")
			switch a.name {
			case "Ed25519":
				if len(raw) != ed25519.PublicKeySize {
					err = errors.New("an Ed25519 public key is 32 bytes")
				}
				key = ed25519.PublicKey(raw)
			case "ECDSA", "ECDH":
				key, err = ecdsaRawPublic(s.curveOf(a), raw)
			default:
				err = fmt.Errorf("%s keys cannot be imported as raw", a.name)
			}
		default:
			err = fmt.Errorf("unknown key format %q", format)
		}
		if err != nil {
			return nil, &DOMError{"DataError", err.Error()}
		}
		if err := k.setAsymmetric(key); err != nil {
			return nil, err
		}
		if k.alg == "ECDSA" || k.alg == "ECDH" {
			if want := s.curveOf(a); want != "" && want != k.curve {
				return nil, &DOMError{"DataError", fmt.Sprintf("the key is on %s, not %s", k.curve, want)}
			}
		}
		return k, nil
	}
	return nil, &DOMError{"NotSupportedError", fmt.Sprintf("unrecognized key algorithm %q", a.name)}
}

func (k *cryptoKey) setAsymmetric(key any) error {
	switch x := key.(type) {
	case *rsa.PublicKey:
		k.kind, k.pub = "public", x
	case *rsa.PrivateKey:
		k.kind, k.priv = "private", x
	case *ecdsa.PublicKey:
		k.kind, k.pub, k.curve = "public", x, x.Curve.Params().Name
	case *ecdsa.PrivateKey:
		k.kind, k.priv, k.curve = "private", x, x.Curve.Params().Name
	case ed25519.PublicKey:
		k.kind, k.pub = "public", x
	case ed25519.PrivateKey:
		k.kind, k.priv = "private", x
	default:
		return &DOMError{"DataError", fmt.Sprintf("unsupported key type %T", key)}
	}
	want := map[string]string{"RSASSA-PKCS1-v1_5": "rsa", "RSA-PSS": "rsa", "RSA-OAEP": "rsa", "ECDSA": "ec", "ECDH": "ec", "Ed25519": "ed"}[k.alg]
	got := "rsa"
	switch key.(type) {
	case *ecdsa.PublicKey, *ecdsa.PrivateKey:
		got = "ec"
	case ed25519.PublicKey, ed25519.PrivateKey:
		got = "ed"
	}
	if want != got {
		return &DOMError{"DataError", fmt.Sprintf("the key data is not a %s key", k.alg)}
	}
	return nil
}

func (s *subtleAPI) curveOf(a algorithm) string {
	if v := a.get("namedCurve"); v != nil {
		return v.String()
	}
	return ""
}

func curveByName(name string) (elliptic.Curve, bool) {
	switch name {
	case "P-256":
		return elliptic.P256(), true
	case "P-384":
		return elliptic.P384(), true
	case "P-521":
		return elliptic.P521(), true
	}
	return nil, false
}

func ecdsaRawPublic(curveName string, raw []byte) (*ecdsa.PublicKey, error) {
	curve, ok := curveByName(curveName)
	if !ok {
		return nil, fmt.Errorf("unsupported curve %q", curveName)
	}
	x, y := elliptic.Unmarshal(curve, raw) //nolint:staticcheck // the raw format is an uncompressed point
	if x == nil {
		return nil, errors.New("the raw key is not an uncompressed point on the curve")
	}
	return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}, nil
}

// jwk reads a JSON Web Key object's string members.
func (s *subtleAPI) jwk(v goja.Value) map[string]string {
	obj, ok := v.(*goja.Object)
	if !ok {
		panic(s.r.vm.NewTypeError("importKey: a JWK must be an object"))
	}
	out := map[string]string{}
	for _, k := range obj.Keys() {
		if x := obj.Get(k); x != nil && !goja.IsUndefined(x) {
			if _, isObj := x.(*goja.Object); !isObj {
				out[k] = x.String()
			}
		}
	}
	return out
}

func b64url(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func jwkInt(s string) (*big.Int, error) {
	b, err := b64url(s)
	if err != nil {
		return nil, err
	}
	return new(big.Int).SetBytes(b), nil
}

func jwkKey(j map[string]string) (any, error) {
	switch j["kty"] {
	case "RSA":
		n, err := jwkInt(j["n"])
		if err != nil {
			return nil, err
		}
		e, err := jwkInt(j["e"])
		if err != nil {
			return nil, err
		}
		pub := rsa.PublicKey{N: n, E: int(e.Int64())}
		if j["d"] == "" {
			return &pub, nil
		}
		priv := &rsa.PrivateKey{PublicKey: pub}
		if priv.D, err = jwkInt(j["d"]); err != nil {
			return nil, err
		}
		for _, f := range []string{"p", "q"} {
			x, err := jwkInt(j[f])
			if err != nil {
				return nil, err
			}
			priv.Primes = append(priv.Primes, x)
		}
		priv.Precompute()
		return priv, priv.Validate()
	case "EC":
		curve, ok := curveByName(j["crv"])
		if !ok {
			return nil, fmt.Errorf("unsupported curve %q", j["crv"])
		}
		x, err := jwkInt(j["x"])
		if err != nil {
			return nil, err
		}
		y, err := jwkInt(j["y"])
		if err != nil {
			return nil, err
		}
		pub := ecdsa.PublicKey{Curve: curve, X: x, Y: y}
		if j["d"] == "" {
			return &pub, nil
		}
		d, err := jwkInt(j["d"])
		if err != nil {
			return nil, err
		}
		return &ecdsa.PrivateKey{PublicKey: pub, D: d}, nil
	case "OKP":
		if j["crv"] != "Ed25519" {
			return nil, fmt.Errorf("unsupported curve %q", j["crv"])
		}
		x, err := b64url(j["x"])
		if err != nil {
			return nil, err
		}
		if j["d"] == "" {
			return ed25519.PublicKey(x), nil
		}
		d, err := b64url(j["d"])
		if err != nil || len(d) != ed25519.SeedSize {
			return nil, errors.New("an Ed25519 JWK's d must be a 32-byte seed")
		}
		return ed25519.NewKeyFromSeed(d), nil
	}
	return nil, fmt.Errorf("unsupported JWK kty %q", j["kty"])
}

func (s *subtleAPI) exportKey(call goja.FunctionCall) (goja.Value, error) {
	format := call.Argument(0).String()
	k := s.key(call.Argument(1))
	if !k.extractable {
		return nil, &DOMError{"InvalidAccessError", "the key is not extractable"}
	}
	vm := s.r.vm
	enc := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	switch format {
	case "raw":
		switch {
		case k.kind == "secret":
			return s.buffer(append([]byte(nil), k.secret...)), nil
		case k.kind == "public":
			switch pub := k.pub.(type) {
			case ed25519.PublicKey:
				return s.buffer(append([]byte(nil), pub...)), nil
			case *ecdsa.PublicKey:
				return s.buffer(elliptic.Marshal(pub.Curve, pub.X, pub.Y)), nil //nolint:staticcheck // uncompressed point
			}
		}
	case "jwk":
		j := vm.NewObject()
		_ = j.Set("ext", true)
		ops := make([]any, len(k.usages))
		for i, u := range k.usages {
			ops[i] = u
		}
		_ = j.Set("key_ops", vm.NewArray(ops...))
		switch k.kind {
		case "secret":
			_ = j.Set("kty", "oct")
			_ = j.Set("k", enc(k.secret))
			if alg := jwkAlg(k); alg != "" {
				_ = j.Set("alg", alg)
			}
			return j, nil
		default:
			var pubKey any = k.pub
			if k.priv != nil {
				pubKey = k.priv.(crypto.Signer).Public()
			}
			switch pub := pubKey.(type) {
			case *rsa.PublicKey:
				_ = j.Set("kty", "RSA")
				_ = j.Set("n", enc(pub.N.Bytes()))
				_ = j.Set("e", enc(big.NewInt(int64(pub.E)).Bytes()))
				if priv, ok := k.priv.(*rsa.PrivateKey); ok {
					_ = j.Set("d", enc(priv.D.Bytes()))
					_ = j.Set("p", enc(priv.Primes[0].Bytes()))
					_ = j.Set("q", enc(priv.Primes[1].Bytes()))
					_ = j.Set("dp", enc(priv.Precomputed.Dp.Bytes()))
					_ = j.Set("dq", enc(priv.Precomputed.Dq.Bytes()))
					_ = j.Set("qi", enc(priv.Precomputed.Qinv.Bytes()))
				}
			case *ecdsa.PublicKey:
				size := (pub.Curve.Params().BitSize + 7) / 8
				_ = j.Set("kty", "EC")
				_ = j.Set("crv", k.curve)
				_ = j.Set("x", enc(pub.X.FillBytes(make([]byte, size))))
				_ = j.Set("y", enc(pub.Y.FillBytes(make([]byte, size))))
				if priv, ok := k.priv.(*ecdsa.PrivateKey); ok {
					_ = j.Set("d", enc(priv.D.FillBytes(make([]byte, size))))
				}
			case ed25519.PublicKey:
				_ = j.Set("kty", "OKP")
				_ = j.Set("crv", "Ed25519")
				_ = j.Set("x", enc(pub))
				if priv, ok := k.priv.(ed25519.PrivateKey); ok {
					_ = j.Set("d", enc(priv.Seed()))
				}
			}
			return j, nil
		}
	case "spki":
		if k.kind == "public" {
			der, err := x509.MarshalPKIXPublicKey(k.pub)
			if err != nil {
				return nil, &DOMError{"OperationError", err.Error()}
			}
			return s.buffer(der), nil
		}
	case "pkcs8":
		if k.kind == "private" {
			der, err := x509.MarshalPKCS8PrivateKey(k.priv)
			if err != nil {
				return nil, &DOMError{"OperationError", err.Error()}
			}
			return s.buffer(der), nil
		}
	}
	return nil, &DOMError{"InvalidAccessError", fmt.Sprintf("a %s %s key cannot be exported as %q", k.kind, k.alg, format)}
}

func jwkAlg(k *cryptoKey) string {
	switch k.alg {
	case "HMAC":
		return "HS" + strings.TrimPrefix(k.hash, "SHA-")
	case "AES-GCM":
		return fmt.Sprintf("A%dGCM", k.lengthBits())
	case "AES-CBC":
		return fmt.Sprintf("A%dCBC", k.lengthBits())
	case "AES-CTR":
		return fmt.Sprintf("A%dCTR", k.lengthBits())
	}
	return ""
}

func (s *subtleAPI) generateKey(call goja.FunctionCall) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	extractable := call.Argument(1).ToBoolean()
	usages := s.usages(call.Argument(2))
	secret := func(n int) (goja.Value, error) {
		k := &cryptoKey{kind: "secret", alg: a.name, secret: make([]byte, n), extractable: extractable, usages: usages}
		_, _ = rand.Read(k.secret)
		if a.name == "HMAC" {
			k.hash, _ = s.hashOf(a)
		}
		return s.keyObject(k), nil
	}
	pair := func(pub, priv any) (goja.Value, error) {
		pk := &cryptoKey{alg: a.name, extractable: true}
		sk := &cryptoKey{alg: a.name, extractable: extractable}
		if err := pk.setAsymmetric(pub); err != nil {
			return nil, err
		}
		if err := sk.setAsymmetric(priv); err != nil {
			return nil, err
		}
		if a.name != "ECDSA" && a.name != "Ed25519" && a.name != "ECDH" {
			h, err := s.hashOf(a)
			if err != nil {
				return nil, err
			}
			pk.hash, sk.hash = h, h
		}
		for _, u := range usages {
			switch u {
			case "verify", "encrypt", "wrapKey":
				pk.usages = append(pk.usages, u)
			default:
				sk.usages = append(sk.usages, u)
			}
		}
		obj := s.r.vm.NewObject()
		_ = obj.Set("publicKey", s.keyObject(pk))
		_ = obj.Set("privateKey", s.keyObject(sk))
		return obj, nil
	}
	switch a.name {
	case "HMAC":
		h, err := s.hashOf(a)
		if err != nil {
			return nil, err
		}
		n := sha256.BlockSize
		if h == "SHA-384" || h == "SHA-512" {
			n = sha512.BlockSize
		}
		if l := a.get("length"); l != nil {
			n = int(l.ToInteger()+7) / 8
		}
		return secret(n)
	case "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW":
		bits := 0
		if l := a.get("length"); l != nil {
			bits = int(l.ToInteger())
		}
		if bits != 128 && bits != 192 && bits != 256 {
			return nil, &DOMError{"OperationError", "an AES key length must be 128, 192 or 256"}
		}
		return secret(bits / 8)
	case "ECDSA", "ECDH":
		curve, ok := curveByName(s.curveOf(a))
		if !ok {
			return nil, &DOMError{"NotSupportedError", fmt.Sprintf("unsupported curve %q", s.curveOf(a))}
		}
		priv, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			return nil, &DOMError{"OperationError", err.Error()}
		}
		return pair(&priv.PublicKey, priv)
	case "Ed25519":
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, &DOMError{"OperationError", err.Error()}
		}
		return pair(pub, priv)
	case "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP":
		bits := 2048
		if l := a.get("modulusLength"); l != nil {
			bits = int(l.ToInteger())
		}
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, &DOMError{"OperationError", err.Error()}
		}
		return pair(&priv.PublicKey, priv)
	}
	return nil, &DOMError{"NotSupportedError", fmt.Sprintf("unrecognized key algorithm %q", a.name)}
}

func (s *subtleAPI) sign(call goja.FunctionCall) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	k := s.key(call.Argument(1))
	data := s.bytesArg(call.Argument(2), "sign: the data")
	if err := checkUsage(k, "sign", a.name); err != nil {
		return nil, err
	}
	sig, err := s.signBytes(a, k, data)
	if err != nil {
		return nil, err
	}
	return s.buffer(sig), nil
}

func (s *subtleAPI) signBytes(a algorithm, k *cryptoKey, data []byte) ([]byte, error) {
	switch a.name {
	case "HMAC":
		fn, _ := hashFunc(k.hash)
		m := hmac.New(fn, k.secret)
		m.Write(data)
		return m.Sum(nil), nil
	case "Ed25519":
		priv, ok := k.priv.(ed25519.PrivateKey)
		if !ok {
			return nil, &DOMError{"InvalidAccessError", "signing needs a private key"}
		}
		return ed25519.Sign(priv, data), nil
	}
	if k.kind != "private" {
		return nil, &DOMError{"InvalidAccessError", "signing needs a private key"}
	}
	hashName, digest, err := s.signatureDigest(a, k, data)
	if err != nil {
		return nil, err
	}
	var sig []byte
	switch a.name {
	case "RSASSA-PKCS1-v1_5":
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.priv.(*rsa.PrivateKey), cryptoHash(hashName), digest)
	case "RSA-PSS":
		sig, err = rsa.SignPSS(rand.Reader, k.priv.(*rsa.PrivateKey), cryptoHash(hashName), digest, &rsa.PSSOptions{SaltLength: s.saltLength(a)})
	case "ECDSA":
		priv := k.priv.(*ecdsa.PrivateKey)
		var r, ss *big.Int
		if r, ss, err = ecdsa.Sign(rand.Reader, priv, digest); err == nil {
			size := (priv.Curve.Params().BitSize + 7) / 8
			sig = append(r.FillBytes(make([]byte, size)), ss.FillBytes(make([]byte, size))...)
		}
	default:
		return nil, &DOMError{"NotSupportedError", fmt.Sprintf("%s cannot sign", a.name)}
	}
	if err != nil {
		return nil, &DOMError{"OperationError", err.Error()}
	}
	return sig, nil
}

// signatureDigest hashes data for an RSA or ECDSA signature: with the key's hash, or
// for ECDSA the one the algorithm names.
func (s *subtleAPI) signatureDigest(a algorithm, k *cryptoKey, data []byte) (string, []byte, error) {
	hashName := k.hash
	if a.name == "ECDSA" {
		h, err := s.hashOf(a)
		if err != nil {
			return "", nil, err
		}
		hashName = h
	}
	fn, _ := hashFunc(hashName)
	h := fn()
	h.Write(data)
	return hashName, h.Sum(nil), nil
}

func (s *subtleAPI) saltLength(a algorithm) int {
	if v := a.get("saltLength"); v != nil {
		return int(v.ToInteger())
	}
	return rsa.PSSSaltLengthEqualsHash
}

func (s *subtleAPI) verify(call goja.FunctionCall) (goja.Value, error) {
	vm := s.r.vm
	a := s.algorithm(call.Argument(0))
	k := s.key(call.Argument(1))
	sig := s.bytesArg(call.Argument(2), "verify: the signature")
	data := s.bytesArg(call.Argument(3), "verify: the data")
	if err := checkUsage(k, "verify", a.name); err != nil {
		return nil, err
	}
	switch a.name {
	case "HMAC":
		want, err := s.signBytes(a, k, data)
		if err != nil {
			return nil, err
		}
		return vm.ToValue(hmac.Equal(want, sig)), nil
	case "Ed25519":
		pub, ok := k.pub.(ed25519.PublicKey)
		if !ok {
			return nil, &DOMError{"InvalidAccessError", "verifying needs a public key"}
		}
		return vm.ToValue(ed25519.Verify(pub, data, sig)), nil
	}
	if k.kind != "public" {
		return nil, &DOMError{"InvalidAccessError", "verifying needs a public key"}
	}
	hashName, digest, err := s.signatureDigest(a, k, data)
	if err != nil {
		return nil, err
	}
	switch a.name {
	case "RSASSA-PKCS1-v1_5":
		return vm.ToValue(rsa.VerifyPKCS1v15(k.pub.(*rsa.PublicKey), cryptoHash(hashName), digest, sig) == nil), nil
	case "RSA-PSS":
		return vm.ToValue(rsa.VerifyPSS(k.pub.(*rsa.PublicKey), cryptoHash(hashName), digest, sig, &rsa.PSSOptions{SaltLength: s.saltLength(a)}) == nil), nil
	case "ECDSA":
		pub := k.pub.(*ecdsa.PublicKey)
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return vm.ToValue(false), nil
		}
		r := new(big.Int).SetBytes(sig[:size])
		ss := new(big.Int).SetBytes(sig[size:])
		return vm.ToValue(ecdsa.Verify(pub, digest, r, ss)), nil
	}
	return nil, &DOMError{"NotSupportedError", fmt.Sprintf("%s cannot verify", a.name)}
}

func (s *subtleAPI) crypt(call goja.FunctionCall, encrypt bool) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	k := s.key(call.Argument(1))
	data := s.bytesArg(call.Argument(2), "the data")
	usage := "decrypt"
	if encrypt {
		usage = "encrypt"
	}
	if err := checkUsage(k, usage, a.name); err != nil {
		return nil, err
	}
	param := func(name string) []byte {
		v := a.get(name)
		if v == nil {
			return nil
		}
		return s.bytesArg(v, a.name+": "+name)
	}
	opErr := func(err error) error { return &DOMError{"OperationError", err.Error()} }
	switch a.name {
	case "AES-GCM", "AES-CBC", "AES-CTR":
		block, err := aes.NewCipher(k.secret)
		if err != nil {
			return nil, opErr(err)
		}
		switch a.name {
		case "AES-GCM":
			iv := param("iv")
			tagLen := 16
			if v := a.get("tagLength"); v != nil {
				tagLen = int(v.ToInteger()) / 8
			}
			gcm, err := cipher.NewGCMWithNonceSize(block, len(iv))
			if err == nil && tagLen != 16 {
				gcm, err = cipher.NewGCMWithTagSize(block, tagLen)
			}
			if err != nil {
				return nil, opErr(err)
			}
			if encrypt {
				return s.buffer(gcm.Seal(nil, iv, data, param("additionalData"))), nil
			}
			out, err := gcm.Open(nil, iv, data, param("additionalData"))
			if err != nil {
				return nil, &DOMError{"OperationError", "decryption failed"}
			}
			return s.buffer(out), nil
		case "AES-CBC":
			iv := param("iv")
			if len(iv) != aes.BlockSize {
				return nil, opErr(errors.New("AES-CBC needs a 16-byte iv"))
			}
			if encrypt {
				pad := aes.BlockSize - len(data)%aes.BlockSize
				padded := append(data, make([]byte, pad)...)
				for i := len(data); i < len(padded); i++ {
					padded[i] = byte(pad)
				}
				cipher.NewCBCEncrypter(block, iv).CryptBlocks(padded, padded)
				return s.buffer(padded), nil
			}
			if len(data) == 0 || len(data)%aes.BlockSize != 0 {
				return nil, &DOMError{"OperationError", "decryption failed"}
			}
			out := append([]byte(nil), data...)
			cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, out)
			pad := int(out[len(out)-1])
			if pad == 0 || pad > aes.BlockSize {
				return nil, &DOMError{"OperationError", "decryption failed"}
			}
			return s.buffer(out[:len(out)-pad]), nil
		default:
			counter := param("counter")
			if len(counter) != aes.BlockSize {
				return nil, opErr(errors.New("AES-CTR needs a 16-byte counter"))
			}
			out := make([]byte, len(data))
			cipher.NewCTR(block, counter).XORKeyStream(out, data)
			return s.buffer(out), nil
		}
	case "RSA-OAEP":
		fn, _ := hashFunc(k.hash)
		if encrypt {
			pub, ok := k.pub.(*rsa.PublicKey)
			if !ok {
				return nil, &DOMError{"InvalidAccessError", "encrypting needs a public key"}
			}
			out, err := rsa.EncryptOAEP(fn(), rand.Reader, pub, data, param("label"))
			if err != nil {
				return nil, opErr(err)
			}
			return s.buffer(out), nil
		}
		priv, ok := k.priv.(*rsa.PrivateKey)
		if !ok {
			return nil, &DOMError{"InvalidAccessError", "decrypting needs a private key"}
		}
		out, err := rsa.DecryptOAEP(fn(), rand.Reader, priv, data, param("label"))
		if err != nil {
			return nil, &DOMError{"OperationError", "decryption failed"}
		}
		return s.buffer(out), nil
	}
	return nil, &DOMError{"NotSupportedError", fmt.Sprintf("%s cannot %s", a.name, usage)}
}

func (s *subtleAPI) derive(a algorithm, k *cryptoKey, bits int) ([]byte, error) {
	if bits <= 0 || bits%8 != 0 {
		return nil, &DOMError{"OperationError", "the length must be a positive multiple of 8"}
	}
	h, err := s.hashOf(a)
	if err != nil {
		return nil, err
	}
	fn, _ := hashFunc(h)
	var salt []byte
	if v := a.get("salt"); v != nil {
		salt = s.bytesArg(v, a.name+": salt")
	}
	switch a.name {
	case "PBKDF2":
		iter := 0
		if v := a.get("iterations"); v != nil {
			iter = int(v.ToInteger())
		}
		if iter <= 0 {
			return nil, &DOMError{"OperationError", "PBKDF2 needs a positive iterations count"}
		}
		out, err := pbkdf2.Key(fn, string(k.secret), salt, iter, bits/8)
		if err != nil {
			return nil, &DOMError{"OperationError", err.Error()}
		}
		return out, nil
	case "HKDF":
		var info []byte
		if v := a.get("info"); v != nil {
			info = s.bytesArg(v, "HKDF: info")
		}
		out, err := hkdf.Key(fn, k.secret, salt, string(info), bits/8)
		if err != nil {
			return nil, &DOMError{"OperationError", err.Error()}
		}
		return out, nil
	}
	return nil, &DOMError{"NotSupportedError", fmt.Sprintf("%s cannot derive bits", a.name)}
}

func (s *subtleAPI) deriveBits(call goja.FunctionCall) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	k := s.key(call.Argument(1))
	if err := checkUsage(k, "deriveBits", a.name); err != nil {
		return nil, err
	}
	out, err := s.derive(a, k, int(call.Argument(2).ToInteger()))
	if err != nil {
		return nil, err
	}
	return s.buffer(out), nil
}

func (s *subtleAPI) deriveKey(call goja.FunctionCall) (goja.Value, error) {
	a := s.algorithm(call.Argument(0))
	k := s.key(call.Argument(1))
	if err := checkUsage(k, "deriveKey", a.name); err != nil {
		return nil, err
	}
	target := s.algorithm(call.Argument(2))
	bits := 0
	if v := target.get("length"); v != nil {
		bits = int(v.ToInteger())
	} else if target.name == "HMAC" {
		h, err := s.hashOf(target)
		if err != nil {
			return nil, err
		}
		bits = 512
		if h == "SHA-384" || h == "SHA-512" {
			bits = 1024
		}
	}
	raw, err := s.derive(a, k, bits)
	if err != nil {
		return nil, err
	}
	dk, err := s.buildKey("raw", s.buffer(raw), target)
	if err != nil {
		return nil, err
	}
	dk.extractable = call.Argument(3).ToBoolean()
	dk.usages = s.usages(call.Argument(4))
	return s.keyObject(dk), nil
}
