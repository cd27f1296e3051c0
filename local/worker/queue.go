package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// DeliverQueue runs a consumer Worker's queue handler on a batch. Messages
// the handler acks or retries explicitly (one by one, or with ackAll and
// retryAll) are settled that way; the rest are acked when the handler
// succeeds and retried when it throws.
func (rt *Runtime) DeliverQueue(ctx context.Context, b local.QueueBatch) local.QueueOutcome {
	w, err := rt.worker(b.AccountID, b.Script)
	if err != nil {
		return local.QueueOutcome{Err: err}
	}
	v, err := w.acquire(ctx)
	if err != nil {
		if !errors.Is(err, errNoScript) {
			rt.errorf(b.Script, "queue %s: %v", b.Queue.Name, err)
		}
		return local.QueueOutcome{Err: err}
	}
	defer v.release()
	iso, err := v.pick(ctx)
	if err != nil {
		return local.QueueOutcome{Err: err}
	}
	leases := map[string]string{} // message id → lease id
	for _, m := range b.Messages {
		leases[m.ID] = m.LeaseID
	}
	what := "queue " + b.Queue.Name
	out, err := invoke(ctx, iso, what, func(vm *goja.Runtime, id int64) error {
		msgs := make([]any, len(b.Messages))
		for i, m := range b.Messages {
			body, err := messageBody(vm, m)
			if err != nil {
				return fmt.Errorf("queue %s: message %s: %w", b.Queue.Name, m.ID, err)
			}
			msgs[i] = vm.NewArray(m.ID, store.ParseTime(m.Timestamp).UnixMilli(), body, m.Attempts)
		}
		_, err := iso.glue.queue(goja.Undefined(), vm.ToValue(id), vm.ToValue(b.Queue.Name), vm.NewArray(msgs...))
		return err
	}, func(vm *goja.Runtime, v, jsErr goja.Value) (local.QueueOutcome, error) {
		out := verdicts(vm, v, leases, time.Duration(b.Consumer.Settings.RetryDelay)*time.Second)
		if jsErr != nil {
			out.Err = iso.scriptFailure(vm, what, jsErr)
		}
		return out, nil
	})
	if err != nil {
		return local.QueueOutcome{Err: err}
	}
	return out
}

// messageBody decodes a message for the consumer by its content type.
func messageBody(vm *goja.Runtime, m store.QueueMessage) (goja.Value, error) {
	switch m.ContentType {
	case "text":
		return vm.ToValue(string(m.Body)), nil
	case "bytes":
		return vm.ToValue(vm.NewArrayBuffer(append([]byte{}, m.Body...))), nil
	case "v8":
		return webapi.Deserialize(vm, m.Body)
	}
	var v goja.Value
	var err error
	if ex := vm.Try(func() {
		parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
		v, err = parse(goja.Undefined(), vm.ToValue(string(m.Body)))
	}); ex != nil {
		return nil, ex
	}
	return v, err
}

// verdicts reads the glue's [[id, "ack"|"retry", delay]…, batchVerdict].
func verdicts(vm *goja.Runtime, v goja.Value, leases map[string]string, defaultDelay time.Duration) local.QueueOutcome {
	var out local.QueueOutcome
	obj, ok := v.(*goja.Object)
	if !ok {
		return out
	}
	delayOf := func(x goja.Value) time.Duration {
		if d := x.ToFloat(); d >= 0 {
			return time.Duration(d * float64(time.Second))
		}
		return defaultDelay
	}
	settled := map[string]bool{}
	vm.ForOf(obj.Get("0"), func(item goja.Value) bool {
		e := item.ToObject(vm)
		id := e.Get("0").String()
		lease, ok := leases[id]
		if !ok {
			return true
		}
		settled[id] = true
		if e.Get("1").String() == "ack" {
			out.Acked = append(out.Acked, lease)
		} else {
			out.Retried = append(out.Retried, store.Retry{LeaseID: lease, Delay: delayOf(e.Get("2"))})
		}
		return true
	})
	if batch, ok := obj.Get("1").(*goja.Object); ok {
		ack := batch.Get("0").String() == "ack"
		for id, lease := range leases {
			if settled[id] {
				continue
			}
			if ack {
				out.Acked = append(out.Acked, lease)
			} else {
				out.Retried = append(out.Retried, store.Retry{LeaseID: lease, Delay: delayOf(batch.Get("1"))})
			}
		}
	}
	return out
}
