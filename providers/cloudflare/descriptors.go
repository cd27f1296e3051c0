package cloudflare

import (
	"fmt"

	"github.com/alchemy-go/alchemy/value"
)

// Binding descriptors: values a program builds synchronously and binds to a
// Worker, which are not deployed resources of their own. Each builder
// returns the object the TypeScript library's factory returns, with the
// same keys in the same order (undefined members left out), so that props
// embedding them compare equal to state written by that library.

// Types of descriptor objects, as their "type" field says.
const (
	TypeDurableObject   = "durable_object_namespace"
	TypeWorkflow        = "workflow"
	TypeJSON            = "json"
	TypeService         = "service"
	TypeSelf            = "cloudflare::Worker::Self"
	TypeDevDomain       = "cloudflare::Worker::DevDomain"
	TypeDevURL          = "cloudflare::Worker::DevUrl"
	TypeVersionMetadata = "version_metadata"
	TypeAssets          = "assets"
)

// descriptorProps reads a descriptor factory's props argument.
func descriptorProps(factory string, v value.Value) (props, error) {
	return propsFrom(factory, "", v)
}

// DurableObjectNamespace builds DurableObjectNamespace(id, {className,
// scriptName?, environment?, sqlite?, namespaceId?}). id is the stable id
// that keys the class migrations of the Worker binding it.
func DurableObjectNamespace(id string, propsArg value.Value) (*value.Object, error) {
	if id == "" {
		return nil, fmt.Errorf("DurableObjectNamespace: the id must be a non-empty string")
	}
	p, err := descriptorProps("DurableObjectNamespace", propsArg)
	if err != nil {
		return nil, err
	}
	p.id = id
	className, ok, err := p.str("className")
	if err != nil {
		return nil, err
	}
	if !ok || className == "" {
		return nil, p.errorf("className", "is required (the Durable Object class exported by the Worker)")
	}
	o := value.NewObject(7)
	o.Set("type", value.String(TypeDurableObject))
	o.Set("id", value.String(id))
	o.Set("className", value.String(className))
	for _, f := range []string{"scriptName", "environment"} {
		s, ok, err := p.str(f)
		if err != nil {
			return nil, err
		}
		if ok {
			o.Set(f, value.String(s))
		}
	}
	if v, ok := p.get("sqlite"); ok {
		b, isBool := v.(value.Bool)
		if !isBool {
			return nil, p.errorf("sqlite", "must be a boolean")
		}
		o.Set("sqlite", b)
	}
	if s, ok, err := p.str("namespaceId"); err != nil {
		return nil, err
	} else if ok {
		o.Set("namespaceId", value.String(s))
	}
	return o, nil
}

// Workflow builds Workflow(id, {workflowName?, className?, scriptName?,
// limits?}): workflowName defaults to className, then id; className to
// workflowName.
func Workflow(id string, propsArg value.Value) (*value.Object, error) {
	if id == "" {
		return nil, fmt.Errorf("Workflow: the id must be a non-empty string")
	}
	p, err := descriptorProps("Workflow", propsArg)
	if err != nil {
		return nil, err
	}
	p.id = id
	workflowName, hasName, err := p.str("workflowName")
	if err != nil {
		return nil, err
	}
	className, hasClass, err := p.str("className")
	if err != nil {
		return nil, err
	}
	if !hasName {
		workflowName = id
		if hasClass {
			workflowName = className
		}
	}
	if !hasClass {
		className = workflowName
	}
	o := value.NewObject(6)
	o.Set("type", value.String(TypeWorkflow))
	o.Set("id", value.String(id))
	o.Set("workflowName", value.String(workflowName))
	o.Set("className", value.String(className))
	if s, ok, err := p.str("scriptName"); err != nil {
		return nil, err
	} else if ok {
		o.Set("scriptName", value.String(s))
	}
	if v, ok := p.get("limits"); ok {
		o.Set("limits", v)
	}
	return o, nil
}

// JSON builds Json(v): a json binding holding v as it is.
func JSON(v value.Value) (*value.Object, error) {
	if v == nil {
		return nil, fmt.Errorf("Json: the value is undefined")
	}
	return value.Obj("type", value.String(TypeJSON), "json", v), nil
}

// WorkerRef builds WorkerRef({service, environment?, namespace?}): a
// service binding to a Worker this program does not manage.
func WorkerRef(propsArg value.Value) (*value.Object, error) {
	p, err := descriptorProps("WorkerRef", propsArg)
	if err != nil {
		return nil, err
	}
	service, ok, err := p.str("service")
	if err != nil {
		return nil, err
	}
	if !ok || service == "" {
		return nil, p.errorf("service", "is required (the Worker's script name)")
	}
	o := value.Obj("type", value.String(TypeService), "service", value.String(service))
	for _, f := range []string{"environment", "namespace"} {
		if s, ok, err := p.str(f); err != nil {
			return nil, err
		} else if ok {
			o.Set(f, value.String(s))
		}
	}
	return o, nil
}

// Self is the service binding to the Worker being defined.
func Self() *value.Object { return value.Obj("type", value.String(TypeSelf)) }

// DevDomain binds the Worker's workers.dev hostname as a string.
func DevDomain() *value.Object { return value.Obj("type", value.String(TypeDevDomain)) }

// DevURL binds the Worker's workers.dev URL as a string.
func DevURL() *value.Object { return value.Obj("type", value.String(TypeDevURL)) }

// VersionMetadata builds VersionMetadata().
func VersionMetadata() *value.Object { return value.Obj("type", value.String(TypeVersionMetadata)) }

// Assets builds Assets({path}): static files uploaded with the Worker that
// binds them.
func Assets(propsArg value.Value) (*value.Object, error) {
	p, err := descriptorProps("Assets", propsArg)
	if err != nil {
		return nil, err
	}
	path, ok, err := p.str("path")
	if err != nil {
		return nil, err
	}
	if !ok || path == "" {
		return nil, p.errorf("path", "is required (the directory of the files)")
	}
	return value.Obj("type", value.String(TypeAssets), "path", value.String(path)), nil
}

// exportBinding is a Worker's binding as its output shows it: a Durable
// Object namespace or Workflow of the Worker's own script gets the script's
// name, so that other Workers can bind worker.bindings.X.
func exportBinding(v value.Value, script string) value.Value {
	o, ok := v.(*value.Object)
	if !ok {
		return v
	}
	typ, _ := o.GetString("type")
	if o.Has("scriptName") || (typ != TypeDurableObject && typ != TypeWorkflow) {
		return v
	}
	id, _ := o.GetString("id")
	withScript := o.Clone()
	withScript.Set("scriptName", value.String(script))
	var rebuilt *value.Object
	var err error
	if typ == TypeDurableObject {
		rebuilt, err = DurableObjectNamespace(id, withScript)
	} else {
		rebuilt, err = Workflow(id, withScript)
	}
	if err != nil {
		return v
	}
	return rebuilt
}
