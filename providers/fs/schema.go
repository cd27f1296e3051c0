package fs

import (
	"fmt"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/providers/schema"
)

// Schemas lists the props and outputs of File and Folder. The providers check the props they are given
// against it, and the TypeScript declarations (types/alchemy.d.ts) are tested against it.
func Schemas() []schema.Kind {
	return []schema.Kind{
		{
			Kind: KindFile,
			// path defaults to the id.
			Props:  schema.Fields(schema.Required("content"), schema.Optional("path")),
			Output: schema.Required("path", "content"),
		},
		{
			Kind:   KindFolder,
			Props:  schema.Optional("path", "delete", "clean", "recursive"),
			Output: schema.Required("path"),
		},
	}
}

// checkProps checks a create's or update's props against the kind's schema.
func checkProps(req *engine.Request) error {
	for _, s := range Schemas() {
		if s.Kind == req.Kind {
			if err := s.CheckProps(req.Props); err != nil {
				return fmt.Errorf("%s %q: %w", req.Kind, req.ID, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%s %q: no schema for the kind", req.Kind, req.ID)
}
