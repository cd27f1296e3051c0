package cloudflare

import (
	"fmt"

	"github.com/alchemy-go/alchemy/providers/schema"
	"github.com/alchemy-go/alchemy/value"
)

// ModuleName is the import specifier of the module described here.
const ModuleName = "alchemy/cloudflare"

// ExportKind says what an export of the module is.
type ExportKind int

// Export kinds.
const (
	// ExportResource is an async function (id, props?) that applies a
	// resource of ResourceKind: props are first passed through Normalize
	// (when set), and the result is what the engine stores and compares.
	ExportResource ExportKind = iota
	// ExportFactory is a synchronous function returning Build(args): a
	// binding descriptor, not a deployed resource.
	ExportFactory
	// ExportAsyncFactory is like ExportFactory but returns a promise.
	ExportAsyncFactory
	// ExportValue is a constant.
	ExportValue
	// ExportGuard is a function (value) → boolean.
	ExportGuard
)

// NormalizeContext is what props normalization may depend on.
type NormalizeContext struct {
	// Local is true under --dev.
	Local bool
	// Dir is the directory relative paths in props are read from (the
	// program's working directory).
	Dir string
}

// Export describes one export of alchemy/cloudflare for the JS bridge,
// which exposes every entry generically.
type Export struct {
	Name string
	Kind ExportKind
	// ResourceKind is the engine kind of an ExportResource.
	ResourceKind string
	// PropsOptional is true when the resource may be called with an id
	// alone (props default to {}).
	PropsOptional bool
	// Normalize checks the props the program passed against the kind's
	// schema (Schemas) and turns them into the props stored in state,
	// exactly as the TypeScript library's wrapper does (so state it wrote
	// compares equal). props may be nil when none were given.
	Normalize func(ctx NormalizeContext, id string, props value.Value) (value.Value, error)
	// NoUndefinedIn lists props fields whose members may not be undefined:
	// the bridge must reject {X: undefined} there before converting the
	// props (a value cannot hold undefined), naming the field and member.
	NoUndefinedIn []string
	// Build makes the value of a factory from its arguments (undefined
	// arguments are nil).
	Build func(args []value.Value) (value.Value, error)
	// Value is the constant of an ExportValue.
	Value value.Value
	// Is is the test of an ExportGuard.
	Is func(v value.Value) bool
	// Members are static members of a function export (Worker.DevUrl…).
	Members []Export
	// Methods are functions the program finds on the outputs of an
	// ExportResource (R2Bucket's object methods); they are never stored.
	Methods []Method
}

// Module returns the exports of alchemy/cloudflare.
func Module() []Export {
	schemas := map[string]schema.Kind{}
	for _, s := range Schemas() {
		schemas[s.Kind] = s
	}
	resource := func(name, kind string, optional bool, normalize func(NormalizeContext, string, value.Value) (value.Value, error)) Export {
		s, ok := schemas[kind]
		if !ok {
			panic(fmt.Sprintf("cloudflare: no schema for %s", kind)) // Schemas lists every kind of Kinds
		}
		return Export{Name: name, Kind: ExportResource, ResourceKind: kind, PropsOptional: optional, Normalize: checked(s, normalize)}
	}
	worker := resource("Worker", KindWorker, false, normalizeWorker)
	worker.NoUndefinedIn = []string{"bindings"}
	worker.Members = []Export{
		{Name: "DevDomain", Kind: ExportValue, Value: DevDomain()},
		{Name: "DevUrl", Kind: ExportValue, Value: DevURL()},
		{Name: "experimentalEntrypoint", Kind: ExportFactory, Build: experimentalEntrypoint},
	}
	return []Export{
		worker,
		resource("KVNamespace", KindKVNamespace, true, normalizeDevForce),
		withMethods(resource("R2Bucket", KindR2Bucket, true, normalizeDevForce), bucketMethods()),
		resource("D1Database", KindD1Database, true, normalizeD1),
		resource("Queue", KindQueue, true, normalizeDevForce),
		resource("QueueConsumer", KindQueueConsumer, false, nil),
		resource("Route", KindRoute, false, nil),
		resource("CustomDomain", KindCustomDomain, false, nil),
		resource("WorkerSubdomain", KindWorkerSubdomain, false, nil),
		{Name: "DurableObjectNamespace", Kind: ExportFactory, Build: func(args []value.Value) (value.Value, error) {
			id, err := idArg("DurableObjectNamespace", args)
			if err != nil {
				return nil, err
			}
			return DurableObjectNamespace(id, arg(args, 1))
		}},
		{Name: "Workflow", Kind: ExportFactory, Build: func(args []value.Value) (value.Value, error) {
			id, err := idArg("Workflow", args)
			if err != nil {
				return nil, err
			}
			return Workflow(id, arg(args, 1))
		}},
		{Name: "Json", Kind: ExportFactory, Build: func(args []value.Value) (value.Value, error) { return JSON(arg(args, 0)) }},
		{Name: "WorkerRef", Kind: ExportFactory, Build: func(args []value.Value) (value.Value, error) { return WorkerRef(arg(args, 0)) }},
		{Name: "VersionMetadata", Kind: ExportFactory, Build: func([]value.Value) (value.Value, error) { return VersionMetadata(), nil }},
		{Name: "Assets", Kind: ExportAsyncFactory, Build: func(args []value.Value) (value.Value, error) { return Assets(arg(args, 0)) }},
		{Name: "Self", Kind: ExportValue, Value: Self()},
		{Name: "DEFAULT_COMPATIBILITY_DATE", Kind: ExportValue, Value: value.String(DefaultCompatibilityDate)},
		guard("isWorker", KindWorker, ""),
		guard("isKVNamespace", KindKVNamespace, "kv_namespace"),
		guard("isBucket", KindR2Bucket, "r2_bucket"),
		guard("isD1Database", KindD1Database, "d1"),
		guard("isQueue", KindQueue, "queue"),
		guard("isWorkflow", "", TypeWorkflow),
		guard("isDurableObjectNamespace", "", TypeDurableObject),
	}
}

func withMethods(e Export, m []Method) Export {
	e.Methods = m
	return e
}

// guard tests for a resource kind or, failing that, a type field.
func guard(name, kind, typ string) Export {
	return Export{Name: name, Kind: ExportGuard, Is: func(v value.Value) bool {
		o, ok := v.(*value.Object)
		if !ok {
			return false
		}
		if k, ok := o.GetString(value.KeyKind); ok && kind != "" {
			return k == kind
		}
		t, _ := o.GetString("type")
		return typ != "" && t == typ
	}}
}

func arg(args []value.Value, i int) value.Value {
	if i < len(args) {
		return args[i]
	}
	return nil
}

func idArg(fn string, args []value.Value) (string, error) {
	s, ok := arg(args, 0).(value.String)
	if !ok || s == "" {
		return "", fmt.Errorf("%s: the first argument must be a non-empty id string", fn)
	}
	return string(s), nil
}

// experimentalEntrypoint is Worker.experimentalEntrypoint(worker, name):
// the worker (or WorkerRef, or Self) bound to one of its named entrypoints.
func experimentalEntrypoint(args []value.Value) (value.Value, error) {
	o, ok := arg(args, 0).(*value.Object)
	if !ok {
		return nil, fmt.Errorf("Worker.experimentalEntrypoint: the first argument must be a Worker, WorkerRef or Self")
	}
	name, ok := arg(args, 1).(value.String)
	if !ok || name == "" {
		return nil, fmt.Errorf("Worker.experimentalEntrypoint: the second argument must be the entrypoint's name")
	}
	c := o.Clone()
	c.Set("__entrypoint__", name)
	return c, nil
}

// asObject returns the props object (an empty one for none).
func asObject(kind, id string, v value.Value) (*value.Object, error) {
	p, err := propsFrom(kind, id, v)
	if err != nil {
		return nil, err
	}
	return p.o.Clone(), nil
}

// normalizeDevForce is the wrapper of KVNamespace, R2Bucket and Queue:
// {...props, dev: {...props.dev, force: local}}.
func normalizeDevForce(ctx NormalizeContext, id string, props value.Value) (value.Value, error) {
	o, err := asObject("", id, props)
	if err != nil {
		return nil, err
	}
	return withDevForce(o, ctx.Local)
}

func withDevForce(o *value.Object, local bool) (*value.Object, error) {
	dev := value.NewObject(2)
	if v, ok := o.Get("dev"); ok {
		d, isObj := v.(*value.Object)
		if !isObj && v != (value.Null{}) {
			return nil, fmt.Errorf("prop dev must be an object, got %s", value.TypeName(v))
		}
		if isObj {
			dev = d.Clone()
		}
	}
	dev.Set("force", value.Bool(local))
	o.Set("dev", dev)
	return o, nil
}

// normalizeD1 is D1Database's wrapper: the migration files (and import
// files) are listed with their hashes, so that editing one changes the
// props, then dev.force is added.
func normalizeD1(ctx NormalizeContext, id string, given value.Value) (value.Value, error) {
	o, err := asObject(KindD1Database, id, given)
	if err != nil {
		return nil, err
	}
	p := props{kind: KindD1Database, id: id, o: o}
	files := value.Array{}
	if dir, ok, err := p.str("migrationsDir"); err != nil {
		return nil, err
	} else if ok {
		list, err := listSQLFiles(resolveIn(ctx.Dir, dir))
		if err != nil {
			return nil, p.errorf("migrationsDir", "%v", err)
		}
		for _, f := range list {
			files = append(files, value.Obj("id", value.String(f.ID), "hash", value.String(f.Hash)))
		}
	}
	imports := value.Array{}
	if names, ok, err := p.strings("importFiles"); err != nil {
		return nil, err
	} else if ok {
		for _, n := range names {
			f, err := readSQLFile(ctx.Dir, n)
			if err != nil {
				return nil, p.errorf("importFiles", "%v", err)
			}
			imports = append(imports, value.Obj("id", value.String(f.ID), "hash", value.String(f.Hash)))
		}
	}
	o.Set("migrationsFiles", files)
	o.Set("importFiles", imports)
	return withDevForce(o, ctx.Local)
}

// normalizeWorker keeps the props as given, but for the deprecated
// projectRoot, which the library copies into cwd.
func normalizeWorker(ctx NormalizeContext, id string, props value.Value) (value.Value, error) {
	o, err := asObject(KindWorker, id, props)
	if err != nil {
		return nil, err
	}
	if root, ok := o.Get("projectRoot"); ok && root != (value.Null{}) {
		o.Set("cwd", root)
	}
	return o, nil
}
