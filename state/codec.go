package state

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"

	"github.com/alchemy-go/alchemy/value"
)

// Parameters of the secret format the TypeScript library writes:
// AES-256-GCM with a key from scrypt(password, salt, N=16384, r=8, p=1).
const (
	scryptN      = 16384
	scryptR      = 8
	scryptP      = 1
	keyLen       = 32
	saltLen      = 16
	ivLen        = 12
	secretFormat = "v1"
)

// ErrNoPassword means a secret was met but no password was configured.
var ErrNoPassword = errors.New("no password to encrypt or decrypt secrets: set ALCHEMY_PASSWORD or pass password to alchemy(name, {password})")

// ErrWrongPassword means a secret did not decrypt with the configured password.
var ErrWrongPassword = errors.New("cannot decrypt secret: wrong password")

// Codec serializes records (JSON with the library's tags, 2-space indent)
// and encrypts and decrypts secrets with one password. It is safe for
// concurrent use. Derived keys are cached per salt, and all secrets written
// through one Codec share one salt (with a fresh IV each), so that scrypt
// runs once per salt rather than once per secret.
type Codec struct {
	password    string
	hasPassword bool

	mu   sync.Mutex
	keys map[string]*derivedKey // by raw salt

	writeOnce sync.Once
	writeSalt []byte
	writeErr  error
}

type derivedKey struct {
	once sync.Once
	gcm  cipher.AEAD
	err  error
}

// sealed is what a Secret read by a codec remembers, so that writing it back
// unchanged reproduces the same bytes instead of a new ciphertext.
type sealed struct {
	codec *Codec
	form  value.Value
}

// NewCodec returns a codec for password; an empty password means none.
func NewCodec(password string) *Codec {
	return &Codec{password: password, hasPassword: password != "", keys: map[string]*derivedKey{}}
}

// HasPassword reports whether the codec can encrypt and decrypt.
func (c *Codec) HasPassword() bool { return c.hasPassword }

// EncodeRecord returns the file content of a record.
func (c *Codec) EncodeRecord(r *Record) ([]byte, error) {
	return c.Encode(r.toObject())
}

// DecodeRecord parses the file content of a record.
func (c *Codec) DecodeRecord(data []byte) (*Record, error) {
	v, err := c.Decode(data)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, fmt.Errorf("record is a JSON %s, not an object", value.TypeName(v))
	}
	return recordFromObject(o)
}

// Encode serializes a value as the library does: JSON.stringify(serialize(v),
// null, 2), secrets encrypted.
func (c *Codec) Encode(v value.Value) ([]byte, error) {
	return value.Marshal(v, value.EncodeOptions{Indent: "  ", Secret: c.Seal})
}

// Decode parses serialized JSON, decrypting secrets.
func (c *Codec) Decode(data []byte) (value.Value, error) {
	return value.Unmarshal(data, value.DecodeOptions{Secret: func(raw value.Value, path string) (value.Value, error) {
		s, err := c.Open(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}})
}

// Seal returns the encrypted form written under "@secret": for a string,
// {"version","ciphertext","iv","salt","tag"}; for any other value,
// {"data": …} around the encryption of its JSON text.
func (c *Codec) Seal(s *value.Secret) (value.Value, error) {
	if prev, ok := s.Sealed.(*sealed); ok && prev.codec == c {
		return prev.form, nil
	}
	if !c.hasPassword {
		return nil, ErrNoPassword
	}
	if str, ok := s.Value.(value.String); ok {
		return c.encrypt([]byte(str))
	}
	text, err := value.Marshal(s.Value, value.EncodeOptions{Plain: true})
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	env, err := c.encrypt(text)
	if err != nil {
		return nil, err
	}
	return value.Obj("data", env), nil
}

// Open decrypts the content of an "@secret" tag: the AES-GCM form, the older
// libsodium secretbox string form, or either inside {"data": …} for
// non-string secrets.
func (c *Codec) Open(raw value.Value) (*value.Secret, error) {
	if !c.hasPassword {
		return nil, ErrNoPassword
	}
	if o, ok := raw.(*value.Object); ok {
		if inner, ok := o.Get("data"); ok {
			text, err := c.decrypt(inner)
			if err != nil {
				return nil, err
			}
			v, err := value.UnmarshalPlain(text)
			if err != nil {
				return nil, fmt.Errorf("secret: decrypted JSON: %w", err)
			}
			return &value.Secret{Value: v, Sealed: c.keep(raw, inner)}, nil
		}
	}
	text, err := c.decrypt(raw)
	if err != nil {
		return nil, err
	}
	return &value.Secret{Value: value.String(text), Sealed: c.keep(raw, raw)}, nil
}

// keep remembers the encrypted form, except the legacy one, which is
// re-encrypted in the current format when written.
func (c *Codec) keep(form, envelope value.Value) any {
	if _, legacy := envelope.(value.String); legacy {
		return nil
	}
	return &sealed{codec: c, form: form}
}

func (c *Codec) decrypt(raw value.Value) ([]byte, error) {
	switch raw := raw.(type) {
	case value.String:
		return c.openLegacy(string(raw))
	case *value.Object:
		return c.openGCM(raw)
	}
	return nil, fmt.Errorf("secret: unexpected %s", value.TypeName(raw))
}

func (c *Codec) key(salt []byte) (cipher.AEAD, error) {
	c.mu.Lock()
	k, ok := c.keys[string(salt)]
	if !ok {
		k = &derivedKey{}
		c.keys[string(salt)] = k
	}
	c.mu.Unlock()
	k.once.Do(func() {
		raw, err := scrypt.Key([]byte(c.password), salt, scryptN, scryptR, scryptP, keyLen)
		if err != nil {
			k.err = err
			return
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			k.err = err
			return
		}
		k.gcm, k.err = cipher.NewGCM(block)
	})
	return k.gcm, k.err
}

func (c *Codec) encrypt(plaintext []byte) (value.Value, error) {
	c.writeOnce.Do(func() {
		c.writeSalt = make([]byte, saltLen)
		_, c.writeErr = rand.Read(c.writeSalt)
	})
	if c.writeErr != nil {
		return nil, c.writeErr
	}
	gcm, err := c.key(c.writeSalt)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, ivLen)
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	out := gcm.Seal(nil, iv, plaintext, nil)
	ct, tag := out[:len(out)-gcm.Overhead()], out[len(out)-gcm.Overhead():]
	b64 := base64.StdEncoding.EncodeToString
	return value.Obj(
		"version", value.String(secretFormat),
		"ciphertext", value.String(b64(ct)),
		"iv", value.String(b64(iv)),
		"salt", value.String(b64(c.writeSalt)),
		"tag", value.String(b64(tag)),
	), nil
}

func (c *Codec) openGCM(o *value.Object) ([]byte, error) {
	field := func(name string) ([]byte, error) {
		s, ok := o.GetString(name)
		if !ok {
			return nil, fmt.Errorf("secret: missing %q", name)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("secret: %s: %w", name, err)
		}
		return b, nil
	}
	var parts [4][]byte
	for i, name := range []string{"salt", "iv", "ciphertext", "tag"} {
		b, err := field(name)
		if err != nil {
			return nil, err
		}
		parts[i] = b
	}
	salt, iv, ct, tag := parts[0], parts[1], parts[2], parts[3]
	gcm, err := c.key(salt)
	if err != nil {
		return nil, err
	}
	if len(iv) != gcm.NonceSize() || len(tag) != gcm.Overhead() {
		return nil, errors.New("secret: malformed iv or tag")
	}
	plain, err := gcm.Open(nil, iv, append(ct[:len(ct):len(ct)], tag...), nil)
	if err != nil {
		return nil, ErrWrongPassword
	}
	return plain, nil
}

// openLegacy decrypts the libsodium form: base64 of a 24-byte nonce followed
// by a secretbox (XSalsa20-Poly1305) sealed with BLAKE2b-256(password).
func (c *Codec) openLegacy(s string) ([]byte, error) {
	combined, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	if len(combined) < 24+secretbox.Overhead {
		return nil, errors.New("secret: legacy value too short")
	}
	var nonce [24]byte
	copy(nonce[:], combined[:24])
	key := blake2b.Sum256([]byte(c.password))
	plain, ok := secretbox.Open(nil, combined[24:], &nonce, &key)
	if !ok {
		return nil, ErrWrongPassword
	}
	return plain, nil
}
