package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// BenchmarkConcurrentKVNamespaceCreates measures 100 goroutines creating a
// namespace each at once, the store's share of a deploy's burst.
func BenchmarkConcurrentKVNamespaceCreates(b *testing.B) {
	s, err := Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 100
	ctx := context.Background()
	b.ResetTimer()
	for op := range b.N {
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.CreateKVNamespace(ctx, "acct", fmt.Sprintf("ns-%d-%d", op, i))
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkKVNamespaceCreate measures one create at a time: the cost of a
// write transaction that shares its commit with nobody.
func BenchmarkKVNamespaceCreate(b *testing.B) {
	s, err := Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.CreateKVNamespace(ctx, "acct", fmt.Sprintf("ns-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
}
