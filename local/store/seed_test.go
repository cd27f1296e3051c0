package store

import (
	"context"
	"errors"
	"testing"
)

func TestImportKVNamespace(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	const acct = "0123456789abcdef0123456789abcdef"
	const id = "ce4923792f944227b4d9eb8f899be417"
	ns, err := s.ImportKVNamespace(ctx, acct, id, "fixture-cache")
	if err != nil {
		t.Fatal(err)
	}
	if ns.ID != id || ns.Title != "fixture-cache" {
		t.Fatalf("imported %+v", ns)
	}
	// The namespace is an ordinary one: listed, and holding values.
	list, err := s.KVNamespaces(ctx, acct)
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list %+v, %v", list, err)
	}
	if err := s.KVPut(ctx, id, KVEntry{Key: "k", Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
	if e, err := s.KVGet(ctx, id, "k"); err != nil || string(e.Value) != "v" {
		t.Fatalf("get %q, %v", e.Value, err)
	}
	tests := []struct {
		name, id, title string
		want            error
	}{
		{"same id", id, "other", ErrExists},
		{"same title", "00000000000000000000000000000001", "fixture-cache", ErrExists},
		{"short id", "abc", "x", ErrInvalid},
		{"upper-case id", "CE4923792F944227B4D9EB8F899BE417", "x", ErrInvalid},
		{"empty title", "00000000000000000000000000000002", " ", ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.ImportKVNamespace(ctx, acct, tc.id, tc.title); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}
