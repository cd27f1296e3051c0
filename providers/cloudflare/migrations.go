package cloudflare

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/value"
)

// Tags a Worker carries on Cloudflare to remember, between deploys, which
// Durable Object binding is which: "alchemy:do:<stable id>:<binding>". The
// TypeScript library reads and writes the same tags.
const (
	doTagPrefix           = "alchemy:do:"
	migrationTagTagPrefix = "alchemy:migration-tag:"
)

// scriptSettings is what GET …/scripts/{name}/settings tells about the
// deployed script.
type scriptSettings struct {
	Bindings []struct {
		Type         string `json:"type"`
		Name         string `json:"name"`
		ClassName    string `json:"class_name"`
		ScriptName   string `json:"script_name"`
		WorkflowName string `json:"workflow_name"`
	} `json:"bindings"`
	Tags               []string `json:"tags"`
	MigrationTag       string   `json:"migration_tag"`
	DefaultEnvironment *struct {
		Script struct {
			Tags []string `json:"tags"`
		} `json:"script"`
	} `json:"default_environment"`
}

// allTags returns the script's tags from both places they are reported.
func (s *scriptSettings) allTags() []string {
	if s == nil {
		return nil
	}
	var tags []string
	seen := map[string]bool{}
	var from []string
	if s.DefaultEnvironment != nil {
		from = append(from, s.DefaultEnvironment.Script.Tags...)
	}
	for _, t := range append(from, s.Tags...) {
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	return tags
}

// doMigration is the Durable Object part of an upload: the tags to set
// and the class migrations to apply.
type doMigration struct {
	tags             []string
	newClasses       []string
	newSqliteClasses []string
	deletedClasses   []string
	renamedClasses   [][2]string
	oldTag, newTag   string
}

// planMigrations compares the Worker's current Durable Object bindings with
// the deployed script's settings (nil when it does not exist yet):
// a class whose stable id is new is created, one bound under a known id
// with another class name is renamed, and a class of the script no longer
// bound is deleted. Scripts deployed without the tags are matched by
// binding name.
func planMigrations(old *scriptSettings, current []doBinding, worker string, hasBindings bool) doMigration {
	var m doMigration
	oldTags := old.allTags()
	nameToID := map[string]string{}
	oldMigrationTag := ""
	for _, t := range oldTags {
		if rest, ok := strings.CutPrefix(t, doTagPrefix); ok {
			if id, binding, ok := strings.Cut(rest, ":"); ok {
				// The library splits on ":" and keeps the fourth field.
				binding, _, _ = strings.Cut(binding, ":")
				nameToID[binding] = id
			}
		}
		if rest, ok := strings.CutPrefix(t, migrationTagTagPrefix); ok && oldMigrationTag == "" {
			oldMigrationTag = rest
		}
	}
	for _, d := range current {
		m.tags = append(m.tags, doTagPrefix+d.stableID+":"+d.name)
	}
	if bumped := bumpMigrationTag(oldMigrationTag); bumped != "" {
		m.tags = append(m.tags, migrationTagTagPrefix+bumped)
	}
	type oldDO struct{ name, className string }
	var oldOwn []oldDO
	if old != nil {
		for _, b := range old.Bindings {
			if b.Type == TypeDurableObject && (b.ScriptName == "" || b.ScriptName == worker) {
				oldOwn = append(oldOwn, oldDO{b.Name, b.ClassName})
			}
		}
	}
	byName := map[string]doBinding{}
	byID := map[string]doBinding{}
	for _, d := range current {
		byName[d.name] = d
		byID[d.stableID] = d
	}
	for _, o := range oldOwn {
		if id, ok := nameToID[o.name]; ok {
			if _, kept := byID[id]; !kept || !hasBindings {
				m.deletedClasses = append(m.deletedClasses, o.className)
			}
			continue
		}
		if d, ok := byName[o.name]; !ok || d.className != o.className {
			m.deletedClasses = append(m.deletedClasses, o.className)
		}
	}
	for _, d := range current {
		if !d.own {
			continue
		}
		var prev *oldDO
		for i, o := range oldOwn {
			if id, ok := nameToID[o.name]; ok {
				if id == d.stableID {
					prev = &oldOwn[i]
					break
				}
			} else if o.name == d.name {
				prev = &oldOwn[i]
				break
			}
		}
		switch {
		case prev == nil && d.sqlite:
			m.newSqliteClasses = append(m.newSqliteClasses, d.className)
		case prev == nil:
			m.newClasses = append(m.newClasses, d.className)
		case prev.className != d.className:
			m.renamedClasses = append(m.renamedClasses, [2]string{prev.className, d.className})
		}
	}
	if old != nil && old.MigrationTag != "" {
		m.oldTag, m.newTag = old.MigrationTag, bumpMigrationTag(old.MigrationTag)
	}
	return m
}

var migrationTagVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(alchemy:)?v(\d+)$`) })

// bumpMigrationTag returns the tag after t: "v3" → "alchemy:v4", another
// non-empty tag → "alchemy:v1", "" → "".
func bumpMigrationTag(t string) string {
	if t == "" {
		return ""
	}
	if m := migrationTagVersion().FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[2])
		return "alchemy:v" + strconv.Itoa(n+1)
	}
	return "alchemy:v1"
}

// object is the migrations field of the upload metadata, in the key order
// the TypeScript library sends.
func (m doMigration) object() *value.Object {
	strs := func(s []string) value.Array {
		a := make(value.Array, len(s))
		for i, x := range s {
			a[i] = value.String(x)
		}
		return a
	}
	renamed := make(value.Array, len(m.renamedClasses))
	for i, r := range m.renamedClasses {
		renamed[i] = value.Obj("from", value.String(r[0]), "to", value.String(r[1]))
	}
	o := value.NewObject(7)
	if m.oldTag != "" {
		o.Set("old_tag", value.String(m.oldTag))
		o.Set("new_tag", value.String(m.newTag))
	}
	o.Set("new_classes", strs(m.newClasses))
	o.Set("deleted_classes", strs(m.deletedClasses))
	o.Set("renamed_classes", renamed)
	o.Set("transferred_classes", value.Array{})
	o.Set("new_sqlite_classes", strs(m.newSqliteClasses))
	return o
}

// expectedTag reads the tag Cloudflare expects from a 412 migration error.
var expectedTag = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:when expected tag is|current tag is) ['"]?([^'"\s;]*)['"]?`)
})

func tagFromPreconditionError(msg string) (string, bool) {
	ms := expectedTag().FindAllStringSubmatch(msg, -1)
	if len(ms) == 0 {
		return "", false
	}
	return ms[len(ms)-1][1], true
}
