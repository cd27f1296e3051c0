package value

// Keys of the identity symbols a resource output carries, as they appear in
// objects (Symbol.for("alchemy::ResourceKind") and so on).
const (
	KeyKind            = "Symbol(alchemy::ResourceKind)"
	KeyID              = "Symbol(alchemy::ResourceID)"
	KeyFQN             = "Symbol(alchemy::ResourceFQN)"
	KeyScope           = "Symbol(alchemy::ResourceScope)"
	KeySeq             = "Symbol(alchemy::ResourceSeq)"
	KeyDestroyStrategy = "Symbol(alchemy::DestroyStrategy)"
)

// Ref identifies a resource whose output is embedded in another value.
type Ref struct {
	Kind string
	ID   string
	FQN  string
}

// RefOf returns the identity of a resource output, if o is one.
func RefOf(o *Object) (Ref, bool) {
	kind, okKind := o.GetString(KeyKind)
	fqn, okFQN := o.GetString(KeyFQN)
	if !okKind || !okFQN {
		return Ref{}, false
	}
	id, _ := o.GetString(KeyID)
	return Ref{Kind: kind, ID: id, FQN: fqn}, true
}

// References returns the resources whose outputs appear inside v (for
// example a KV namespace passed as a Worker binding), in order of first
// appearance, without duplicates. It does not look inside a referenced
// output: what that resource depends on is its own business.
func References(v Value) []Ref {
	var refs []Ref
	seen := map[string]bool{}
	var walk func(Value)
	walk = func(v Value) {
		switch v := v.(type) {
		case Array:
			for _, item := range v {
				walk(item)
			}
		case *Object:
			if ref, ok := RefOf(v); ok {
				if ref.FQN != "" && !seen[ref.FQN] {
					seen[ref.FQN] = true
					refs = append(refs, ref)
				}
				return
			}
			for _, item := range v.vals {
				walk(item)
			}
		}
	}
	walk(v)
	return refs
}
