package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// errClosed answers writes that arrive after Close.
var errClosed = errors.New("store closed")

// maxBatch bounds how many write transactions share one commit, so that the
// first of a very long queue does not wait for all the others.
const maxBatch = 256

// writer runs every write transaction of a Store on the one writer
// connection, from one goroutine.
//
// Transactions that arrive while a commit is under way queue up and then run
// together in one SQLite transaction, each inside a savepoint of its own: a
// failing one is rolled back to its savepoint and leaves the others alone,
// and each caller gets its own result once the shared commit is done. A
// burst of concurrent writes so costs one BEGIN, one WAL append and one
// COMMIT instead of one each, and SQLite's deep call chains always run on
// the same goroutine, whose stack has grown once, instead of growing the
// stack of every request's goroutine.
type writer struct {
	db   *sql.DB
	gen  *atomic.Uint64 // bumped once per commit that changed control-plane records
	ops  chan *writeOp  // unbuffered: the queue is the callers blocked on send
	quit chan struct{}
	done chan struct{}
	stop sync.Once

	// stmts holds the statements prepared on db, by query, and wanted the
	// queries to prepare there after the current batch. Only the writer's
	// goroutine (and so the transactions it runs) touches either.
	stmts  map[string]*sql.Stmt
	wanted []string
}

// writeOp is one caller's transaction.
type writeOp struct {
	ctx     context.Context
	fn      func(ctx context.Context, tx *sql.Tx) error
	control bool // a control-plane change: bumps the Generation

	err      error
	panicked any           // what fn panicked with, re-raised in the caller
	done     chan struct{} // closed when err (or panicked) is final
}

func newWriter(db *sql.DB, gen *atomic.Uint64) *writer {
	w := &writer{db: db, gen: gen, ops: make(chan *writeOp), quit: make(chan struct{}), done: make(chan struct{}), stmts: map[string]*sql.Stmt{}}
	go w.run()
	return w
}

// close stops the writer after the batch in progress; later writes fail.
// It is safe to call twice.
func (w *writer) close() {
	w.stop.Do(func() { close(w.quit) })
	<-w.done
}

// do runs fn in a write transaction and returns its error, or the error of
// beginning or committing it. fn runs on the writer's goroutine with a
// context that carries ctx's values but not its cancellation: once started,
// a transaction's statements are never interrupted, since SQLite answers an
// interrupted write by rolling back the whole transaction, which the other
// callers in the batch share. A ctx done before fn starts skips fn.
func (w *writer) do(ctx context.Context, control bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	op := &writeOp{ctx: ctx, fn: fn, control: control, done: make(chan struct{})}
	select {
	case w.ops <- op:
	case <-ctx.Done():
		return fmt.Errorf("begin: %w", ctx.Err())
	case <-w.quit:
		return fmt.Errorf("begin: %w", errClosed)
	}
	// Wait even if ctx ends meanwhile: the transaction may commit, and
	// the caller must know before it reports (or announces) anything.
	<-op.done
	if op.panicked != nil {
		panic(op.panicked)
	}
	return op.err
}

func (w *writer) run() {
	defer close(w.done)
	defer func() {
		for _, st := range w.stmts {
			st.Close()
		}
		clear(w.stmts)
	}()
	batch := make([]*writeOp, 0, maxBatch)
	for {
		select {
		case op := <-w.ops:
			batch = append(batch[:0], op)
			// Let the goroutines that are ready to run go first: in a
			// burst they are the callers about to queue, who then join
			// this batch instead of each paying a commit of its own.
			// Alone, the writer goes on at once.
			runtime.Gosched()
		drain:
			for len(batch) < maxBatch {
				select {
				case op := <-w.ops:
					batch = append(batch, op)
				default:
					break drain
				}
			}
			w.commit(batch)
			clear(batch)
		case <-w.quit:
			return
		}
	}
}

// commit runs a batch in one transaction and settles every op of it.
func (w *writer) commit(batch []*writeOp) {
	for len(batch) > 0 {
		batch = w.commitSome(batch)
	}
	w.prepareWanted()
}

// stmt returns query as a statement of tx. A query run for the first time
// is prepared for tx alone and again, once the connection is free after the
// commit, for good; later transactions reuse that preparation. Only the
// queries the transactions run often should come here.
func (w *writer) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return tx.StmtContext(ctx, st), nil
	}
	w.wanted = append(w.wanted, query)
	return tx.PrepareContext(ctx, query)
}

// exec runs a frequent statement in tx (see stmt).
func (w *writer) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (w *writer) prepareWanted() {
	for _, q := range w.wanted {
		if _, ok := w.stmts[q]; ok {
			continue
		}
		if st, err := w.db.PrepareContext(context.Background(), q); err == nil {
			w.stmts[q] = st
		}
	}
	w.wanted = w.wanted[:0]
}

// commitSome runs ops of batch in one transaction until they are done or
// one of them breaks the transaction (SQLite rolls the whole transaction back
// on a full disk or an I/O error, for example). It settles the ops it ran and
// returns the ones still to run.
func (w *writer) commitSome(batch []*writeOp) (rest []*writeOp) {
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		settleAll(batch, fmt.Errorf("begin: %w", err))
		return nil
	}
	// A lone op needs no savepoint: its failure rolls back the transaction.
	shared := len(batch) > 1
	var ran []*writeOp // ops whose work is in tx, settled by the commit
	for i, op := range batch {
		if err := op.ctx.Err(); err != nil {
			op.settle(fmt.Errorf("begin: %w", err))
			continue
		}
		if shared {
			if _, err := w.exec(ctx, tx, "SAVEPOINT op"); err != nil {
				// tx is unusable: fail what it holds, retry the rest anew.
				tx.Rollback()
				settleAll(ran, fmt.Errorf("commit: %w", err))
				return batch[i:]
			}
		}
		err := op.run(tx)
		if !shared {
			if err != nil {
				tx.Rollback()
				op.settle(err)
				return nil
			}
			ran = append(ran, op)
			break
		}
		if err == nil {
			_, err = w.exec(ctx, tx, "RELEASE op")
			if err != nil {
				tx.Rollback()
				settleAll(append(ran, op), fmt.Errorf("commit: %w", err))
				return batch[i+1:]
			}
			ran = append(ran, op)
			continue
		}
		_, rbErr := w.exec(ctx, tx, "ROLLBACK TO op")
		if rbErr == nil {
			_, rbErr = w.exec(ctx, tx, "RELEASE op")
		}
		if rbErr != nil {
			// SQLite rolled the whole transaction back (or cannot undo
			// this op alone): the work of the ops before it is gone too.
			tx.Rollback()
			op.settle(err)
			settleAll(ran, fmt.Errorf("commit: transaction rolled back: %w", rbErr))
			return batch[i+1:]
		}
		op.settle(err)
	}
	if len(ran) == 0 {
		tx.Rollback()
		return nil
	}
	if err := tx.Commit(); err != nil {
		settleAll(ran, fmt.Errorf("commit: %w", err))
		return nil
	}
	for _, op := range ran {
		if op.control {
			w.gen.Add(1)
			break
		}
	}
	settleAll(ran, nil)
	return nil
}

// run calls the op's fn, turning a panic into an error here (the savepoint
// is rolled back) and into the same panic in the caller.
func (op *writeOp) run(tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			op.panicked = p
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return op.fn(context.WithoutCancel(op.ctx), tx)
}

func (op *writeOp) settle(err error) {
	op.err = err
	close(op.done)
}

func settleAll(ops []*writeOp, err error) {
	for _, op := range ops {
		op.settle(err)
	}
}
