package cloudflare

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// The steps below are the lifecycle the account's named resources share
// (D1 databases, R2 buckets, queues, KV namespaces, routes, custom domains,
// queue consumers): read the name, create or take over, update in place or
// recreate what is gone, and delete what is still there.

// clientAndName returns the resource's client, its props and its physical
// name, read from the props field (or generated when the field is absent).
func (c *Cloudflare) clientAndName(req *engine.Request, field string) (*Client, props, string, error) {
	cl, p, err := c.clientOf(req)
	if err != nil {
		return nil, p, "", err
	}
	name, err := p.physicalName(req, field)
	if err != nil {
		return nil, p, "", err
	}
	return cl, p, name, nil
}

// clientAndFixedName is clientAndName for the Update of a resource whose
// name is fixed at creation: a name other than the output's is
// engine.ErrReplace.
func (c *Cloudflare) clientAndFixedName(req *engine.Request, field string) (*Client, props, string, error) {
	cl, p, name, err := c.clientAndName(req, field)
	if err != nil {
		return nil, p, "", err
	}
	if prev, _ := req.Output.GetString(field); prev != name {
		return nil, p, "", engine.ErrReplace
	}
	return cl, p, name, nil
}

// replaceOnRename is the Diff of a resource whose name is fixed at
// creation: a new physical name replaces it, anything else updates it.
func replaceOnRename(req *engine.Request, field string) (engine.Change, error) {
	p, err := propsOf(req)
	if err != nil {
		return engine.ChangeUpdate, err
	}
	name, err := p.physicalName(req, field)
	if err != nil {
		return engine.ChangeUpdate, err
	}
	if prev, _ := req.Output.GetString(field); prev != "" && prev != name {
		return engine.ChangeReplace, nil
	}
	return engine.ChangeUpdate, nil
}

// createOrAdopt runs create. When it fails because the resource exists
// and the create may take it over (mayTakeOver, or a retry after a dropped
// connection, whose first attempt may have made it), adopt looks the
// existing one up and makes it the result. When adopt finds none, the
// create's error stands.
func createOrAdopt(mayTakeOver bool, create func() error, adopt func() (found bool, err error)) error {
	err := create()
	ae, ok := asAPIError(err)
	if !ok || !ae.IsConflict() || !(mayTakeOver || ae.AfterDrop) {
		return err
	}
	found, adoptErr := adopt()
	if adoptErr != nil {
		return adoptErr
	}
	if !found {
		return err
	}
	return nil
}

// updateOrCreate updates the object with id when there is one; when there
// is none, or it is gone (404), create makes a new one.
func updateOrCreate(id string, update func(id string) error, create func() error) error {
	if id != "" {
		if err := update(id); !IsNotFound(err) {
			return err
		}
	}
	return create()
}

// listPageSize is the page size findPaged asks for.
const listPageSize = 100

// findPaged pages through the account's list at rest for the first item
// match accepts. A page shorter than asked for is the last one, so a list
// that ignores paging is read once.
func findPaged[T any](ctx context.Context, cl *Client, op, rest string, match func(T) bool) (T, bool, error) {
	var none T
	base, err := cl.accountPath(ctx, rest)
	if err != nil {
		return none, false, err
	}
	seen := 0
	for page := 1; ; page++ {
		var batch []T
		info, err := cl.Call(ctx, op, http.MethodGet, fmt.Sprintf("%s?page=%d&per_page=%d", base, page, listPageSize), nil, &batch)
		if err != nil {
			return none, false, err
		}
		for _, item := range batch {
			if match(item) {
				return item, true, nil
			}
		}
		seen += len(batch)
		if len(batch) < listPageSize || lastPage(info, page, seen) {
			return none, false, nil
		}
	}
}

// deleting starts a Delete: the client and props, and whether to delete
// at all (the delete prop, true unless set to false).
func (c *Cloudflare) deleting(req *engine.Request) (*Client, props, bool, error) {
	cl, p, err := c.clientOf(req)
	if err != nil {
		return nil, p, false, err
	}
	if del, err := deleteEnabled(p); err != nil || !del {
		return nil, p, false, err
	}
	return cl, p, true, nil
}

// deleteInAccount deletes the account's object at rest. One that is gone
// already counts as deleted.
func deleteInAccount(ctx context.Context, cl *Client, op, rest string, opts ...option.RequestOption) error {
	path, err := cl.accountPath(ctx, rest)
	if err != nil {
		return err
	}
	_, err = cl.Call(ctx, op, http.MethodDelete, path, nil, nil, opts...)
	return ignoreNotFound(err)
}

// deleteByID is the whole Delete of a resource that is one account object
// at prefix+id, id being the output's field: nothing to do without an id
// or with delete: false, and one that is gone already counts as deleted.
// what names the resource in errors ("D1 database").
func (c *Cloudflare) deleteByID(ctx context.Context, req *engine.Request, field, what, prefix string) error {
	cl, _, ok, err := c.deleting(req)
	if err != nil || !ok {
		return err
	}
	id, _ := req.Output.GetString(field)
	if id == "" {
		return nil
	}
	return wrap(req, deleteInAccount(ctx, cl, fmt.Sprintf("delete %s %s", what, id), prefix+id))
}

// previousOr returns field of the resource's previous output, or v when it
// has none (a create).
func previousOr(req *engine.Request, field string, v value.Value) value.Value {
	if prev, ok := req.Output.Get(field); ok {
		return prev
	}
	return v
}

// stampTimes sets the output's createdAt (kept from the previous output)
// and updatedAt (now when the resource changed, else kept).
func stampTimes(out *value.Object, req *engine.Request, now value.Value, changed bool) {
	out.Set("createdAt", previousOr(req, "createdAt", now))
	if changed {
		out.Set("updatedAt", now)
	} else {
		out.Set("updatedAt", previousOr(req, "updatedAt", now))
	}
}
