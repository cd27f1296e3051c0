package testrun

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/types"
)

var exportDecl = regexp.MustCompile(`^  export (?:declare )?(?:const|function|class|let) ([A-Za-z_$][\w$]*)`)

// declaredValues lists the value exports of a module in the declarations.
func declaredValues(dts, module string) []string {
	var names []string
	in := false
	for _, line := range strings.Split(dts, "\n") {
		switch {
		case strings.HasPrefix(line, "declare module "):
			in = line == `declare module "`+module+`" {`
		case in:
			if m := exportDecl.FindStringSubmatch(line); m != nil && !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return names
}

// The modules export what types/alchemy.d.ts declares, no more, no less.
func TestExportsMatchDeclarations(t *testing.T) {
	dts := string(types.Files(types.Options{})[types.AlchemyFile])
	for _, m := range Modules() {
		declared := declaredValues(dts, m.Name)
		served := slices.Sorted(slices.Values(m.Exports))
		if len(declared) == 0 || !slices.Equal(served, declared) {
			t.Errorf("%s exports %q, the declarations %q", m.Name, served, declared)
		}
	}
}
