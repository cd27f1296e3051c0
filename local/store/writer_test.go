package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// TestWriterBatch runs batches of transactions the way the writer groups
// concurrent ones, and checks that each op gets its own outcome and that
// only the work of the successful ones is committed.
func TestWriterBatch(t *testing.T) {
	errBoom := errors.New("boom")
	type step struct {
		key  string
		does string // ok, fail, panic, cancelled, abort (rolls the whole transaction back)
	}
	for _, c := range []struct {
		name     string
		steps    []step
		wantErrs []string // substring of each op's error; "" = success, "panic" = re-panicked
		wantKeys []string
	}{
		{"all succeed", []step{{"a", "ok"}, {"b", "ok"}, {"c", "ok"}}, []string{"", "", ""}, []string{"a", "b", "c"}},
		{"a failure is its own", []step{{"a", "ok"}, {"b", "fail"}, {"c", "ok"}}, []string{"", "boom", ""}, []string{"a", "c"}},
		{"a constraint violation is its own", []step{{"a", "ok"}, {"a", "ok"}, {"c", "ok"}}, []string{"", "UNIQUE", ""}, []string{"a", "c"}},
		{"a panic is its own", []step{{"a", "ok"}, {"b", "panic"}, {"c", "ok"}}, []string{"", "panic", ""}, []string{"a", "c"}},
		{"a cancelled op does not run", []step{{"a", "ok"}, {"b", "cancelled"}, {"c", "ok"}}, []string{"", "context canceled", ""}, []string{"a", "c"}},
		{"a broken transaction fails the ops in it, the rest run anew", []step{{"a", "ok"}, {"b", "abort"}, {"c", "ok"}},
			[]string{"transaction rolled back", "boom", ""}, []string{"c"}},
		{"a lone failure", []step{{"a", "fail"}}, []string{"boom"}, nil},
		{"a lone success", []step{{"a", "ok"}}, []string{""}, []string{"a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			gen := s.Generation()
			var batch []*writeOp
			for _, st := range c.steps {
				ctx := context.Background()
				if st.does == "cancelled" {
					cctx, cancel := context.WithCancel(ctx)
					cancel()
					ctx = cctx
				}
				batch = append(batch, &writeOp{ctx: ctx, control: true, done: make(chan struct{}), fn: func(ctx context.Context, tx *sql.Tx) error {
					if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, 'v')`, "test-"+st.key); err != nil {
						return err
					}
					switch st.does {
					case "fail":
						return errBoom
					case "panic":
						panic(errBoom)
					case "abort":
						if _, err := tx.ExecContext(ctx, "ROLLBACK"); err != nil {
							t.Fatalf("rollback: %v", err)
						}
						return errBoom
					}
					return nil
				}})
			}
			// The test runs the batch itself, in place of the writer's
			// goroutine, so that the ops share one transaction in order.
			s.writer.close()
			s.writer.commit(batch)
			for i, op := range batch {
				<-op.done
				got := ""
				switch {
				case op.panicked != nil:
					got = "panic"
				case op.err != nil:
					got = op.err.Error()
				}
				if want := c.wantErrs[i]; want == "" && got != "" || want != "" && !strings.Contains(got, want) {
					t.Errorf("op %d (%s %s): got %q, want %q", i, c.steps[i].does, c.steps[i].key, got, want)
				}
			}
			if got := metaTestKeys(t, s); !reflect.DeepEqual(got, c.wantKeys) {
				t.Errorf("committed keys %q, want %q", got, c.wantKeys)
			}
			if c.wantKeys != nil && s.Generation() == gen {
				t.Errorf("generation did not change")
			}
		})
	}
}

func metaTestKeys(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.Query(`SELECT key FROM meta WHERE key LIKE 'test-%' ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strings.TrimPrefix(k, "test-"))
	}
	return keys
}

// TestConcurrentCreatesKeepUniqueness races creates of the same titles
// (which the writer runs in shared transactions): one create per title
// wins, every other gets ErrExists.
func TestConcurrentCreatesKeepUniqueness(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	const titles, tries = 10, 8
	var (
		mu     sync.Mutex
		won    = map[string]int{}
		exists int
		wg     sync.WaitGroup
	)
	for i := range titles * tries {
		wg.Go(func() {
			title := fmt.Sprintf("title-%d", i%titles)
			_, err := s.CreateKVNamespace(ctx, "acct", title)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won[title]++
			case errors.Is(err, ErrExists):
				exists++
			default:
				t.Errorf("create %s: %v", title, err)
			}
		})
	}
	wg.Wait()
	if len(won) != titles || exists != titles*(tries-1) {
		t.Errorf("%d titles created, %d refused; want %d and %d", len(won), exists, titles, titles*(tries-1))
	}
	for title, n := range won {
		if n != 1 {
			t.Errorf("%s created %d times", title, n)
		}
	}
	nss, err := s.KVNamespaces(ctx, "acct")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ns := range nss {
		got = append(got, ns.Title)
	}
	sort.Strings(got)
	if len(got) != titles {
		t.Errorf("stored titles %q, want %d distinct", got, titles)
	}
}

func TestWriteAfterClose(t *testing.T) {
	s, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateKVNamespace(context.Background(), "acct", "late"); !errors.Is(err, errClosed) {
		t.Fatalf("create after close: %v, want %v", err, errClosed)
	}
}

// TestWriterStatements runs a prepared statement in several transactions
// (the first prepares it, the later ones reuse it) and a bad one.
func TestWriterStatements(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for i := range 3 {
		err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := s.writer.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES (?, 'v')`, fmt.Sprintf("test-%d", i))
			return err
		})
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	if got, want := metaTestKeys(t, s), []string{"0", "1", "2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.writer.exec(ctx, tx, `INSERT INTO no_such_table VALUES (1)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("bad statement: %v, want no such table", err)
	}
}

// TestCreatesAnswerWhatIsStored compares what the creates return with what
// a later read finds.
func TestCreatesAnswerWhatIsStored(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	db, err := s.CreateD1(ctx, "acct", "db", "WEUR", "eu")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.D1(ctx, "acct", db.UUID); err != nil || !reflect.DeepEqual(got, db) {
		t.Errorf("D1 created as %+v, read back as %+v (%v)", db, got, err)
	}
	ns, err := s.CreateKVNamespace(ctx, "acct", "ns")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.KVNamespace(ctx, "acct", ns.ID); err != nil || got != ns {
		t.Errorf("namespace created as %+v, read back as %+v (%v)", ns, got, err)
	}
}
