// Package state stores resource records: the Store interface, the file store
// that reproduces the TypeScript library's .alchemy/ directory byte for byte,
// and the codec that serializes records and encrypts secrets.
package state

import (
	"fmt"
	"slices"

	"github.com/alchemy-go/alchemy/value"
)

// Status is the lifecycle status of a record.
type Status string

// Record statuses. A record left creating or updating by a crash is retried
// as a create or an update.
const (
	StatusCreating Status = "creating"
	StatusCreated  Status = "created"
	StatusUpdating Status = "updating"
	StatusUpdated  Status = "updated"
	StatusDeleting Status = "deleting"
	StatusDeleted  Status = "deleted"
)

// Stable reports whether the status is created or updated.
func (s Status) Stable() bool { return s == StatusCreated || s == StatusUpdated }

// Record field names.
const (
	FieldKind      = "kind"
	FieldID        = "id"
	FieldFQN       = "fqn"
	FieldSeq       = "seq"
	FieldStatus    = "status"
	FieldData      = "data"
	FieldProps     = "props"
	FieldOldProps  = "oldProps"
	FieldOutput    = "output"
	FieldDependsOn = "dependsOn"
)

// Field orders of the records the TypeScript library writes. The order of a
// record read from a file is kept as it was.
var (
	// LayoutCreating is a new record before its create handler ran.
	LayoutCreating = []string{FieldKind, FieldID, FieldFQN, FieldSeq, FieldStatus, FieldData, FieldOutput, FieldProps, FieldOldProps}
	// LayoutFinal is a record after a successful create or update.
	LayoutFinal = []string{FieldKind, FieldID, FieldFQN, FieldSeq, FieldData, FieldStatus, FieldOutput, FieldProps}
	// LayoutScopeMarker is the marker of a nested scope (alchemy.run).
	LayoutScopeMarker = []string{FieldKind, FieldID, FieldSeq, FieldData, FieldFQN, FieldProps, FieldStatus, FieldOutput}
	// LayoutStageMarker is the record holding the stage scope's data.
	LayoutStageMarker = []string{FieldKind, FieldID, FieldFQN, FieldSeq, FieldStatus, FieldData, FieldOutput, FieldProps}
)

// KindScope is the kind of scope marker records.
const KindScope = "alchemy::Scope"

// Record is one entry of state: a resource, or the marker of a scope.
type Record struct {
	Kind   string
	ID     string
	FQN    string
	Seq    int
	Status Status
	// Data is per-resource data (this.get/set) or scope data
	// (pendingDeletions). Never nil after decoding or NewRecord.
	Data *value.Object
	// Props are the props of the last apply; nil means undefined (the
	// resource was called without props) and is not written.
	Props value.Value
	// OldProps are the props before an update in progress; nil is not written.
	OldProps value.Value
	// Output is the resource output with its identity symbols.
	Output *value.Object
	// DependsOn lists the FQNs of resources this one's props referenced.
	// Written last, after the TypeScript fields, only when non-empty.
	DependsOn []string
	// Extra holds fields this version does not know, kept in place.
	Extra *value.Object

	order []string
}

// NewRecord returns a record whose fields will be written in the given order.
func NewRecord(layout []string) *Record {
	return &Record{Data: value.NewObject(0), Output: value.NewObject(0), order: layout}
}

// Layout returns the field order the record is written in.
func (r *Record) Layout() []string { return slices.Clone(r.order) }

// SetLayout sets the field order the record is written in.
func (r *Record) SetLayout(layout []string) { r.order = layout }

// SetOldProps sets OldProps, adding the field at the end of the layout when
// the record did not have it (as assigning a new property in JS does).
func (r *Record) SetOldProps(v value.Value) {
	r.OldProps = v
	if !slices.Contains(r.order, FieldOldProps) {
		r.order = append(slices.Clone(r.order), FieldOldProps)
	}
}

// Clone returns a copy that can be modified without affecting r. Values are
// shared (they are immutable by convention) except Data, which is copied.
func (r *Record) Clone() *Record {
	c := *r
	c.Data = r.Data.Clone()
	if c.Data == nil {
		c.Data = value.NewObject(0)
	}
	c.DependsOn = slices.Clone(r.DependsOn)
	c.order = slices.Clone(r.order)
	return &c
}

// toObject builds the serialized shape of the record.
func (r *Record) toObject() *value.Object {
	o := value.NewObject(len(r.order) + 1)
	written := map[string]bool{}
	put := func(field string) {
		if written[field] {
			return
		}
		written[field] = true
		switch field {
		case FieldKind:
			o.Set(field, value.String(r.Kind))
		case FieldID:
			o.Set(field, value.String(r.ID))
		case FieldFQN:
			o.Set(field, value.String(r.FQN))
		case FieldSeq:
			o.Set(field, value.Number(r.Seq))
		case FieldStatus:
			o.Set(field, value.String(r.Status))
		case FieldData:
			data := r.Data
			if data == nil {
				data = value.NewObject(0)
			}
			o.Set(field, data)
		case FieldOutput:
			out := r.Output
			if out == nil {
				out = value.NewObject(0)
			}
			o.Set(field, out)
		case FieldProps:
			o.Set(field, r.Props)
		case FieldOldProps:
			o.Set(field, r.OldProps)
		case FieldDependsOn:
			if len(r.DependsOn) > 0 {
				deps := make(value.Array, len(r.DependsOn))
				for i, d := range r.DependsOn {
					deps[i] = value.String(d)
				}
				o.Set(field, deps)
			}
		default:
			if v, ok := r.Extra.Get(field); ok {
				o.Set(field, v)
			}
		}
	}
	for _, f := range r.order {
		if f != FieldDependsOn {
			put(f)
		}
	}
	for _, f := range LayoutFinal {
		put(f)
	}
	for k := range r.Extra.All {
		put(k)
	}
	put(FieldOldProps)
	put(FieldDependsOn)
	return o
}

// recordFromObject extracts a record from its serialized shape.
func recordFromObject(o *value.Object) (*Record, error) {
	r := &Record{order: o.Keys()}
	for k, v := range o.All {
		var ok = true
		switch k {
		case FieldKind:
			r.Kind, ok = asString(v)
		case FieldID:
			r.ID, ok = asString(v)
		case FieldFQN:
			r.FQN, ok = asString(v)
		case FieldSeq:
			var n value.Number
			n, ok = v.(value.Number)
			r.Seq = int(n)
		case FieldStatus:
			var s string
			s, ok = asString(v)
			r.Status = Status(s)
		case FieldData:
			r.Data, ok = v.(*value.Object)
		case FieldProps:
			r.Props = v
		case FieldOldProps:
			r.OldProps = v
		case FieldOutput:
			r.Output, ok = v.(*value.Object)
		case FieldDependsOn:
			var arr value.Array
			arr, ok = v.(value.Array)
			for _, item := range arr {
				s, isStr := item.(value.String)
				if !isStr {
					ok = false
					break
				}
				r.DependsOn = append(r.DependsOn, string(s))
			}
		default:
			if r.Extra == nil {
				r.Extra = value.NewObject(1)
			}
			r.Extra.Set(k, v)
		}
		if !ok {
			return nil, fmt.Errorf("field %q: unexpected %s", k, value.TypeName(v))
		}
	}
	if r.Data == nil {
		r.Data = value.NewObject(0)
	}
	if r.Output == nil {
		r.Output = value.NewObject(0)
	}
	return r, nil
}

func asString(v value.Value) (string, bool) {
	s, ok := v.(value.String)
	return string(s), ok
}
