package state

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/secretbox"

	"github.com/alchemy-go/alchemy/value"
)

const (
	fixtureDir      = "../testdata/state/alchemy-0.94"
	fixturePassword = "fixture-password"
)

// fixtureFiles lists every record file of a state directory.
func fixtureFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no records under %s", root)
	}
	return files
}

func TestFixtureRecordsRoundTrip(t *testing.T) {
	codec := NewCodec(fixturePassword)
	roots := []string{filepath.Join(fixtureDir, "fixture-app")}
	golden, _ := filepath.Glob(filepath.Join(fixtureDir, "golden", "step*", "golden-app"))
	roots = append(roots, golden...)
	goldenCodec := NewCodec("golden-password")
	for _, root := range roots {
		c := codec
		if strings.Contains(root, "golden") {
			c = goldenCodec
		}
		for _, file := range fixtureFiles(t, root) {
			name, _ := filepath.Rel(fixtureDir, file)
			t.Run(name, func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				rec, err := c.DecodeRecord(data)
				if err != nil {
					t.Fatal(err)
				}
				if rec.Kind == "" || rec.ID == "" || rec.Status == "" {
					t.Fatalf("incomplete record: %+v", rec)
				}
				again, err := c.EncodeRecord(rec)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, data) {
					t.Fatalf("re-serialized record differs\n got: %s\nwant: %s", again, data)
				}
			})
		}
	}
}

func TestFixtureSecrets(t *testing.T) {
	codec := NewCodec(fixturePassword)
	tests := []struct {
		file  string
		paths [][]string
		want  string
	}{
		{"fixture-app/prod/backend/inner.json", [][]string{{"props", "token"}, {"output", "token"}}, "hush-hush"},
		{"fixture-app/prod/api.json", [][]string{{"props", "bindings", "TOKEN"}, {"output", "bindings", "TOKEN"}}, "s3cr3t-token"},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join(fixtureDir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		rec, err := codec.DecodeRecord(data)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		for _, path := range tt.paths {
			var v value.Value = recordField(rec, path[0])
			for _, k := range path[1:] {
				v, _ = v.(*value.Object).Get(k)
			}
			s, ok := v.(*value.Secret)
			if !ok {
				t.Fatalf("%s %v: %T, not a secret", tt.file, path, v)
			}
			if got := s.Value.(value.String); string(got) != tt.want {
				t.Errorf("%s %v = %q, want %q", tt.file, path, got, tt.want)
			}
		}
	}
}

func recordField(r *Record, name string) value.Value {
	switch name {
	case FieldProps:
		return r.Props
	case FieldOutput:
		return r.Output
	}
	panic(name)
}

func TestGoldenNonStringSecret(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "golden/step1/golden-app/golden/secretive.json"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewCodec("golden-password").DecodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	props := rec.Props.(*value.Object)
	obj, _ := props.Get("obj")
	want := value.Obj("user", value.String("u"), "pass", value.Number(1))
	if s, ok := obj.(*value.Secret); !ok || !value.Equal(s.Value, want) {
		t.Errorf("obj = %#v", obj)
	}
}

func TestSecretsWrittenAndRead(t *testing.T) {
	codec := NewCodec("pw")
	v := value.Obj("s", value.NewSecret("plain-one"), "o", &value.Secret{Value: value.Obj("k", value.Array{value.Number(1)})}, "t", value.NewSecret("plain-two"))
	data, err := codec.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("plain-")) {
		t.Fatalf("plaintext in output: %s", data)
	}
	back, err := NewCodec("pw").Decode(data) // a fresh codec: no cached keys
	if err != nil {
		t.Fatal(err)
	}
	if !value.Equal(back, v) {
		t.Fatalf("round trip: %s", data)
	}
	// One salt per codec, a fresh IV per secret.
	o := back.(*value.Object)
	envelope := func(key string) *value.Object {
		raw, _ := NewCodec("pw").Decode(data)
		_ = raw
		sv, _ := o.Get(key)
		return sv.(*value.Secret).Sealed.(*sealed).form.(*value.Object)
	}
	s1, s2 := envelope("s"), envelope("t")
	salt1, _ := s1.GetString("salt")
	salt2, _ := s2.GetString("salt")
	iv1, _ := s1.GetString("iv")
	iv2, _ := s2.GetString("iv")
	if salt1 != salt2 || iv1 == iv2 {
		t.Errorf("salts %s %s, ivs %s %s", salt1, salt2, iv1, iv2)
	}
	if ver, _ := s1.GetString("version"); ver != "v1" || !slices.Equal(s1.Keys(), []string{"version", "ciphertext", "iv", "salt", "tag"}) {
		t.Errorf("envelope shape %q", s1.Keys())
	}
}

func TestRewritingUnchangedSecretKeepsBytes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "fixture-app/prod/api.json"))
	if err != nil {
		t.Fatal(err)
	}
	codec := NewCodec(fixturePassword)
	rec, err := codec.DecodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	// Another codec with the same password must not reuse the sealed form
	// blindly; it encrypts afresh.
	other, err := NewCodec(fixturePassword).EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, data) {
		t.Error("a different codec reused the sealed form")
	}
	back, err := codec.DecodeRecord(other)
	if err != nil {
		t.Fatal(err)
	}
	if !value.Equal(back.Props, rec.Props) {
		t.Error("re-encrypted record does not decrypt to the same props")
	}
}

// legacySeal builds the older libsodium form with a chosen nonce.
func legacySeal(plaintext, password string, nonce [24]byte) string {
	key := blake2b.Sum256([]byte(password))
	return base64.StdEncoding.EncodeToString(secretbox.Seal(nonce[:], []byte(plaintext), &nonce, &key))
}

func TestLegacySecretbox(t *testing.T) {
	var nonce [24]byte
	for i := range nonce {
		nonce[i] = byte(i + 1)
	}
	// Produced by libsodium-wrappers (crypto_generichash + crypto_secretbox_easy)
	// with the same nonce.
	const libsodiumFixedNonce = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYFfESWK3pNnETFcpyU/u2wDHq8JrLKN1wNRhe"
	if got := legacySeal("legacy-hush", fixturePassword, nonce); got != libsodiumFixedNonce {
		t.Errorf("Go secretbox = %s, libsodium = %s", got, libsodiumFixedNonce)
	}
	// Produced by the library's own libsodiumEncrypt (random nonce).
	const libraryLegacy = "vSkn7GdZ0q0UN1XNc/TSsngeNCiCtaLhj4bgOcDpqooh38ywIP4VF+I9FuXkrHQ4dnjKpw=="
	codec := NewCodec(fixturePassword)
	for _, tt := range []struct{ sealed, want string }{{libsodiumFixedNonce, "legacy-hush"}, {libraryLegacy, "legacy-token"}} {
		doc := `{"props": {"token": {"@secret": "` + tt.sealed + `"}}}`
		v, err := codec.Decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		props, _ := v.(*value.Object).GetObject("props")
		tok, _ := props.Get("token")
		if s := tok.(*value.Secret); s.Value != value.String(tt.want) {
			t.Errorf("legacy token = %q, want %q", s.Value, tt.want)
		}
		// Written back, a legacy secret moves to the current format.
		out, err := codec.Encode(tok)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte(`"version": "v1"`)) {
			t.Errorf("legacy secret rewritten as %s", out)
		}
	}
	if _, err := NewCodec("other").Decode([]byte(`{"@secret": "` + libraryLegacy + `"}`)); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password on legacy: %v", err)
	}
}

func TestPasswordErrorsNameTheResource(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		password string
		want     error
	}{
		{"wrong", "not-the-password", ErrWrongPassword},
		{"missing", "", ErrNoPassword},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := NewFileStore(fixtureDir, NewCodec(tt.password))
			_, err := store.Get(ctx, Path{"fixture-app", "prod", "backend"}, "inner")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, part := range []string{"fixture-app/prod/backend/inner", ".token"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
			if strings.Contains(err.Error(), "hush") {
				t.Errorf("error reveals the secret: %v", err)
			}
		})
	}
	// Records without secrets read fine without a password.
	store := NewFileStore(fixtureDir, NewCodec(""))
	if rec, err := store.Get(ctx, Path{"fixture-app", "prod"}, "top"); err != nil || rec == nil {
		t.Errorf("top without password: %v", err)
	}
}

func TestFileStoreLayout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := NewFileStore(dir, NewCodec("pw"))
	stage := Path{"app", "dev"}
	rec := NewRecord(LayoutFinal)
	rec.Kind, rec.ID, rec.FQN, rec.Status = "fs::File", "a/b", "app/dev/a/b", StatusCreated
	rec.Props = value.Obj("secret", value.NewSecret("never-on-disk"))
	rec.DependsOn = []string{"app/dev/x"}
	if err := store.Set(ctx, stage.Child("nested"), "a/b", rec); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "app", "dev", "nested", "a:b.json")
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", info.Mode().Perm())
	}
	for _, d := range []string{"app", "app/dev", "app/dev/nested"} {
		if info, err := os.Stat(filepath.Join(dir, d)); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("dir %s: %v %v", d, info.Mode().Perm(), err)
		}
	}
	data, _ := os.ReadFile(file)
	if bytes.Contains(data, []byte("never-on-disk")) {
		t.Fatal("secret in plaintext on disk")
	}
	if !bytes.HasSuffix(data, []byte("\"dependsOn\": [\n    \"app/dev/x\"\n  ]\n}")) {
		t.Errorf("dependsOn is not the last field:\n%s", data)
	}
	ids, err := store.List(ctx, stage.Child("nested"))
	if err != nil || !slices.Equal(ids, []string{"a/b"}) {
		t.Fatalf("List = %q, %v", ids, err)
	}
	got, err := store.Get(ctx, stage.Child("nested"), "a/b")
	if err != nil || got == nil || !slices.Equal(got.DependsOn, rec.DependsOn) {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if missing, err := store.Get(ctx, stage, "nope"); missing != nil || err != nil {
		t.Errorf("missing record: %v, %v", missing, err)
	}
	if err := store.Set(ctx, stage, "bad:id", rec); err == nil {
		t.Error("id with colon accepted")
	}
	if err := store.DeleteScope(ctx, stage.Child("nested")); err == nil {
		t.Error("scope with records removed")
	}
	if err := store.Delete(ctx, stage.Child("nested"), "a/b"); err != nil {
		t.Fatal(err)
	}
	if err := store.Delete(ctx, stage.Child("nested"), "a/b"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if err := store.DeleteScope(ctx, stage.Child("nested")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "app", "dev", "nested")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("scope folder still there: %v", err)
	}
}

func TestRecordLayouts(t *testing.T) {
	codec := NewCodec("")
	rec := NewRecord(LayoutCreating)
	rec.Kind, rec.ID, rec.FQN, rec.Status = "k", "i", "f", StatusCreating
	rec.Props = value.Obj("a", value.Number(1))
	rec.OldProps = value.NewObject(0)
	data, err := codec.EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := value.UnmarshalPlain(data)
	if keys := got.(*value.Object).Keys(); !slices.Equal(keys, LayoutCreating) {
		t.Errorf("creating layout %q", keys)
	}
	// A record read from a file keeps its order; oldProps goes at the end.
	final := NewRecord(LayoutFinal)
	final.Kind, final.ID, final.Status = "k", "i", StatusCreated
	final.Props = value.NewObject(0)
	data, _ = codec.EncodeRecord(final)
	back, _ := codec.DecodeRecord(data)
	back.Status = StatusUpdating
	back.SetOldProps(nil)
	back.Props = value.NewObject(0)
	data, _ = codec.EncodeRecord(back)
	got, _ = value.UnmarshalPlain(data)
	if keys := got.(*value.Object).Keys(); !slices.Equal(keys, LayoutFinal) {
		t.Errorf("undefined oldProps written: %q", keys)
	}
	back.SetOldProps(value.NewObject(0))
	data, _ = codec.EncodeRecord(back)
	got, _ = value.UnmarshalPlain(data)
	if keys := got.(*value.Object).Keys(); !slices.Equal(keys, append(slices.Clone(LayoutFinal), FieldOldProps)) {
		t.Errorf("updating layout %q", keys)
	}
	// Unknown fields survive in place.
	withExtra := []byte("{\n  \"kind\": \"k\",\n  \"future\": [\n    1\n  ],\n  \"id\": \"i\",\n  \"fqn\": \"f\",\n  \"seq\": 0,\n  \"data\": {},\n  \"status\": \"created\",\n  \"output\": {},\n  \"props\": {}\n}")
	r, err := codec.DecodeRecord(withExtra)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := codec.EncodeRecord(r)
	if !bytes.Equal(again, withExtra) {
		t.Errorf("extra field moved:\n%s", again)
	}
	if _, err := codec.DecodeRecord([]byte(`{"seq": "x"}`)); err == nil {
		t.Error("bad seq accepted")
	}
	if _, err := codec.DecodeRecord([]byte(`[]`)); err == nil {
		t.Error("array record accepted")
	}
}

// TestAtomicWrites rewrites a record while readers read it: every read must
// see a whole record, old or new.
func TestAtomicWrites(t *testing.T) {
	ctx := context.Background()
	store := NewFileStore(t.TempDir(), NewCodec(""))
	p := Path{"app", "dev"}
	write := func(n int) error {
		rec := NewRecord(LayoutFinal)
		rec.Kind, rec.ID, rec.Status, rec.Seq = "k", "r", StatusCreated, n
		rec.Props = value.Obj("blob", value.String(strings.Repeat("x", 64*1024+n)))
		return store.Set(ctx, p, "r", rec)
	}
	if err := write(0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec, err := store.Get(ctx, p, "r")
				if err != nil {
					errs <- err
					return
				}
				blob, _ := rec.Props.(*value.Object).GetString("blob")
				if len(blob) != 64*1024+rec.Seq {
					errs <- errors.New("torn record")
					return
				}
			}
		})
	}
	for n := 1; n <= 200; n++ {
		if err := write(n); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	entries, _ := os.ReadDir(filepath.Join(store.Dir(), "app", "dev"))
	if len(entries) != 1 {
		t.Errorf("leftover files: %v", entries)
	}
}
