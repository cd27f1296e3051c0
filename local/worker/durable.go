package worker

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// Durable Object ids are 32 bytes, written as 64 hex digits: 28 bytes that
// identify the object (derived from the name, or random) and a 4-byte tag
// binding them to the namespace, so that idFromString rejects an id of
// another namespace.
const (
	objectIDBody = 28
	objectIDTag  = 4
)

func objectID(namespace string, body []byte) string {
	m := hmac.New(sha256.New, []byte(namespace))
	m.Write(body)
	return hex.EncodeToString(append(body[:objectIDBody:objectIDBody], m.Sum(nil)[:objectIDTag]...))
}

func objectIDFromName(namespace, name string) string {
	m := hmac.New(sha256.New, []byte(namespace))
	m.Write([]byte("name:" + name))
	return objectID(namespace, m.Sum(nil)[:objectIDBody])
}

func newObjectID(namespace string) string {
	body := make([]byte, objectIDBody)
	_, _ = rand.Read(body)
	return objectID(namespace, body)
}

func validObjectID(namespace, id string) error {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != objectIDBody+objectIDTag {
		return errors.New("Invalid Durable Object ID: it must be 64 hex digits")
	}
	if objectID(namespace, b[:objectIDBody]) != strings.ToLower(id) {
		return errors.New("Invalid Durable Object ID: it is not an id of this Durable Object namespace")
	}
	return nil
}

// objectTarget is where the objects of a namespace binding live.
type objectTarget struct {
	namespace string // namespace id
	class     string
	script    string
}

// namespaceOf resolves a Durable Object binding to its namespace.
func (rt *Runtime) namespaceOf(ctx context.Context, account string, ob *objectBinding) (objectTarget, error) {
	st, err := rt.store()
	if err != nil {
		return objectTarget{}, err
	}
	ns, err := st.DONamespaceOf(ctx, account, ob.script, ob.class)
	if errors.Is(err, store.ErrNotFound) {
		return objectTarget{}, fmt.Errorf("Durable Object class %s of Worker %q has no namespace: deploy the Worker with a migration that creates it (new_classes or new_sqlite_classes)", ob.class, ob.script)
	}
	if err != nil {
		return objectTarget{}, err
	}
	return objectTarget{namespace: ns.ID, class: ob.class, script: ob.script}, nil
}

// objectCall runs one event on a Durable Object, in the isolate of the
// defining Worker's current version that the object lives in.
func objectCall[T any](ctx context.Context, rt *Runtime, account string, t objectTarget, id, name, kind string,
	payload func(vm *goja.Runtime) (goja.Value, error),
	finish func(iso *isolate) func(vm *goja.Runtime, v, jsErr goja.Value) (T, error),
) (T, error) {
	var zero T
	w, err := rt.worker(account, t.script)
	if err != nil {
		return zero, err
	}
	v, err := w.acquire(ctx)
	if errors.Is(err, errNoScript) {
		return zero, fmt.Errorf("Durable Object %s: there is no Worker named %q", t.class, t.script)
	}
	if err != nil {
		return zero, err
	}
	defer v.release()
	iso, err := v.isolateFor(ctx, id)
	if err != nil {
		return zero, err
	}
	what := t.class + " " + kind
	res, err := invoke(ctx, iso, what, func(vm *goja.Runtime, callID int64) error {
		p, err := payload(vm)
		if err != nil {
			return err
		}
		_, err = iso.glue.object(goja.Undefined(), vm.ToValue(callID), vm.ToValue(t.class), vm.ToValue(t.namespace),
			vm.ToValue(id), vm.ToValue(name), vm.ToValue(kind), p)
		return err
	}, finish(iso))
	return res, forCaller(err)
}

func (iso *isolate) objectNatives(vm *goja.Runtime, set func(string, func(goja.FunctionCall) goja.Value)) {
	account := iso.v.w.key.account
	rt := iso.v.w.rt
	targets := map[int64]objectTarget{} // by binding handle
	target := func(h int64) objectTarget {
		if t, ok := targets[h]; ok {
			return t
		}
		t, err := rt.namespaceOf(iso.loop.Context(), account, iso.v.bindings[h].object)
		if err != nil {
			panic(runtime.ErrorValue(vm, err, runtime.CaptureCallSite(vm)))
		}
		targets[h] = t
		return t
	}
	set("doID", func(c goja.FunctionCall) goja.Value {
		t := target(c.Argument(0).ToInteger())
		arg := c.Argument(2).String()
		switch c.Argument(1).String() {
		case "name":
			return vm.ToValue(objectIDFromName(t.namespace, arg))
		case "unique":
			return vm.ToValue(newObjectID(t.namespace))
		}
		if err := validObjectID(t.namespace, arg); err != nil {
			panic(vm.NewTypeError(err.Error()))
		}
		return vm.ToValue(strings.ToLower(arg))
	})
	set("doFetch", func(c goja.FunctionCall) goja.Value {
		t := target(c.Argument(0).ToInteger())
		id, name := c.Argument(1).String(), optString(c.Argument(2))
		req := exportRequest(vm, c.Argument(3))
		return iso.subrequest(func(ctx context.Context) runtime.Settle {
			res, err := objectCall(ctx, rt, account, t, id, name, "fetch", func(vm *goja.Runtime) (goja.Value, error) {
				var body goja.Value = goja.Null()
				if req.body != nil {
					body = webapi.NewUint8Array(vm, req.body)
				}
				return vm.NewArray(req.method, req.url, vm.ToValue(req.header), body), nil
			}, func(target *isolate) func(vm *goja.Runtime, v, jsErr goja.Value) (*httpResponse, error) {
				return func(vm *goja.Runtime, v, jsErr goja.Value) (*httpResponse, error) {
					if jsErr != nil {
						return nil, target.scriptFailure(vm, t.class+" fetch", jsErr)
					}
					return target.responseParts(vm, 0, v)
				}
			})
			if err == nil {
				err = res.offerSocket(ctx)
			}
			if err != nil {
				return runtime.Rejected(err)
			}
			return res.toParts
		})
	})
	set("doRPC", func(c goja.FunctionCall) goja.Value {
		t := target(c.Argument(0).ToInteger())
		id, name, method := c.Argument(1).String(), optString(c.Argument(2)), c.Argument(3).String()
		args, err := webapi.Serialize(vm, c.Argument(4))
		if err != nil {
			panic(runtime.ErrorValue(vm, fmt.Errorf("RPC %s(): %w", method, err), nil))
		}
		return iso.subrequest(func(ctx context.Context) runtime.Settle {
			res, err := objectCall(ctx, rt, account, t, id, name, "rpc", func(vm *goja.Runtime) (goja.Value, error) {
				a, err := rpcArgs(vm, args)
				if err != nil {
					return nil, err
				}
				return vm.NewArray(method, a), nil
			}, func(*isolate) func(vm *goja.Runtime, v, jsErr goja.Value) (rpcResult, error) {
				return rpcFinish(method)
			})
			if err != nil {
				return runtime.Rejected(err)
			}
			return res.settle
		})
	})
	set("doOpen", func(c goja.FunctionCall) goja.Value {
		h, err := iso.objects.open(iso, c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String())
		if err != nil {
			panic(runtime.ErrorValue(vm, err, nil))
		}
		return vm.ToValue(h)
	})
	storage := func(c goja.FunctionCall) *objectStore { return iso.objects.get(c.Argument(0).ToInteger()) }
	fail := func(err error) { panic(runtime.ErrorValue(vm, err, runtime.CaptureCallSite(vm))) }
	set("sGet", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		keys := stringList(vm, c.Argument(1))
		out := make([]any, len(keys))
		for i, k := range keys {
			var data []byte
			err := s.conn.QueryRowContext(context.Background(), `SELECT value FROM _cf_KV WHERE key = ?`, k).Scan(&data)
			if errors.Is(err, sql.ErrNoRows) {
				out[i] = goja.Undefined()
				continue
			}
			if err != nil {
				fail(fmt.Errorf("storage get: %w", err))
			}
			v, err := webapi.Deserialize(vm, data)
			if err != nil {
				fail(fmt.Errorf("storage get %q: %w", k, err))
			}
			out[i] = v
		}
		return vm.NewArray(out...)
	})
	set("sPut", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		type entry struct {
			key  string
			data []byte
		}
		var entries []entry
		vm.ForOf(c.Argument(1), func(item goja.Value) bool {
			pair := item.ToObject(vm)
			data, err := webapi.Serialize(vm, pair.Get("1"))
			if err != nil {
				fail(fmt.Errorf("storage put: %w", err))
			}
			entries = append(entries, entry{pair.Get("0").String(), data})
			return true
		})
		err := s.write(func(conn *sql.Conn) error {
			for _, e := range entries {
				if _, err := conn.ExecContext(context.Background(), `INSERT INTO _cf_KV (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, e.key, e.data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fail(fmt.Errorf("storage put: %w", err))
		}
		return goja.Undefined()
	})
	set("sDelete", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		keys := stringList(vm, c.Argument(1))
		var n int64
		err := s.write(func(conn *sql.Conn) error {
			for _, k := range keys {
				res, err := conn.ExecContext(context.Background(), `DELETE FROM _cf_KV WHERE key = ?`, k)
				if err != nil {
					return err
				}
				d, _ := res.RowsAffected()
				n += d
			}
			return nil
		})
		if err != nil {
			fail(fmt.Errorf("storage delete: %w", err))
		}
		return vm.ToValue(n)
	})
	set("sDeleteAll", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		if _, err := s.conn.ExecContext(context.Background(), `DELETE FROM _cf_KV`); err != nil {
			fail(fmt.Errorf("storage deleteAll: %w", err))
		}
		return goja.Undefined()
	})
	set("sList", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		o := c.Argument(1).ToObject(vm)
		str := func(name string) (string, bool) {
			v := o.Get(name)
			if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
				return "", false
			}
			return v.String(), true
		}
		q := `SELECT key, value FROM _cf_KV WHERE 1=1`
		var args []any
		if p, ok := str("prefix"); ok {
			q += ` AND substr(key, 1, length(?)) = ?`
			args = append(args, p, p)
		}
		if v, ok := str("start"); ok {
			q += ` AND key >= ?`
			args = append(args, v)
		}
		if v, ok := str("startAfter"); ok {
			q += ` AND key > ?`
			args = append(args, v)
		}
		if v, ok := str("end"); ok {
			q += ` AND key < ?`
			args = append(args, v)
		}
		if r := o.Get("reverse"); r != nil && r.ToBoolean() {
			q += ` ORDER BY key DESC`
		} else {
			q += ` ORDER BY key`
		}
		if l := o.Get("limit"); l != nil && !goja.IsUndefined(l) {
			q += ` LIMIT ?`
			args = append(args, l.ToInteger())
		}
		rows, err := s.conn.QueryContext(context.Background(), q, args...)
		if err != nil {
			fail(fmt.Errorf("storage list: %w", err))
		}
		type kv struct {
			k string
			v []byte
		}
		var list []kv
		for rows.Next() {
			var e kv
			if err := rows.Scan(&e.k, &e.v); err != nil {
				rows.Close()
				fail(fmt.Errorf("storage list: %w", err))
			}
			list = append(list, e)
		}
		rows.Close()
		out := make([]any, len(list))
		for i, e := range list {
			v, err := webapi.Deserialize(vm, e.v)
			if err != nil {
				fail(fmt.Errorf("storage list %q: %w", e.k, err))
			}
			out[i] = vm.NewArray(e.k, v)
		}
		return vm.NewArray(out...)
	})
	set("sqlExec", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		query := c.Argument(1).String()
		var params []any
		vm.ForOf(c.Argument(2), func(p goja.Value) bool {
			params = append(params, sqlParam(vm, p))
			return true
		})
		res, err := s.exec(query, params)
		if err != nil {
			fail(err)
		}
		cols := make([]any, len(res.cols))
		for i, col := range res.cols {
			cols[i] = col
		}
		rows := make([]any, len(res.rows))
		for i, row := range res.rows {
			vals := make([]any, len(row))
			for j, x := range row {
				if b, ok := x.([]byte); ok {
					vals[j] = vm.NewArrayBuffer(append([]byte{}, b...))
				} else {
					vals[j] = x
				}
			}
			rows[i] = vm.NewArray(vals...)
		}
		out := vm.NewObject()
		_ = out.Set("columns", vm.NewArray(cols...))
		_ = out.Set("rows", vm.NewArray(rows...))
		_ = out.Set("rowsRead", res.read)
		_ = out.Set("rowsWritten", res.written)
		return out
	})
	set("sqlSize", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		var pages, size int64
		_ = s.conn.QueryRowContext(context.Background(), `PRAGMA page_count`).Scan(&pages)
		_ = s.conn.QueryRowContext(context.Background(), `PRAGMA page_size`).Scan(&size)
		return vm.ToValue(pages * size)
	})
	set("sTx", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		if err := s.tx(c.Argument(1).String()); err != nil {
			fail(fmt.Errorf("transaction: %w", err))
		}
		return goja.Undefined()
	})
	set("sAlarm", func(c goja.FunctionCall) goja.Value {
		s := storage(c)
		switch c.Argument(1).String() {
		case "get":
			if ms, ok := s.alarmTime(); ok {
				return vm.ToValue(ms)
			}
			return goja.Null()
		case "set":
			if err := s.setAlarm(iso, c.Argument(2).ToInteger()); err != nil {
				fail(fmt.Errorf("setAlarm: %w", err))
			}
		default:
			if err := s.deleteAlarm(); err != nil {
				fail(fmt.Errorf("deleteAlarm: %w", err))
			}
		}
		return goja.Undefined()
	})
}

func optString(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return ""
	}
	return v.String()
}

func sqlParam(vm *goja.Runtime, v goja.Value) any {
	if v == nil || goja.IsNull(v) || goja.IsUndefined(v) {
		return nil
	}
	if b, ok := webapi.Bytes(vm, v); ok {
		return append([]byte{}, b...)
	}
	switch x := v.Export().(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case int64, string:
		return x
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v.String()
}

// objectStores are the storage handles of the Durable Objects living in an
// isolate. Loop goroutine only.
type objectStores struct {
	next  int64
	byH   map[int64]*objectStore
	byKey map[string]int64
}

// objectStore is one Durable Object's SQLite database, on one connection.
type objectStore struct {
	namespace, id string
	class         string // the Durable Object class, for alarms
	db            *sql.DB
	conn          *sql.Conn
	inTx          bool
	alarm         *runtime.Timer
}

func (o *objectStores) open(iso *isolate, namespace, id, class string) (int64, error) {
	key := namespace + ":" + id
	if h, ok := o.byKey[key]; ok {
		return h, nil
	}
	st, err := iso.v.w.rt.store()
	if err != nil {
		return 0, err
	}
	db, err := st.DurableObjectDB(namespace, id)
	if err != nil {
		return 0, err
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
			CREATE TABLE IF NOT EXISTS _cf_METADATA (key TEXT PRIMARY KEY, value INTEGER)`)
	}
	if err != nil {
		db.Close()
		return 0, fmt.Errorf("durable object %s: %w", id, err)
	}
	if o.byH == nil {
		o.byH, o.byKey = map[int64]*objectStore{}, map[string]int64{}
	}
	o.next++
	s := &objectStore{namespace: namespace, id: id, class: class, db: db, conn: conn}
	o.byH[o.next], o.byKey[key] = s, o.next
	if ms, ok := s.alarmTime(); ok {
		s.schedule(iso, ms)
	}
	return o.next, nil
}

func (o *objectStores) get(h int64) *objectStore {
	s := o.byH[h]
	if s == nil {
		panic(fmt.Sprintf("durable object storage handle %d is not open", h))
	}
	return s
}

func (o *objectStores) closeAll() {
	for _, s := range o.byH {
		s.conn.Close()
		s.db.Close()
	}
	o.byH, o.byKey = nil, nil
}

// write runs fn in a transaction unless one is open already.
func (s *objectStore) write(fn func(conn *sql.Conn) error) error {
	if s.inTx {
		return fn(s.conn)
	}
	ctx := context.Background()
	if _, err := s.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if err := fn(s.conn); err != nil {
		s.conn.ExecContext(ctx, "ROLLBACK")
		return err
	}
	_, err := s.conn.ExecContext(ctx, "COMMIT")
	return err
}

func (s *objectStore) tx(op string) error {
	ctx := context.Background()
	switch op {
	case "begin":
		if s.inTx {
			return errors.New("a transaction is already open")
		}
		if _, err := s.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return err
		}
		s.inTx = true
	case "commit", "rollback":
		s.inTx = false
		_, err := s.conn.ExecContext(ctx, strings.ToUpper(op))
		return err
	}
	return nil
}

type sqlResult struct {
	cols          []string
	rows          [][]any
	read, written int64
}

// exec runs the statements of query (bound parameters apply to a single
// statement) and returns the rows of the last one.
func (s *objectStore) exec(query string, params []any) (sqlResult, error) {
	stmts := store.SplitSQL(query)
	if len(stmts) == 0 {
		return sqlResult{}, errors.New("SQL query contains no statements")
	}
	if len(stmts) > 1 && len(params) > 0 {
		return sqlResult{}, errors.New("bindings are only allowed with a single SQL statement")
	}
	ctx := context.Background()
	var res sqlResult
	for _, q := range stmts {
		if strings.Contains(strings.ToLower(q), "_cf_") {
			return sqlResult{}, fmt.Errorf("SQLITE_AUTH: access to tables whose names start with _cf_ is not allowed")
		}
		var before int64
		_ = s.conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before)
		rows, err := s.conn.QueryContext(ctx, q, params...)
		if err != nil {
			return sqlResult{}, fmt.Errorf("%s: SQLITE_ERROR", store.SQLiteMessage(err))
		}
		res = sqlResult{}
		if res.cols, res.rows, err = store.ScanRows(rows); err != nil {
			return sqlResult{}, fmt.Errorf("%s: SQLITE_ERROR", store.SQLiteMessage(err))
		}
		var after int64
		_ = s.conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after)
		res.read, res.written = int64(len(res.rows)), after-before
	}
	return res, nil
}

func (s *objectStore) alarmTime() (int64, bool) {
	var ms int64
	err := s.conn.QueryRowContext(context.Background(), `SELECT value FROM _cf_METADATA WHERE key = 'alarm'`).Scan(&ms)
	return ms, err == nil
}

func (s *objectStore) setAlarm(iso *isolate, ms int64) error {
	if _, err := s.conn.ExecContext(context.Background(), `INSERT INTO _cf_METADATA (key, value) VALUES ('alarm', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ms); err != nil {
		return err
	}
	s.schedule(iso, ms)
	return nil
}

func (s *objectStore) deleteAlarm() error {
	if s.alarm != nil {
		s.alarm.Stop()
		s.alarm = nil
	}
	_, err := s.conn.ExecContext(context.Background(), `DELETE FROM _cf_METADATA WHERE key = 'alarm'`)
	return err
}

// schedule arms the object's alarm on the isolate's loop.
func (s *objectStore) schedule(iso *isolate, ms int64) {
	if s.alarm != nil {
		s.alarm.Stop()
	}
	s.alarm = iso.loop.AddTimer(time.Until(time.UnixMilli(ms)), false, func(vm *goja.Runtime) error {
		s.alarm = nil
		iso.runAlarm(vm, s, ms)
		return nil
	})
	s.alarm.SetRef(false)
}

// runAlarm delivers an alarm to the object, then clears it unless the
// handler set a new one.
func (iso *isolate) runAlarm(vm *goja.Runtime, s *objectStore, ms int64) {
	class := s.class
	iso.nextID++
	cl := &call{id: iso.nextID, what: class + " alarm"}
	cl.finish = func(vm *goja.Runtime, _, jsErr goja.Value) {
		if jsErr != nil {
			iso.scriptFailure(vm, cl.what, jsErr)
			return
		}
		if cur, ok := s.alarmTime(); ok && cur == ms {
			_ = s.deleteAlarm()
		}
	}
	cl.fail = func(error) {}
	iso.pending[cl.id] = cl
	iso.loop.SetAsyncContext(&frame{call: cl})
	if _, err := iso.glue.object(goja.Undefined(), vm.ToValue(cl.id), vm.ToValue(class), vm.ToValue(s.namespace),
		vm.ToValue(s.id), goja.Undefined(), vm.ToValue("alarm"), goja.Undefined()); err != nil {
		iso.logError(cl.what, err)
	}
}
