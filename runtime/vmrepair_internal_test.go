package runtime

import (
	"testing"

	"github.com/dop251/goja"
)

// vmRepair reaches goja's unexported fields by name; a goja upgrade that
// renames one of them must fail here, not hang programs later.
func TestVMRepairFindsGojaFields(t *testing.T) {
	r := newVMRepair(goja.New())
	if r == nil {
		t.Fatal("goja's Runtime no longer has the fields vmRepair resets")
	}
	if r.stuck() {
		t.Error("a new Runtime reports frames on its call stack")
	}
}
