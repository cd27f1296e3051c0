package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// rpcResult is the outcome of an RPC call, serialised with the structured
// clone algorithm: the returned value, or the thrown one.
type rpcResult struct {
	data   []byte
	thrown bool
}

// settle rebuilds the outcome in the caller's isolate: it resolves with the
// value or rejects with the error the callee threw.
func (r rpcResult) settle(vm *goja.Runtime) (goja.Value, error) {
	v, err := webapi.Deserialize(vm, r.data)
	if err != nil {
		return nil, err
	}
	if r.thrown {
		return nil, vm.Try(func() { panic(v) })
	}
	return v, nil
}

// rpcFinish serialises an RPC call's outcome in the callee's isolate.
func rpcFinish(method string) func(vm *goja.Runtime, v, jsErr goja.Value) (rpcResult, error) {
	return func(vm *goja.Runtime, v, jsErr goja.Value) (rpcResult, error) {
		out, thrown := v, false
		if jsErr != nil {
			out, thrown = jsErr, true
		}
		data, err := webapi.Serialize(vm, out)
		if err != nil {
			return rpcResult{}, fmt.Errorf("RPC %s(): the result cannot be sent back: %w", method, err)
		}
		return rpcResult{data: data, thrown: thrown}, nil
	}
}

// rpcArgs rebuilds serialised RPC arguments in the callee's isolate.
func rpcArgs(vm *goja.Runtime, data []byte) (goja.Value, error) {
	return webapi.Deserialize(vm, data)
}

// serviceTarget returns an isolate of the Worker a service binding names.
func (rt *Runtime) serviceTarget(ctx context.Context, account string, sb *serviceBinding) (*version, *isolate, error) {
	w, err := rt.worker(account, sb.script)
	if err != nil {
		return nil, nil, err
	}
	v, err := w.acquire(ctx)
	if errors.Is(err, errNoScript) {
		return nil, nil, fmt.Errorf("service binding: there is no Worker named %q", sb.script)
	}
	if err != nil {
		return nil, nil, err
	}
	iso, err := v.pick(ctx)
	if err != nil {
		v.release()
		return nil, nil, err
	}
	return v, iso, nil
}

// serviceFetch sends a request to another Worker through a service binding.
func (rt *Runtime) serviceFetch(ctx context.Context, account string, sb *serviceBinding, req httpRequest) (*httpResponse, error) {
	v, iso, err := rt.serviceTarget(ctx, account, sb)
	if err != nil {
		return nil, err
	}
	defer v.release()
	what := "service " + req.method + " " + pathOf(req.url)
	res, err := invoke(ctx, iso, what, func(vm *goja.Runtime, id int64) error {
		var body goja.Value = goja.Null()
		if req.body != nil {
			body = webapi.NewUint8Array(vm, req.body)
		}
		_, err := iso.glue.serviceFetch(goja.Undefined(), vm.ToValue(id), vm.ToValue(sb.entrypoint), vm.ToValue(req.method),
			vm.ToValue(req.url), vm.ToValue(req.header), body)
		return err
	}, func(vm *goja.Runtime, v, jsErr goja.Value) (*httpResponse, error) {
		if jsErr != nil {
			return nil, iso.scriptFailure(vm, what, jsErr)
		}
		return iso.responseParts(vm, 0, v)
	})
	if err != nil {
		return nil, forCaller(err)
	}
	return res, res.offerSocket(ctx)
}

// serviceRPC calls a method of another Worker's WorkerEntrypoint.
func (rt *Runtime) serviceRPC(ctx context.Context, account string, sb *serviceBinding, method string, args []byte) (rpcResult, error) {
	v, iso, err := rt.serviceTarget(ctx, account, sb)
	if err != nil {
		return rpcResult{}, err
	}
	defer v.release()
	res, err := invoke(ctx, iso, "rpc "+method+"()", func(vm *goja.Runtime, id int64) error {
		a, err := rpcArgs(vm, args)
		if err != nil {
			return err
		}
		_, err = iso.glue.serviceRPC(goja.Undefined(), vm.ToValue(id), vm.ToValue(sb.entrypoint), vm.ToValue(method), a)
		return err
	}, rpcFinish(method))
	return res, forCaller(err)
}

// calleeError is how a Worker's subrequest fails when the Worker it
// invoked failed: with the callee's error message, not the report the
// callee logged (its formatted stack), so that an error that travels up a
// chain of Workers reads the same at every one instead of growing.
type calleeError struct {
	msg string
	err *callError
}

func (e *calleeError) Error() string { return e.msg }
func (e *calleeError) Unwrap() error { return e.err }

// forCaller turns the failure of an invoked Worker into the error its
// caller's promise rejects with.
func forCaller(err error) error {
	var ce *callError
	if !errors.As(err, &ce) {
		return err
	}
	msg := ce.err.Error()
	var se *runtime.ScriptError
	if errors.As(ce.err, &se) {
		// "Error: message": the caller's Error adds its own name.
		msg = strings.TrimPrefix(se.Message, "Error: ")
	}
	return &calleeError{msg: msg, err: ce}
}
